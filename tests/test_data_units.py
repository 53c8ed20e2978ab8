"""The shipped list of provincial units (ttdn.data): 34 units, 63 former units, ASCII slugs."""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib import resources

import pytest

from ttdn.data import AdminUnit, load_admin_units, parse_admin_units

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def units() -> list[AdminUnit]:
    return load_admin_units()


def test_34_units_28_provinces_and_6_cities(units: list[AdminUnit]) -> None:
    assert len(units) == 34
    kinds = Counter(u.kind for u in units)
    assert kinds == {"province": 28, "city": 6}
    assert len({u.slug for u in units}) == 34


def test_cities_are_the_six_centrally_run_cities(units: list[AdminUnit]) -> None:
    cities = {u.slug for u in units if u.kind == "city"}
    assert cities == {"ha-noi", "ho-chi-minh", "hai-phong", "da-nang", "can-tho", "hue"}
    for u in units:
        prefix = "Thành phố " if u.kind == "city" else "Tỉnh "
        assert u.official_name_vi == prefix + u.name_vi


def test_63_former_units_each_held_by_exactly_one_current_unit(units: list[AdminUnit]) -> None:
    holders = Counter(slug for u in units for slug in u.former_units_slugs)
    assert len(holders) == 63
    assert all(n == 1 for n in holders.values()), [s for s, n in holders.items() if n > 1]
    names = [name for u in units for name in u.former_units_vi]
    assert len(names) == 63 and len(set(names)) == 63


def test_each_unit_lists_itself_first_when_it_kept_its_name(units: list[AdminUnit]) -> None:
    for u in units:
        assert u.former_units_slugs[0] == u.slug, u.slug
        assert u.former_units_vi[0] == u.name_vi, u.slug
        assert len(u.former_units_vi) == len(u.former_units_slugs)


def test_11_units_unchanged_23_formed_from_52(units: list[AdminUnit]) -> None:
    unchanged = [u for u in units if len(u.former_units_slugs) == 1]
    merged = [u for u in units if len(u.former_units_slugs) > 1]
    assert len(unchanged) == 11
    assert len(merged) == 23
    assert sum(len(u.former_units_slugs) for u in merged) == 52


def test_slugs_are_ascii_and_well_formed(units: list[AdminUnit]) -> None:
    for u in units:
        for slug in (u.slug, *u.former_units_slugs):
            assert slug.isascii() and SLUG.match(slug), slug


def test_lam_dong_absorbs_dak_nong_and_binh_thuan(units: list[AdminUnit]) -> None:
    lam_dong = next(u for u in units if u.slug == "lam-dong")
    assert dict(lam_dong.former_pairs()) == {
        "lam-dong": "Lâm Đồng",
        "dak-nong": "Đắk Nông",
        "binh-thuan": "Bình Thuận",
    }


def test_file_is_the_unmodified_shared_copy() -> None:
    # The packaged file must parse to exactly the objects in the file (nothing invented).
    raw = json.loads(
        resources.files("ttdn.data").joinpath("vn_admin_units_2025.json").read_text("utf-8")
    )
    assert [set(item) for item in raw] == [
        {
            "slug",
            "name_vi",
            "official_name_vi",
            "kind",
            "name_en",
            "former_units_vi",
            "former_units_slugs",
        }
    ] * 34
    assert [u.slug for u in parse_admin_units(raw)] == [item["slug"] for item in raw]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"kind": "district"}, "kind"),
        ({"slug": ""}, "slug"),
        ({"former_units_slugs": ["a"]}, "differ in length"),
        ({"former_units_vi": "Hà Nội"}, "list of strings"),
    ],
)
def test_parse_rejects_malformed_entries(bad: dict[str, object], message: str) -> None:
    good = {
        "slug": "ha-noi",
        "name_vi": "Hà Nội",
        "official_name_vi": "Thành phố Hà Nội",
        "kind": "city",
        "name_en": "Hanoi",
        "former_units_vi": ["Hà Nội", "Hà Tây"],
        "former_units_slugs": ["ha-noi", "ha-tay"],
    }
    with pytest.raises(ValueError, match=message):
        parse_admin_units([{**good, **bad}])
