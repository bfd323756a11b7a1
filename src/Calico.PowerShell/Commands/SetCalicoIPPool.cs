using System.Management.Automation;
using Calico.Client;
using Calico.Manifests;
using Calico.Net;
using Calico.Resources;

namespace Calico.PowerShell.Commands;

/// <summary>
/// Creates or changes an IP pool, as `calicoctl apply` does: only the given settings change. -Cidr finds the pool
/// with that CIDR whatever its name; when there is none, the new pool is named from its CIDR as calicoctl convert
/// names it, so this command and the seed's manifest address one pool.
/// </summary>
[Cmdlet(VerbsCommon.Set, "CalicoIPPool", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = CidrSet)]
[OutputType(typeof(IPPool))]
public sealed class SetCalicoIPPoolCommand : IPPoolParameters
{
    private const string CidrSet = "Cidr";
    private const string NameSet = "Name";
    private const string ObjectSet = "InputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = CidrSet)]
    [Parameter(ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Cidr { get; set; }

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.IPPoolNameCompleter))]
    public string? Name { get; set; }

    /// <summary>A whole pool to store (e.g. one read with Get-CalicoIPPool and changed); the other parameters change it further.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public IPPool? InputObject { get; set; }

    /// <summary>Makes a pool CrossSubnet even though nodes it selects have no subnet.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>-WhatIf and -Confirm also show what the change would do to every node's routes.</summary>
    public SetCalicoIPPoolCommand() => PreviewsRoutes = true;

    protected override void ProcessRecord()
    {
        IPPool? proposed = null;
        try
        {
            proposed = Propose();
            if (proposed is null) return;
            var result = ApplyWithConsent(c => c.IPPools, proposed, new WriteOptions { AllowNodesWithoutSubnet = Force }, $"IPPool {proposed.Name} ({proposed.Cidr})");
            if (PassThru && result is not null) WriteObject(result.Resource);
        }
        catch (Exception ex) when (IsReportable(ex))
        {
            WriteFailure(ex, proposed ?? InputObject ?? (object?)Name ?? Cidr);
        }
    }

    // The pool as it should be: the piped pool, or the stored one, or a new one; then the given settings on top.
    private IPPool? Propose()
    {
        IPPool proposed;
        if (InputObject is not null)
        {
            proposed = InputObject.Clone();
        }
        else if (Name is not null)
        {
            var current = Run(ct => Client.IPPools.TryGetAsync(Name, ct));
            if (current is null && Cidr is null)
            {
                WriteError(new ErrorRecord(new ItemNotFoundException($"IPPool {Name} does not exist in the {Client.Location}; give -Cidr to create it."),
                    "ResourceNotFound", ErrorCategory.ObjectNotFound, Name));
                return null;
            }
            proposed = current?.Clone() ?? new IPPool { Name = Name };
        }
        else
        {
            var cidr = IPPrefix.TryParse(Cidr, out var parsed) ? parsed : (IPPrefix?)null;
            var pools = Run(ct => Client.IPPools.ListAsync(ct)).Items;
            var existing = cidr is null ? null : pools.FirstOrDefault(p => p.Prefix is { } prefix && prefix.Network == cidr.Value.Network);
            proposed = existing?.Clone() ?? new IPPool { Name = cidr is null ? Cidr! : ResourceNames.FromCidr(cidr.Value) };
            if (existing is not null) WriteVerbose($"-Cidr {Cidr} is IPPool {existing.Name}.");
        }
        if (Cidr is not null) proposed.Spec.Cidr = Cidr;
        ApplyParameters(proposed);
        return proposed;
    }
}
