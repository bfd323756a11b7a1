using System.Management.Automation;
using Calico.Analysis;
using Calico.Datastore;
using Calico.PowerShell.Completion;
using Calico.PowerShell.Infrastructure;
using Calico.Routing;

namespace Calico.PowerShell.Commands;

/// <summary>
/// The routes felix on each node would program, planned from the datastore alone (no host is touched): per node, every
/// destination with its gateway, device, whether it is encapsulated, and why. What the plan notices beyond the routes
/// (a /32 node, asymmetric pairs, missing tunnel addresses) is written as warnings, each once.
/// </summary>
[Cmdlet(VerbsCommon.Get, "CalicoRoute")]
[OutputType(typeof(NodeRoute))]
public sealed class GetCalicoRouteCommand : CalicoCmdlet
{
    private readonly HashSet<string> _told = new(StringComparer.Ordinal);
    private ClusterSnapshot? _snapshot;
    private DestinationFilter? _destination;

    /// <summary>The nodes whose routes to plan (wildcards); every node when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NodeNameCompleter))]
    public string[]? Node { get; set; }

    /// <summary>An address (the route the kernel would use for it) or a CIDR (every route overlapping it).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    protected override void BeginProcessing()
    {
        if (Destination is null) return;
        if (!DestinationFilter.TryParse(Destination, out _destination))
            ThrowTerminatingError(new ErrorRecord(new PSArgumentException($"-Destination '{Destination}' is not an IP address or a CIDR such as 192.168.3.0/26."),
                "InvalidDestination", ErrorCategory.InvalidArgument, Destination));
    }

    protected override void ProcessRecord()
    {
        if (ReadSnapshot() is not { } snapshot) return;
        var filter = new NameFilter(Node);
        var nodes = snapshot.Nodes.Where(n => filter.Matches(n.Name)).ToList();
        foreach (var missing in filter.Missing(nodes))
            WriteError(new ErrorRecord(new ItemNotFoundException($"Node {missing} does not exist in the {Client.Location}."),
                "ResourceNotFound", ErrorCategory.ObjectNotFound, missing));
        foreach (var node in nodes)
        {
            var plan = snapshot.Plan(node.Name);
            var routes = _destination is null ? plan.Routes : _destination.Select(plan.Routes);
            foreach (var route in routes) WriteObject(new NodeRoute(plan.LocalNode, route));
            Tell(plan);
        }
    }

    private ClusterSnapshot? ReadSnapshot()
    {
        if (_snapshot is not null) return _snapshot;
        try
        {
            _snapshot = Run(ct => ClusterSnapshot.ReadAsync(Client, ct));
        }
        catch (DatastoreException ex)
        {
            WriteFailure(ex, Node);
            return null;
        }
        foreach (var error in _snapshot.Errors) WriteFailure(error, error.Key);
        return _snapshot;
    }

    // Findings speak as the planned node ("this node"), so each is prefixed with it; one said about the cluster (no
    // node) is the same on every node and is told once.
    private void Tell(RoutePlan plan)
    {
        foreach (var finding in plan.Findings)
        {
            var text = finding.Node is null ? finding.Message : $"{plan.LocalNode}: {finding.Message}";
            if (!_told.Add(text)) continue;
            if (finding.Severity == FindingSeverity.Warning) WriteWarning(text);
            else WriteVerbose(text);
        }
    }
}
