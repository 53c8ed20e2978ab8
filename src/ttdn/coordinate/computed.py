"""Coordinate's computed-figure registry, kept under its first name: the registry itself is
`ttdn.core.computed` (so apps in layers that may not import Coordinate can register into
it); this module re-exports it unchanged, the same objects, for the code written against it."""

from ttdn.core.computed import (
    _REGISTRY,
    Compute,
    ComputedIndicator,
    computed_all,
    computed_get,
    computed_value,
    register,
)

__all__ = [
    "_REGISTRY",
    "Compute",
    "ComputedIndicator",
    "computed_all",
    "computed_get",
    "computed_value",
    "register",
]
