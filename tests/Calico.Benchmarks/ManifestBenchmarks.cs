using System.Text;
using BenchmarkDotNet.Attributes;
using Calico.Manifests;
using Calico.Validation;

namespace Calico.Benchmarks;

/// <summary>
/// Reading and checking manifests: the seed's v1 pool and a calicoctl-style v3 pool, one document and many.
/// Target: parse + validate ≥ 50,000 small documents/s on one core.
/// 100,000 documents take seconds each: the shared job runs one per iteration.
/// </summary>
public class ManifestBenchmarks
{
    internal const string SeedPool = """
        apiVersion: v1
        kind: ipPool
        metadata:
          cidr: 192.168.0.0/16
        spec:
          ipip:
            enabled: true
            mode: cross-subnet
          nat-outgoing: true
        """;

    internal const string V3Pool = """
        apiVersion: projectcalico.org/v3
        kind: IPPool
        metadata:
          name: pool-1
        spec:
          cidr: 10.1.0.0/16
          ipipMode: CrossSubnet
          natOutgoing: true
          nodeSelector: all()
        """;

    [Params(1, 1_000, 100_000)]
    public int Documents { get; set; }

    private string _seedText = "";
    private string _v3Text = "";

    [GlobalSetup]
    public void Setup()
    {
        _seedText = Repeat(SeedPool, Documents);
        _v3Text = Repeat(V3Pool, Documents);
    }

    internal static string Repeat(string document, int count)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++) sb.Append(document).Append("\n---\n");
        return sb.ToString();
    }

    [Benchmark]
    public int ParseAndValidateV3()
    {
        var valid = 0;
        foreach (var item in ManifestReader.Read(_v3Text))
            if (ManifestChecker.Check(item).IsValid) valid++;
        return valid;
    }

    [Benchmark]
    public int ParseAndValidateSeedV1()
    {
        var valid = 0;
        foreach (var item in ManifestReader.Read(_seedText))
            if (ManifestChecker.Check(item).IsValid) valid++;
        return valid;
    }
}
