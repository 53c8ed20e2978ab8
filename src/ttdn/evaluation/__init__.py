"""Evaluation commands (`ttdn eval KIND FILE`): each module exposes `evaluate(path) -> dict`."""
