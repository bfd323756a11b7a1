using BenchmarkDotNet.Running;
using Calico.Benchmarks;
using Calico.Benchmarks.Harness;

// dotnet run -c Release --project tests/Calico.Benchmarks -- --filter '*'   (BenchmarkDotNet's own switches)
// dotnet run -c Release --project tests/Calico.Benchmarks -- scale COMMAND  (the scale harness's helpers)
if (args.Length > 0 && args[0] == "scale") return await ScaleCommand.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(ManifestBenchmarks).Assembly).Run(args, CalicoBenchmarkConfig.For(args));
return 0;
