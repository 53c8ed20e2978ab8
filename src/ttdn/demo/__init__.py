"""Bundled demo: organisations, demo sources and a local replay of an openly licensed corpus."""
