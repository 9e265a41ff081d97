"""Sphinx extension: serve plotly.js from the book itself, and only on pages that draw figures.

* At ``config-inited`` the plotly.js bundled inside the installed ``plotly`` package is copied into
  a build-local static folder (so the version always matches the Python package that made the
  figures) and that folder is added to ``html_static_path``.
* At ``html-page-context`` the script tag is added to a page only if its body contains a plotly
  figure; it is loaded before any other script so that an AMD loader cannot capture it.
* Also at ``html-page-context``: sphinx-thebe's inline configuration (thebe is off; the snippet
  names a CDN and is emitted twice, a console error) is dropped, and pages with saved widgets get
  a small shim: the ipywidgets HTML manager calls MathJax 2's ``MathJax.Hub.Queue`` to typeset
  widget labels, while the book runs MathJax 3.
* Also at ``html-page-context``: pages holding a live panel placeholder (``itemsrel.live``,
  ``<div class="itemsrel-live">``) get ``_static/live/panels.mjs`` (an ES module that imports
  ``itemsrel_live.mjs`` next to it) and ``live.css``; other pages load neither (nothing under
  ``book/_static/live/`` is injected into every page).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import plotly

PLOTLY_JS = "plotly/plotly.min.js"
#: Live panels (book/_static/live/): loaded only on pages holding a panel placeholder.
LIVE_DIR = "live"
LIVE_JS = "live/itemsrel_live_bundle.js"
LIVE_CSS = "live/live.css"
LIVE_MARKER = 'class="itemsrel-live"'


def live_bundle(live_dir: Path) -> str:
    """The live panels' modules as ONE classic script (:func:`itemsrel.live_assets.book_script`:
    browsers refuse ES modules from ``file://`` pages, and the book must work opened from disk)."""
    from itemsrel.live_assets import book_script

    return book_script(live_dir)


def _copy_plotly(app: Any, config: Any) -> None:
    src = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    dest_root = Path(app.outdir).parent / "_plotly_static"
    dest = dest_root / PLOTLY_JS
    dest.parent.mkdir(parents=True, exist_ok=True)
    if not dest.exists() or dest.stat().st_size != src.stat().st_size:
        shutil.copyfile(src, dest)
    live_src = Path(app.confdir) / "book" / "_static" / LIVE_DIR
    if live_src.is_dir():
        bundle = dest_root / LIVE_JS
        bundle.parent.mkdir(parents=True, exist_ok=True)
        bundle.write_text(live_bundle(live_src), encoding="utf-8")
    config.html_static_path.append(str(dest_root))


def _add_plotly_where_needed(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    body = context.get("body", "")
    if "plotly-graph-div" in body or LIVE_MARKER in body:
        app.add_js_file(PLOTLY_JS, priority=100)
    if LIVE_MARKER in body:
        # live panels (itemsrel.live): the module imports itemsrel_live.mjs next to it
        app.add_js_file(LIVE_JS, priority=800)
        app.add_css_file(LIVE_CSS)


_MATHJAX2_SHIM = (
    "window.addEventListener('DOMContentLoaded', function () {"
    " var mj = window.MathJax; if (mj && !mj.Hub) { mj.Hub = { Queue: function (cmd) {"
    " var el = cmd && cmd[2]; if (el && mj.typesetPromise) {"
    " (mj.startup && mj.startup.promise ? mj.startup.promise : Promise.resolve())"
    ".then(function () { return mj.typesetPromise([el]); }); } } }; } });"
)


def _fix_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    scripts = context.get("script_files", [])
    kept, seen = [], set()
    for s in scripts:
        body = s.attributes.get("body", "") if hasattr(s, "attributes") else ""
        name = str(s)
        if "THEBE_JS_URL" in body or "sphinx-thebe.js" in name:
            continue
        if (name, body) in seen:
            continue
        seen.add((name, body))
        kept.append(s)
    scripts[:] = kept
    if "application/vnd.jupyter.widget-view+json" in context.get("body", ""):
        app.add_js_file(None, body=_MATHJAX2_SHIM, priority=900)


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _copy_plotly)
    app.connect("html-page-context", _add_plotly_where_needed)
    app.connect("html-page-context", _fix_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
