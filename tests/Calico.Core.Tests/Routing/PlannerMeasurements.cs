using System.Diagnostics;
using System.Runtime.InteropServices;
using Calico.Resources;
using Calico.Routing;
using Xunit.Abstractions;

namespace Calico.Tests.Routing;

/// <summary>Runs only when CALICO_MEASURE=1: timings on a shared machine are figures to read, not to assert on.</summary>
public sealed class MeasurementFactAttribute : FactAttribute
{
    public MeasurementFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CALICO_MEASURE") != "1") Skip = "set CALICO_MEASURE=1 to measure the planner";
    }
}

/// <summary>
/// Throwaway measurements of the planner on a 10,000-node, 40,000-block cluster (targets: a plan from scratch ≤ 50 ms,
/// a re-plan after one node changes ≤ 1 ms, the model ≤ 200 MB). Run:
/// CALICO_MEASURE=1 dotnet test tests/Calico.Core.Tests --filter PlannerMeasurements --logger "console;verbosity=detailed"
/// </summary>
public class PlannerMeasurements(ITestOutputHelper output)
{
    private static readonly RouteSettings Settings = new() { HostInterface = "eth0", HostMTU = 1500 };

    [MeasurementFact]
    public void Ten_thousand_nodes_forty_thousand_blocks()
    {
        var shape = new ScenarioShape();
        var baseline = LiveBytes();
        var build = Stopwatch.StartNew();
        var scenario = ClusterScenario.Build(shape);
        build.Stop();
        var withInputs = LiveBytes();
        var local = ClusterScenario.NodeName(4242);
        output.WriteLine($"scenario: {scenario.Nodes.Count} nodes, {scenario.Blocks.Count} blocks, built in {build.ElapsedMilliseconds} ms, {Mb(withInputs - baseline)} as Calico objects");

        // The pure function: index everything, then plan one node.
        Median("RoutePlanner.Plan(node, nodes, pools, blocks), index + plan", 5,
            () => RoutePlanner.Plan(local, scenario.Nodes, scenario.Pools, scenario.Blocks, Settings));

        var planner = new RoutePlanner(local, scenario.Nodes, scenario.Pools, scenario.Blocks, Settings);
        var current = planner.Current;
        output.WriteLine($"plan: {current.Routes.Count} destinations ({current.Routes.Count(r => r.Type == PlannedRouteType.Direct)} direct, "
            + $"{current.Routes.Count(r => r.Type == PlannedRouteType.IPIP)} IPIP, {current.Routes.Count(r => r.Type == PlannedRouteType.Blackhole)} blackholes), {current.Findings.Count} findings");
        Median("planner.Plan(other node), from scratch on the loaded index", 10, () => planner.Plan(ClusterScenario.NodeName(777)));

        // One remote node changes address (another subnet host number), back and forth.
        var moved = ClusterScenario.MakeNode(shape, 9001, hostOffset: 3);
        var original = scenario.Nodes[9001];
        var flip = false;
        Median("planner.SetNode(remote node changed)", 2000, () => planner.SetNode((flip = !flip) ? moved : original), microseconds: true);
        // A node in this node's own subnet: its routes switch between direct and tunnelled forms.
        var neighbour = ClusterScenario.MakeNode(shape, 4243, hostOffset: 0);
        neighbour.Spec.BGP!.IPv4Address = "172.17.200.9/24";
        var neighbourOriginal = scenario.Nodes[4243];
        Median("planner.SetNode(same-subnet node moves away)", 2000, () => planner.SetNode((flip = !flip) ? neighbour : neighbourOriginal), microseconds: true);
        var block = scenario.Blocks[20_000];
        Median("planner.SetBlock(one block rewritten)", 2000, () => planner.SetBlock(block), microseconds: true);
        Median("planner.SetPool(natOutgoing toggled)", 20, () =>
        {
            var pool = scenario.Pools[0].Clone();
            pool.Spec.NatOutgoing = flip = !flip;
            return planner.SetPool(pool);
        });
        Median("planner.SetNode(local node changed: full re-plan)", 10, () =>
        {
            var me = ClusterScenario.MakeNode(shape, 4242, hostOffset: (flip = !flip) ? 1 : 0);
            return planner.SetNode(me);
        });
        Median("planner.Current after a change (sorts the snapshot)", 10, () =>
        {
            planner.SetNode((flip = !flip) ? moved : original);
            return planner.Current;
        });

        var withPlanner = LiveBytes();
        output.WriteLine($"memory: Calico objects {Mb(withInputs - baseline)}, planner index + maintained plan + snapshot {Mb(withPlanner - withInputs)}");
        GC.KeepAlive(planner);
        GC.KeepAlive(current);
    }

    [MeasurementFact]
    public void Ten_thousand_VXLAN_nodes()
    {
        var scenario = ClusterScenario.Build(new ScenarioShape { IPIPMode = IPIPMode.Never, VXLANMode = VXLANMode.CrossSubnet });
        var planner = new RoutePlanner(ClusterScenario.NodeName(4242), scenario.Nodes, scenario.Pools, scenario.Blocks, Settings);
        var plan = planner.Current;
        LiveBytes(); // start from a collected heap, whichever measurement ran before
        output.WriteLine($"VXLAN plan: {plan.Routes.Count} destinations, {plan.Neighbours.Count} neighbours, {plan.ForwardingEntries.Count} FDB entries");
        Median("VXLAN planner.Plan(other node), from scratch on the loaded index", 10, () => planner.Plan(ClusterScenario.NodeName(777)));
        var moved = ClusterScenario.MakeNode(scenario.Shape, 9001, hostOffset: 3);
        var original = scenario.Nodes[9001];
        var flip = false;
        Median("VXLAN planner.SetNode(remote node changed)", 2000, () => planner.SetNode((flip = !flip) ? moved : original), microseconds: true);
    }

    [MeasurementFact]
    public void Memory_of_the_planner_alone()
    {
        var baseline = LiveBytes();
        var planner = LoadedPlanner();
        var loaded = LiveBytes();
        output.WriteLine($"memory: planner with its index only, inputs released: {Mb(loaded - baseline)}");
        var plan = planner.Current;
        var planned = LiveBytes();
        output.WriteLine($"memory: + maintained plan and its snapshot ({plan.Routes.Count} routes): {Mb(planned - baseline)}");
        GC.KeepAlive(planner);
        GC.KeepAlive(plan);
    }

    private static RoutePlanner LoadedPlanner()
    {
        var scenario = ClusterScenario.Build(new ScenarioShape());
        return new RoutePlanner(ClusterScenario.NodeName(4242), scenario.Nodes, scenario.Pools, scenario.Blocks, Settings);
    }

    /// <summary>
    /// Wall time and this thread's CPU time. Several people share this machine's two cores, so wall time includes
    /// waiting for a core; the thread's CPU time is what the planner itself costs (plus any GC it triggers inline).
    /// </summary>
    private void Median<T>(string what, int runs, Func<T> action, bool microseconds = false)
    {
        GC.KeepAlive(action()); // warm up
        var wall = new double[runs];
        var cpu = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var cpuStart = ThreadCpuMilliseconds();
            var watch = Stopwatch.StartNew();
            GC.KeepAlive(action());
            wall[i] = watch.Elapsed.TotalMilliseconds;
            cpu[i] = ThreadCpuMilliseconds() - cpuStart;
        }
        Array.Sort(wall);
        Array.Sort(cpu);
        var (scale, unit, format) = microseconds ? (1000.0, "µs", "F0") : (1.0, "ms", "F1");
        string At(double[] t, double quantile) => (t[Math.Min(runs - 1, (int)(runs * quantile))] * scale).ToString(format);
        string Show(double[] t) => runs >= 100
            ? $"median {At(t, 0.5)} {unit}, p99 {At(t, 0.99)}, max {At(t, 1)}"
            : $"median {At(t, 0.5)} {unit}, min {At(t, 0)}, max {At(t, 1)}";
        output.WriteLine($"{what} ({runs} runs): wall {Show(wall)}; thread CPU {Show(cpu)}");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    private static double ThreadCpuMilliseconds()
    {
        const int ClockThreadCpuTime = 3;
        return ClockGetTime(ClockThreadCpuTime, out var t) == 0 ? t.Seconds * 1000.0 + t.Nanoseconds / 1e6 : double.NaN;
    }

    private static long LiveBytes()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:F1} MB";
}
