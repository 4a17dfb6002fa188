"""Benchmarks: print ratios measured in one run; results go to docs/PERFORMANCE.md."""
