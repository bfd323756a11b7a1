using System.Management.Automation;
using Calico.Client;
using Calico.Dataplane.Autodetection;
using Calico.Dataplane.Kernel;
using Calico.Net;
using Calico.PowerShell.Infrastructure;

namespace Calico.PowerShell.Commands;

/// <summary>
/// What calico-node does when it starts on a host: find the host's address and subnet (IP_AUTODETECTION_METHOD, or
/// -IPv4Address), store this host's Node with them, and give it the tunnel addresses its pools need. A node stored
/// without a subnet (a /32, the pre-v2.1 problem) is fixed and the fix reported, which calico-node never does.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "CalicoNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(NodeRegistration))]
public sealed class RegisterCalicoNodeCommand : HostCmdlet
{

    /// <summary>The address to register, as calico-node's IP: a CIDR is used as given; a bare address gets the prefix of the interface that holds it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? IPv4Address { get; set; }

    /// <summary>How to find the address when -IPv4Address is not given (calico-node's IP_AUTODETECTION_METHOD).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(Completion.AutodetectionMethodCompleter))]
    public string Method { get; set; } = "first-found";


    /// <summary>Registers the address even when another node has it (calico-node's DISABLE_NODE_IP_CHECK).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var name = NodeName;
        var address = FindAddress();
        if (address is null) return;
        try
        {
            // Under -WhatIf the whole registration runs in a preview, so the message names the tunnel addresses too.
            string what;
            if (IsWhatIf)
            {
                var preview = Run(ct => NodeRegistrar.RegisterAsync(PreviewClient, name, address, Force, null, ct));
                what = Describe(preview);
            }
            else
            {
                var current = Run(ct => Client.Nodes.TryGetAsync(name, ct));
                what = current?.IPv4Address == address.Value.ToString()
                    ? $"Register Node {name} ({address}) and reconcile its tunnel addresses"
                    : $"Register Node {name}: spec.bgp.ipv4Address: {current?.IPv4Address ?? "(none)"} → {address}, and reconcile its tunnel addresses";
            }
            if (!ShouldProcess(what, $"Register Node {name}?", "Register node")) return;

            var registration = Run(ct => NodeRegistrar.RegisterAsync(Client, name, address, Force, null, ct));
            if (registration.AddressChange is { } change)
            {
                var message = $"Node {name}: {change}.";
                if (change.OldAddress is null) WriteVerbose(message); else WriteWarning(message);
            }
            foreach (var tunnel in registration.TunnelAddresses)
                WriteVerbose($"Node {name}: {tunnel.Type} tunnel address {tunnel.Action}: {tunnel.OldAddress ?? "(none)"} → {tunnel.NewAddress ?? "(none)"} ({tunnel.Reason}).");
            if (PassThru) WriteObject(registration);
        }
        catch (Exception ex) when (IsReportable(ex))
        {
            WriteFailure(ex, name);
        }
    }

    private static string Describe(NodeRegistration r)
    {
        var parts = new List<string> { $"{r.Action} Node {r.Name}" };
        if (r.AddressChange is { } a) parts.Add($"spec.bgp.ipv4Address: {a}");
        parts.AddRange(r.TunnelAddresses.Where(t => t.Action is not (Calico.Ipam.TunnelAddressAction.Kept or Calico.Ipam.TunnelAddressAction.None))
            .Select(t => $"{t.Type} tunnel address {t.Action}: {t.OldAddress ?? "(none)"} → {t.NewAddress ?? "(none)"}"));
        return string.Join("; ", parts);
    }

    private IPPrefix? FindAddress()
    {
        try
        {
            var detector = new HostAddressDetector(HostKernel.For(NetNamespace));
            var detection = IPv4Address is not null ? detector.FindConfiguredAddress(IPv4Address) : detector.Detect(Method);
            if (detection.Warning is not null) WriteWarning(detection.Warning);
            foreach (var candidate in detection.Candidates) WriteVerbose($"{candidate.Interface} {candidate.Address}: {candidate.Reason}");
            if (detection.Address is { } found) return found;
            WriteError(new ErrorRecord(new InvalidOperationException(detection.Error ?? $"No IPv4 address found with {Method}."),
                "NoHostAddress", ErrorCategory.ObjectNotFound, IPv4Address ?? Method));
        }
        catch (AutodetectionException ex)
        {
            WriteError(new ErrorRecord(ex, "InvalidAutodetectionMethod", ErrorCategory.InvalidArgument, Method));
        }
        catch (KernelCommandException ex)
        {
            WriteError(new ErrorRecord(ex, "KernelCommandFailed", ErrorCategory.ReadError, NetNamespace));
        }
        return null;
    }
}
