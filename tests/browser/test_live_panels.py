"""Headless-browser checks of the live panels on the built site (``make book`` → ``_build/html``).

For every page holding a live panel (``<div class="itemsrel-live">`` written by
``itemsrel.live.live_panel``), served from 127.0.0.1 with every other request aborted:

* the panel mounts (controls and figures drawn) offline, with no console error;
* its starting numbers are the chapter's: the browser's W equals the W the chapter's Python
  computed (1e-9 relative), likewise the per-pattern losses, and every fixed point the package
  found is among the panel's with the same stability;
* every control is changed in turn (each training-set pattern button once, every select, the
  seed, every slider): each change gives first feedback (numbers and 2-D figures) and then one
  full redraw, the figures' data change, and the numbers shown are those of
  ``itemsrel_live.mjs`` itself, imported afresh into the page from ``_static/live/`` and run on
  the panel's parameters (identical floats: the same code);
* the figures are SVG (``draw.mjs``): no WebGL context and no plotly call per redraw; nothing
  logs a warning while the panels redraw.

Cheap by design (part of ``make test``): one browser context and one page load per chapter, one
change per control. Timings (20 slider moves per panel) belong to ``benchmarks/bench_live.py``.
Screenshots of each panel before and after the interactions go to
``_build/screenshots/live-<page>-<k>-{before,after}.png``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

SITE_DIR = Path(
    os.environ.get("ITEMSREL_SITE_DIR", Path(__file__).resolve().parents[2] / "_build" / "html")
).resolve()
MARKER = 'class="itemsrel-live"'
#: Screenshots of a panel taller than the window: hide the theme's sticky header and skip link,
#: which would otherwise be captured over the panel.
SHOT_CSS = (
    ".bd-header, .bd-header-article, .skip-link, #pst-skip-link { visibility: hidden !important; }"
)


def live_pages() -> list[str]:
    if not (SITE_DIR / "index.html").is_file():
        return ["<missing build>"]
    pages = [
        p.relative_to(SITE_DIR).as_posix()
        for p in sorted(SITE_DIR.rglob("*.html"))
        if not any(part.startswith(("_", ".")) for part in p.relative_to(SITE_DIR).parts[:-1])
        and MARKER in p.read_text(encoding="utf-8", errors="ignore")
    ]
    return pages or ["<no live panel in the build>"]


PAGES = live_pages()

# JS evaluated in the page --------------------------------------------------------------------
# recompute with the module imported from _static/live/ (M) and compare with what panel `root`
# shows; returns a list of problems
RECHECK = """() => {
  const api = root.itemsrelLive, kind = api.state.kind, shown = root.querySelector('.il-numbers').textContent;
  const problems = [];
  const same = (a, b, what) => { if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(what + ': ' + JSON.stringify(a).slice(0, 200) + ' vs ' + JSON.stringify(b).slice(0, 200)); };
  if (kind === 'train') {
    const p = api.params();
    const r = M.train(p);
    same(api.result.W, r.W, 'W');
    same(api.result.lossHistory, r.lossHistory, 'loss history');
    if (!r.diverged) {
      same(api.result.patternLosses, M.patternLosses(r.W, p.activation), 'pattern losses');
      if (p.X[0].length === 3) same(api.result.fixed, M.fixedPoints(r.W, p.activation, { starts: M.defaultStarts(r.W, p.activation, { nGrid: 3, nRandom: 16 }) }), 'fixed points');
      if (!shown.includes(r.finalLoss.toExponential(2))) problems.push('final loss ' + r.finalLoss.toExponential(2) + ' not shown');
      for (const v of r.W.flat()) if (!shown.includes(v.toFixed(3))) problems.push('W entry ' + v.toFixed(3) + ' not shown');
    }
  } else if (kind === 'family') {
    const { a, b } = api.params(), F = api.state.family;
    const W = F.W0.map((row, i) => row.map((w, j) => w + a * F.A[i][j] + b * F.B[i][j]));
    same(api.result.W, W, 'W');
    same(api.result.patternLosses, M.patternLosses(W, 'linear'), 'pattern losses');
    same(api.result.fixed, M.fixedPoints(W, 'linear'), 'fixed points');
    for (const v of W.flat()) if (!shown.includes(v.toFixed(3))) problems.push('W entry ' + v.toFixed(3) + ' not shown');
  } else {
    const X = api.params().X, G = M.sigmaX(X);
    same(api.result.group, G.map(M.cycleNotation), 'Σ_X');
    same(api.result.orbits, M.itemOrbits(X), 'orbits');
    same(api.result.span, M.spanPatterns(X), 'span');
    if (!shown.includes('order ' + G.length)) problems.push('group order not shown');
  }
  return problems;
}"""

# One call per panel (few round trips): check the starting numbers, then change each control in
# turn, wait for its redraw and record: first feedback seen, redraw count, whether the figures'
# data changed, and the recheck's problems.
RUN_CONTROLS = (
    """async ([idx, moduleUrl, controls]) => {
  const M = await import(moduleUrl);
  const root = document.querySelectorAll('div.itemsrel-live')[idx];
  const recheck = """
    + RECHECK
    + """;
  const signature = () => [...root.querySelectorAll('.il-fig')].map((d) => d.ilMarkup || '').join('|');
  const out = { start: recheck(), steps: [] };
  for (const [sel, kind, value] of controls) {
    const el = root.querySelector(sel);
    if (!el) { out.steps.push({ sel, missing: true }); continue; }
    const before = signature(), redrawsBefore = root.itemsrelLive.redraws;
    let feedback = null;
    root.addEventListener('itemsrel-feedback', (e) => { feedback = e.detail; }, { once: true });
    const done = new Promise((res) => root.addEventListener('itemsrel-redrawn', (e) => res(e.detail), { once: true }));
    if (kind === 'click') el.click();
    else { el.value = value; el.dispatchEvent(new Event(kind)); }
    const detail = await done;
    out.steps.push({ sel, ms: detail.ms, feedback, redrawsBefore, redraws: root.itemsrelLive.redraws,
      changed: signature() !== before, problems: recheck() });
  }
  return out;
}"""
)


def controls_of(kind: str, state: dict) -> list[tuple[str, str, str]]:
    """(selector, event, value) for every control of a panel, in an order where each changes
    the result (the seed only matters for a random initialisation, set just before it)."""
    n = len(state["X"][0])
    chosen = {"".join(map(str, x)) for x in state["X"]}
    unchosen = [f"{k:0{n}b}" for k in range(1, 2**n) if f"{k:0{n}b}" not in chosen]
    if kind == "symmetry":
        return [
            (f'button[data-pattern="{unchosen[0]}"]', "click", ""),
            (f'button[data-pattern="{sorted(chosen)[0]}"]', "click", ""),
        ]
    if kind == "family":
        return [
            ('input[id$="-parameter-a"]', "input", "1.3"),
            ('input[id$="-parameter-b"]', "input", "-0.4"),
        ]
    other = {"linear": "tanh", "tanh": "sigmoid"}.get(state["activation"], "tanh")
    opt = "adam" if state["optimizer"] == "sgd" else "sgd"
    assert state["init"] != "uniform" and state["sigma"] != 0.5
    return [
        (f'button[data-pattern="{unchosen[-1]}"]', "click", ""),
        ('select[id$="-activation"]', "change", other),
        ('select[id$="-initialisation"]', "change", "uniform"),
        ('input[id$="-seed"]', "change", "7"),
        ('select[id$="-initialisation"]', "change", "normal"),
        ('select[id$="-of-n-0"]', "change", "0.5"),
        ('select[id$="-optimiser"]', "change", opt),
        ('input[id$="-learning-rate"]', "input", "5"),
        ('input[id$="-max-steps-stops-once-converged"]', "input", "4"),
        ('select[id$="-penalty"]', "change", "l1"),
        ('input[id$="-strength"]', "input", "10"),
    ]


@pytest.fixture(scope="module")
def live_page(browser, offline_guard):
    """One browser context and page for every chapter: ``open_page(url)`` loads a chapter and
    returns (page, console messages of this load, guard); the guard records requests that would
    leave the machine."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    guard = offline_guard().install(context)
    page = context.new_page()
    messages: list[tuple[str, str]] = []
    page.on("console", lambda m: messages.append((m.type, m.text)))
    page.on("pageerror", lambda e: messages.append(("error", f"uncaught: {e}")))

    def open_page(url: str):
        messages.clear()
        page.goto(url, wait_until="load", timeout=120_000)
        page.wait_for_function(
            "document.documentElement.dataset.itemsrelLive === 'ready'", timeout=180_000
        )
        return page, messages, guard

    yield open_page
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_live_panels(path, live_page, site_server, screenshot_dir):
    if path.startswith("<"):
        pytest.fail(f"{path}: build the book with live panels first (`make book`)", pytrace=False)
    t0 = time.perf_counter()
    page, messages, guard = live_page(site_server + path)
    spent = {"load": time.perf_counter() - t0, "screenshots": 0.0, "controls": 0.0}
    loaded = len(messages)  # the chapter's static figures may log while the page loads
    module_url = site_server + "_static/live/itemsrel_live.mjs"
    n = page.locator("div.itemsrel-live").count()
    assert n >= 1
    stem = path.removesuffix(".html").replace("/", "-")
    for idx in range(n):
        root = page.locator("div.itemsrel-live").nth(idx)
        root.scroll_into_view_if_needed()
        state = root.evaluate("(r) => r.itemsrelLive.state")
        kind = state["kind"]
        assert root.locator(".il-fig svg.il-svg").count() >= 1, "no figure drawn"
        t0 = time.perf_counter()
        root.screenshot(path=str(screenshot_dir / f"live-{stem}-{idx}-before.png"), style=SHOT_CSS)
        spent["screenshots"] += time.perf_counter() - t0
        # the starting numbers are the chapter's
        start = root.evaluate("(r) => r.itemsrelLive.result")
        py = state["python"]
        if kind in ("train", "family"):
            np.testing.assert_allclose(start["W"], py["W"], rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(
                start["patternLosses"], py["pattern_losses"], rtol=1e-9, atol=1e-12
            )
        if kind == "train":
            assert start["stepsRun"] == py["steps_run"]
            if py["continuum"] is not None:
                assert start["fixed"]["continuum"]["dimension"] == py["continuum"]
            else:
                js_pts = start["fixed"]["points"]
                for p in py["points"]:
                    match = [
                        q
                        for q in js_pts
                        if max(abs(a - b) for a, b in zip(q["x"], p["x"], strict=True)) < 1e-6
                    ]
                    assert match and match[0]["stability"] == p["stability"], (p, js_pts)
                print(
                    f"{path}#{idx}: {len(py['points'])} fixed points from Python, {len(js_pts)} in the browser"
                )
        if kind == "symmetry":
            assert start["group"] == py["group"] and start["span"] == py["span"]
        t0 = time.perf_counter()
        run = page.evaluate(RUN_CONTROLS, [idx, module_url, controls_of(kind, state)])
        spent["controls"] += time.perf_counter() - t0
        assert run["start"] == [], run["start"]
        for step in run["steps"]:
            sel = step["sel"]
            assert not step.get("missing"), f"{path}#{idx}: no control {sel}"
            assert step["redraws"] == step["redrawsBefore"] + 1, step
            assert step["feedback"] is not None, f"{sel}: no first feedback before the redraw"
            assert step["feedback"]["ms"] <= step["ms"], step
            assert step["changed"], f"{path}#{idx}: changing {sel} did not change the figures"
            assert step["problems"] == [], (sel, step["problems"])
        t0 = time.perf_counter()
        root.screenshot(path=str(screenshot_dir / f"live-{stem}-{idx}-after.png"), style=SHOT_CSS)
        spent["screenshots"] += time.perf_counter() - t0
    print(f"{path}: " + ", ".join(f"{k} {v:.1f} s" for k, v in spent.items()))
    assert not guard.blocked, f"requests left the machine: {guard.blocked}"
    errors = [text for typ, text in messages if typ == "error"]
    assert not errors, f"console errors on {path}: {errors}"
    warnings = [text for _, text in messages[loaded:] if "WARN" in text]
    assert not warnings, f"warnings while the panels redraw on {path}: {warnings[:3]}"
    # the panels draw without WebGL: every canvas on the page belongs to a static plotly figure
    stray = page.evaluate(
        "() => document.querySelectorAll('div.itemsrel-live canvas, div.itemsrel-live .js-plotly-plot').length"
    )
    assert stray == 0, f"{path}: a live panel drew with plotly/WebGL ({stray} elements)"
