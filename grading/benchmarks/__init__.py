"""Benchmarks of the grading command: one submission (bench_autograde) and a class (bench_class_scale)."""
