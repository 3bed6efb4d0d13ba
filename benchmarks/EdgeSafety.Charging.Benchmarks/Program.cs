using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(EdgeSafety.Charging.Benchmarks.ChargingBenchmarks).Assembly).Run(args);
