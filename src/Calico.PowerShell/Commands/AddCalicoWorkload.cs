using System.Management.Automation;
using System.Net;
using Calico.Dataplane.Host;
using Calico.Dataplane.Workloads;
using Calico.Net;
using Calico.PowerShell.Infrastructure;

namespace Calico.PowerShell.Commands;

/// <summary>
/// Plumbs a container or VM network namespace into Calico the way Calico's CNI plugin does: an address from this
/// node's IPAM blocks, a cali… veth with eth0 inside, a /32 host route, proxy ARP with no delay, and a default route
/// via 169.254.1.1 inside. Then traffic between workloads can be tried.
/// </summary>
[Cmdlet(VerbsCommon.Add, "CalicoWorkload", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Workload))]
public sealed class AddCalicoWorkloadCommand : CalicoCmdlet
{
    /// <summary>The workload's network namespace (it must exist; it must not have an eth0 yet).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string NetNamespace { get; set; } = "";

    /// <summary>The workload's name, which names its IPAM handle and its cali interface; by default the namespace's name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The node the workload runs on; by default this host's node name (or the -HostNetNamespace name).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NodeNameCompleter))]
    public string? Node { get; set; }

    /// <summary>The network namespace that stands for the host (a lab host), instead of this host.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? HostNetNamespace { get; set; }

    /// <summary>A specific address for the workload (it must lie in a pool); by default IPAM picks one.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IPv4Address { get; set; }

    protected override void ProcessRecord()
    {
        var name = Name ?? NetNamespace;
        var node = Node ?? HostIdentity.DefaultNodeName(HostNetNamespace);
        IPAddress? address = null;
        if (IPv4Address is not null && !IPParser.TryParse(IPv4Address, out address))
        {
            WriteError(new ErrorRecord(new PSArgumentException($"-IPv4Address '{IPv4Address}' is not an IPv4 address."),
                "InvalidAddress", ErrorCategory.InvalidArgument, IPv4Address));
            return;
        }
        var target = $"workload {name} in network namespace {NetNamespace}";
        if (!ShouldProcess($"Plumb {target} on node {node}, with {(address is null ? "an address from IPAM" : address)}", $"Plumb {target}?", "Add workload"))
            return;
        try
        {
            var host = new HostDataplane(Client, HostKernel.For(HostNetNamespace), node);
            WriteObject(Run(ct => host.AddWorkloadAsync(name, NetNamespace, address, ct)));
        }
        catch (Exception ex) when (IsReportable(ex) || ex is InvalidOperationException)
        {
            WriteFailure(ex, name);
        }
    }
}
