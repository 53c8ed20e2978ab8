"""The gazetteer: every name the relevance scan looks for, compiled once (`build_gazetteer`).

Building is apart from scanning (`relevance`): it reads the data files (`ttdn/data/`:
country names and demonyms in ~18 languages, the 2025 provincial units with their former
units, places, regions and stop phrases), normalises each alias (script group, stems,
capitals, katakana) and compiles one trie-regex per script group. The matching rules these
fields serve are described in `relevance`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from ttdn.data import AdminUnit, load_admin_units, read_json
from ttdn.pipeline.lexmatch import (
    Cluster,
    compile_trie,
    letter_clusters,
    letters_key,
    normalize_tone_placement,
    tokens_for,
    word_starts,
)

AliasKind = Literal["country", "unit", "place", "region", "person", "stop"]
ScriptGroup = Literal["alpha", "arabic", "cjk", "nospace"]

HOME_COUNTRY = "VN"
DEFAULT_COUNTRIES: tuple[str, ...] = (
    "VN", "TH", "ID", "MY", "PH", "SG", "KH", "LA", "MM", "BN", "TL", "CN",
)  # fmt: skip
GAZETTEER_FILE = "gazetteer.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class Alias:
    """One name in the gazetteer and what it points to."""

    text: str  # as written in the data, NFC, new-style tone placement, without "*"
    kind: AliasKind
    country: str  # ISO 3166 alpha-2, "" for stop phrases
    language: str
    unit_slug: str | None = None
    unit_slugs: tuple[str, ...] = ()
    place: str = ""
    former: bool = False
    former_unit_slug: str | None = None
    stem: bool = False
    no_upper: bool = False
    skip_in_vi_text: bool = False
    script: ScriptGroup = "alpha"
    key: str = ""
    clusters: tuple[Cluster, ...] = ()
    cap_positions: tuple[int, ...] = ()  # cluster indices that must be upper-case
    all_katakana: bool = False


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Compiled, immutable gazetteer; build once with `build_gazetteer` and pass it around."""

    countries: tuple[str, ...]
    patterns: dict[ScriptGroup, re.Pattern[str]]
    index: dict[str, tuple[Alias, ...]]
    stem_index: dict[str, tuple[Alias, ...]]
    ambiguous_keys: frozenset[str]
    family_names: frozenset[str]
    aliases: tuple[Alias, ...] = field(repr=False)


# --- building ------------------------------------------------------------------------------


def _script_of(text: str) -> ScriptGroup:
    for ch in text:
        o = ord(ch)
        if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F:
            return "arabic"
        if 0x0E00 <= o <= 0x0EFF or 0x1780 <= o <= 0x17FF or 0x0900 <= o <= 0x097F:
            return "nospace"  # Thai, Lao, Khmer, Devanagari
        if (
            0x3040 <= o <= 0x30FF
            or 0x3400 <= o <= 0x4DBF
            or 0x4E00 <= o <= 0x9FFF
            or 0xAC00 <= o <= 0xD7AF
            or 0x1100 <= o <= 0x11FF
        ):
            return "cjk"
    return "alpha"


def is_katakana(ch: str) -> bool:
    return 0x30A1 <= ord(ch) <= 0x30FA or ch == "\u30fc"


def _make_alias(raw: str, **kwargs: Any) -> Alias:
    stem = raw.endswith("*")
    text = normalize_tone_placement(raw[:-1] if stem else raw).strip()
    script = _script_of(text)
    clusters = letter_clusters(text) if script == "alpha" else ()
    caps = tuple(i for i in word_starts(text) if clusters and clusters[i].base.isupper())
    return Alias(
        text=text,
        stem=stem,
        script=script,
        key=letters_key(text),
        clusters=clusters,
        cap_positions=caps if script == "alpha" else (),
        all_katakana=all(is_katakana(c) for c in text),
        **kwargs,
    )


def _str_list(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"gazetteer: expected a list of strings, got {value!r}")
    return cast(list[str], value)


def _lang_lists(value: object) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise ValueError(f"gazetteer: expected an object of language lists, got {value!r}")
    return {str(k): _str_list(v) for k, v in value.items()}


def _aliases_from_data(
    data: dict[str, object], units: Sequence[AdminUnit], countries: Sequence[str]
) -> list[Alias]:
    no_upper = {letters_key(s) for s in _str_list(data.get("no_upper", []))}
    skip_vi = set(_str_list(data.get("skip_in_vi_text", [])))
    out: list[Alias] = []

    def add(raw: str, **kw: Any) -> None:
        text = normalize_tone_placement(raw.rstrip("*"))
        out.append(
            _make_alias(
                raw,
                no_upper=letters_key(text) in no_upper,
                skip_in_vi_text=text in skip_vi,
                **kw,
            )
        )

    country_data = data.get("countries")
    if not isinstance(country_data, dict):
        raise ValueError("gazetteer: 'countries' must be an object")
    for code in countries:
        entry = country_data.get(code)
        if not isinstance(entry, dict):
            raise ValueError(f"gazetteer: unknown country {code!r}")
        for lang, names in _lang_lists(entry.get("aliases")).items():
            for name in names:
                add(name, kind="country", country=code, language=lang)
    for lang_raw in ("stop_phrases",):
        for phrase in _str_list(data.get(lang_raw, [])):
            add(phrase, kind="stop", country="", language="")

    persons = data.get("person_names", {})
    person_keys: set[str] = set()
    if isinstance(persons, dict):
        for code, by_lang in persons.items():
            if code not in countries:
                continue
            for lang, names in _lang_lists(by_lang).items():
                for name in names:
                    person_keys.add(letters_key(name.rstrip("*")))
                    add(name, kind="person", country=str(code), language=lang)

    if HOME_COUNTRY not in countries:
        return out

    holder = {former: u for u in units for former in u.former_units_slugs}

    def add_unit_name(name: str, former_slug: str, lang: str) -> None:
        unit = holder[former_slug]
        if letters_key(name) in person_keys:
            return  # rule 7: the bare name is a person signal, not the unit
        former = former_slug != unit.slug
        add(
            name,
            kind="unit",
            country=HOME_COUNTRY,
            language=lang,
            unit_slug=unit.slug,
            unit_slugs=(unit.slug,),
            former=former,
            former_unit_slug=former_slug if former else None,
        )

    for unit in units:
        add_unit_name(unit.name_vi, unit.slug, "vi")
        add_unit_name(unit.name_en, unit.slug, "en")
        for slug, name in unit.former_pairs():
            add_unit_name(name, slug, "vi")
    variants = data.get("vn_unit_variants", {})
    if isinstance(variants, dict):
        for former_slug, names in variants.items():
            if former_slug not in holder:
                raise ValueError(f"gazetteer: variant for unknown unit {former_slug!r}")
            for name in _str_list(names):
                add_unit_name(name, str(former_slug), "mul")
    exonyms = data.get("vn_city_exonyms", {})
    if isinstance(exonyms, dict):
        for slug, by_lang in exonyms.items():
            if slug not in holder:
                raise ValueError(f"gazetteer: exonym for unknown unit {slug!r}")
            for lang, names in _lang_lists(by_lang).items():
                for name in names:
                    add_unit_name(name, str(slug), lang)
    places = data.get("vn_places", [])
    known = {u.slug for u in units}
    for place in places if isinstance(places, list) else []:
        if not isinstance(place, dict):
            raise ValueError(f"gazetteer: place must be an object, got {place!r}")
        slugs = tuple(_str_list(place.get("units")))
        if not slugs or any(s not in known for s in slugs):
            raise ValueError(f"gazetteer: place {place.get('name')!r} has unknown units {slugs}")
        kind = "region" if place.get("kind") == "region" else "place"
        for lang, names in _lang_lists(place.get("aliases")).items():
            for name in names:
                add(
                    name,
                    kind=kind,
                    country=HOME_COUNTRY,
                    language=lang,
                    unit_slug=slugs[0] if kind == "place" else None,
                    unit_slugs=slugs,
                    place=str(place.get("name", "")),
                )
    return out


def build_gazetteer(
    countries: Iterable[str] = DEFAULT_COUNTRIES,
    *,
    units: Sequence[AdminUnit] | None = None,
    data: dict[str, object] | None = None,
) -> Gazetteer:
    """Compile the gazetteer for `countries` (ISO codes; Vietnam's provinces come with "VN").

    `units` and `data` default to the files shipped in `ttdn.data`; tests pass their own.
    Takes tens of milliseconds: build once per process and pass the result to the matchers.
    """
    selected = tuple(dict.fromkeys(c.upper() for c in countries))
    if data is None:
        loaded = read_json(GAZETTEER_FILE)
        if not isinstance(loaded, dict):
            raise ValueError("gazetteer file must hold a JSON object")
        data = cast(dict[str, object], loaded)
    unit_list = list(units) if units is not None else load_admin_units()
    aliases = _aliases_from_data(data, unit_list, selected)

    index: dict[str, list[Alias]] = {}
    stem_index: dict[str, list[Alias]] = {}
    keys: dict[ScriptGroup, dict[tuple[str, bool], None]] = {}
    for alias in aliases:
        if not alias.key:
            continue
        (stem_index if alias.stem else index).setdefault(alias.key, []).append(alias)
        keys.setdefault(alias.script, {})[(tokens_for(alias.text), alias.stem)] = None
    boundaries: dict[ScriptGroup, tuple[str, str]] = {
        "alpha": (r"(?<!\w)", r"(?!\w)"),
        "arabic": ("", r"(?!\w)"),
        "cjk": ("", ""),
        "nospace": ("", ""),
    }
    patterns = {
        script: compile_trie(list(k), left_boundary=boundaries[script][0],
                             right_boundary=boundaries[script][1])
        for script, k in keys.items()
    }  # fmt: skip
    family = data.get("vn_family_names", [])
    return Gazetteer(
        countries=selected,
        patterns=patterns,
        index={k: tuple(v) for k, v in index.items()},
        stem_index={k: tuple(v) for k, v in stem_index.items()},
        ambiguous_keys=frozenset(
            letters_key(s) for s in _str_list(data.get("ambiguous_forms", []))
        ),
        family_names=frozenset(normalize_tone_placement(s) for s in _str_list(family)),
        aliases=tuple(aliases),
    )
