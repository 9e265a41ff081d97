"""Headless-browser checks of every page of the built book (``make book`` → ``_build/html``).

For each content page, served from a local ``http.server`` on 127.0.0.1 with every other request
aborted:

* offline: no request leaves the machine (the blocked URLs are listed on failure), and no local
  file the page asks for is missing (HTTP 404);
* no console errors and no uncaught JavaScript exceptions;
* every plotly figure (``.plotly-graph-div``) has drawn its ``svg.main-svg``;
* math markup, if any, has been typeset by MathJax (``mjx-container``, no ``mjx-merror``);
* every saved ipywidget view has been rendered by the HTML widget manager;
* every link of the left table of contents points at a file of the build;
* every frozen live panel (an ipywidgets explorer, which needs a kernel) says that it is live in
  JupyterLab (``make lab``) above a drawn snapshot; every dropdown of a 3-D figure opens with a
  mouse click after the mouse hovered the figure (plotly's mode bar must not cover it);
* what a reader sees at 1280×900: no code or output block scrolls horizontally
  (``scrollWidth <= clientWidth``), and no code block, output, table or figure reaches past the
  right edge of the article column; no visible ``NBVAL`` text (checked cells carry a tag); every
  figure of a cell output (outside live widgets) sits in a Sphinx ``figure`` whose caption carries
  Sphinx's number (``Fig. 3.1``);
* every chapter (``notebooks/*``) follows the template: the answer in one picture (a numbered
  figure, in the opening or the first section), then its sections, then "Checking the claims",
  "Explore", "Summary" and "Exercises", in that order, with at least one exercise and collapsed
  solutions.

Each page is loaded once. A screenshot of its first screen goes to
``_build/screenshots/<page path with / → ->.png``; with ``ITEMSREL_SCREENSHOTS=full`` the whole
page, and the whole page in the theme's dark mode to ``dark-<…>.png``, so that every figure can be
looked at in both modes.
Pages are discovered from the build, so new chapters are checked without touching this file.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

# Same default as conftest.py (needed at collection time, to parametrise over the pages).
SITE_DIR = Path(
    os.environ.get("ITEMSREL_SITE_DIR", Path(__file__).resolve().parents[2] / "_build" / "html")
).resolve()

# Generated, non-content pages of a Sphinx build.
SKIP_PAGES = {"search.html", "genindex.html", "py-modindex.html"}
MISSING_BUILD = "<missing build>"

PAGE_TIMEOUT_MS = 30_000  # navigation
RENDER_TIMEOUT_MS = 20_000  # plotly / MathJax / widgets after load
SETTLE_TIMEOUT_MS = 5_000  # late requests (fonts, MathJax extensions) after rendering
SHOT_TIMEOUT_MS = 120_000  # a full-page screenshot of a long chapter takes seconds
#: ``ITEMSREL_SCREENSHOTS=full``: full-page screenshots in light and dark mode (for looking at the
#: pages; slow: a chapter is ~20 000 px tall). Otherwise the first screen in light mode only.
FULL_SCREENSHOTS = os.environ.get("ITEMSREL_SCREENSHOTS", "") == "full"

MATH_MARKUP = re.compile(r"""class=["'][^"']*\bmath\b""")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
REDIRECT = re.compile(
    r"""<meta\s+http-equiv=["']refresh["']\s+content=["']\s*\d+\s*;\s*url=([^"']+)["']""", re.I
)
NAV_LINKS = "nav.bd-docs-nav a[href]"
#: pydata-sphinx-theme's dark mode, set the way its theme switch sets it.
DARK_MODE = """() => { const html = document.documentElement;
    html.dataset.mode = 'dark'; html.dataset.theme = 'dark';
    localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark'); }"""

# Console errors seen before, with where the fix belongs (printed under a failure).
KNOWN_CAUSES = {
    "THEBE_JS_URL": "sphinx-thebe (always loaded by Jupyter Book 1) writes its config script "
    "twice per page; thebe is off, so drop its scripts at html-page-context in book/_ext",
    "invalid theme mode": "pydata-sphinx-theme gets an empty default mode: set "
    "sphinx.config.html_context.default_mode (e.g. light) in _config.yml",
    "reading 'Queue'": "ipywidgets' HTML manager calls the MathJax 2 API MathJax.Hub.Queue on a "
    "MathJax 3 page: define a small MathJax.Hub.Queue shim on pages with widgets (book/_ext)",
}


def discover_pages() -> list[str]:
    """Content pages of the build, as paths relative to SITE_DIR (posix), sorted."""
    if not (SITE_DIR / "index.html").is_file():
        return []
    pages = []
    for path in sorted(SITE_DIR.rglob("*.html")):
        rel = path.relative_to(SITE_DIR)
        # _static, _sources, _images, _downloads, .ipynb_checkpoints, ...
        if any(part.startswith(("_", ".")) for part in rel.parts[:-1]):
            continue
        if rel.as_posix() in SKIP_PAGES:
            continue
        pages.append(rel.as_posix())
    return pages


PAGES = discover_pages() or [MISSING_BUILD]


def screenshot_name(page_path: str) -> str:
    return page_path.removesuffix(".html").replace("/", "-") + ".png"


def url_to_file(url: str, base: str) -> Path | None:
    """The file of the build a same-site URL points at (None for URLs outside the site)."""
    if not url.startswith(base):
        return None
    path = unquote(urlsplit(url).path)
    rel = path[len(urlsplit(base).path) :]
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return SITE_DIR / rel


# --------------------------------------------------------------------------------------------
# Waits: each returns a list of problems (empty when all is well).


def _wait_for(page, js: str, timeout_ms: int) -> bool:
    try:
        page.wait_for_function(js, timeout=timeout_ms, polling=100)
    except PlaywrightTimeout:
        return False
    return True


def check_plotly(page) -> list[str]:
    if page.locator(".plotly-graph-div").count() == 0:
        return []
    all_drawn = """() => [...document.querySelectorAll('.plotly-graph-div')]
        .every(d => d.querySelector('svg.main-svg'))"""
    if _wait_for(page, all_drawn, RENDER_TIMEOUT_MS):
        return []
    missing = page.evaluate(
        """() => [...document.querySelectorAll('.plotly-graph-div')]
            .filter(d => !d.querySelector('svg.main-svg')).map(d => '#' + (d.id || '?'))"""
    )
    plotly_loaded = page.evaluate("() => typeof window.Plotly !== 'undefined'")
    return [
        f"{len(missing)} plotly figure(s) not drawn after {RENDER_TIMEOUT_MS / 1000:.0f} s "
        f"(no svg.main-svg): {', '.join(missing)}; window.Plotly defined: {plotly_loaded}"
    ]


def check_math(page, raw_html: str) -> list[str]:
    if not MATH_MARKUP.search(raw_html):
        return []
    typeset = """() => { const m = [...document.querySelectorAll('.math')];
        return m.length > 0 && m.every(e => e.querySelector('mjx-container')); }"""
    problems = []
    if not _wait_for(page, typeset, RENDER_TIMEOUT_MS):
        info = page.evaluate(
            """() => { const m = [...document.querySelectorAll('.math')];
                return {total: m.length,
                        raw: m.filter(e => !e.querySelector('mjx-container'))
                              .slice(0, 5).map(e => e.textContent.trim().slice(0, 80)),
                        mathjax: typeof window.MathJax !== 'undefined'
                                 && !!(window.MathJax.startup || window.MathJax.Hub)}; }"""
        )
        problems.append(
            f"MathJax did not typeset the math after {RENDER_TIMEOUT_MS / 1000:.0f} s: "
            f"{len(info['raw'])}+ of {info['total']} .math elements still raw, e.g. {info['raw']}; "
            f"MathJax loaded: {info['mathjax']}"
        )
    errors = page.evaluate(
        "() => [...document.querySelectorAll('mjx-merror')].map(e => e.textContent.slice(0, 120))"
    )
    if errors:
        problems.append(f"{len(errors)} TeX error(s) in typeset math: {errors[:5]}")
    return problems


def check_widgets(page, raw_html: str) -> list[str]:
    if WIDGET_VIEW not in raw_html:
        return []
    all_rendered = f"""() => [...document.querySelectorAll('script[type="{WIDGET_VIEW}"]')]
        .every(s => s.parentElement.querySelector('.widget-subarea > *'))"""
    if _wait_for(page, all_rendered, RENDER_TIMEOUT_MS):
        return []
    n_blank = page.evaluate(
        f"""() => [...document.querySelectorAll('script[type="{WIDGET_VIEW}"]')]
            .filter(s => !s.parentElement.querySelector('.widget-subarea > *')).length"""
    )
    return [
        f"{n_blank} saved ipywidget view(s) left blank after {RENDER_TIMEOUT_MS / 1000:.0f} s "
        "(the HTML widget manager did not render them)"
    ]


def check_nav_links(page, base: str, page_path: str) -> list[str]:
    if page.locator("nav.bd-docs-nav").count() == 0:
        return ["no left table of contents (nav.bd-docs-nav) on the page"]
    hrefs = page.eval_on_selector_all(
        NAV_LINKS, "as => as.map(a => [a.getAttribute('href'), a.href])"
    )
    if not hrefs:
        return ["the left table of contents (nav.bd-docs-nav) has no links"]
    problems = []
    for raw, absolute in hrefs:
        target = url_to_file(absolute, base)
        if target is None:
            problems.append(f"sidebar link {raw!r} leaves the site ({absolute})")
        elif not target.is_file():
            rel = target.relative_to(SITE_DIR) if target.is_relative_to(SITE_DIR) else target
            problems.append(f"sidebar link {raw!r} points at a missing file: {rel}")
    return problems


# --------------------------------------------------------------------------------------------
# The page a reader sees.

CHAPTER = re.compile(r"^notebooks/\d\d_[^/]+\.html$")
#: The chapter template's named sections, in order (a heading starts with its name).
TEMPLATE = ["Checking the claims", "Explore", "Summary", "Exercises"]

# Elements whose content must fit: code and output blocks, tables, figures (inside the article).
JS_MEASURE = """() => {
    const article = document.querySelector('article.bd-article') || document.querySelector('main');
    if (!article) return {error: 'no article element'};
    const right = article.getBoundingClientRect().right;
    const describe = el => {
        const cls = (el.className && el.className.baseVal === undefined) ? el.className : '';
        const text = (el.innerText || el.textContent || '').trim().split('\\n')[0].slice(0, 70);
        return `${el.tagName.toLowerCase()}.${String(cls).split(' ')[0]} «${text}»`;
    };
    const inWidget = el => !!el.closest('.jupyter-widgets, .widget-subarea, .cell_output .output.text_html .widget-area');
    const scrolls = [];
    for (const el of article.querySelectorAll('pre, div.highlight, div.cell_output, div.output, '
                                              + 'div.cell_output table, div.pst-scrollable-table-container')) {
        if (el.offsetParent === null) continue;           // not shown (collapsed, removed)
        if (el.scrollWidth > el.clientWidth + 1)
            scrolls.push(`${describe(el)} scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
    }
    const cut = [];
    for (const el of article.querySelectorAll('pre, table, .plotly-graph-div, div.cell_output img')) {
        if (el.offsetParent === null || inWidget(el)) continue;
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > right + 1)
            cut.push(`${describe(el)} right edge ${Math.round(r.right)} > column ${Math.round(right)}`);
    }
    const figures = [];
    for (const el of article.querySelectorAll('div.cell_output .plotly-graph-div, div.cell_output img')) {
        if (inWidget(el)) continue;
        const fig = el.closest('figure');
        const number = fig && fig.querySelector('figcaption .caption-number');
        if (!number || !/\\d/.test(number.textContent))
            figures.push(`${el.tagName.toLowerCase()}#${el.id || '?'} after «${
                (el.closest('.cell') && el.closest('.cell').previousElementSibling
                 ? el.closest('.cell').previousElementSibling.innerText : '').trim().slice(0, 60)}»`);
    }
    const nbval = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!/NBVAL/.test(n.textContent)) continue;
        const el = n.parentElement;
        if (el && el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden')
            nbval.push(n.textContent.trim().slice(0, 60));
    }
    const headings = [...article.querySelectorAll('section > h2')].map(h =>
        h.textContent.replace(/[#¶]/g, '').replace(/^\\s*[\\d.]+\\s*/, '').trim());
    // the answer in one picture: a numbered figure before the second section (in the opening or
    // in a first section that presents it)
    const h2s = [...article.querySelectorAll('section > h2')];
    const firstFig = article.querySelector('figure');
    const pictureFirst = !!(firstFig && (h2s.length < 2 ||
        (firstFig.compareDocumentPosition(h2s[1]) & Node.DOCUMENT_POSITION_FOLLOWING)));
    const exercises = article.querySelectorAll('.exercise').length;
    const solutions = [...article.querySelectorAll('.solution')];
    const openSolutions = solutions.filter(s => {
        const body = s.querySelector('.admonition-body, section, .solution-content, p:not(.admonition-title)');
        return (s.tagName === 'DETAILS' && s.open) || (s.tagName !== 'DETAILS' && !s.classList.contains('toggle-hidden')
                && !s.classList.contains('dropdown') && body && body.offsetParent !== null);
    }).length;
    return {scrolls, cut, figures, nbval, headings, pictureFirst, exercises,
            solutions: solutions.length, openSolutions};
}"""


def template_problems(headings: list[str]) -> list[str]:
    """The template's sections missing or out of order among the chapter's ``<h2>`` titles."""
    positions = []
    for name in TEMPLATE:
        hits = [i for i, h in enumerate(headings) if h == name or h.startswith(name + ":")]
        if not hits:
            return [f"no section {name!r} (sections: {headings})"]
        positions.append(hits[0])
    if positions != sorted(positions):
        return [f"template sections out of order, expected {TEMPLATE}; sections: {headings}"]
    if positions[0] == 0:
        return [f"no chapter sections before {TEMPLATE[0]!r}: {headings}"]
    return []


def layout_problems(page, page_path: str) -> list[str]:
    """What a reader would see wrong at 1280 px: scrolling or cut blocks, NBVAL text, unnumbered
    figures, and for a chapter the template (sections, picture first, exercises, solutions)."""
    result = page.evaluate(JS_MEASURE)
    problems: list[str] = []
    if "error" in result:
        return [result["error"]]
    if result["scrolls"]:
        problems.append(
            f"{len(result['scrolls'])} block(s) scroll horizontally:\n      "
            + "\n      ".join(result["scrolls"][:12])
        )
    if result["cut"]:
        problems.append(
            f"{len(result['cut'])} element(s) reach past the column:\n      "
            + "\n      ".join(result["cut"][:12])
        )
    if result["nbval"]:
        problems.append(f"visible NBVAL text: {result['nbval'][:5]}")
    if result["figures"]:
        problems.append(
            f"{len(result['figures'])} figure(s) without a numbered caption:\n      "
            + "\n      ".join(result["figures"][:12])
        )
    if CHAPTER.match(page_path):
        problems += template_problems(result["headings"])
        if not result["pictureFirst"]:
            problems.append("no figure (the answer in one picture) before the second section")
        if result["exercises"] == 0:
            problems.append("no sphinx-exercise exercise under Exercises")
        if result["solutions"] == 0:
            problems.append("no solutions (sphinx-exercise `solution` directives)")
        if result["openSolutions"]:
            problems.append(f"{result['openSolutions']} solution(s) shown open (must be collapsed)")
    return problems


# --------------------------------------------------------------------------------------------
# Live panels (frozen ipywidgets in a static page) and the menus of 3-D figures.

#: Chapter pages that must carry live panels (the explorers); any other page may have some.
PANEL_PAGES = {
    f"notebooks/{stem}.html"
    for stem in (
        "01_symmetry",
        "02_linear",
        "03_nonlinear",
        "04_regularisation",
        "05_arc",
        "07_representations",
        "08_group_words",
    )
}
#: Chapter pages that must have a 3-D figure with a dropdown menu.
MENU_PAGES = {"notebooks/02_linear.html", "notebooks/03_nonlinear.html"}


def check_live_notes(page, page_path: str) -> list[str]:
    """Every frozen live panel says it is live in JupyterLab (``make lab``) above a drawn snapshot."""
    if page_path in PANEL_PAGES and not _wait_for(
        page, "() => document.querySelectorAll('.itemsrel-live-panel').length > 0", 20_000
    ):
        return ["no live panel (.itemsrel-live-panel) on a chapter that has one"]
    panels = page.evaluate(
        """() => [...document.querySelectorAll('.itemsrel-live-panel')].map(p => ({
            note: (p.querySelector('.itemsrel-static-note') || {}).innerText || '',
            plots: p.querySelectorAll('.itemsrel-live-area .js-plotly-plot svg.main-svg').length,
            text: (p.querySelector('.itemsrel-live-area') || {innerText: ''}).innerText.length}))"""
    )
    problems = []
    for k, p in enumerate(panels):
        if not ("Live in JupyterLab" in p["note"] and "make lab" in p["note"]):
            problems.append(f"live panel {k} has no 'Live in JupyterLab (make lab)' note")
        if p["plots"] < 1 or p["text"] == 0:
            problems.append(f"live panel {k} shows no snapshot")
    return problems


def check_3d_menus(page, page_path: str) -> list[str]:
    """Every dropdown of a 3-D figure opens with a mouse click after the mouse hovered the figure
    (hovering shows plotly's mode bar, under which a menu would not open)."""
    plots = page.locator(".js-plotly-plot:has(.gl-container):has(.updatemenu-header-group)")
    if plots.count() == 0:
        return ["no 3-D figure with a menu"] if page_path in MENU_PAGES else []
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
    return [f"3-D figures whose menu did not open with a click: {failures}"] if failures else []


# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page_path", PAGES)
def test_page(page_path: str, request: pytest.FixtureRequest) -> None:
    if page_path == MISSING_BUILD:
        pytest.fail(
            f"No built book: {SITE_DIR / 'index.html'} is missing. Run `make book` first.",
            pytrace=False,
        )
    browser = request.getfixturevalue("browser")
    site_server: str = request.getfixturevalue("site_server")
    screenshot_dir: Path = request.getfixturevalue("screenshot_dir")
    offline_guard = request.getfixturevalue("offline_guard")
    t0 = time.monotonic()
    raw_html = (SITE_DIR / page_path).read_text(encoding="utf-8", errors="replace")

    redirect = REDIRECT.search(raw_html)
    if redirect and "<body" not in raw_html.lower():
        # e.g. the index.html that Jupyter Book writes as a redirect to the root document.
        target = urljoin(urljoin(site_server, page_path), redirect.group(1).strip())
        target_file = url_to_file(target, site_server)
        if target_file is None or not target_file.is_file():
            pytest.fail(
                f"{page_path} redirects to {redirect.group(1)!r}, which is not a file of the build",
                pytrace=False,
            )
        return

    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    guard = offline_guard().install(context)
    is_local = offline_guard.is_local
    console_errors: list[str] = []
    missing_local: list[str] = []
    page = context.new_page()
    page.set_default_timeout(RENDER_TIMEOUT_MS)

    def on_console(msg) -> None:
        if msg.type == "error":
            loc = msg.location or {}
            where = f" [{loc.get('url', '')}:{loc.get('lineNumber', '')}]" if loc.get("url") else ""
            console_errors.append(f"console.error: {msg.text}{where}")

    def on_response(response) -> None:
        if response.status >= 400 and is_local(response.url):
            missing_local.append(f"HTTP {response.status} {response.url}")

    def on_request_failed(request) -> None:
        if is_local(request.url):
            missing_local.append(f"failed ({request.failure}) {request.url}")

    page.on("console", on_console)

    def on_page_error(exc) -> None:
        frames = [
            ln.strip() for ln in (exc.stack or "").splitlines() if ln.strip().startswith("at ")
        ]
        console_errors.append(f"uncaught exception: {exc}" + (f" [{frames[0]}]" if frames else ""))

    page.on("pageerror", on_page_error)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)

    problems: list[str] = []
    try:
        page.goto(urljoin(site_server, page_path), wait_until="load", timeout=PAGE_TIMEOUT_MS)
        problems += check_plotly(page)
        problems += check_math(page, raw_html)
        problems += check_widgets(page, raw_html)
        try:  # let late requests (fonts, lazily loaded MathJax parts) happen before judging
            page.wait_for_load_state("networkidle", timeout=SETTLE_TIMEOUT_MS)
        except PlaywrightTimeout:
            pass  # a page that never goes idle is judged as it is
        problems += check_nav_links(page, site_server, page_path)
        problems += layout_problems(page, page_path)
        problems += check_live_notes(page, page_path)
        shot = screenshot_dir / screenshot_name(page_path)
        page.screenshot(path=str(shot), full_page=FULL_SCREENSHOTS, timeout=SHOT_TIMEOUT_MS)
        if FULL_SCREENSHOTS:
            # the theme's dark mode, switched as its own button does (no second page load)
            page.evaluate(DARK_MODE)
            page.wait_for_timeout(200)
            page.screenshot(
                path=str(shot.with_name("dark-" + shot.name)),
                full_page=True,
                timeout=SHOT_TIMEOUT_MS,
            )
        problems += check_3d_menus(page, page_path)
    finally:
        context.close()

    if guard.blocked:
        problems.insert(
            0,
            f"{len(guard.blocked)} request(s) to the network (aborted; the book must work "
            "offline):\n      " + "\n      ".join(guard.blocked),
        )
    if missing_local:
        problems.insert(
            1 if guard.blocked else 0,
            "missing local files:\n      " + "\n      ".join(dict.fromkeys(missing_local)),
        )
    if console_errors:
        problems.append(
            f"{len(console_errors)} console error(s):\n      " + "\n      ".join(console_errors)
        )
        hints = {
            hint for key, hint in KNOWN_CAUSES.items() if any(key in e for e in console_errors)
        }
        problems += [f"hint: {hint}" for hint in sorted(hints)]
    if problems:
        pytest.fail(
            f"{page_path} ({time.monotonic() - t0:.1f} s):\n  - " + "\n  - ".join(problems),
            pytrace=False,
        )
