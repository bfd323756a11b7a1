using System.Management.Automation;
using Calico.Resources;

namespace Calico.PowerShell.Commands;

/// <summary>Creates a node; fails when a node of that name exists (Set-CalicoNode changes one).</summary>
[Cmdlet(VerbsCommon.New, "CalicoNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Node))]
public sealed class NewCalicoNodeCommand : NodeParameters
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var node = new Node { Name = Name };
        ApplyParameters(node);
        try
        {
            var created = CreateWithConsent(c => c.Nodes, node, Calico.Client.WriteOptions.Default, $"Node {Name}");
            if (PassThru && created is not null) WriteObject(created);
        }
        catch (Exception ex) when (IsReportable(ex))
        {
            WriteFailure(ex, node);
        }
    }
}
