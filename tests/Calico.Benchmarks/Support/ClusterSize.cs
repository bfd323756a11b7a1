using Calico.Resources;
using Calico.Tests.Routing;

namespace Calico.Benchmarks;

/// <summary>
/// A synthetic cluster size for the planner benchmarks. The scaling series (1,000 / 10,000 / 50,000 nodes) has one
/// /26 block per node, because the scenario's pool holds 65,536 blocks; the reference cluster is the planner tests'
/// default, 10,000 nodes with 4 blocks each (40,000 blocks), in IPIP CrossSubnet and VXLAN CrossSubnet.
/// </summary>
public sealed record ClusterSize(int Nodes, int BlocksPerNode, bool Vxlan = false)
{
    public static IEnumerable<ClusterSize> ScalingSeries => [new(1_000, 1), new(10_000, 1), new(50_000, 1)];

    public static IEnumerable<ClusterSize> Reference => [new(10_000, 4), new(10_000, 4, Vxlan: true)];

    public ScenarioShape Shape => new()
    {
        Nodes = Nodes,
        BlocksPerNode = BlocksPerNode,
        IPIPMode = Vxlan ? IPIPMode.Never : IPIPMode.CrossSubnet,
        VXLANMode = Vxlan ? VXLANMode.CrossSubnet : VXLANMode.Never,
    };

    // Shown in BenchmarkDotNet's tables and parsed back by the harness's plot: "10000n×4b IPIP".
    public override string ToString() => $"{Nodes}n×{BlocksPerNode}b {(Vxlan ? "VXLAN" : "IPIP")}";
}
