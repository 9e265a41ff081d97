"""Live widgets in JupyterLab: open a chapter, run all cells, operate every control of its live panels.

A JupyterLab server from the project's environment is started on 127.0.0.1 (free port, random
token, user settings and workspaces in a temporary folder so that no stale per-user state
interferes, autosave off) once per test session and stopped — with its kernels — at its end. The notebook
file is never saved: autosave is off, the page is closed without saving, and the test checks the
file's bytes are unchanged afterwards.

Environment variables (optional): ``ITEMSREL_LAB_ROOT`` (server root, default the repository),
``ITEMSREL_SCREENSHOT_DIR`` (see conftest.py), ``ITEMSREL_LATENCY_DIR`` (latency JSON per chapter,
default the screenshot folder: per panel, ``latency_ms`` input to redraw and the kernel's share,
``compute_ms`` and ``sync_ms``, of every change), ``ITEMSREL_LATENCY_CHANGES`` (the benchmark:
changes per panel, cycling through all its controls). Screenshots: ``lab-panel-<stem>-<k>-before/after.png``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO = Path(__file__).resolve().parents[2]
VENV = REPO / ".venv"
LAB_ROOT = Path(os.environ.get("ITEMSREL_LAB_ROOT", REPO)).resolve()

SERVER_START_TIMEOUT_S = 60
LAB_LOAD_TIMEOUT_MS = 60_000  # JupyterLab shell + notebook open
KERNEL_IDLE_TIMEOUT_MS = 60_000  # kernel start
RUN_ALL_TIMEOUT_MS = 300_000  # executing every cell of a chapter
RUN_ALL_START_TIMEOUT_MS = 10_000  # until the first cell is queued after "Run All"
SLIDER_TIMEOUT_MS = 30_000  # the first live panel shows up

# Lab settings for a reproducible, side-effect-free session.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    # Every cell in the DOM (no virtual scrolling), so prompts and outputs can be inspected.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}

# ---------------------------------------------------------------------------------------------
# JavaScript run in the page.

JS_KERNEL_STATUS = """() => {
    const bar = document.querySelector('#jp-main-statusbar');
    return bar ? bar.innerText.replace(/\\s+/g, ' ') : '';
}"""

JS_PROMPTS = """() => [...document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')]
    .map(p => p.textContent.trim())"""

JS_ERRORS = """() => [...document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) ' +
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')]
    .map(e => e.innerText.slice(0, 2000))"""

# ---------------------------------------------------------------------------------------------
# The server.


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    def __init__(self, base: str, token: str, proc: subprocess.Popen, log: Path) -> None:
        self.base, self.token, self.proc, self.log = base, token, proc, log

    def api(self, method: str, path: str, timeout: float = 10) -> object:
        req = urllib.request.Request(
            self.base + path.lstrip("/"),
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"

    def shutdown_session(self, path: str) -> None:
        """Shut down the kernel(s) of the notebook at ``path`` (best effort)."""
        with contextlib.suppress(Exception):
            for session in self.api("GET", "api/sessions"):
                if session.get("path") == path:
                    self.api("DELETE", f"api/sessions/{session['id']}")


def _descendants(pid: int) -> list:
    try:
        import psutil

        return psutil.Process(pid).children(recursive=True)
    except Exception:  # psutil missing or process gone
        return []


def _stop(server: LabServer) -> list[str]:
    """Stop the server and every process it started; returns the ids of any survivors."""
    proc = server.proc
    children = _descendants(proc.pid)  # kernels run in sessions of their own
    if proc.poll() is None:
        with contextlib.suppress(Exception):
            for kernel in server.api("GET", "api/kernels", timeout=5):
                server.api("DELETE", f"api/kernels/{kernel['id']}", timeout=10)
        with contextlib.suppress(Exception):
            server.api("POST", "api/shutdown", timeout=5)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
    survivors = []
    for child in children:
        with contextlib.suppress(Exception):
            if child.is_running() and child.status() != "zombie":
                child.kill()
                survivors.append(str(child.pid))
    return survivors


@pytest.fixture(scope="session")
def lab_server() -> Iterator[LabServer]:
    exe = VENV / "bin" / "jupyter-lab"
    if not exe.exists():
        pytest.fail(f"{exe} not found: create the environment with `make install`.", pytrace=False)
    with tempfile.TemporaryDirectory(prefix="itemsrel-lab-") as tmp_str:
        tmp = Path(tmp_str)
        settings = tmp / "user-settings"
        for plugin, values in LAB_SETTINGS.items():
            f = settings / f"{plugin}.jupyterlab-settings"
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text(json.dumps(values))
        port, token = _free_port(), secrets.token_hex(24)
        env = {
            **os.environ,
            "JUPYTER_DATA_DIR": str(VENV / "share" / "jupyter"),
            "JUPYTER_CONFIG_DIR": str(VENV / "etc" / "jupyter"),
            "JUPYTER_PLATFORM_DIRS": "1",
            "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),  # connection files: not in the venv
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
        cmd = [
            str(exe),
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={LAB_ROOT}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",  # no PyPI queries
        ]
        if os.geteuid() == 0:  # containers and CI often run as root
            cmd.append("--allow-root")
        log = tmp / "lab.log"
        with open(log, "wb") as log_file:
            proc = subprocess.Popen(
                cmd,
                cwd=LAB_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, killed as one at the end
            )
        server = LabServer(f"http://127.0.0.1:{port}/", token, proc, log)
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while True:
                if proc.poll() is not None:
                    pytest.fail(
                        f"jupyter-lab exited with code {proc.returncode} before answering:\n"
                        + server.log_tail(),
                        pytrace=False,
                    )
                try:
                    server.api("GET", "api/status", timeout=2)
                    break
                except (urllib.error.URLError, OSError):
                    if time.monotonic() > deadline:
                        pytest.fail(
                            f"jupyter-lab did not answer on {server.base} within "
                            f"{SERVER_START_TIMEOUT_S} s:\n" + server.log_tail(),
                            pytrace=False,
                        )
                    time.sleep(0.3)
            yield server
        finally:
            survivors = _stop(server)
        assert not survivors, f"had to kill leftover processes of jupyter-lab: {survivors}"


# ---------------------------------------------------------------------------------------------


def _wait(page, js: str, timeout_ms: int, what: str, server: LabServer, arg=None) -> None:
    try:
        page.wait_for_function(js, arg=arg, timeout=timeout_ms, polling=250)
    except PlaywrightTimeout:
        status = page.evaluate(JS_KERNEL_STATUS)
        prompts = page.evaluate(JS_PROMPTS)
        pytest.fail(
            f"timed out after {timeout_ms / 1000:.0f} s waiting for {what}.\n"
            f"status bar: {status!r}\nprompts: {prompts}\nserver log:\n{server.log_tail(15)}",
            pytrace=False,
        )


def _kernel_idle_js() -> str:
    return f"""() => /\\|\\s*Idle\\b/.test(({JS_KERNEL_STATUS})())"""


def _run_all(page) -> None:
    """Run > Run All Cells, through the menu bar (command ``runmenu:run-all``)."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    item = page.locator('.lm-Menu-item[data-command="runmenu:run-all"]')
    item.wait_for(state="visible", timeout=10_000)
    item.click()


# ---------------------------------------------------------------------------------------------
# Live panels (itemsrel.widgets.controls.LivePanel): every control of every panel, in JupyterLab.

#: Chapters with live panels: (operate every control, stress the 3-D panel and click the menus).
#: Chapters 2–4 share one explorer: every control is operated in chapter 2, the 100-change stress
#: runs once, in chapter 3 (the page with the most 3-D figures; its Figure 3.1 went blank
#: before), chapter 4 changes its first control. Every 3-D figure's dropdown menu is clicked in
#: chapters 2 and 3 (the only pages with 3-D dropdowns).
PANEL_NOTEBOOKS = {
    "notebooks/01_symmetry.ipynb": (True, False),
    "notebooks/02_linear.ipynb": (True, False),
    "notebooks/03_nonlinear.ipynb": (False, True),
    "notebooks/04_regularisation.ipynb": (False, False),
    "notebooks/05_arc.ipynb": (True, False),
    "notebooks/06_beyond_three.ipynb": (True, False),
    "notebooks/07_representations.ipynb": (True, False),
    "notebooks/08_group_words.ipynb": (True, False),
}
PANEL_CHANGE_TIMEOUT_MS = 120_000  # one recompute (chapter 8 trains a network per change)
STRESS_CHANGES = 100  # changes of a 3-D panel before every 3-D figure must still draw

# Install change trackers on every live panel: the time of the last DOM change or plotly redraw
# inside its output area. Returns the number of panels.
JS_TRACK_PANELS = """() => {
    const panels = [...document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .itemsrel-live-panel')];
    panels.forEach((panel, k) => {
        panel.setAttribute('data-itemsrel-panel', k);
        if (panel.__itemsrel) return;
        const st = panel.__itemsrel = {last: 0, input: null, armed: false};
        // the reader's input event (the last one while armed: a number box sends on Enter, a
        // text area when it loses the focus), recorded in the capture phase
        const controls = panel.querySelector('.itemsrel-controls');
        for (const ev of ['keydown', 'pointerdown', 'click', 'input', 'change', 'focusout']) {
            controls.addEventListener(ev, () => { if (st.armed) st.input = performance.now(); }, true);
        }
        const area = panel.querySelector('.itemsrel-live-area');
        const hook = () => area.querySelectorAll('.js-plotly-plot').forEach(gd => {
            if (gd.__itemsrelHooked || !gd.on) return;
            gd.__itemsrelHooked = true;
            gd.on('plotly_afterplot', () => { st.last = performance.now(); });
        });
        new MutationObserver(() => { st.last = performance.now(); hook(); })
            .observe(area, {subtree: true, childList: true, characterData: true, attributes: true});
        hook();
    });
    return panels.length;
}"""

# What a panel shows: its text and its figures' data (a string that changes when it redraws).
JS_PANEL_STATE = """(k) => {
    const panel = document.querySelector(`[data-itemsrel-panel="${k}"]`);
    const area = panel.querySelector('.itemsrel-live-area');
    // plotly figures: their data; SVG figures (itemsrel.widgets.svg): a hash of their markup
    const hash = (s) => { let h = 0; for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0; return 'svg:' + s.length + ':' + h; };
    const figs = [...area.querySelectorAll('.js-plotly-plot, .il-fig:not([hidden])')].map(gd =>
        gd.classList.contains('il-fig') ? hash(gd.innerHTML) : JSON.stringify(
        (gd.data || []).map(t => [t.x, t.y, t.z, t.text, t.i])));
    const status = panel.querySelector('.itemsrel-status');
    const mark = panel.querySelector('.itemsrel-timing');  // the kernel's share (LivePanel)
    const ms = (name) => mark ? parseFloat(mark.getAttribute(name)) : null;
    return {text: area.innerText, figs: figs, status: status ? status.innerText : '',
            last: panel.__itemsrel.last, input: panel.__itemsrel.input, now: performance.now(),
            // the SVG figures' last drawn spec numbers (itemsrel.widgets.svg): a new one per
            // recompute, or the widget stopped drawing
            svg_gen: [...area.querySelectorAll('.il-lab')].map(e => e.dataset.gen || ''),
            compute_ms: ms('data-compute-ms'), sync_ms: ms('data-sync-ms'),
            redraw: mark ? mark.getAttribute('data-redraw') : null};
}"""

# Settled: not busy, something changed after t0, and nothing for `quiet` ms.
JS_SETTLED = """([k, t0, quiet]) => {
    const panel = document.querySelector(`[data-itemsrel-panel="${k}"]`);
    const status = panel.querySelector('.itemsrel-status');
    const busy = status && status.innerText.includes('⏳');
    const last = panel.__itemsrel.last;
    return !busy && last > t0 && performance.now() - last > quiet;
}"""

# Figures of panel k that drew nothing (no trace, heat map, shape or 3-D scene on screen; an SVG
# figure without its cells, bars, line or marks).
JS_UNDRAWN = """(k) => {
    const area = document.querySelector(`[data-itemsrel-panel="${k}"] .itemsrel-live-area`);
    return [...area.querySelectorAll('.js-plotly-plot, .il-fig:not([hidden])')].map((gd, i) => {
        const n = gd.querySelectorAll(
            '.cartesianlayer .trace, .heatmaplayer .hm, .shapelayer path, .gl-container canvas, ' +
            'svg .il-cell, svg .il-bar, svg .il-line, svg .il-mark, svg .il-edge').length;
        return n ? null : i;
    }).filter(i => i !== null);
}"""

# Every WebGL canvas of the page still has its context.
JS_GL_ALIVE = """() => [...document.querySelectorAll('.js-plotly-plot canvas')]
    .map(c => { const gl = c.__itemsrelGl || (c.__itemsrelGl = c.getContext('webgl2')
                                              || c.getContext('webgl'));
                return gl ? !gl.isContextLost() : null; })
    .filter(v => v !== null)"""


def _controls_of(page, k: int) -> list:
    """The operable controls of panel k, in order: (kind, locator, label)."""
    box = page.locator(f'[data-itemsrel-panel="{k}"] .itemsrel-controls').first
    found = []
    for kind, sel in [
        ("select", ".widget-dropdown select"),
        ("slider", ".widget-slider .noUi-handle"),
        ("number", ".widget-text input[type=number]"),
        ("text", ".widget-combobox input"),
        ("textarea", ".widget-textarea textarea"),
        ("toggle", ".widget-toggle-button"),
    ]:
        loc = box.locator(sel)
        for i in range(loc.count()):
            item = loc.nth(i)
            label = item.evaluate(
                "e => { const w = e.closest('.widget-inline-hbox') || e.parentElement;"
                " const l = w && w.querySelector('.widget-label'); return l ? l.innerText : ''; }"
            )
            found.append((kind, item, label))
    return found


def _operate(page, kind: str, item, step: int) -> str:
    """Change one control; returns the value it was set to (for the report)."""
    if kind == "select":
        options = item.evaluate("e => [...e.options].map(o => o.value)")
        current = item.evaluate("e => e.value")
        choice = options[(options.index(current) + 1) % len(options)]
        item.select_option(choice)
        return choice
    if kind == "slider":
        item.focus()
        end = item.evaluate(
            "e => { const v = e.getAttribute('aria-valuenow');"
            " return v === e.getAttribute('aria-valuemax') ? 'max'"
            " : v === e.getAttribute('aria-valuemin') ? 'min' : ''; }")
        # a slider at an end moves inwards (a key towards the end changes nothing)
        left = end == "max" or (end != "min" and step % 2 == 1)
        item.press("ArrowLeft" if left else "ArrowRight")
        return item.get_attribute("aria-valuenow") or ""
    if kind == "number":
        value = str(int(item.input_value() or 0) + 1)
        item.fill(value)
        item.press("Enter")
        return value
    if kind == "text":
        item.fill("x*y*x")
        item.press("Enter")
        return "x*y*x"
    if kind == "textarea":  # patterns, one per line; sent when the box loses the focus
        value = "0110\n1001" if item.input_value().strip() != "0110\n1001" else "101\n110"
        item.fill(value)
        item.evaluate("e => e.blur()")
        return value.replace("\n", " ")
    item.click()
    return "toggled"


def _arm(page, k: int) -> float:
    """Start timing a change of panel k: returns the page's clock now; the panel records the
    time of the input event the next action causes (see ``JS_TRACK_PANELS``)."""
    return page.evaluate(
        """(k) => { const st = document.querySelector(`[data-itemsrel-panel="${k}"]`).__itemsrel;
                    st.armed = true; st.input = null; return performance.now(); }""",
        k,
    )


def _settle(page, k: int, t0: float, what: str, server, quiet: int = 200) -> dict:
    """Wait until panel k has redrawn after ``t0`` and stayed quiet for ``quiet`` ms; returns its
    state with ``latency_ms`` added: from the input event (recorded after :func:`_arm`; else
    ``t0``, which also counts the test's own round trips to the browser) to the last redraw."""
    try:
        page.wait_for_function(
            JS_SETTLED, arg=[k, t0, quiet], timeout=PANEL_CHANGE_TIMEOUT_MS, polling=50
        )
    except PlaywrightTimeout:
        state = page.evaluate(JS_PANEL_STATE, k)
        pytest.fail(
            f"timed out after {PANEL_CHANGE_TIMEOUT_MS / 1000:.0f} s waiting for {what}: "
            f"status {state['status']!r}, text {state['text'][:300]!r}\n"
            f"server log:\n{server.log_tail(15)}",
            pytrace=False,
        )
    state = page.evaluate(JS_PANEL_STATE, k)
    page.evaluate(
        "(k) => { document.querySelector(`[data-itemsrel-panel=\"${k}\"]`).__itemsrel.armed = false; }",
        k,
    )
    start = state["input"] if state["input"] is not None and state["input"] >= t0 else t0
    state["latency_ms"] = state["last"] - start
    return state


def _undrawn(page, k: int, timeout_ms: int = 5_000) -> list[int]:
    """The figures of panel k that still show nothing after ``timeout_ms`` (a figure whose
    layout changed is redrawn from scratch, and can be caught empty for a moment)."""
    try:
        page.wait_for_function(
            f"k => ({JS_UNDRAWN})(k).length === 0", arg=k, timeout=timeout_ms, polling=100
        )
    except PlaywrightTimeout:
        pass
    return page.evaluate(JS_UNDRAWN, k)


def _median(values: list) -> float:
    v = sorted(x for x in values if x is not None)
    return v[len(v) // 2] if v else float("nan")


def _record(latencies: dict, key: str, state: dict) -> None:
    """Append one change to the latency record: input-to-redraw and the kernel's share."""
    rec = latencies.setdefault(key, {"latency_ms": [], "compute_ms": [], "sync_ms": []})
    rec["latency_ms"].append(state["latency_ms"])
    rec["compute_ms"].append(state["compute_ms"])
    rec["sync_ms"].append(state["sync_ms"])


def _open_and_run(page, notebook: str, server) -> None:
    page.goto(
        f"{server.base}lab/tree/{notebook}?reset&token={server.token}",
        wait_until="domcontentloaded",
        timeout=LAB_LOAD_TIMEOUT_MS,
    )
    _wait(
        page,
        """() => !!document.querySelector(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')""",
        LAB_LOAD_TIMEOUT_MS,
        f"JupyterLab to open {notebook}",
        server,
    )
    _wait(page, _kernel_idle_js(), KERNEL_IDLE_TIMEOUT_MS, "the kernel to be idle", server)
    _run_all(page)
    started = """() => [...document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')]
        .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"""
    try:
        page.wait_for_function(started, timeout=RUN_ALL_START_TIMEOUT_MS, polling=100)
    except PlaywrightTimeout:
        _run_all(page)
        _wait(page, started, RUN_ALL_START_TIMEOUT_MS, "Run All to start", server)
    finished = f"""() => {{
        const p = ({JS_PROMPTS})();
        return p.length > 0 && p.every(t => /^\\[\\d+\\]/.test(t))
               && /\\|\\s*Idle\\b/.test(({JS_KERNEL_STATUS})());
    }}"""
    _wait(page, finished, RUN_ALL_TIMEOUT_MS, "all cells to finish executing", server)


def _menus_open_by_click(page, scope: str) -> list[str]:
    """Click every plotly dropdown menu of a 3-D figure under ``scope``; returns the ones that
    did not open (hovering first, as a reader's mouse does, brings up the mode bar)."""
    failures = []
    plots = page.locator(f"{scope} .js-plotly-plot:has(.gl-container)")
    for i in range(plots.count()):
        gd = plots.nth(i)
        headers = gd.locator(".updatemenu-header-group")
        for j in range(headers.count()):
            gd.scroll_into_view_if_needed()
            box = gd.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_timeout(200)
            opened = 0
            for _ in range(2):  # a menu left open by an earlier check closes on the first click
                headers.nth(j).click()
                page.wait_for_timeout(300)
                opened = gd.locator(".updatemenu-dropdown-button").count()
                if opened:
                    break
            if not opened:
                failures.append(f"figure {i}, menu {j}")
            else:
                headers.nth(j).click()  # close it again
                page.wait_for_timeout(200)
    return failures


@pytest.mark.parametrize("notebook", list(PANEL_NOTEBOOKS))
def test_every_control_of_every_live_panel(
    notebook: str, lab_server: LabServer, browser, offline_guard, screenshot_dir: Path
) -> None:
    """Run the chapter; change every control of every live panel once: the panel redraws, says
    nothing went wrong, and shows the values set. Chapters with 3-D panels: 100 more changes and
    every WebGL context is still alive; every 3-D figure's menu opens with a click."""
    path = LAB_ROOT / notebook
    digest_before = hashlib.sha256(path.read_bytes()).hexdigest()
    t_start = time.monotonic()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    guard = offline_guard().install(context)
    page = context.new_page()
    page.set_default_timeout(30_000)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    # A panel's drawing code that throws shows nothing else. Not counted: anywidget's own
    # "[anywidget] Failed to initialize model." — it rejects a model whose module took over 2 s
    # to load (a busy page, e.g. during Run All on a loaded machine); the widget still renders,
    # and every control below must still redraw it, which is what the reader sees.
    uncaught: list[str] = []
    page.on(
        "pageerror",
        lambda e: None
        if str(e) == "[anywidget] Failed to initialize model."
        else uncaught.append(str(e)),
    )
    latencies: dict[str, dict[str, list]] = {}
    phases: dict[str, float] = {}
    stem = Path(notebook).stem
    try:
        _open_and_run(page, notebook, lab_server)
        phases["open and run all"] = time.monotonic() - t_start
        errors = page.evaluate(JS_ERRORS)
        assert not errors, f"{notebook}: {len(errors)} cell(s) raised:\n" + "\n---\n".join(errors)
        _wait(page, "() => (" + JS_TRACK_PANELS + ")() > 0", SLIDER_TIMEOUT_MS,
              f"a live panel in {notebook}", lab_server)
        n_panels = page.evaluate(JS_TRACK_PANELS)
        for k in range(n_panels):
            panel = page.locator(f'[data-itemsrel-panel="{k}"]').first
            panel.scroll_into_view_if_needed()
            panel.screenshot(path=str(screenshot_dir / f"lab-panel-{stem}-{k}-before.png"))
            controls = _controls_of(page, k)
            assert controls, f"{notebook}: panel {k} has no controls"
            latency_changes = int(os.environ.get("ITEMSREL_LATENCY_CHANGES", 0))
            if not PANEL_NOTEBOOKS[notebook][0] and not latency_changes:
                controls = controls[:1]
            toggles = [c for c in controls if c[0] == "toggle"]
            # one button of the pattern editors stands for all of them
            controls = [c for c in controls if c[0] != "toggle"] + toggles[:1]
            # the benchmark (ITEMSREL_LATENCY_CHANGES=20) cycles through the controls until each
            # panel has that many changes; the test operates each control once
            n_changes = max(len(controls), latency_changes)
            for step in range(n_changes):
                kind, item, label = controls[step % len(controls)]
                before = page.evaluate(JS_PANEL_STATE, k)
                t0 = _arm(page, k)
                value = _operate(page, kind, item, step)
                after = _settle(page, k, t0, f"panel {k} to redraw after {label or kind}", lab_server)
                name = f"{label or kind} → {value}"
                assert "failed" not in after["status"], f"{notebook} panel {k}, {name}: {after['status']}"
                assert (after["text"], after["figs"]) != (before["text"], before["figs"]) or "⚠" in after["status"], (
                    f"{notebook} panel {k}: {name} changed nothing"
                )
                if before["svg_gen"] and "⚠" not in after["status"]:
                    assert after["svg_gen"] != before["svg_gen"], (
                        f"{notebook} panel {k}: {name}: the SVG figures were not redrawn "
                        f"(drawn specs {before['svg_gen']} → {after['svg_gen']})"
                    )
                if label == "seed":  # the panel says which seed it shows
                    assert f"seed {value}" in after["text"], f"{notebook} panel {k}: {name}"
                _record(latencies, f"panel {k}", after)
                undrawn = _undrawn(page, k)
                assert not undrawn, f"{notebook} panel {k}, {name}: figures {undrawn} are empty"
            panel.screenshot(path=str(screenshot_dir / f"lab-panel-{stem}-{k}-after.png"))
        phases["controls"] = time.monotonic() - t_start - sum(phases.values())

        if "02_" in notebook:  # 3-D figures' menus (chapter 3's are clicked after the stress)
            failures = _menus_open_by_click(page, ".jp-NotebookPanel:not(.lm-mod-hidden)")
            assert not failures, f"{notebook}: menus that did not open on a click: {failures}"
        if PANEL_NOTEBOOKS[notebook][1] and not latency_changes:  # (the benchmark: latencies only)
            # the network explorer: its settings line says what the controls say. For the stress,
            # random initial weights (so that every seed redraws the 3-D flow field) and the
            # smallest step budget (so that a change costs a redraw, hardly any training)
            by_label = {label: (kind, item) for kind, item, label in _controls_of(page, 0)}
            if not by_label["training set"][1].evaluate("e => e.value").startswith("X'"):
                t0 = page.evaluate("() => performance.now()")
                by_label["training set"][1].select_option(index=0)  # X' (N = 3: a 3-D flow)
                _settle(page, 0, t0, "the training set to change", lab_server)
            t0 = page.evaluate("() => performance.now()")
            by_label["initialisation"][1].select_option("normal")
            _settle(page, 0, t0, "the initialisation to change", lab_server)
            steps = by_label["max steps"][1]
            steps.focus()
            t0 = page.evaluate("() => performance.now()")
            for _ in range(8):  # to the left end (100 steps)
                steps.press("ArrowLeft")
            for _ in range(8):  # intermediate values may redraw before the last one
                state = _settle(page, 0, t0, "the step budget to change", lab_server)
                if "at most 100 steps" in state["text"]:
                    break
                t0 = state["last"]
            assert "at most 100 steps" in state["text"] and "init normal" in state["text"]
            seed = by_label["seed"][1]
            assert f"seed {seed.input_value()}" in state["text"]
            figs_before, figs_gen = state["figs"], state["svg_gen"]
            for i in range(STRESS_CHANGES):
                t0 = _arm(page, 0)
                seed.fill(str(100 + i))
                seed.press("Enter")
                state = _settle(page, 0, t0, f"stress change {i}", lab_server, quiet=50)
                if i == 0:
                    assert state["figs"][-1] != figs_before[-1], "a new seed did not redraw the flow"
                assert state["svg_gen"] != figs_gen, f"stress change {i}: the SVG figures were not redrawn"
                figs_gen = state["svg_gen"]
                _record(latencies, "panel 0 stress", state)
            assert f"seed {100 + STRESS_CHANGES - 1}" in state["text"]
            alive = page.evaluate(JS_GL_ALIVE)
            assert alive and all(alive), f"{notebook}: WebGL contexts lost: {alive}"
            lost = [m for m in console if "WebGL" in m and ("lost" in m.lower() or "Too many" in m)]
            assert not lost, f"{notebook}: {lost[:3]}"
            # Figure 3.1 (a static 3-D figure elsewhere on the page) still switches and draws
            failures = _menus_open_by_click(page, ".jp-NotebookPanel:not(.lm-mod-hidden)")
            assert not failures, f"{notebook}: menus that did not open on a click: {failures}"
            assert all(page.evaluate(JS_GL_ALIVE))
        phases["menus and stress"] = time.monotonic() - t_start - sum(phases.values())
        assert not page.evaluate(JS_ERRORS)
        assert not uncaught, f"{notebook}: uncaught errors in the page: {uncaught[:3]}"
        assert not guard.blocked, f"JupyterLab tried to reach the network: {guard.blocked}"
    finally:
        context.close()
        lab_server.shutdown_session(notebook)
        out = Path(os.environ.get("ITEMSREL_LATENCY_DIR", screenshot_dir))
        out.mkdir(parents=True, exist_ok=True)
        (out / f"latency-{stem}.json").write_text(json.dumps(latencies))
        summary = ", ".join(
            f"{k}: median {_median(v['latency_ms']):.0f} ms (kernel "
            f"{_median(v['compute_ms']):.0f} + {_median(v['sync_ms']):.0f} ms), "
            f"max {max(v['latency_ms']):.0f} ms (n={len(v['latency_ms'])})"
            for k, v in latencies.items()
        )
        times = ", ".join(f"{k} {v:.0f} s" for k, v in phases.items())
        print(f"{notebook}: {summary}; {times}; total {time.monotonic() - t_start:.1f} s")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest_before
