using System.Net;
using System.Net.Sockets;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Dataplane.Tests.Support;
using Calico.Resources;
using Calico.Routing;
using Calico.Tests.Routing;

namespace Calico.Dataplane.Tests.Reconcile;

/// <summary>
/// 10,000 planned routes synced into an empty namespace in one batch, and a resync that then finds nothing to do. Only
/// correctness is checked here; the timings (and the `ip -batch` baseline) are the scale harness's
/// (tests/Calico.Benchmarks/scale, docs/PERFORMANCE.md).
/// </summary>
public class ReconcileScaleTests
{
    [NamespaceFact]
    public void Ten_thousand_routes_sync_into_an_empty_namespace_and_resync_to_nothing()
    {
        // 2,500 nodes × 4 blocks, VXLAN Always: node-00000 gets 4 blackholes, 9,996 routes via vxlan.calico, and a
        // neighbour and an FDB entry for each of the 2,499 other VTEPs.
        var cluster = ClusterScenario.Build(new ScenarioShape
        {
            Nodes = 2_500, BlocksPerNode = 4, BorrowedEvery = 0, IPIPMode = IPIPMode.Never, VXLANMode = VXLANMode.Always,
        });
        using var lab = Lab.Create("sync");
        lab.Veth("sync", "eth0", "sync", "peer0");
        lab.Address("sync", "eth0", "172.16.0.2/24");
        var kernel = new RecordingKernel(lab.Kernel("sync"));
        var facts = HostFacts.Read(kernel, IPAddress.Parse("172.16.0.2"));
        var plan = RoutePlanner.Plan(ClusterScenario.NodeName(0), cluster.Nodes, cluster.Pools, cluster.Blocks, facts.ApplyTo(RouteSettings.Default));
        Assert.Equal(10_000, plan.ProgrammedRoutes.Count());
        var reconciler = new DataplaneReconciler(kernel);

        var diff = reconciler.Diff(plan, facts);
        reconciler.Apply(diff);

        var batch = Assert.Single(kernel.Batches);
        Assert.Equal(10_000, diff.Changes.Count(c => c.Object == DataplaneObject.Route));
        Assert.Equal(2_499, batch.BridgeCommands.Count);
        Assert.Empty(reconciler.Diff(plan, facts).Changes);
        Assert.Equal(10_000, kernel.GetRoutes(AddressFamily.InterNetwork).Count(r => r.Table == RouteTable.Main && (r.Protocol == RouteProtocol.Calico || r.Device == "vxlan.calico")));
    }
}
