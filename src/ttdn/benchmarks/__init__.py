"""Benchmarks (`ttdn bench KIND`): each module exposes `main(ns) -> dict`; the CLI prints JSON."""
