"""Benchmarks (`ttdn bench KIND`): each module exposes `main(ns) -> dict` and prints JSON via the CLI."""
