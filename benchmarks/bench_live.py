"""Live panels of the static book: input-to-redraw time in headless Chromium (no kernel).

On every built page holding a live panel (``itemsrel.live``), 20 moves of the panel's main slider
(learning rate of a training panel, parameter a of a family panel) are timed from the ``input``
event to the animation frame after the redraw (retrain or re-evaluate in float64 JavaScript, fixed
points, four ``Plotly.react`` calls). The same panel's JavaScript computation alone (train + fixed
points + losses, no drawing) is timed as its peer, so the split shows where a redraw's time goes.

Needs the built site (``make book``) and Debian's chromium; otherwise the section says so.
``python -m benchmarks.bench_live`` updates only the ``live`` key of ``benchmarks/results.json``.
"""

from __future__ import annotations

import functools
import json
import os
import statistics
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("ITEMSREL_SITE_DIR", REPO / "_build" / "html"))
CHROMIUM = os.environ.get("ITEMSREL_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MOVES = 20

SLIDER_MOVES = """async ([idx, sel, values]) => {
  const root = document.querySelectorAll('div.itemsrel-live')[idx];
  const el = root.querySelector(sel);
  const times = [];
  for (const v of values) {
    const done = new Promise((res) => root.addEventListener('itemsrel-redrawn', res, { once: true }));
    const t0 = performance.now();
    el.value = String(v);
    el.dispatchEvent(new Event('input'));
    await done;
    await new Promise((res) => requestAnimationFrame(() => res()));
    times.push(performance.now() - t0);
  }
  return times;
}"""

COMPUTE_ONLY = """([idx, reps]) => {
  const L = window.itemsrelLive;
  const api = document.querySelectorAll('div.itemsrel-live')[idx].itemsrelLive;
  const times = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    if (api.state.kind === 'train') {
      const p = api.params(), res = L.train(p);
      if (!res.diverged) { L.patternLosses(res.W, p.activation); L.fixedPoints(res.W, p.activation); L.iterate(res.W, L.mesh(5, 0, 1, 3), p.activation, 25); }
    } else {
      const W = api.result.W;
      L.patternLosses(W, 'linear'); L.fixedPoints(W, 'linear'); L.iterate(W, L.mesh(5, 0, 1, 3), 'linear', 25);
    }
    times.push(performance.now() - t0);
  }
  return times;
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


def _pages() -> list[str]:
    return [
        p.relative_to(SITE).as_posix()
        for p in sorted(SITE.glob("*.html")) + sorted(SITE.glob("notebooks/*.html"))
        if 'class="itemsrel-live"' in p.read_text(encoding="utf-8", errors="ignore")
    ]


def measure(moves: int = MOVES) -> list[dict]:
    """One row per timed panel: page, panel index, kind, median/min/max ms, compute-only ms."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.route(
                "**/*",
                lambda r: (
                    r.continue_()
                    if r.request.url.startswith(base) or r.request.url.startswith("data:")
                    else r.abort()
                ),
            )
            page = context.new_page()
            for path in _pages():
                page.goto(base + path, wait_until="load", timeout=120_000)
                page.wait_for_function(
                    "document.documentElement.dataset.itemsrelLive === 'ready'", timeout=180_000
                )
                kinds = page.evaluate(
                    "() => [...document.querySelectorAll('div.itemsrel-live')].map((r) => r.itemsrelLive.state.kind)"
                )
                for idx, kind in enumerate(kinds):
                    if kind not in ("train", "family"):
                        continue
                    page.locator("div.itemsrel-live").nth(idx).scroll_into_view_if_needed()
                    sel = (
                        'input[id$="-learning-rate"]'
                        if kind == "train"
                        else 'input[id$="-parameter-a"]'
                    )
                    values = [
                        (4 + k % 7) if kind == "train" else (-1.0 + 0.1 * k) for k in range(moves)
                    ]
                    times = page.evaluate(SLIDER_MOVES, [idx, sel, values])
                    compute = page.evaluate(COMPUTE_ONLY, [idx, 10])
                    rows.append(
                        {
                            "page": path,
                            "panel": idx,
                            "kind": kind,
                            "moves": moves,
                            "median_ms": statistics.median(times),
                            "min_ms": min(times),
                            "max_ms": max(times),
                            "compute_median_ms": statistics.median(compute),
                        }
                    )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return rows


def run(quick: bool = False) -> tuple[dict, str]:
    head = "## 6. Live panels of the static book (headless Chromium, no GPU, no kernel)\n"
    if not (SITE / "index.html").is_file() or not Path(CHROMIUM).exists():
        return {
            "panels": [],
            "median_ms": None,
        }, head + "\nNot measured: needs the built book (`make book`) and chromium.\n"
    rows = measure(10 if quick else MOVES)
    lines = [
        head,
        f"Median time from a slider's `input` event to the painted redraw, over {rows[0]['moves'] if rows else MOVES} moves, "
        "beside the JavaScript computation alone (its peer: the rest is plotly drawing). Target: median ≤ 50 ms.\n",
        "| page | panel | kind | compute only (ms) | input to redraw, median (ms) | min–max (ms) |",
        "|---|---|---|---|---|---|",
        *[
            f"| {r['page']} | {r['panel']} | {r['kind']} | {r['compute_median_ms']:.1f} | **{r['median_ms']:.0f}** | "
            f"{r['min_ms']:.0f}–{r['max_ms']:.0f} |"
            for r in rows
        ],
    ]
    overall = statistics.median([r["median_ms"] for r in rows]) if rows else None
    return {"panels": rows, "median_ms": overall}, "\n".join(lines)


if __name__ == "__main__":
    res, md = run()
    path = REPO / "benchmarks" / "results.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data["live"] = res
    path.write_text(json.dumps(data, indent=1))
    print(md)
    print(f"\nupdated the 'live' key of {path}")
