using System.Management.Automation;
using Calico.PowerShell.Completion;
using Calico.Resources;

namespace Calico.PowerShell.Commands;

/// <summary>
/// Changes a node (only the given settings), e.g. -IPv4Address 10.0.2.10/24 to give a pre-v2.1 node its subnet.
/// Pipe nodes in to change many: Get-CalicoNode -MissingSubnet | Set-CalicoNode ...
/// </summary>
// A piped Node binds to -InputObject (the default set), so changes made to it and its resourceVersion count;
// other objects with a Name property (Import-Csv rows) bind to -Name.
[Cmdlet(VerbsCommon.Set, "CalicoNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ObjectSet)]
[OutputType(typeof(Node))]
public sealed class SetCalicoNodeCommand : NodeParameters
{
    private const string NameSet = "Name";
    private const string ObjectSet = "InputObject";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = NameSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string Name { get; set; } = "";

    /// <summary>A whole node to store (e.g. read with Get-CalicoNode and changed); the other parameters change it further.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public Node? InputObject { get; set; }

    /// <summary>Creates the node when it does not exist, as calicoctl apply would.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var name = InputObject?.Name ?? Name;
        Node proposed;
        Node? current;
        try
        {
            current = Run(ct => Client.Nodes.TryGetAsync(name, ct));
            if (InputObject is not null) proposed = InputObject.Clone();
            else if (current is not null) proposed = current.Clone();
            else if (Force) proposed = new Node { Name = name };
            else
            {
                WriteError(new ErrorRecord(new ItemNotFoundException($"Node {name} does not exist in the {Client.Location}; use New-CalicoNode, or -Force to create it."),
                    "ResourceNotFound", ErrorCategory.ObjectNotFound, name));
                return;
            }
            ApplyParameters(proposed);
            var result = ApplyWithConsent(c => c.Nodes, proposed, Calico.Client.WriteOptions.Default, $"Node {name}");
            if (PassThru && result is not null) WriteObject(result.Resource);
        }
        catch (Exception ex) when (IsReportable(ex))
        {
            WriteFailure(ex, InputObject ?? (object)name);
        }
    }
}
