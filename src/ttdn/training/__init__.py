"""Training commands (`ttdn train KIND`): each module exposes `main(ns) -> dict`."""
