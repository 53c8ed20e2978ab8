"""Draw the Hoàng Sa (Paracel) and Trường Sa (Spratly) archipelagos as part of Viet Nam in
the dashboards' world map (src/ttdn/measure/static/measure/vendor/world.geo.json).

Why: Natural Earth's 1:110m outlines, which the map is built from, omit both archipelagos
(every island there is far below the scale's minimum size). A map of Viet Nam's coverage that
leaves them out misstates the country, so this step adds them to the Vietnam feature
(`iso` "VN"): each main island becomes a small octagon in Vietnam's MultiPolygon (so it takes
Vietnam's colour, tooltip and data like the mainland), and the feature gains an
`archipelagos` property with a label point and the Vietnamese and English names, which the
dashboard draws as markers with labels (at world scale the octagons are smaller than a pixel).

The octagons are map symbols, not survey outlines: centred on each island's published
position (to about 0.01°) with a radius of ISLAND_RADIUS_DEG, exaggerated to be visible
when the map is zoomed in. Run after the world-atlas conversion (scripts/vendor_js.sh calls
it); it is idempotent: earlier island rings are removed before they are added again.

    python scripts/vn_islands.py [PATH_TO_world.geo.json]
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

DEFAULT_PATH = (
    Path(__file__).resolve().parent.parent / "src/ttdn/measure/static/measure/vendor/world.geo.json"
)
ISO = "VN"
ISLAND_RADIUS_DEG = 0.18

# (longitude, latitude) of the main islands, from public gazetteers, rounded to 0.01°.
ARCHIPELAGOS: list[dict[str, Any]] = [
    {
        "key": "hoang-sa",
        "name_vi": "Quần đảo Hoàng Sa (Việt Nam)",
        "name_en": "Paracel Islands (Viet Nam)",
        "label": [112.0, 16.5],
        # bounding box [west, south, east, north], used to recognise earlier runs' rings
        "bbox": [110.8, 15.4, 113.2, 17.4],
        "islands": {
            "Phú Lâm": [112.34, 16.83],
            "Linh Côn": [112.73, 16.67],
            "Hoàng Sa": [111.61, 16.53],
            "Quang Hòa": [111.71, 16.45],
            "Bạch Quy": [111.77, 16.05],
            "Tri Tôn": [111.20, 15.78],
        },
    },
    {
        "key": "truong-sa",
        "name_vi": "Quần đảo Trường Sa (Việt Nam)",
        "name_en": "Spratly Islands (Viet Nam)",
        "label": [113.5, 9.8],
        "bbox": [111.4, 7.4, 115.2, 11.9],
        "islands": {
            "Song Tử Tây": [114.33, 11.43],
            "Thị Tứ": [114.28, 11.05],
            "Ba Bình": [114.37, 10.38],
            "Nam Yết": [114.36, 10.18],
            "Sinh Tồn": [114.33, 9.88],
            "Trường Sa": [111.92, 8.64],
            "An Bang": [112.92, 7.87],
        },
    },
]


def octagon(lon: float, lat: float, radius: float = ISLAND_RADIUS_DEG) -> list[list[float]]:
    """A closed, counter-clockwise ring (GeoJSON's exterior orientation) around a point."""
    ring = [
        [
            round(lon + radius * math.cos(math.radians(a)), 3),
            round(lat + radius * math.sin(math.radians(a)), 3),
        ]
        for a in range(0, 360, 45)
    ]
    return [*ring, ring[0]]


def _inside(ring: list[list[float]], bbox: list[float]) -> bool:
    west, south, east, north = bbox
    return all(west <= x <= east and south <= y <= north for x, y in ring)


def vietnam_add_islands(geo: dict[str, Any]) -> dict[str, Any]:
    """Return `geo` with the archipelagos in the Vietnam feature (changed in place too)."""
    feature = next(f for f in geo["features"] if f["properties"].get("iso") == ISO)
    geometry = feature["geometry"]
    polygons = (
        [geometry["coordinates"]]
        if geometry["type"] == "Polygon"
        else list(geometry["coordinates"])
    )
    polygons = [p for p in polygons if not any(_inside(p[0], a["bbox"]) for a in ARCHIPELAGOS)]
    for archipelago in ARCHIPELAGOS:
        polygons += [[octagon(lon, lat)] for lon, lat in archipelago["islands"].values()]
    feature["geometry"] = {"type": "MultiPolygon", "coordinates": polygons}
    feature["properties"]["archipelagos"] = [
        {k: a[k] for k in ("key", "name_vi", "name_en", "label")} for a in ARCHIPELAGOS
    ]
    return geo


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_PATH
    geo = json.loads(path.read_text(encoding="utf-8"))
    vietnam_add_islands(geo)
    path.write_text(json.dumps(geo, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{path}: Hoàng Sa and Trường Sa added to the Vietnam feature ({ISO})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
