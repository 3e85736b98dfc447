using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Moat.Provenance.Benchmarks.ProvenanceBenchmarks).Assembly).Run(args);
