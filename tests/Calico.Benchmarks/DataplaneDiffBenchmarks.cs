using System.Net;
using BenchmarkDotNet.Attributes;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Routing;
using Calico.Tests.Routing;

namespace Calico.Benchmarks;

/// <summary>
/// The dataplane diff of one host, against kernel states captured from real namespaces (Fixtures/, made by the scale
/// harness): a no-op resync (the kernel already matches the plan) and a first sync (eth0 only, every route to add).
/// "Pure" compares against a kernel already read into memory; "Parsed" also parses the captured iproute2 JSON, which is
/// all of a real resync's kernel read except starting the processes. Target: no-op resync of 10,000 routes ≤ 20 ms.
/// </summary>
public class DataplaneDiffBenchmarks
{
    public static IEnumerable<int> RouteCounts => KernelFixture.RouteCounts;

    [ParamsSource(nameof(RouteCounts))]
    public int Routes { get; set; }

    private RoutePlan _plan = null!;
    private HostFacts _facts = null!;
    private DataplaneReconciler _syncedPure = null!;
    private DataplaneReconciler _emptyPure = null!;
    private DataplaneReconciler _syncedParsed = null!;
    private DataplaneReconciler _emptyParsed = null!;

    [GlobalSetup]
    public void Setup()
    {
        var fixture = KernelFixture.ForRoutes(Routes);
        var cluster = ClusterScenario.Build(fixture.Shape);
        var synced = fixture.Replay(fixture.Synced);
        var empty = fixture.Replay(fixture.Empty);
        _facts = HostFacts.Read(synced, IPAddress.Parse(fixture.NodeAddress));
        _plan = RoutePlanner.Plan(fixture.Node, cluster.Nodes, cluster.Pools, cluster.Blocks, _facts.ApplyTo(RouteSettings.Default));
        DataplaneReconciler For(IKernel kernel) => new(kernel, _ => throw new InvalidOperationException("a diff probes nothing"));
        _syncedParsed = For(synced);
        _emptyParsed = For(empty);
        _syncedPure = For(new MemoizedKernel(synced));
        _emptyPure = For(new MemoizedKernel(empty));
        // The capture is only useful if it is what the plan wants: no change after the sync, every route before it.
        if (!NoOpPure().IsEmpty) throw new InvalidOperationException($"{KernelFixture.FileName(Routes)}: the synced kernel does not match the plan");
        if (FirstSyncPure().Changes.Count(c => c.Object == DataplaneObject.Route) != Routes)
            throw new InvalidOperationException($"{KernelFixture.FileName(Routes)}: the empty kernel does not need {Routes} routes");
    }

    [Benchmark]
    public DataplaneDiff NoOpPure() => _syncedPure.Diff(_plan, _facts);

    [Benchmark]
    public DataplaneDiff NoOpParsed() => _syncedParsed.Diff(_plan, _facts);

    [Benchmark]
    public DataplaneDiff FirstSyncPure() => _emptyPure.Diff(_plan, _facts);

    [Benchmark]
    public DataplaneDiff FirstSyncParsed() => _emptyParsed.Diff(_plan, _facts);
}
