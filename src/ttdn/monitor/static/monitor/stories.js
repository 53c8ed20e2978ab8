/* Live stories: server-sent events from the stream URL (each stream ends after a minute and
   EventSource reconnects); if EventSource is missing, refused (HTTP 204 when the server's
   stream slots are full) or keeps failing, poll the JSON view every 2 s and try the stream
   again a minute later. Rows arrive rendered by the server (the same template as the page),
   with the page's filters and sort order. */
(function () {
  "use strict";
  const table = document.getElementById("stories");
  const body = table.querySelector("tbody");
  const empty = document.getElementById("stories-empty");
  const mode = document.getElementById("live-mode");
  const modeText = document.getElementById("live-mode-text");
  const L = JSON.parse(document.getElementById("live-strings").textContent);
  const query = window.location.search;
  const streamUrl = document.getElementById("stories-js").dataset.stream + query;
  const POLL_MS = 2000, RETRY_STREAM_MS = 60000, MAX_FAILURES = 3;
  const seen = new Map(Array.from(body.rows, (tr) => [tr.dataset.id, Number(tr.dataset.reports)]));
  let pollTimer = null, source = null, failures = 0;

  function setMode(name) { mode.dataset.mode = name; modeText.textContent = L[name] || ""; }

  function render(data) {
    const holder = document.createElement("tbody");
    holder.innerHTML = data.rows_html;  // rendered and escaped by the server's template
    for (const tr of holder.rows) {
      const before = seen.get(tr.dataset.id), now = Number(tr.dataset.reports);
      if (before === undefined || before < now) { tr.classList.add("fresh"); setTimeout(() => tr.classList.remove("fresh"), 3000); }
      seen.set(tr.dataset.id, now);
    }
    body.replaceChildren(...holder.rows);
    table.hidden = data.stories.length === 0; empty.hidden = data.stories.length > 0;
    document.getElementById("overview-text").textContent = data.overview_text;
  }

  async function poll() {
    try {
      const r = await fetch(window.location.href, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (r.ok) render(await r.json());
    } catch (e) { /* offline: try again on the next tick */ }
  }
  function startPolling() {
    if (pollTimer) return;
    setMode("polling"); poll(); pollTimer = setInterval(poll, POLL_MS);
  }
  function stopPolling() { if (pollTimer) { clearInterval(pollTimer); pollTimer = null; } }

  function connect() {
    if (typeof window.EventSource !== "function") { startPolling(); return; }
    source = new EventSource(streamUrl, { withCredentials: true });
    source.addEventListener("stories", (e) => {
      failures = 0; stopPolling(); setMode("stream");
      render(JSON.parse(e.data));
    });
    // the server ends each stream after a minute; EventSource reconnects by itself
    source.addEventListener("end", () => { failures = 0; });
    source.onerror = () => {
      failures += 1;
      if (source.readyState === EventSource.CLOSED || failures >= MAX_FAILURES) {
        source.close(); source = null; failures = 0;
        startPolling();
        setTimeout(() => { if (!source) connect(); }, RETRY_STREAM_MS);
      }
    };
  }
  connect();
})();
