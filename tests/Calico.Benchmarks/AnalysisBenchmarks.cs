using BenchmarkDotNet.Attributes;
using Calico.Analysis;
using Calico.Resources;
using Calico.Tests.Routing;

namespace Calico.Benchmarks;

/// <summary>
/// The whole-cluster analyses, each planning every node from a fresh snapshot as the cmdlet does: Get-CalicoRoute
/// (every node's plan), Test-CalicoNetwork (every check) and the -WhatIf preview of a pool change (CrossSubnet →
/// Always, every node planned before and after). Every node routes to every other, so the work grows with nodes².
/// </summary>
public class AnalysisBenchmarks
{
    [Params(125, 250, 500)]
    public int Nodes { get; set; }

    private ClusterScenario _scenario = null!;
    private List<IPPool> _always = null!;

    [GlobalSetup]
    public void Setup()
    {
        _scenario = ClusterScenario.Build(new ScenarioShape { Nodes = Nodes, BlocksPerNode = 4, NodesPerSubnet = 50 });
        _always = _scenario.Pools.Select(p =>
        {
            var pool = p.Clone();
            pool.Spec.IPIPMode = IPIPMode.Always;
            return pool;
        }).ToList();
    }

    private ClusterSnapshot Snapshot() => new(_scenario.Nodes, _scenario.Pools, _scenario.Blocks);

    [Benchmark]
    public int PlanEveryNode()
    {
        var snapshot = Snapshot();
        return snapshot.Nodes.Sum(n => snapshot.Plan(n.Name).Routes.Count);
    }

    [Benchmark]
    public int EveryCheck() => NetworkChecker.Run(Snapshot()).Count;

    [Benchmark]
    public int PreviewCrossSubnetToAlways() => RoutePreview.Compare(Snapshot(), _always).Changes.Count;
}
