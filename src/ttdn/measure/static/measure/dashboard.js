/* Measure dashboards: fetch each indicator's JSON, draw it with ECharts (vendored, no CDN),
   offer PNG/SVG downloads and an accessible data table. Labels come from the page (gettext). */
(function () {
  "use strict";
  const names = JSON.parse(document.getElementById("measure-names").textContent);
  const S = JSON.parse(document.getElementById("measure-strings").textContent);
  const script = document.getElementById("dashboard-js");
  const BRAND = "#a3131c";
  const PALETTE = ["#0b4f9c", BRAND, "#2e7d32", "#b26a00", "#6a1b9a", "#00838f", "#5d4037", "#455a64"];
  const charts = new Map();
  let worldReady = null;
  let archipelagos = [];

  const countryName = (c) => (c ? names.countries[c] || c : S.unknown);
  const languageName = (l) => (l ? names.languages[l] || l : S.unknown);
  const groupName = (row, groupBy) =>
    groupBy === "country" ? countryName(row.group) : groupBy === "language" ? languageName(row.group) : row.group_label || row.group;
  // cut at a word boundary, never inside a word
  const short = (text, n) => {
    if (text.length <= n) return text;
    const cut = text.slice(0, n - 1), space = cut.lastIndexOf(" ");
    return (space > n / 3 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, "") + "…";
  };

  function loadWorld() {
    if (!worldReady) {
      worldReady = fetch(script.dataset.world, { credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
        .then((geo) => {
          echarts.registerMap("world", geo);
          // Hoàng Sa and Trường Sa are drawn inside Vietnam's outline but are far smaller than
          // a pixel at world scale: keep their label points to draw them as labelled markers.
          const vn = geo.features.find((f) => f.properties.iso === "VN");
          archipelagos = (vn && vn.properties.archipelagos) || [];
          return true;
        })
        .catch(() => false);
    }
    return worldReady;
  }

  function base(key) {
    return {
      animation: false,
      color: PALETTE,
      aria: { enabled: true },
      textStyle: { fontFamily: "system-ui, 'Noto Sans', 'Segoe UI', Roboto, sans-serif" },
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0, right: 48 },
      grid: { left: 16, right: 24, top: 40, bottom: 16, containLabel: true },
      toolbox: { right: 8, top: 24, feature: { saveAsImage: { type: "png", name: key, pixelRatio: 2, backgroundColor: "#fff" } } },
    };
  }

  const numeric = (rows, cols) => rows.reduce((sum, r) => sum + cols.reduce((s, c) => s + (Number(r[c]) || 0), 0), 0);

  const builders = {
    volume(data, key) {
      const rows = data.rows;
      if (!numeric(rows, ["reports"])) return null;
      return Object.assign(base(key), {
        xAxis: { type: "category", data: rows.map((r) => r.bucket) },
        yAxis: { type: "value", minInterval: 1 },
        series: [
          { name: S.reports, type: "bar", data: rows.map((r) => r.reports), itemStyle: { color: "#9fbbe0" } },
          ...["unique_reports", "stories"].map((c) => ({ name: S[c], type: "line", data: rows.map((r) => r[c]), showSymbol: rows.length < 40 })),
        ],
      });
    },
    province(data, key) {
      const rows = data.rows;
      if (!numeric(rows, ["reports"])) return null;
      const option = builders.volume(data, key);
      option.yAxis = [{ type: "value", minInterval: 1 }, { type: "value", min: -1, max: 1, name: S.mean_tone, nameLocation: "middle", nameGap: 32 }];
      option.series.push({ name: S.mean_tone, type: "line", yAxisIndex: 1, data: rows.map((r) => r.mean_tone), lineStyle: { type: "dashed" } });
      return option;
    },
    share_of_voice(data, key) {
      const rows = data.rows.slice().reverse();
      if (!numeric(rows, ["reports"])) return null;
      return Object.assign(base(key), {
        legend: { show: false },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "value", name: "%", max: 100 },
        yAxis: { type: "category", data: rows.map((r) => countryName(r.country)) },
        series: [{ name: S.share_pct, type: "bar", label: { show: true, position: "right", formatter: "{c}%" },
          data: rows.map((r) => ({ value: r.share_pct, itemStyle: { color: r.country === "VN" ? BRAND : "#0b4f9c" } })) }],
      });
    },
    tone(data, key) {
      const rows = data.rows;
      if (!rows.length) return null;
      const groupBy = data.totals.group_by;
      const buckets = [...new Set(rows.map((r) => r.bucket))];
      const groups = [...new Set(rows.map((r) => r.group))];
      return Object.assign(base(key), {
        xAxis: { type: "category", data: buckets },
        yAxis: { type: "value", min: -1, max: 1, name: S.mean_tone, nameLocation: "middle", nameGap: 32 },
        series: groups.map((g) => {
          const byBucket = new Map(rows.filter((r) => r.group === g).map((r) => [r.bucket, r]));
          const first = rows.find((r) => r.group === g);
          return { name: groupName(first, groupBy), type: "line", connectNulls: false, showSymbol: buckets.length < 40,
            data: buckets.map((b) => (byBucket.get(b) || {}).mean_tone ?? null) };
        }),
      });
    },
    // the monitor's story page: reports per hour or day (bars) and their mean tone (line)
    story_tone(data, key) {
      const rows = data.rows;
      if (!numeric(rows, ["reports"])) return null;
      return Object.assign(base(key), {
        xAxis: { type: "category", data: rows.map((r) => r.bucket.slice(0, data.totals.bucket === "hour" ? 16 : 10).replace("T", " ")) },
        yAxis: [{ type: "value", min: -1, max: 1, name: S.mean_tone, nameLocation: "middle", nameGap: 32 }, { type: "value", minInterval: 1, splitLine: { show: false } }],
        series: [
          { name: S.reports, type: "bar", yAxisIndex: 1, data: rows.map((r) => r.reports), itemStyle: { color: "#9fbbe0" } },
          { name: S.mean_tone, type: "line", connectNulls: true, showSymbol: rows.length < 60, data: rows.map((r) => r.mean_tone), itemStyle: { color: BRAND } },
        ],
      });
    },
    top_stories(data, key) {
      const rows = data.rows.slice().reverse();
      if (!rows.length) return null;
      return Object.assign(base(key), {
        legend: { show: false },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 16, right: 40, top: 40, bottom: 16, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: rows.map((r) => short(r.title, 48)) },
        series: [{ name: S.unique_reports, type: "bar", data: rows.map((r) => r.unique_reports), label: { show: true, position: "right" } }],
      });
    },
    coverage_by_country(data, key, world) {
      const rows = data.rows.filter((r) => r.country);
      if (!numeric(data.rows, ["reports"])) return null;
      const max = Math.max(1, ...rows.map((r) => r.reports));
      if (world) {
        const vnReports = (rows.find((r) => r.country === "VN") || {}).reports || 0;
        return Object.assign(base(key), {
          legend: { show: false },
          tooltip: { trigger: "item", formatter: (p) => p.seriesType === "scatter"
            ? `${p.name}: ${vnReports}` : `${countryName(p.data ? p.data.name : "")}: ${p.data ? p.data.value : 0}` },
          visualMap: { min: 0, max: max, left: 8, bottom: 8, calculable: true, seriesIndex: 0, inRange: { color: ["#dbe7f5", "#0b4f9c"] }, text: [String(max), "0"] },
          // one geo component shared by the map (regions coloured by the visualMap) and the
          // archipelago markers, so both move together when the reader zooms or pans
          geo: { map: "world", nameProperty: "iso", roam: true, zoom: 1.2, center: [15, 15],
            emphasis: { label: { show: false } }, itemStyle: { borderColor: "#8a94a3", areaColor: "#f1f3f6" } },
          series: [
            // with a shared geo, countries without data take the series colour: keep them grey
            { name: S.reports, type: "map", geoIndex: 0, color: "#f1f3f6", data: rows.map((r) => ({ name: r.country, value: r.reports })) },
            { name: S.archipelagos || "", type: "scatter", coordinateSystem: "geo", symbolSize: 5, z: 5,
              itemStyle: { color: BRAND }, label: { show: true, position: "right", formatter: "{b}", fontSize: 10, color: "#333" },
              data: archipelagos.map((a) => ({ name: S[`archipelago_${a.key}`] || a.name_vi, value: a.label })) },
          ],
        });
      }
      const top = rows.slice(0, 20).reverse();
      return Object.assign(base(key), {
        legend: { show: false },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: top.map((r) => countryName(r.country)) },
        series: [{ name: S.reports, type: "bar", data: top.map((r) => r.reports) }],
      });
    },
  };

  function cellText(col, value) {
    if (value === null || value === undefined) return "—";
    if (col === "country") return value ? `${countryName(value)} (${value})` : S.unknown;
    if (col === "language") return languageName(value);
    return String(value);
  }

  function table(holder, data) {
    const t = document.createElement("table");
    t.className = "data";
    const head = t.createTHead().insertRow();
    for (const c of data.columns) { const th = document.createElement("th"); th.scope = "col"; th.textContent = S[c] || c; head.append(th); }
    const body = t.createTBody();
    for (const row of data.rows) {
      const tr = body.insertRow();
      for (const c of data.columns) {
        const td = tr.insertCell();
        if (c === "title" && row.story_id) {
          const a = document.createElement("a"); a.href = `/theo-doi/cau-chuyen/${row.story_id}/`; a.textContent = row.title; td.append(a);
        } else if (c === "country" && row.country && holder.dataset.drill) {
          // drill-down (overview): the country's outlets and stories, by keyboard too
          const a = document.createElement("a"); a.href = holder.dataset.drill.replace("__CC__", row.country); a.textContent = cellText(c, row[c]); td.append(a);
        } else td.textContent = cellText(c, row[c]);
      }
    }
    holder.replaceChildren(t);
  }

  function download(name, blob) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  function svgOf(el, option) {
    const holder = document.createElement("div");
    holder.style.cssText = `position:absolute;left:-10000px;width:${el.clientWidth}px;height:${el.clientHeight}px`;
    document.body.append(holder);
    const inst = echarts.init(holder, null, { renderer: "svg" });
    inst.setOption(Object.assign({}, option, { toolbox: { show: false } }));
    const svg = inst.renderToSVGString();
    inst.dispose(); holder.remove();
    return svg;
  }

  async function render(panel) {
    const key = panel.dataset.key;
    const el = panel.querySelector(".chart");
    const status = panel.querySelector(".chart-status");
    const empty = panel.querySelector(".chart-empty");
    let data;
    try {
      const r = await fetch(panel.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } });
      data = await r.json();
      if (!r.ok) throw new Error(data.detail || r.status);
    } catch (e) {
      status.textContent = S.error + (e && e.message ? ` (${e.message})` : "");
      panel.dataset.rendered = "error";
      return;
    }
    const holder = panel.querySelector(".table-holder");
    if (panel.dataset.drill) holder.dataset.drill = panel.dataset.drill;
    table(holder, data);
    const province = panel.querySelector(".province-name");
    if (province && data.totals && data.totals.province) province.textContent = data.totals.province_name || data.totals.province;
    const world = key === "coverage_by_country" && typeof echarts !== "undefined" ? await loadWorld() : false;
    const option = builders[key] ? builders[key](data, key, world) : null;
    if (!option) {
      el.hidden = true; empty.hidden = false; status.textContent = S.empty;
      panel.querySelectorAll(".dl-png, .dl-svg").forEach((b) => (b.disabled = true));
      panel.dataset.rendered = "empty";
      return;
    }
    if (typeof echarts === "undefined") { status.textContent = S.no_chart_lib; panel.dataset.rendered = "error"; return; }
    const chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.set(key, { chart, option });
    if (panel.dataset.drill) {
      chart.on("click", (p) => {
        const code = p && (p.name || (p.data && p.data.name));
        if (/^[A-Z]{2}$/.test(code || "")) window.location.href = panel.dataset.drill.replace("__CC__", code);
      });
    }
    el.setAttribute("aria-label", `${panel.querySelector("h2").textContent}. ${S.summary.replace("%(n)s", data.rows.length)}`);
    status.textContent = S.loaded;
    panel.querySelector(".dl-png").addEventListener("click", () => {
      fetch(chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" })).then((r) => r.blob()).then((b) => download(`${key}.png`, b));
    });
    panel.querySelector(".dl-svg").addEventListener("click", () => {
      download(`${key}.svg`, new Blob([svgOf(el, option)], { type: "image/svg+xml" }));
    });
    panel.dataset.rendered = "chart";
  }

  document.querySelectorAll(".panel[data-src]").forEach((panel) => render(panel));
  window.addEventListener("resize", () => charts.forEach(({ chart }) => chart.resize()));
})();
