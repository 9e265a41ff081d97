"""The chapter template's check, and MyST in JupyterLab.

The page-by-page checks of the built book (layout at 1280 px, template, screenshots in light and
dark mode) run in ``test_site.py``, one page load each. Here:

* the template check itself accepts the template and rejects a missing or swapped section;
* one chapter is opened in JupyterLab (``jupyterlab-myst`` installed with the book extra): its
  first citation must render as a citation element, not as raw ``{cite}`` text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_lab_widgets import LAB_ROOT, LabServer, _kernel_idle_js, _wait, lab_server  # noqa: F401
from test_site import template_problems

#: The chapter opened in JupyterLab for the citation check.
LAB_CHAPTER = "notebooks/02_linear.ipynb"


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
