using System.Text;
using Calico.Resources;
using Calico.Routing;

namespace Calico.Analysis;

/// <summary>
/// What a change to pools or nodes would do to every node's routes, before it is made: each node is planned on the
/// cluster as it is and as it would be, and every destination whose route differs is listed. Nothing is written.
/// </summary>
public sealed class RoutePreview
{
    private RoutePreview(ClusterSnapshot before, ClusterSnapshot after, IReadOnlyList<string> nodes, IReadOnlyList<RouteChange> changes)
    {
        Before = before;
        After = after;
        Nodes = nodes;
        Changes = changes;
    }

    public ClusterSnapshot Before { get; }
    public ClusterSnapshot After { get; }

    /// <summary>The nodes that were planned, by name: every node of either cluster.</summary>
    public IReadOnlyList<string> Nodes { get; }

    /// <summary>Every route that would change, by node, then destination.</summary>
    public IReadOnlyList<RouteChange> Changes { get; }

    /// <summary>How many routes would change on each planned node (zero included), by node.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> CountByNode =>
        Nodes.Select(n => new KeyValuePair<string, int>(n, Changes.Count(c => c.Node == n))).ToList();

    /// <summary>The routes every node would have with <paramref name="proposedPools"/> in place of the pools of their names.</summary>
    public static RoutePreview Compare(ClusterSnapshot snapshot, IEnumerable<IPPool> proposedPools, RouteSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Compare(snapshot, snapshot.WithPools(proposedPools), settings);
    }

    /// <summary>The routes every node would have on <paramref name="after"/> that it does not have on <paramref name="before"/>.</summary>
    public static RoutePreview Compare(ClusterSnapshot before, ClusterSnapshot after, RouteSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var nodes = before.Nodes.Select(n => n.Name).Union(after.Nodes.Select(n => n.Name)).Order(StringComparer.Ordinal).ToList();
        var changes = new List<RouteChange>();
        foreach (var node in nodes)
        {
            var old = before.Plan(node, settings).Routes.ToDictionary(r => r.Destination);
            var @new = after.Plan(node, settings).Routes.ToDictionary(r => r.Destination);
            foreach (var destination in old.Keys.Union(@new.Keys).Order())
            {
                var was = old.GetValueOrDefault(destination);
                var becomes = @new.GetValueOrDefault(destination);
                if (was is not null && becomes is not null && !RouteChange.Differ(was, becomes)) continue;
                changes.Add(new RouteChange(node, destination, was, becomes));
            }
        }
        return new RoutePreview(before, after, nodes, changes);
    }

    /// <summary>
    /// The preview in words for a -WhatIf message: a count per node, then up to <paramref name="maxLines"/> changes
    /// (and how many more there are).
    /// </summary>
    public string Describe(int maxLines = 40)
    {
        if (Changes.Count == 0) return $"No node's routes would change ({Nodes.Count} {(Nodes.Count == 1 ? "node" : "nodes")} planned).";
        var text = new StringBuilder("Routes that would change: ")
            .AppendJoin(", ", CountByNode.Select(c => $"{c.Key} {c.Value}"));
        foreach (var change in Changes.Take(maxLines)) text.AppendLine().Append("  ").Append(change);
        if (Changes.Count > maxLines) text.AppendLine().Append($"  ... and {Changes.Count - maxLines} more");
        if (Before.Errors.Count > 0)
            text.AppendLine().Append($"  ({Before.Errors.Count} stored items could not be read and were left out of the plan)");
        return text.ToString();
    }

    public override string ToString() => Describe();
}
