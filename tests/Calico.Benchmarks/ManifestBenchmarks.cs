using System.Text;
using BenchmarkDotNet.Attributes;
using Calico.Manifests;
using Calico.Resources;
using Calico.Validation;

namespace Calico.Benchmarks;

/// <summary>
/// Reading and checking manifests: the seed's v1 pool and a calicoctl-style v3 pool, one document and many.
/// Target (issue "Foundation"): parse + validate ≥ 50,000 small documents/s on one core; v1 → v3 of the seed pool ≤ 20 µs.
/// </summary>
[MemoryDiagnoser]
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

    // What `calicoctl get ippool -o json` prints for the same pool.
    internal const string V3PoolJson = """
        {
          "apiVersion": "projectcalico.org/v3",
          "kind": "IPPool",
          "metadata": {
            "name": "pool-1"
          },
          "spec": {
            "cidr": "10.1.0.0/16",
            "ipipMode": "CrossSubnet",
            "natOutgoing": true,
            "nodeSelector": "all()"
          }
        }
        """;

    [Params(1, 1_000, 100_000)]
    public int Documents { get; set; }

    private string _seedText = "";
    private string _v3Text = "";
    private string _jsonText = "";

    [GlobalSetup]
    public void Setup()
    {
        _seedText = Repeat(SeedPool, Documents);
        _v3Text = Repeat(V3Pool, Documents);
        _jsonText = Repeat(V3PoolJson, Documents);
        // Timing documents that fail would measure the error path instead.
        foreach (var (name, count) in new[] { ("v3", ParseAndValidateV3()), ("seed", ParseAndValidateSeedV1()), ("json", ParseAndValidateJson()) })
            if (count != Documents) throw new InvalidOperationException($"{name}: {count} of {Documents} documents are valid");
    }

    internal static string Repeat(string document, int count)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++) sb.Append(document).Append("\n---\n");
        return sb.ToString();
    }

    [Benchmark]
    public int ParseAndValidateV3() => ParseAndValidate(_v3Text);

    [Benchmark]
    public int ParseAndValidateSeedV1() => ParseAndValidate(_seedText);

    [Benchmark]
    public int ParseAndValidateJson() => ParseAndValidate(_jsonText);

    // What `calicoctl apply --dry-run` does with each document: read it, convert v1, default and validate.
    private static int ParseAndValidate(string text)
    {
        var valid = 0;
        foreach (var item in ManifestReader.Read(text))
            if (ManifestChecker.Check(item).IsValid) valid++;
        return valid;
    }
}
