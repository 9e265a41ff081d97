"""Live panels of the static book: input-to-redraw time in headless Chromium (no kernel).

On every built page holding a live panel (``itemsrel.live``), 20 moves of the panel's main slider
(learning rate of a training panel, parameter a of a family panel) are timed from the ``input``
event, one move at a time (each waits for the last to finish), to the end of the frame that shows
the result (its animation frame and the task after it: style, layout and paint are done by then):

* **full redraw**: numbers and every figure, the 3-D flow field included (the panel's
  ``itemsrel-redrawn`` event);
* **first feedback**: the numbers and the 2-D figures (``itemsrel-feedback``). The panels draw SVG
  (``draw.mjs``), so both land in the same frame; the two are kept apart to show it.

The panel's JavaScript computation alone (train or evaluate W, fixed points as the panel finds
them, losses, the flow field's trajectories; no drawing) is timed as the peer, so the split shows
where a redraw's time goes. Headless Chromium here has no GPU (the panels need none: no WebGL).

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

# Per move: {full, feedback} in ms (feedback null when the panel has no such phase). The frame-end
# callbacks are registered inside the event listeners, i.e. before the panel's own, so a frame's
# end is timed before the panel's next phase runs.
SLIDER_MOVES = """async ([idx, sel, values]) => {
  const root = document.querySelectorAll('div.itemsrel-live')[idx];
  const el = root.querySelector(sel);
  const frameEnd = (f) => requestAnimationFrame(() => setTimeout(f, 0));
  const out = [];
  for (const v of values) {
    const t0 = performance.now();
    let feedback = null;
    const fb = () => frameEnd(() => { feedback = performance.now() - t0; });
    root.addEventListener('itemsrel-feedback', fb, { once: true });
    const done = new Promise((res) => root.addEventListener('itemsrel-redrawn', () => frameEnd(res), { once: true }));
    el.value = String(v);
    el.dispatchEvent(new Event('input'));
    await done;
    root.removeEventListener('itemsrel-feedback', fb);
    out.push({ full: performance.now() - t0, feedback });
  }
  return out;
}"""

COMPUTE_ONLY = """([idx, reps]) => {
  const L = window.itemsrelLive;
  const api = document.querySelectorAll('div.itemsrel-live')[idx].itemsrelLive;
  const times = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    if (api.state.kind === 'train') {
      const p = api.params(), res = L.train(p);
      if (!res.diverged) {
        L.patternLosses(res.W, p.activation);
        L.fixedPoints(res.W, p.activation, { starts: L.defaultStarts(res.W, p.activation, { nGrid: 3, nRandom: 16 }) });
        L.iterate(res.W, L.mesh(5, 0, 1, 3), p.activation, 25);
      }
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


def _stats(xs: list[float], prefix: str) -> dict[str, float]:
    return {
        f"{prefix}median_ms": statistics.median(xs),
        f"{prefix}min_ms": min(xs),
        f"{prefix}max_ms": max(xs),
    }


def measure(moves: int = MOVES) -> list[dict]:
    """One row per timed panel: page, panel index, kind; full redraw median/min/max ms
    (``median_ms``, ``min_ms``, ``max_ms``), first feedback (``feedback_median_ms``… or None when
    the panel has no such phase), and the compute-only median (``compute_median_ms``)."""
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
                    full = [t["full"] for t in times]
                    feedback = [t["feedback"] for t in times if t["feedback"] is not None]
                    no_feedback = dict.fromkeys(
                        ("feedback_median_ms", "feedback_min_ms", "feedback_max_ms")
                    )
                    rows.append(
                        {
                            "page": path,
                            "panel": idx,
                            "kind": kind,
                            "moves": moves,
                            **_stats(full, ""),
                            **(
                                _stats(feedback, "feedback_")
                                if len(feedback) == len(full)
                                else no_feedback
                            ),
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
    n = rows[0]["moves"] if rows else MOVES

    def ms(v: float | None) -> str:
        return "–" if v is None else f"{v:.0f}"

    lines = [
        head,
        f"Time from a slider's `input` event to the end of the frame that shows the result, "
        f"over {n} moves (median, and max): **full redraw** (numbers and every figure, the 3-D "
        "flow field included) and **first feedback** (numbers and 2-D figures), beside the "
        "JavaScript computation alone (its peer: the rest is drawing the SVG figures and the "
        "browser's frame, which waits for the next animation frame). Headless Chromium without "
        "a GPU; the panels draw SVG, no WebGL. Target: median ≤ 50 ms.\n",
        "| page | panel | kind | compute only (ms) | first feedback, median (max) (ms) "
        "| full redraw, median (max) (ms) |",
        "|---|---|---|---|---|---|",
        *[
            f"| {r['page']} | {r['panel']} | {r['kind']} | {r['compute_median_ms']:.1f} | "
            f"{ms(r['feedback_median_ms'])} ({ms(r['feedback_max_ms'])}) | "
            f"**{r['median_ms']:.0f}** ({r['max_ms']:.0f}) |"
            for r in rows
        ],
    ]
    overall = statistics.median([r["median_ms"] for r in rows]) if rows else None
    fbs = [r["feedback_median_ms"] for r in rows if r["feedback_median_ms"] is not None]
    feedback = statistics.median(fbs) if rows and len(fbs) == len(rows) else None
    return {
        "panels": rows,
        "median_ms": overall,
        "feedback_median_ms": feedback,
        "definition": (
            "median_ms, min_ms, max_ms: input event to the end of the frame after the full "
            "redraw (3-D scene included); feedback_*: input event to the end of the frame after "
            f"the numbers and 2-D figures; {n} slider moves per panel; headless Chromium, no GPU; "
            "SVG figures (draw.mjs)"
        ),
    }, "\n".join(lines)


if __name__ == "__main__":
    res, md = run()
    path = REPO / "benchmarks" / "results.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data["live"] = res
    path.write_text(json.dumps(data, indent=1))
    print(md)
    print(f"\nupdated the 'live' key of {path}")
