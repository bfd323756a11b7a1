using BenchmarkDotNet.Attributes;
using Calico.Manifests;
using Calico.Resources;

namespace Calico.Benchmarks;

/// <summary>v1 → v3 conversion of the seed's pool (already parsed). Target: ≤ 20 µs.</summary>
public class ConversionBenchmarks
{
    private V1IPPool _seed = null!;

    [GlobalSetup]
    public void Setup() => _seed = (V1IPPool)ManifestReader.Read(ManifestBenchmarks.SeedPool)[0].V1!;

    [Benchmark]
    public IPPool ConvertSeedPool() => V1Converter.Convert(_seed);
}
