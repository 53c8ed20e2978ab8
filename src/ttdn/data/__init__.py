"""Reference data shipped inside the package, with typed, framework-free loaders.

The files live beside this module (see SOURCE.md for where each comes from) so that the
pipeline, the Django apps and the tests all read the same facts, without a database and
without `shared/` being present. Loaders return fresh objects on every call: callers that
need the data repeatedly keep what they loaded (no module-level cache, so nothing hidden
changes between calls).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Literal, cast

UnitKind = Literal["province", "city"]

ADMIN_UNITS_FILE = "vn_admin_units_2025.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class AdminUnit:
    """One provincial-level unit of Vietnam in force since 1 July 2025.

    `former_units_vi` / `former_units_slugs` list the pre-2025 units whose territory it now
    holds, itself first when it kept its name; they are parallel tuples.
    """

    slug: str
    name_vi: str
    official_name_vi: str
    kind: UnitKind
    name_en: str
    former_units_vi: tuple[str, ...]
    former_units_slugs: tuple[str, ...]

    def former_pairs(self) -> tuple[tuple[str, str], ...]:
        """(slug, Vietnamese name) of each former unit, for building aliases."""
        return tuple(zip(self.former_units_slugs, self.former_units_vi, strict=True))


def read_json(name: str) -> object:
    """Parse one JSON file shipped in this package (UTF-8)."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return cast(object, json.loads(text))


def _str(obj: dict[str, object], key: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"admin unit field {key!r} must be a non-empty string, got {value!r}")
    return value


def _str_tuple(obj: dict[str, object], key: str) -> tuple[str, ...]:
    value = obj.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"admin unit field {key!r} must be a list of strings, got {value!r}")
    return tuple(cast(list[str], value))


def parse_admin_units(raw: object) -> list[AdminUnit]:
    """Validate and convert the JSON list of units; raise ValueError on a malformed entry.

    Validation is strict because the Django accounts app creates organisations from this list
    and a silently skipped unit would be a missing province.
    """
    if not isinstance(raw, list):
        raise ValueError("admin units file must hold a JSON list")
    units: list[AdminUnit] = []
    for item in raw:
        if not isinstance(item, dict):
            raise ValueError(f"admin unit must be an object, got {item!r}")
        obj = cast(dict[str, object], item)
        kind = _str(obj, "kind")
        if kind not in ("province", "city"):
            raise ValueError(f"admin unit kind must be province or city, got {kind!r}")
        unit = AdminUnit(
            slug=_str(obj, "slug"),
            name_vi=_str(obj, "name_vi"),
            official_name_vi=_str(obj, "official_name_vi"),
            kind=cast(UnitKind, kind),
            name_en=_str(obj, "name_en"),
            former_units_vi=_str_tuple(obj, "former_units_vi"),
            former_units_slugs=_str_tuple(obj, "former_units_slugs"),
        )
        if len(unit.former_units_vi) != len(unit.former_units_slugs):
            raise ValueError(f"admin unit {unit.slug}: former names and slugs differ in length")
        units.append(unit)
    return units


def load_admin_units() -> list[AdminUnit]:
    """The 34 provincial-level units (28 provinces, 6 cities), in the file's order."""
    return parse_admin_units(read_json(ADMIN_UNITS_FILE))
