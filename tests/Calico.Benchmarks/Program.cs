using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Calico.Benchmarks -- --filter '*'   (BenchmarkDotNet's own switches)
BenchmarkSwitcher.FromAssembly(typeof(Calico.Benchmarks.ManifestBenchmarks).Assembly).Run(args);
