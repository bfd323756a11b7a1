using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;

namespace Calico.Benchmarks;

/// <summary>
/// The configuration every benchmark runs with: allocation counts, results as GitHub markdown and JSON
/// (BenchmarkDotNet.Artifacts/results) for docs/PERFORMANCE.md, and — unless the command line names a job (--job dry,
/// --job short, …) — one job of a few warm-up and measured iterations, each at least half a second, so a
/// 100,000-document parse that takes seconds runs once per iteration while a selector match runs millions of times.
/// BenchmarkDotNet's own default (up to 100 iterations per case) takes hours on a shared two-core machine.
/// </summary>
public static class CalicoBenchmarkConfig
{
    public static IConfig For(IReadOnlyList<string> args)
    {
        var config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default).AddExporter(MarkdownExporter.GitHub, JsonExporter.Full);
        var namesJob = args.Any(a => a is "--job" or "-j" or "--iterationCount" or "--warmupCount" or "--launchCount");
        return namesJob ? config : config.AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(8).WithId("Calico").AsDefault());
    }
}
