"""Benchmarks of tab-mcp: load generator, ceiling server, the benchmark run and the soak."""
