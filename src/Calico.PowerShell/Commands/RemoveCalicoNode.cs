using System.Management.Automation;
using Calico.PowerShell.Completion;
using Calico.PowerShell.Infrastructure;
using Calico.Resources;

namespace Calico.PowerShell.Commands;

/// <summary>Removes nodes, and what IPAM holds for them (tunnel addresses, block affinities), as Calico does.</summary>
[Cmdlet(VerbsCommon.Remove, "CalicoNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(Node))]
public sealed class RemoveCalicoNodeCommand : CalicoCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Removes the node only if it is still at this version (from a node read earlier).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? ResourceVersion { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() =>
        RemoveNamed(Client.Nodes, Name, ResourceVersion, PassThru,
            node => $"Remove Node {node.Name} and release its IPAM addresses and block affinities");
}
