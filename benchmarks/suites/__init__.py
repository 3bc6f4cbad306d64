"""Benchmark suites: every module here with a ``run(*, data_dir, quick, seed) -> dict`` is one (see benchmarks/README.md)."""
