using System.Management.Automation;
using Calico.Client;
using Calico.Manifests;
using Calico.Net;
using Calico.Resources;

namespace Calico.PowerShell.Commands;

/// <summary>
/// Creates or changes an IP pool, as `calicoctl apply` does: only the given settings change. Without -Name the pool
/// is named from its CIDR as calicoctl convert names it, so this command and the seed's manifest address one pool.
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

    protected override void ProcessRecord()
    {
        IPPool proposed;
        IPPool? current;
        try
        {
            var name = InputObject?.Name ?? Name ?? (IPPrefix.TryParse(Cidr, out var cidr) ? ResourceNames.FromCidr(cidr) : Cidr!);
            current = Run(ct => Client.IPPools.TryGetAsync(name, ct));
            if (InputObject is not null) proposed = InputObject.Clone();
            else if (current is not null) proposed = current.Clone();
            else if (Cidr is not null) proposed = new IPPool { Name = name };
            else
            {
                WriteError(new ErrorRecord(new ItemNotFoundException($"IPPool {name} does not exist; give -Cidr to create it."),
                    "ResourceNotFound", ErrorCategory.ObjectNotFound, name));
                return;
            }
            if (Cidr is not null) proposed.Spec.Cidr = Cidr;
            ApplyParameters(proposed);
        }
        catch (Exception ex) when (IsReportable(ex))
        {
            WriteFailure(ex, InputObject ?? (object?)Name ?? Cidr);
            return;
        }

        try
        {
            var changes = Run(ct => Client.IPPools.PreviewApplyAsync(proposed, ct));
            var target = $"IPPool {proposed.Name} ({proposed.Cidr})";
            var verb = current is null ? "Create" : "Update";
            if (changes.Count == 0)
            {
                WriteVerbose($"{target} already has these settings; nothing to write.");
                if (PassThru && current is not null) WriteObject(current);
                return;
            }
            if (!ShouldProcess($"{verb} {target}: {DescribeChanges(changes)}", $"{verb} {target}?", $"{verb} IP pool")) return;
            var result = Run(ct => Client.IPPools.ApplyAsync(proposed, new WriteOptions { AllowNodesWithoutSubnet = Force }, ct));
            WriteVerbose($"{target}: {result.Action}.");
            if (PassThru) WriteObject(result.Resource);
        }
        catch (Exception ex) when (IsReportable(ex))
        {
            WriteFailure(ex, proposed);
        }
    }
}
