using System.Management.Automation;
using Calico.PowerShell.Completion;
using Calico.PowerShell.Infrastructure;
using Calico.Resources;

namespace Calico.PowerShell.Commands;

/// <summary>
/// Removes IP pools as Calico does: the pool is disabled first, the block affinities inside it are released, then it
/// is deleted.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "CalicoIPPool", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(IPPool))]
public sealed class RemoveCalicoIPPoolCommand : CalicoCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(IPPoolNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Removes the pool only if it is still at this version (from a pool read earlier).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? ResourceVersion { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var matched = ListNamed(Client.IPPools, Name);
        if (matched is null) return;

        foreach (var pool in matched)
        {
            var target = $"IPPool {pool.Name} ({pool.Cidr})";
            if (!ShouldProcess($"Remove {target}: disable it, release its block affinities, delete it", $"Remove {target}?", "Remove IP pool"))
                continue;
            try
            {
                var removed = Run(ct => Client.IPPools.DeleteAsync(pool.Name, ResourceVersion, ct));
                if (PassThru && removed is not null) WriteObject(removed);
            }
            catch (Exception ex) when (IsReportable(ex))
            {
                WriteFailure(ex, pool);
            }
        }
    }
}
