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

    protected override void ProcessRecord() =>
        RemoveNamed(Client.IPPools, Name, ResourceVersion, PassThru,
            pool => $"Remove IPPool {pool.Name} ({pool.Cidr}): disable it, release its block affinities, delete it");
}
