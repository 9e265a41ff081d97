"""The page a reader sees, at 1280×900 in Chromium (``make book`` → ``_build/html``).

For every content page of the built book:

* no code or output block scrolls horizontally (``scrollWidth <= clientWidth``), and no code
  block, output, table or figure reaches past the right edge of the article column (cut off);
* no visible ``NBVAL`` text (checked cells carry a tag, not a comment);
* every figure of a cell output (plotly figure or image, outside live widgets) sits in a Sphinx
  ``figure`` whose caption carries Sphinx's number (``Fig. 3.1``);
* every chapter (``notebooks/*``) follows the template: the answer in one picture (a numbered
  figure, in the opening or the first section), then its sections, then "Checking the claims", "Explore",
  "Summary" and "Exercises", in that order, with at least one exercise and collapsed solutions.

A screenshot of every page in the theme's dark mode goes to
``_build/screenshots/dark-<page>.png`` (``test_site.py`` takes the light ones), so that figures can
be looked at in both modes.

One chapter is also opened in JupyterLab (``jupyterlab-myst`` installed with the book extra): its
first citation must render as a link, not as raw ``{cite}`` text.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_lab_widgets import LAB_ROOT, LabServer, _kernel_idle_js, _wait, lab_server  # noqa: F401
from test_site import MISSING_BUILD, PAGES, REDIRECT, SITE_DIR, check_plotly, screenshot_name

PAGE_TIMEOUT_MS = 120_000  # generous: the shared test machine can be very busy
CHAPTER = re.compile(r"^notebooks/\d\d_[^/]+\.html$")
#: The chapter template's named sections, in order (a heading starts with its name).
TEMPLATE = ["Checking the claims", "Explore", "Summary", "Exercises"]
#: The chapter opened in JupyterLab for the citation check.
LAB_CHAPTER = "notebooks/02_linear.ipynb"

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


def _is_redirect(page_path: str) -> bool:
    raw = (SITE_DIR / page_path).read_text(encoding="utf-8", errors="replace")
    return bool(REDIRECT.search(raw)) and "<body" not in raw.lower()


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


@pytest.mark.parametrize("page_path", PAGES)
def test_page_reads_well(page_path: str, request: pytest.FixtureRequest) -> None:
    if page_path == MISSING_BUILD:
        pytest.fail(f"No built book: {SITE_DIR / 'index.html'} is missing. Run `make book`.")
    if _is_redirect(page_path):
        return
    browser = request.getfixturevalue("browser")
    site_server: str = request.getfixturevalue("site_server")
    screenshot_dir: Path = request.getfixturevalue("screenshot_dir")
    offline_guard = request.getfixturevalue("offline_guard")
    t0 = time.monotonic()
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, service_workers="block", color_scheme="dark"
    )
    offline_guard().install(context)
    # the theme's own switch: pydata-sphinx-theme reads its mode from localStorage
    context.add_init_script(
        "localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');"
    )
    page = context.new_page()
    try:
        page.goto(urljoin(site_server, page_path), wait_until="load", timeout=PAGE_TIMEOUT_MS)
        problems = check_plotly(page)
        result = page.evaluate(JS_MEASURE)
        page.screenshot(
            path=str(screenshot_dir / ("dark-" + screenshot_name(page_path))), full_page=True
        )
    finally:
        context.close()
    if "error" in result:
        pytest.fail(f"{page_path}: {result['error']}")
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
    if problems:
        pytest.fail(
            f"{page_path} ({time.monotonic() - t0:.1f} s):\n  - " + "\n  - ".join(problems),
            pytrace=False,
        )


def test_template_problems_are_found() -> None:
    """The template check itself: accepts the template, rejects a missing or swapped section."""
    good = ["Items", "Why", "Checking the claims", "Explore: live", "Summary", "Exercises"]
    assert template_problems(good) == []
    assert template_problems(["Items", "Explore", "Checking the claims", "Summary", "Exercises"])
    assert template_problems(["Items", "Checking the claims", "Explore", "Summary"])
    assert template_problems(["Checking the claims", "Explore", "Summary", "Exercises"])


JS_CITATION = """() => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    if (!panel) return null;
    const outside = e => !e.closest('.cm-editor, .jp-InputArea-editor');
    const cells = [...panel.querySelectorAll('.jp-MarkdownCell')];
    const els = cells.flatMap(c => [...c.querySelectorAll('*')]).filter(outside);
    if (!els.some(e => e.tagName === 'P')) return null;          // nothing rendered yet
    const text = els.filter(e => e.tagName === 'P' || e.tagName === 'LI')
        .map(e => e.textContent).join('\\n');
    const hits = els.filter(e => /krause2024items|Krause/.test(e.textContent)
        && ![...e.children].some(c => /krause2024items|Krause/.test(c.textContent)));
    const cite = hits[0];
    return {raw: /\\{cite(:[a-z]+)?\\}/.test(text), first: text.slice(0, 200),
            link: cite ? {tag: cite.tagName, cls: String(cite.className).slice(0, 80),
                          text: cite.textContent.trim().slice(0, 60),
                          href: cite.closest('a') ? cite.closest('a').getAttribute('href') : null}
                       : null};
}"""


JS_CITATION_CONTEXT = """() => {
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    const hits = [...panel.querySelectorAll('.jp-MarkdownCell *')].filter(e =>
        !e.closest('.cm-editor') && e.children.length === 0 && /krause2024items/.test(e.textContent));
    return hits.slice(0, 3).map(e => e.parentElement.outerHTML.slice(0, 400));
}"""


def test_lab_renders_myst(lab_server: LabServer, browser, screenshot_dir: Path) -> None:  # noqa: F811
    """A chapter opened in JupyterLab shows its first citation as a link, not raw ``{cite}``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    try:
        page.goto(
            f"{lab_server.base}lab/tree/{LAB_CHAPTER}?token={lab_server.token}", timeout=60_000
        )
        _wait(page, JS_CITATION, 60_000, "the chapter's markdown to render", lab_server)
        try:
            page.wait_for_function(
                f"() => {{ const r = ({JS_CITATION})(); return r && (r.link || r.raw); }}",
                timeout=30_000,
                polling=250,
            )
        except PlaywrightTimeout:
            page.screenshot(path=str(screenshot_dir / "lab-myst.png"))
            snippet = page.evaluate(JS_CITATION_CONTEXT)
            pytest.fail(f"no citation link and no raw {{cite}} after 30 s; around it: {snippet}")
        result = page.evaluate(JS_CITATION)
        page.screenshot(path=str(screenshot_dir / "lab-myst.png"))
    finally:
        lab_server.shutdown_session(LAB_CHAPTER)
        context.close()
    assert not result["raw"], f"raw {{cite}} text in JupyterLab: {result['first']!r}"
    # jupyterlab-myst renders the role as a citation element of its own (not paragraph text);
    # it links it only when it can resolve the key (it does not read book/references.bib)
    assert result["link"], f"the first citation did not render: {result}"
    assert result["link"]["tag"] not in {"P", "LI", "DIV"}, f"citation left as text: {result}"
