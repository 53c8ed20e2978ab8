"""The shipped world map draws Hoàng Sa and Trường Sa as part of Viet Nam.

Natural Earth 1:110m omits both archipelagos; scripts/vn_islands.py adds them to the Vietnam
feature. These tests read the file the dashboards actually serve, so a re-vendoring that
forgets the step fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "src/ttdn/measure/static/measure/vendor/world.geo.json"
SCRIPT = ROOT / "scripts/vn_islands.py"

# (west, south, east, north) of each archipelago and an island every drawing must cover
ARCHIPELAGOS = {
    "hoang-sa": ((110.8, 15.4, 113.2, 17.4), (112.34, 16.83), "Quần đảo Hoàng Sa (Việt Nam)",
                 "Paracel Islands (Viet Nam)"),
    "truong-sa": ((111.4, 7.4, 115.2, 11.9), (114.33, 11.43), "Quần đảo Trường Sa (Việt Nam)",
                  "Spratly Islands (Viet Nam)"),
}  # fmt: skip


def _features(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def _vietnam(path: Path) -> dict[str, Any]:
    [feature] = [f for f in _features(path) if f["properties"]["iso"] == "VN"]
    return feature


def _rings_in(feature: dict[str, Any], bbox: tuple[float, ...]) -> list[list[list[float]]]:
    west, south, east, north = bbox
    return [
        polygon[0]
        for polygon in feature["geometry"]["coordinates"]
        if all(west <= x <= east and south <= y <= north for x, y in polygon[0])
    ]


def _covers(ring: list[list[float]], point: tuple[float, float]) -> bool:
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return min(xs) <= point[0] <= max(xs) and min(ys) <= point[1] <= max(ys)


@pytest.mark.parametrize("key", sorted(ARCHIPELAGOS))
def test_shipped_map_draws_the_archipelago_inside_vietnam(key: str) -> None:
    bbox, island, name_vi, name_en = ARCHIPELAGOS[key]
    vietnam = _vietnam(SHIPPED)
    assert vietnam["geometry"]["type"] == "MultiPolygon"
    rings = _rings_in(vietnam, bbox)
    assert len(rings) >= 5, f"{key}: islands missing from Vietnam's outline"
    assert any(_covers(r, island) for r in rings)
    assert all(r[0] == r[-1] for r in rings), "rings must be closed"
    labels = {a["key"]: a for a in vietnam["properties"]["archipelagos"]}
    assert labels[key]["name_vi"] == name_vi
    assert labels[key]["name_en"] == name_en
    west, south, east, north = bbox
    lon, lat = labels[key]["label"]
    assert west <= lon <= east and south <= lat <= north


def test_no_other_feature_claims_the_archipelagos() -> None:
    for feature in _features(SHIPPED):
        if feature["properties"]["iso"] == "VN":
            continue
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for bbox, *_ in ARCHIPELAGOS.values():
            west, south, east, north = bbox
            for polygon in polygons:
                assert not any(west <= x <= east and south <= y <= north for x, y in polygon[0]), (
                    feature["properties"]["name"]
                )


def test_the_mainland_is_kept_and_the_build_step_is_idempotent(tmp_path: Path) -> None:
    copy = tmp_path / "world.geo.json"
    copy.write_bytes(SHIPPED.read_bytes())
    for _ in range(2):
        subprocess.run([sys.executable, str(SCRIPT), str(copy)], check=True, capture_output=True)
    assert _vietnam(copy) == _vietnam(SHIPPED)
    assert len(_features(copy)) == len(_features(SHIPPED))
    # the mainland (Hà Nội lies inside its largest ring's bounding box) is still there
    largest = max((p[0] for p in _vietnam(copy)["geometry"]["coordinates"]), key=len)
    assert _covers(largest, (105.85, 21.03))
