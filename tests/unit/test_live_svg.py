"""The explorers' SVG figures in JupyterLab (``itemsrel.widgets.svg``) and the bundling of the
live modules (``itemsrel.live_assets``).

The kernel sends what ``figures.mjs`` draws; its flow field must be the one the static book's
panels compute in the browser (same starts, same 18 trajectories, same end points), which is
checked by running ``flowData`` of ``figures.mjs`` under Node on the same networks.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest

from itemsrel.dynamics import fixed_points, fixed_subspace
from itemsrel.live_assets import LIVE_DIR, book_script, widget_module
from itemsrel.patterns import all_patterns
from itemsrel.training import pattern_loss
from itemsrel.widgets.svg import SvgFigures, flow_data, network_spec, polygons_spec

NODE = shutil.which("node")
W_TANH = np.array([[0.3, -1.2, 0.5], [0.8, 1.1, -0.4], [-0.2, 0.6, 1.3]])
W_LINEAR = np.array([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])


@pytest.mark.parametrize(("W", "activation"), [(W_TANH, "tanh"), (W_TANH, "sigmoid"), (W_LINEAR, "linear")])
def test_flow_data_is_the_browsers(W, activation):
    if NODE is None:
        pytest.skip("node is not installed (the browser modules are tested under Node 20)")
    script = (
        f"const F = await import({json.dumps((LIVE_DIR / 'figures.mjs').as_uri())});"
        f"console.log(JSON.stringify(F.flowData({json.dumps(W.tolist())}, {json.dumps(activation)})));"
    )
    proc = subprocess.run(
        [NODE, "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    js = json.loads(proc.stdout)
    py = flow_data(W, activation)
    assert py["nStarts"] == js["nStarts"] == 125 and py["endStep"] == js["endStep"] == 25
    np.testing.assert_allclose(np.array(py["paths"]), np.array(js["paths"]), rtol=0, atol=1e-12)
    assert len(py["paths"]) == 18 and all(len(p) == 7 for p in py["paths"])
    key = lambda e: tuple(np.round(e["q"], 6))  # noqa: E731
    assert sorted((key(e), e["n"]) for e in py["ends"]) == sorted((key(e), e["n"]) for e in js["ends"])
    assert sum(e["n"] for e in py["ends"]) == 125


def test_flow_of_the_identity_on_two_units_ends_where_it_starts():
    flow = flow_data(W_LINEAR, "linear")
    # x ← (0, x2, x3): 25 distinct end points (one per (x2, x3) of the grid), 5 starts each
    assert len(flow["ends"]) == 25 and {e["n"] for e in flow["ends"]} == {5}
    assert all(e["q"][0] == 0 for e in flow["ends"])


def test_network_spec_carries_what_the_figures_need():
    X = np.array([[0, 1, 0], [0, 0, 1]])
    losses = pattern_loss(W_LINEAR, all_patterns(3), "linear")
    sub = fixed_subspace(W_LINEAR)
    spec = network_spec(W_LINEAR, X, "linear", losses, [], sub)
    assert spec["kind"] == "network" and spec["W"] == W_LINEAR.tolist() and spec["X"] == X.tolist()
    assert spec["patternLosses"] == pytest.approx(list(losses)) and len(spec["patternLosses"]) == 8
    assert spec["fixed"]["continuum"]["dimension"] == 2 and spec["fixed"]["points"] == []
    assert np.array(spec["fixed"]["continuum"]["basis"]).shape == (3, 2)
    fps = fixed_points(W_TANH, "tanh")
    spec = network_spec(W_TANH, X, "tanh", losses, fps, None)
    assert len(spec["fixed"]["points"]) == len(fps) >= 1
    p0 = spec["fixed"]["points"][0]
    assert p0["stability"] == fps[0].stability and len(p0["eigenvalues"][0]) == 2
    json.dumps(spec, allow_nan=False)  # plain JSON: what the widget channel sends
    big = network_spec(np.eye(4), np.eye(4, dtype=int), "linear", np.zeros(16), [], None)
    assert big["flow"] is None  # no 3-D flow beyond N = 3


def test_a_diverging_flow_is_sent_as_null_not_nan():
    flow = flow_data(1e100 * np.eye(3), "linear")  # overflows within the 6 steps shown
    json.dumps(flow, allow_nan=False)
    assert flow["ends"] == [{"q": [0.0, 0.0, 0.0], "n": 1}]  # only the origin stays finite
    assert any(v is None for path in flow["paths"] for q in path for v in q)


def test_the_widget_module_and_the_book_script_inline_every_module_once():
    esm = widget_module()
    assert esm.count("const L = (function () {") == 1 and esm.count("const F = (function () {") == 1
    assert "export default { render }" in esm and "\nimport " not in esm
    script = book_script()
    assert "window.itemsrelPanels = { mount, mountAll }" in script and "\nexport " not in script
    w = SvgFigures(spec={"kind": "network"})
    assert w._esm == esm and ".il-figures" in w._css


def test_a_module_imported_under_another_name_is_refused(tmp_path):
    for f in LIVE_DIR.glob("*.mjs"):
        (tmp_path / f.name).write_text(f.read_text())
    bad = (tmp_path / "widget.mjs").read_text().replace(
        'import * as F from "./figures.mjs"', 'import * as Fig from "./figures.mjs"'
    )
    (tmp_path / "widget.mjs").write_text(bad)
    with pytest.raises(RuntimeError, match="import \\* as Fig"):
        widget_module(tmp_path)
    (tmp_path / "draw.mjs").unlink()
    with pytest.raises(FileNotFoundError, match=r"draw\.mjs is missing"):
        book_script(tmp_path)


def test_polygons_spec_draws_every_edge_in_its_bits_style():
    from itemsrel.figures.arc import BIT_STYLE, Panel, polygon_layout, polygon_rows

    rows = [[Panel(np.array([0, 1, 0]), "item 1"), Panel(np.array([0, 0, 1]), "item 2")],
            ["test:", Panel(np.array([1, 1, 0]), "test<br>110", frame="#009E73")]]
    lay = polygon_layout(rows, row_labels=["training", "test"])
    spec = polygons_spec(lay)
    assert spec["kind"] == "polygons" and len(spec["lines"]) == 9  # three triangles
    ones = [ln for ln in spec["lines"] if ln["color"] == BIT_STYLE[1]["color"]]
    assert len(ones) == 1 + 1 + 2 and all(ln["dash"] == "solid" for ln in ones)
    assert {t["text"] for t in spec["texts"]} >= {"<b>training</b>", "test:", "test<br>110"}
    # the framed test polygon: second row (y = −4.2), after the connector text (x = 0.9)
    (frame,) = spec["frames"]
    assert frame["color"] == "#009E73"
    assert [frame[k] for k in ("x0", "y0", "x1", "y1")] == pytest.approx([-0.35, -5.45, 2.15, -2.95])
    # the plotly figure is drawn from the same layout: same edges, same captions
    fig = polygon_rows(rows, row_labels=["training", "test"])
    n_edges = sum(sum(v is None for v in tr.x) for tr in fig.data)
    assert n_edges == 9
    assert [a.text for a in fig.layout.annotations] == [t["text"] for t in spec["texts"]]
    json.dumps(spec, allow_nan=False)


def test_a_widget_whose_drawings_go_unconfirmed_is_replaced(monkeypatch):
    from itemsrel.widgets.controls import LivePanel
    from itemsrel.widgets.svg import SvgItem

    w = SvgFigures(spec={"kind": "network"})
    assert w.spec["gen"] == 1 and w.answering(timeout=10) and not w.answering(timeout=0)
    w._on_msg(w, {"drawn": 1}, [])  # the browser confirms drawing 1
    assert w.answering(timeout=0)
    w.show({"kind": "network"})
    assert w.spec["gen"] == 2 and not w.answering(timeout=0)

    monkeypatch.setenv("JPY_SESSION_NAME", "chapter.ipynb")  # a live JupyterLab kernel
    value = {"n": 0}
    panel = LivePanel([], lambda: [SvgItem({"kind": "symmetry", "n": value["n"]}, lambda: [])])
    (first,) = panel.svg_figures
    first._on_msg(first, {"drawn": first.sent}, [])
    value["n"] = 1
    panel.refresh()  # confirmed: the same widget, new numbers
    assert panel.svg_figures == [first] and first.spec["n"] == 1
    first.sent_at -= 10  # drawing 2 never confirmed, 10 s ago: its browser side is gone
    value["n"] = 2
    panel.refresh()
    (second,) = panel.svg_figures
    assert second is not first and second.spec["n"] == 2 and second in panel.area.children
