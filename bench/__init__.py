"""Benchmarks: run as scripts (`.venv/bin/python bench/slash_roundtrip.py`), not collected by pytest."""
