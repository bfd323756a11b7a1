using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Dataplane.Tests.Support;
using Calico.Resources;
using Calico.Routing;
using Calico.Tests.Routing;
using Xunit.Abstractions;

namespace Calico.Dataplane.Tests.Reconcile;

/// <summary>
/// 10,000 planned routes synced into an empty namespace beside a raw `ip -batch` of the same routes, and a no-op resync
/// with and without the kernel read. Measured and printed, not timed: only correctness is asserted.
/// </summary>
public class ReconcileScaleTests(ITestOutputHelper output)
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
        using var lab = Lab.Create("sync", "raw");
        foreach (var ns in new[] { "sync", "raw" })
        {
            lab.Veth(ns, "eth0", ns, "peer0");
            lab.Address(ns, "eth0", "172.16.0.2/24");
        }
        var kernel = new RecordingKernel(lab.Kernel("sync"));
        var facts = HostFacts.Read(kernel, IPAddress.Parse("172.16.0.2"));
        var plan = RoutePlanner.Plan(ClusterScenario.NodeName(0), cluster.Nodes, cluster.Pools, cluster.Blocks, facts.ApplyTo(RouteSettings.Default));
        Assert.Equal(10_000, plan.ProgrammedRoutes.Count());
        var reconciler = new DataplaneReconciler(kernel);

        var clock = Stopwatch.StartNew();
        var diff = reconciler.Diff(plan, facts);
        var firstDiff = clock.Elapsed;
        clock.Restart();
        reconciler.Apply(diff);
        var apply = clock.Elapsed;
        var batch = Assert.Single(kernel.Batches);
        Assert.Equal(10_000, diff.Changes.Count(c => c.Object == DataplaneObject.Route));

        Assert.Equal(2_499, batch.BridgeCommands.Count);

        // The same lines straight from files: ip, then bridge (the sysctl write is left out).
        var ipFile = Path.Combine(Path.GetTempPath(), $"calico-reconcile-{Environment.ProcessId}-{Guid.NewGuid():n}.ip");
        var bridgeFile = Path.ChangeExtension(ipFile, ".bridge");
        File.WriteAllLines(ipFile, batch.IpCommands);
        File.WriteAllLines(bridgeFile, batch.BridgeCommands);
        TimeSpan raw;
        try
        {
            clock.Restart();
            var ip = ProcessCommandRunner.Instance.Run("ip", ["-n", lab.Prefix + "raw", "-batch", ipFile]);
            var bridge = ProcessCommandRunner.Instance.Run("bridge", ["-n", lab.Prefix + "raw", "-batch", bridgeFile]);
            raw = clock.Elapsed;
            Assert.Equal((0, 0), (ip.ExitCode, bridge.ExitCode));
        }
        finally
        {
            File.Delete(ipFile);
            File.Delete(bridgeFile);
        }

        // No-op resyncs: whole diff (kernel read included), then the read alone and the comparison alone.
        var whole = new List<double>();
        var reads = new List<double>();
        var computes = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            clock.Restart();
            Assert.Empty(reconciler.Diff(plan, facts).Changes);
            whole.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            var snapshot = KernelSnapshot.Read(kernel, plan, SysctlDiff.Keys);
            reads.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            var again = DataplaneReconciler.Compute(plan, facts, snapshot, kernel.Namespace);
            computes.Add(clock.Elapsed.TotalMilliseconds);
            Assert.Empty(again.Changes);
        }
        // CPU time of the comparison alone, less sensitive than wall time to other work on a shared machine.
        var snapshotForCpu = KernelSnapshot.Read(kernel, plan, SysctlDiff.Keys);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < 20; i++) DataplaneReconciler.Compute(plan, facts, snapshotForCpu, kernel.Namespace);
        var cpuPerDiff = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / 20;
        Assert.Equal(10_000, kernel.GetRoutes(AddressFamily.InterNetwork).Count(r => r.Table == RouteTable.Main && (r.Protocol == RouteProtocol.Calico || r.Device == "vxlan.calico")));

        output.WriteLine($"first diff of an empty namespace (kernel read + 10,000 adds): {firstDiff.TotalMilliseconds:F0} ms");
        output.WriteLine($"apply: one ip -batch of {batch.IpCommands.Count} lines + one bridge -batch of {batch.BridgeCommands.Count} + 1 sysctl: {apply.TotalMilliseconds:F0} ms");
        output.WriteLine($"raw ip -batch FILE + bridge -batch FILE of the same lines: {raw.TotalMilliseconds:F0} ms");
        output.WriteLine($"no-op resync, kernel read included: median {Median(whole):F1} ms (min {whole.Min():F1})");
        output.WriteLine($"  kernel read alone: median {Median(reads):F1} ms; diff alone: median {Median(computes):F1} ms (min {computes.Min():F1}), CPU time {cpuPerDiff:F1} ms (all threads)");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
