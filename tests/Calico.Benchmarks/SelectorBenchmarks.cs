using BenchmarkDotNet.Attributes;
using Calico.Selectors;

namespace Calico.Benchmarks;

/// <summary>
/// Calico label selectors: parsing (a pool's nodeSelector is parsed once per apply) and matching (once per node and
/// pool whenever IPAM or the planner decides which pools a node may use).
/// </summary>
public class SelectorBenchmarks
{
    public static IEnumerable<string> Selectors =>
    [
        "all()",
        "zone == \"a\" && has(rack)",
        "!has(edge) && (tier in {\"web\", \"db\"} || name starts with \"node-1\") && zone != \"c\"",
    ];

    [ParamsSource(nameof(Selectors))]
    public string Text { get; set; } = "";

    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal)
    {
        ["kubernetes.io/hostname"] = "node-12345",
        ["name"] = "node-12345",
        ["zone"] = "a",
        ["rack"] = "r17",
        ["tier"] = "db",
        ["topology.kubernetes.io/region"] = "eu-west-1",
    };

    private Selector _selector = Selector.All;

    [GlobalSetup]
    public void Setup() => _selector = Selector.Parse(Text);

    [Benchmark]
    public Selector Parse() => Selector.Parse(Text);

    [Benchmark]
    public bool Match() => _selector.Matches(_labels);
}
