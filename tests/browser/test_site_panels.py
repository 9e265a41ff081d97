"""The built book (``_build/html``): 3-D figures' menus open with a click; live panels are notes.

* Every plotly dropdown of a 3-D figure on a chapter page opens when clicked after the mouse has
  hovered the figure (which brings up plotly's mode bar: a menu under it would not open).
* Every live panel of the chapters (ipywidgets, frozen in a static page) shows the note that it is
  live in JupyterLab (``make lab``) above its snapshot figures, and the snapshot has drawn.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SITE_DIR = Path(
    os.environ.get("ITEMSREL_SITE_DIR", Path(__file__).resolve().parents[2] / "_build" / "html")
).resolve()
#: Chapter pages with live panels (the explorers).
PANEL_PAGES = [f"notebooks/{stem}.html" for stem in (
    "01_symmetry", "02_linear", "03_nonlinear", "04_regularisation", "05_arc",
    "07_representations", "08_group_words",
)]
#: Chapter pages with 3-D figures behind a dropdown.
MENU_PAGES = ["notebooks/02_linear.html", "notebooks/03_nonlinear.html"]


def _open(browser, offline_guard, site_server: str, page_path: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    guard = offline_guard().install(context)
    page = context.new_page()
    page.goto(site_server + page_path, wait_until="load", timeout=30_000)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.plotly-graph-div')]"
        ".every(d => d.querySelector('svg.main-svg'))",
        timeout=30_000,
    )
    return context, guard, page


@pytest.mark.parametrize("page_path", MENU_PAGES)
def test_3d_menus_open_with_a_click(
    page_path: str, browser, offline_guard, site_server: str
) -> None:
    context, guard, page = _open(browser, offline_guard, site_server, page_path)
    try:
        plots = page.locator(".js-plotly-plot:has(.gl-container):has(.updatemenu-header-group)")
        assert plots.count() >= 1, f"{page_path}: no 3-D figure with a menu"
        failures = []
        for i in range(plots.count()):
            gd = plots.nth(i)
            gd.scroll_into_view_if_needed()
            box = gd.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_timeout(200)  # the mode bar shows
            gd.locator(".updatemenu-header-group").first.click()
            page.wait_for_timeout(300)
            if gd.locator(".updatemenu-dropdown-button").count() == 0:
                failures.append(i)
            page.keyboard.press("Escape")
            page.mouse.click(box["x"] + 5, box["y"] + box["height"] - 5)
        assert not failures, f"{page_path}: 3-D figures whose menu did not open: {failures}"
        assert not guard.blocked
    finally:
        context.close()


@pytest.mark.parametrize("page_path", PANEL_PAGES)
def test_live_panels_say_they_are_live_in_jupyterlab(
    page_path: str, browser, offline_guard, site_server: str
) -> None:
    context, guard, page = _open(browser, offline_guard, site_server, page_path)
    try:
        page.wait_for_function(
            "() => document.querySelectorAll('.itemsrel-live-panel').length > 0", timeout=20_000
        )
        panels = page.evaluate(
            """() => [...document.querySelectorAll('.itemsrel-live-panel')].map(p => ({
                note: (p.querySelector('.itemsrel-static-note') || {}).innerText || '',
                plots: p.querySelectorAll('.itemsrel-live-area .js-plotly-plot svg.main-svg').length,
                text: p.querySelector('.itemsrel-live-area').innerText.length}))"""
        )
        for k, p in enumerate(panels):
            assert "Live in JupyterLab" in p["note"] and "make lab" in p["note"], (page_path, k)
            assert p["plots"] >= 1 and p["text"] > 0, f"{page_path}: panel {k} shows no snapshot"
        assert not guard.blocked
    finally:
        context.close()
