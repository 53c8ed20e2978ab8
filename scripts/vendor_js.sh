#!/usr/bin/env bash
# Vendor the browser libraries the Measure dashboards use into our own static files (no CDN).
#
#   scripts/vendor_js.sh                 # the pinned versions below
#   ECHARTS=6.1.0 scripts/vendor_js.sh   # update: change the version, run, review the diff
#
# What it copies into src/ttdn/measure/static/measure/vendor/:
#   echarts.min.js + LICENSE-echarts + NOTICE-echarts    (Apache-2.0, the UMD build)
#   world.geo.json + LICENSE-world-atlas                 (built here, see below)
#   README.md                                            (versions and how to update)
#
# world.geo.json: Natural Earth 1:110m country outlines (public domain) from the npm package
# world-atlas (ISC), converted from TopoJSON to GeoJSON with topojson-client (ISC), each
# feature given its ISO 3166-1 alpha-2 code (property "iso") from i18n-iso-countries (MIT),
# because our outlet countries are alpha-2 codes and world-atlas keys features by the numeric
# code. Nothing from these packages runs in production except echarts.min.js. Then
# scripts/vn_islands.py adds the Hoàng Sa and Trường Sa archipelagos to the Vietnam feature.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ECHARTS=${ECHARTS:-6.1.0}
WORLD_ATLAS=${WORLD_ATLAS:-2.0.2}
TOPOJSON_CLIENT=${TOPOJSON_CLIENT:-3.1.0}
ISO_COUNTRIES=${ISO_COUNTRIES:-7.14.0}
DEST=$ROOT/src/ttdn/measure/static/measure/vendor

WORK=$(mktemp -d /tmp/ttdn-vendor.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm init -y >/dev/null
npm install --no-audit --no-fund --ignore-scripts --silent \
  "echarts@$ECHARTS" "world-atlas@$WORLD_ATLAS" "topojson-client@$TOPOJSON_CLIENT" \
  "i18n-iso-countries@$ISO_COUNTRIES"

mkdir -p "$DEST"
cp node_modules/echarts/dist/echarts.min.js "$DEST/echarts.min.js"
cp node_modules/echarts/LICENSE "$DEST/LICENSE-echarts"
cp node_modules/echarts/NOTICE "$DEST/NOTICE-echarts"
cp node_modules/world-atlas/LICENSE "$DEST/LICENSE-world-atlas"

cat > build-world.cjs <<'JS'
const fs = require("fs");
const topojson = require("topojson-client");
const countries = require("i18n-iso-countries");
const topo = JSON.parse(fs.readFileSync("node_modules/world-atlas/countries-110m.json", "utf8"));
const geo = topojson.feature(topo, topo.objects.countries);
const round = (c) => (typeof c[0] === "number" ? [Math.round(c[0] * 100) / 100, Math.round(c[1] * 100) / 100] : c.map(round));
// Rings that cross the antimeridian (Russia's Chukotka, Fiji) would be drawn as lines across
// the whole map: move their western-hemisphere points east of 180°.
const unwrap = (ring) => {
  const lons = ring.map((p) => p[0]);
  if (Math.max(...lons) - Math.min(...lons) <= 180) return ring;
  return ring.map(([x, y]) => [x < 0 ? x + 360 : x, y]);
};
const fix = (g) => g.type === "Polygon" ? g.coordinates.map(unwrap) : g.coordinates.map((poly) => poly.map(unwrap));
geo.features = geo.features
  .map((f) => {
    const iso = f.id ? countries.numericToAlpha2(f.id) : undefined;
    return { type: "Feature", properties: { name: f.properties.name, iso: iso || "" }, geometry: { type: f.geometry.type, coordinates: round(fix(f.geometry)) } };
  })
  .filter((f) => f.properties.name !== "Antarctica");
fs.writeFileSync(process.argv[2], JSON.stringify(geo));
JS
node build-world.cjs "$DEST/world.geo.json"
# Natural Earth 1:110m omits Hoàng Sa and Trường Sa: add them to Viet Nam (scripts/vn_islands.py)
python3 "$ROOT/scripts/vn_islands.py" "$DEST/world.geo.json"

cat > "$DEST/README.md" <<EOF
# Vendored browser libraries (Measure dashboards)

Served from our own static files; no CDN. Regenerate with \`scripts/vendor_js.sh\`.

| file | from (npm) | version | licence |
|---|---|---|---|
| echarts.min.js | echarts (dist/echarts.min.js, UMD) | $ECHARTS | Apache-2.0 (LICENSE-echarts, NOTICE-echarts) |
| world.geo.json | world-atlas countries-110m.json (Natural Earth 1:110m, public domain), converted with topojson-client $TOPOJSON_CLIENT, ISO alpha-2 codes from i18n-iso-countries $ISO_COUNTRIES | $WORLD_ATLAS | ISC (LICENSE-world-atlas); data public domain |

How to update: change the version at the top of \`scripts/vendor_js.sh\` (or set
\`ECHARTS=x.y.z\`), run it, check the dashboards in a browser (\`pytest tests/browser/test_dashboard.py\`),
and commit the changed files together with this README.

world.geo.json drops Antarctica, rounds coordinates to 0.01° to keep the file small and moves
rings that cross the antimeridian east of 180° (so they are not drawn across the map); each
feature has \`name\` (English, Natural Earth) and \`iso\` (ISO 3166-1 alpha-2, empty where
Natural Earth has no code, e.g. Kosovo, N. Cyprus). At 1:110m small islands are not drawn.

Hoàng Sa (Paracel) and Trường Sa (Spratly): Natural Earth 1:110m does not draw them at all,
so \`scripts/vn_islands.py\` (run by \`scripts/vendor_js.sh\` after the conversion; idempotent)
adds them to the Vietnam feature (\`iso\` "VN"): each main island is a small octagon (a map
symbol of radius 0.18°, not a survey outline) in Vietnam's MultiPolygon, so it takes
Vietnam's colour and tooltip, and the feature's \`archipelagos\` property gives each
archipelago's label point and names ("Quần đảo Hoàng Sa (Việt Nam)" / "Paracel Islands (Viet
Nam)", "Quần đảo Trường Sa (Việt Nam)" / "Spratly Islands (Viet Nam)"), which the dashboard
draws as labelled markers. \`tests/measure/test_world_map.py\` checks the shipped file.

Before a public deployment, have the map checked against the state's rules for maps of
borders and islands: Natural Earth draws de-facto boundaries. The dashboards fall back to a
bar chart of outlet countries if the map file is removed.
EOF
echo "vendored into $DEST:"
ls -l "$DEST"
