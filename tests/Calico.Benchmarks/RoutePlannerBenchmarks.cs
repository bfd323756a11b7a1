using BenchmarkDotNet.Attributes;
using Calico.Ipam;
using Calico.Resources;
using Calico.Routing;
using Calico.Tests.Routing;

namespace Calico.Benchmarks;

/// <summary>
/// Route planning for one node of a synthetic cluster: from scratch (index the cluster, then plan), on an index already
/// loaded, and incrementally as single nodes, blocks and pools change. Targets at 10,000 nodes: a plan ≤ 50 ms, an
/// incremental update ≤ 1 ms. Incremental benchmarks flip one object back and forth, so every call is a real change.
/// </summary>
public class RoutePlannerBenchmarks
{
    private static readonly RouteSettings Settings = new() { HostInterface = "eth0", HostMTU = 1500 };

    public static IEnumerable<ClusterSize> Sizes => [.. ClusterSize.ScalingSeries, .. ClusterSize.Reference];

    [ParamsSource(nameof(Sizes))]
    public ClusterSize Size { get; set; } = null!;

    private ClusterScenario _scenario = null!;
    private RoutePlanner _planner = null!;
    private string _local = "";
    private string _other = "";
    private (Node Changed, Node Original) _remote;
    private (Node Changed, Node Original) _neighbour;
    private (Node Changed, Node Original) _localNode;
    private (AllocationBlock Changed, AllocationBlock Original) _block;
    private (IPPool Changed, IPPool Original) _pool;
    private bool _flip;

    [GlobalSetup]
    public void Setup()
    {
        var shape = Size.Shape;
        _scenario = ClusterScenario.Build(shape);
        var n = Size.Nodes;
        var local = n * 4242 / 10_000;
        _local = ClusterScenario.NodeName(local);
        _other = ClusterScenario.NodeName(n * 777 / 10_000);
        var remote = n * 9001 / 10_000;
        // A remote node takes another host number in its subnet.
        _remote = (ClusterScenario.MakeNode(shape, remote, hostOffset: 3), _scenario.Nodes[remote]);
        // A node of the local node's subnet moves to another subnet: its routes switch between direct and tunnelled.
        var neighbour = ClusterScenario.MakeNode(shape, local + 1);
        neighbour.Spec.BGP!.IPv4Address = "172.31.200.9/24";
        _neighbour = (neighbour, _scenario.Nodes[local + 1]);
        // The local node itself changes address: everything is re-planned.
        _localNode = (ClusterScenario.MakeNode(shape, local, hostOffset: 1), _scenario.Nodes[local]);
        var block = _scenario.Blocks[_scenario.Blocks.Count / 2];
        var changedBlock = IpamJson.DeserializeBlock(IpamJson.Serialize(block));
        changedBlock.Affinity = "host:" + ClusterScenario.NodeName(remote);
        _block = (changedBlock, block);
        var pool = _scenario.Pools[0].Clone();
        pool.Spec.NatOutgoing = !pool.Spec.NatOutgoing;
        _pool = (pool, _scenario.Pools[0]);
        _planner = new RoutePlanner(_local, _scenario.Nodes, _scenario.Pools, _scenario.Blocks, Settings);
        _ = _planner.Current;
    }

    /// <summary>RoutePlanner.Plan(node, nodes, pools, blocks): index the whole cluster, then plan one node (a one-shot Sync-CalicoDataplane).</summary>
    [Benchmark]
    public RoutePlan IndexAndPlan() => RoutePlanner.Plan(_local, _scenario.Nodes, _scenario.Pools, _scenario.Blocks, Settings);

    /// <summary>Another node planned from scratch on the loaded index (Get-CalicoRoute plans every node this way).</summary>
    [Benchmark]
    public RoutePlan PlanOnLoadedIndex() => _planner.Plan(_other);

    [Benchmark]
    public RoutePlanDelta SetRemoteNode() => _planner.SetNode(Flip(_remote));

    [Benchmark]
    public RoutePlanDelta SetSameSubnetNode() => _planner.SetNode(Flip(_neighbour));

    [Benchmark]
    public RoutePlanDelta SetBlock() => _planner.SetBlock(Flip(_block));

    /// <summary>natOutgoing toggled: the NAT sets change, routes do not.</summary>
    [Benchmark]
    public RoutePlanDelta SetPool() => _planner.SetPool(Flip(_pool));

    /// <summary>The local node changed address: a full re-plan through the incremental path.</summary>
    [Benchmark]
    public RoutePlanDelta SetLocalNode() => _planner.SetNode(Flip(_localNode));

    /// <summary>A remote change, then the maintained plan as a sorted snapshot (what a sync reads after a change).</summary>
    [Benchmark]
    public RoutePlan CurrentAfterChange()
    {
        _planner.SetNode(Flip(_remote));
        return _planner.Current;
    }

    private T Flip<T>((T Changed, T Original) pair) => (_flip = !_flip) ? pair.Changed : pair.Original;
}
