"""Realistic, varied demo data for trying the app and for benchmarks (no real people)."""
