using System.Diagnostics;
using Calico.Analysis;
using Calico.Resources;
using Calico.Tests.Routing;
using Xunit.Abstractions;

namespace Calico.Tests.Analysis;

/// <summary>
/// Throwaway timings of the whole-cluster analyses (every node planned): Get-CalicoRoute, Test-CalicoNetwork and the
/// -WhatIf route preview. Run: CALICO_MEASURE=1 dotnet test tests/Calico.Core.Tests -c Release
/// --filter AnalysisMeasurements --logger "console;verbosity=detailed"
/// </summary>
public class AnalysisMeasurements(ITestOutputHelper output)
{
    [MeasurementFact]
    public void Every_node_of_a_500_node_cluster()
    {
        var scenario = ClusterScenario.Build(new ScenarioShape { Nodes = 500, BlocksPerNode = 4, NodesPerSubnet = 50 });
        var snapshot = new ClusterSnapshot(scenario.Nodes, scenario.Pools, scenario.Blocks);
        Time("plan every node (Get-CalicoRoute)", () => snapshot.Nodes.Sum(n => snapshot.Plan(n.Name).Routes.Count));
        Time("every check (Test-CalicoNetwork)", () => NetworkChecker.Run(snapshot).Count);
        var always = scenario.Pools.Select(p => { var c = p.Clone(); c.Spec.IPIPMode = IPIPMode.Always; return c; }).ToList();
        Time("CrossSubnet → Always preview (-WhatIf)", () => RoutePreview.Compare(snapshot, always).Changes.Count);
    }

    private void Time(string what, Func<int> run)
    {
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var count = run();
        output.WriteLine($"{what}: {clock.ElapsedMilliseconds} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms CPU, result {count}");
    }
}
