using System.Diagnostics;
using System.Runtime.CompilerServices;
using Calico.Analysis;
using Calico.Ipam;
using Calico.Routing;
using Calico.Tests.Routing;

namespace Calico.Benchmarks.Harness;

/// <summary>
/// What a cluster model holds in memory (live heap after a full compacting collection): the Calico objects as read
/// (nodes, pools, IPAM blocks), how much of that is blocks and what the blocks weigh decoded from their JSON, a <see cref="RoutePlanner"/> with its index and
/// maintained plan, a <see cref="ClusterSnapshot"/> that has planned one node (what the analysis cmdlets hold), and the
/// planner alone once the objects it was built from are released (what a long-running sync could keep).
/// Target: ≤ 200 MB at 10,000 nodes. Each stage runs in a method of its own, so no stack slot keeps an earlier stage alive.
/// </summary>
internal static class ModelMemory
{
    private static readonly RouteSettings Settings = new() { HostInterface = "eth0", HostMTU = 1500 };

    public static object Weigh(int nodes, int blocksPerNode)
    {
        var shape = new ScenarioShape { Nodes = nodes, BlocksPerNode = blocksPerNode };
        var local = ClusterScenario.NodeName(nodes * 4242 / 10_000);

        var empty = Measure.LiveBytes();
        var cluster = Build(shape);
        var objects = Measure.LiveBytes() - empty;
        var (plannerBytes, routes) = PlannerBytes(cluster, local);
        var snapshotBytes = SnapshotBytes(cluster, local);
        var nodeBytes = NodesAloneBytes(cluster, empty);
        var readBlockBytes = DecodedBlocksBytes(shape);
        var aloneBytes = PlannerAloneBytes(shape, local);

        using var process = Process.GetCurrentProcess();
        return new
        {
            nodes, blocks = nodes * blocksPerNode, routes,
            objectsMb = Mb(objects), blocksMb = Mb(objects - nodeBytes), blocksAsReadMb = Mb(readBlockBytes), plannerMb = Mb(plannerBytes), modelMb = Mb(objects + plannerBytes),
            snapshotWithPlannerMb = Mb(snapshotBytes), plannerAloneMb = Mb(aloneBytes), peakWorkingSetMb = Mb(process.PeakWorkingSet64),
        };
    }

    // The cluster is only ever reached through the box, so letting go of it really lets it go.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static StrongBox<ClusterScenario?> Build(ScenarioShape shape) => new(ClusterScenario.Build(shape));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (long Bytes, int Routes) PlannerBytes(StrongBox<ClusterScenario?> box, string local)
    {
        var cluster = box.Value!;
        var before = Measure.LiveBytes();
        var planner = new RoutePlanner(local, cluster.Nodes, cluster.Pools, cluster.Blocks, Settings);
        var routes = planner.Current.Routes.Count;
        var bytes = Measure.LiveBytes() - before;
        GC.KeepAlive(planner);
        return (bytes, routes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long SnapshotBytes(StrongBox<ClusterScenario?> box, string local)
    {
        var cluster = box.Value!;
        var before = Measure.LiveBytes();
        var snapshot = new ClusterSnapshot(cluster.Nodes, cluster.Pools, cluster.Blocks);
        snapshot.Plan(local, Settings);
        var bytes = Measure.LiveBytes() - before;
        GC.KeepAlive(snapshot);
        return bytes;
    }

    /// <summary>Keeps the nodes, lets the cluster (and so its blocks) go: what the nodes alone weigh.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long NodesAloneBytes(StrongBox<ClusterScenario?> cluster, long empty)
    {
        var nodes = cluster.Value!.Nodes.ToArray();
        cluster.Value = null;
        var bytes = Measure.LiveBytes() - empty;
        GC.KeepAlive(nodes);
        return bytes;
    }

    /// <summary>
    /// The blocks as a read from the datastore holds them: decoded from their stored JSON, so no string is shared
    /// between blocks the way the scenario's builder shares node names.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long DecodedBlocksBytes(ScenarioShape shape)
    {
        var json = ClusterScenario.Build(shape).Blocks.Select(IpamJson.Serialize).ToArray();
        var before = Measure.LiveBytes();
        var blocks = json.Select(IpamJson.DeserializeBlock).ToArray();
        var bytes = Measure.LiveBytes() - before;
        GC.KeepAlive(blocks);
        GC.KeepAlive(json);
        return bytes;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long PlannerAloneBytes(ScenarioShape shape, string local)
    {
        var before = Measure.LiveBytes();
        var planner = Planner(shape, local);
        var bytes = Measure.LiveBytes() - before;
        GC.KeepAlive(planner);
        return bytes;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static RoutePlanner Planner(ScenarioShape shape, string local)
    {
        var cluster = ClusterScenario.Build(shape);
        var planner = new RoutePlanner(local, cluster.Nodes, cluster.Pools, cluster.Blocks, Settings);
        _ = planner.Current;
        return planner;
    }

    private static double Mb(long bytes) => Math.Round(bytes / 1024.0 / 1024.0, 1);
}
