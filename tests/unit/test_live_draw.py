"""The live panels' SVG figures (``book/_static/live/draw.mjs``), run under Node 20.

One ``node`` process draws a set of figures and returns their markup and a few geometric facts
as JSON; the markup is parsed here as XML, so every check reads the drawn elements: one cell per
matrix entry with its value written in and the book's diverging colours at −zmax, 0 and +zmax,
one bar per pattern with heights in proportion, a log axis labelled by decade, the 3-D camera an
orthonormal frame that looks from the book's default eye (1.6, −1.5, 1.0), marks drawn back to
front, and text escaped. Skips only if ``node`` is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

MODULE = Path(__file__).resolve().parents[2] / "book" / "_static" / "live" / "draw.mjs"
NODE = shutil.which("node")
SVG = "{http://www.w3.org/2000/svg}"

SCRIPT = """
const D = await import(%s);
const W = [[1, -0.5, 0], [0, 2, 0.2], [0.3, 0, -2]];
const sceneSpec = {
  title: "flow <x> & y", range: [-0.1, 1.1], ticks: [0, 0.5, 1],
  segments: [{ a: [0, 0, 0], b: [0, 0, 1], color: "#111111" }, { a: [1, 1, 0], b: [1, 1, 1], color: "#222222" }],
  markers: [{ p: [0, 1, 0], symbol: "diamond", color: "#009E73", size: 12, tip: "item 010" },
            { p: [1, 0, 1], symbol: "x", color: "#CC79A7", size: 10, tip: "a <repelling> point" },
            { p: [0.5, 0.5, 0.5], symbol: "square-open", color: "#999999", size: 10, tip: "marginal" }],
  polygons: [{ pts: [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], fill: "#56B4E9", opacity: 0.25 }],
  legend: [{ name: "trajectories", color: "#2171b5", line: true }, { name: "items", color: "#009E73", symbol: "diamond" }],
};
const B = D.basis(D.CAMERA);
const out = {
  heatmap: D.heatmap(W, { title: "weights W" }),
  heatmapText: D.heatmap([[0, 1], [1, 0]], { text: [["a", "b"], ["b", "a"]], scale: "viridis", zmin: 0, zmax: 3 }),
  bars: D.bars(["000", "001", "010"], [0.1, 0.4, 0.0], ["#0072B2", "#009E73", "#0072B2"], { title: "loss", legend: [["#009E73", "training item"]] }),
  lineLog: D.lineChart([1, 2, 3, 4], [1, 1e-2, 1e-4, 1e-6], { title: "loss" }),
  lineLin: D.lineChart([0, 10, 20], [0.5, 0.4, 0.45], {}),
  lineNaN: D.lineChart([0, 1, 2], [1, NaN, 0.1], { log: true }),
  scene: D.scene3d(sceneSpec),
  sceneTurned: D.scene3d(sceneSpec, { azimuth: 0.3, elevation: -0.2 }),
  basis: B,
  centre: D.project([0.5, 0.5, 0.5], B, 0.5, 100, 320, 215),
  eyeward: D.project([0.5 + B.d[0], 0.5 + B.d[1], 0.5 + B.d[2]], B, 0.5, 100, 320, 215),
  up: D.project([0.5, 0.5, 1.5], B, 0.5, 100, 320, 215),
  ticks: [D.niceTicks(0, 0.93, 4), D.niceTicks(-2, 2, 4), D.niceTicks(0, 3000, 4)],
  labels: [[0, 0.25, 0.5].map((v) => D.tickLabel(v, [0, 0.25, 0.5])), [0, 1000, 2000].map((v) => D.tickLabel(v, [0, 1000, 2000]))],
  power: [D.power10(-3), D.power10(0), D.power10(12)],
  luminance: [D.luminance("#ffffff"), D.luminance("#000"), D.luminance("rgb(255,255,255)"), D.luminance("#a6cee3")],
  fills: D.heatmap([[0, 1], [1, 0]], { fills: [["#000000", "#ffffff"], ["#ffffff", "#000000"]], text: [["a", "b"], ["b", "a"]] }),
  shapes: D.shapes2d({ xRange: [0, 4], yRange: [0, 2], title: "polygons",
    lines: [{ a: [0, 0], b: [1, 1], color: "#D55E00", width: 4, dash: "solid" }, { a: [1, 1], b: [2, 0], color: "#56B4E9", width: 2, dash: "dash" }],
    texts: [{ x: 1, y: 1.5, text: "<b>linear:</b><br>applies a rule", size: 11, anchor: "", valign: "top" }],
    frames: [{ x0: 0, y0: 0, x1: 2, y1: 2, color: "#009E73" }], legend: [{ name: "bit 1", color: "#D55E00", width: 4, dash: "solid" }] }),
  colors: [D.colorAt(D.DIVERGING, 0), D.colorAt(D.DIVERGING, 0.5), D.colorAt(D.DIVERGING, 1), D.colorAt(D.DIVERGING, NaN)],
};
console.log(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def drawn() -> dict:
    if NODE is None:
        pytest.skip("node is not installed (the browser modules are tested under Node 20)")
    proc = subprocess.run(
        [NODE, "--input-type=module", "-e", SCRIPT % json.dumps(MODULE.as_uri())],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def _svg(markup: str) -> ET.Element:
    """The first <svg> of ``markup`` (a scene is followed by its HTML legend)."""
    end = markup.index("</svg>") + len("</svg>")
    return ET.fromstring(markup[:end])


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def _fill(rgb: str) -> tuple[int, ...]:
    return tuple(int(v) for v in rgb.removeprefix("rgb(").removesuffix(")").split(","))


def test_heatmap_has_one_cell_per_entry_with_its_value_and_colour(drawn):
    root = _svg(drawn["heatmap"])
    cells = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "il-cell"]
    assert len(cells) == 9
    # row-major, row 1 on top: the tooltips name W[i,j] with 1-based indices and 4 decimals
    tips = [c.find(f"{SVG}title").text for c in cells]
    assert tips[1] == "W[1,2] = -0.5000" and tips[8] == "W[3,3] = -2.0000"
    ys = [float(c.get("y")) for c in cells]
    assert ys[0] == ys[1] == ys[2] < ys[3]
    # symmetric scale on [−2, 2]: −2 blue, 0 near-white, +2 red (itemsrel.figures.matrices)
    assert _fill(cells[8].get("fill")) == (0x21, 0x66, 0xAC)
    assert _fill(cells[4].get("fill")) == (0xB2, 0x18, 0x2B)
    assert _fill(cells[2].get("fill")) == (0xF7, 0xF7, 0xF7)
    cell_text = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "il-cell-text"]
    assert cell_text == ["1.00", "-0.50", "0.00", "0.00", "2.00", "0.20", "0.30", "0.00", "-2.00"]
    # dark cells get white text, light ones dark text
    fills = [t.get("fill") for t in root.iter(f"{SVG}text") if t.get("class") == "il-cell-text"]
    assert fills[4] == "#fff" and fills[2] != "#fff"
    assert {"from unit j", "to unit i", "weights W"} <= set(_texts(root))


def test_heatmap_with_labels_on_a_sequential_scale(drawn):
    root = _svg(drawn["heatmapText"])
    cell_text = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "il-cell-text"]
    assert cell_text == ["a", "b", "b", "a"]
    cells = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "il-cell"]
    assert _fill(cells[0].get("fill")) == (0x44, 0x01, 0x54)  # viridis at 0


def test_heatmap_with_explicit_fills_and_readable_text(drawn):
    assert drawn["luminance"][:3] == pytest.approx([1, 0, 1]) and 0.5 < drawn["luminance"][3] < 1
    root = _svg(drawn["fills"])
    cells = [r.get("fill") for r in root.iter(f"{SVG}rect") if r.get("class") == "il-cell"]
    assert cells == ["#000000", "#ffffff", "#ffffff", "#000000"]
    fills = [t.get("fill") for t in root.iter(f"{SVG}text") if t.get("class") == "il-cell-text"]
    assert fills[0] == "#fff" and fills[1] != "#fff"  # white on black, dark on white


def test_shapes_keep_equal_aspect_and_write_captions_by_line(drawn):
    root = _svg(drawn["shapes"])
    # 640 px for 4 units: 160 px per unit in x and in y (2 units high + title 24 + legend 22)
    assert root.get("viewBox") == "0 0 640 366"
    edges = [e for e in root.iter(f"{SVG}line") if e.get("class") == "il-edge"]
    assert len(edges) == 2 and edges[1].get("stroke-dasharray") == "4.4,2.8"
    assert (edges[0].get("x1"), edges[0].get("y1"), edges[0].get("x2"), edges[0].get("y2")) == (
        "0", "344", "160", "184")
    spans = [t for t in root.iter(f"{SVG}tspan")]
    assert [t.text for t in spans] == ["linear:", "applies a rule"]
    assert spans[0].get("font-weight") == "600" and spans[1].get("font-weight") is None
    frame = next(e for e in root.iter(f"{SVG}rect") if e.get("class") == "il-frame")
    assert (frame.get("width"), frame.get("height")) == ("320", "320")


def test_bars_are_in_proportion_and_start_at_zero(drawn):
    root = _svg(drawn["bars"])
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "il-bar"]
    assert root.get("data-bars") == "3" and len(bars) == 3
    h = [float(b.get("height")) for b in bars]
    assert h[2] == 0 and h[0] > 0
    assert h[1] / h[0] == pytest.approx(4, rel=0.02)
    bottoms = {round(float(b.get("y")) + float(b.get("height")), 1) for b in bars}
    assert len(bottoms) == 1  # one baseline
    assert [b.get("fill") for b in bars] == ["#0072B2", "#009E73", "#0072B2"]
    texts = _texts(root)
    assert {"000", "001", "010", "training item"} <= set(texts)
    # the top tick covers the tallest bar
    assert "0.4" in texts


def test_line_chart_log_axis_by_decade(drawn):
    root = _svg(drawn["lineLog"])
    assert root.get("data-log") == "true" and root.get("data-points") == "4"
    texts = _texts(root)
    assert "10⁻⁶" in texts and "10⁰" in texts
    line = next(root.iter(f"{SVG}polyline"))
    pts = np.array([[float(v) for v in p.split(",")] for p in line.get("points").split()])
    # equal steps in log10 → equal steps on screen (screen y grows downwards)
    # (coordinates are written to 0.1 px)
    assert np.allclose(np.diff(pts[:, 1]), np.diff(pts[:, 1])[0], atol=0.11) and np.diff(pts[:, 1])[0] > 0
    assert np.allclose(np.diff(pts[:, 0]), np.diff(pts[:, 0])[0], atol=0.11)


def test_line_chart_linear_and_missing_values(drawn):
    lin = _svg(drawn["lineLin"])
    assert lin.get("data-log") == "false" and lin.get("data-points") == "3"
    gone = _svg(drawn["lineNaN"])
    assert gone.get("data-points") == "2"  # NaN left out


def test_ticks_and_labels(drawn):
    assert drawn["ticks"][0] == [0, 0.25, 0.5, 0.75]
    assert drawn["ticks"][1] == [-2, -1, 0, 1, 2]
    assert drawn["ticks"][2] == [0, 1000, 2000, 3000]
    assert drawn["labels"] == [["0.00", "0.25", "0.50"], ["0", "1000", "2000"]]
    assert drawn["power"] == ["10⁻³", "10⁰", "10¹²"]
    assert drawn["colors"][1] == "rgb(247,247,247)" and drawn["colors"][3] == drawn["colors"][1]


def test_camera_frame_is_orthonormal_and_looks_from_the_books_eye(drawn):
    B = {k: np.array(v) for k, v in drawn["basis"].items()}
    M = np.stack([B["r"], B["u"], B["d"]])
    np.testing.assert_allclose(M @ M.T, np.eye(3), atol=1e-12)
    eye = np.array([1.6, -1.5, 1.0])
    np.testing.assert_allclose(B["d"], eye / np.linalg.norm(eye), atol=1e-12)
    assert np.linalg.det(M) == pytest.approx(1.0)  # right-handed: r × u = d
    # the cube's centre lands on the screen centre at depth 0; the eye direction has depth 1;
    # x₃ points up on screen
    assert drawn["centre"] == pytest.approx([320, 215, 0], abs=1e-9)
    assert drawn["eyeward"] == pytest.approx([320, 215, 1], abs=1e-9)
    assert drawn["up"][1] < 215


def test_scene_draws_every_mark_back_to_front_and_escapes_text(drawn):
    root = _svg(drawn["scene"])
    marks = [e for e in root.iter() if e.get("class") == "il-mark"]
    assert len(marks) == 3
    assert [m.find(f"{SVG}title").text for m in marks].count("a <repelling> point") == 1
    assert "flow <x> & y" in _texts(root)
    assert len([e for e in root.iter(f"{SVG}polygon") if e.get("class") == "il-plane"]) == 1
    # painter's order: the segment nearer the viewer (at x = y = 1 the eye's side for x, not y)
    # comes after the farther one exactly when its depth is larger
    B = {k: np.array(v) for k, v in drawn["basis"].items()}
    lines = [e for e in root.iter(f"{SVG}line") if e.get("stroke") in ("#111111", "#222222")]
    depth = {"#111111": B["d"] @ (np.array([0, 0, 0.5]) - 0.5),
             "#222222": B["d"] @ (np.array([1, 1, 0.5]) - 0.5)}
    order = [e.get("stroke") for e in lines]
    assert order == sorted(depth, key=depth.get)
    # the legend follows the figure, one entry per item
    assert drawn["scene"].count('class="il-legend-item"') == 2
    turned = _svg(drawn["sceneTurned"])
    assert turned.get("data-azimuth") == "0.3000" and turned.get("data-elevation") == "-0.2000"


CLIP = """
const D = await import(%s);
const box = [-0.1, 1.1];
const out = {
  inside: D.clipSegment([0, 0, 0], [1, 1, 1], ...box),
  through: D.clipSegment([-1, 0.5, 0.5], [2, 0.5, 0.5], ...box),
  outside: D.clipSegment([2, 2, 2], [3, 3, 3], ...box),
  nan: D.clipSegment([0, 0, NaN], [1, 1, 1], ...box),
  scene: D.scene3d({ range: box, markers: [{ p: [0.5, 0.5, 0.5], color: "#000" }, { p: [-0.9, 0.5, 0.5], color: "#000" }],
    segments: [{ a: [-1, 0.5, 0.5], b: [2, 0.5, 0.5], color: "#123456" }] }),
};
console.log(JSON.stringify(out));
"""


def test_scene_clips_to_the_box():
    if NODE is None:
        pytest.skip("node is not installed (the browser modules are tested under Node 20)")
    proc = subprocess.run(
        [NODE, "--input-type=module", "-e", CLIP % json.dumps(MODULE.as_uri())],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert out["inside"] == [[0, 0, 0], [1, 1, 1]]
    np.testing.assert_allclose(out["through"], [[-0.1, 0.5, 0.5], [1.1, 0.5, 0.5]], atol=1e-12)
    assert out["outside"] is None and out["nan"] is None
    root = _svg(out["scene"])
    assert len([e for e in root.iter() if e.get("class") == "il-mark"]) == 1
    assert "1 mark outside the box not shown" in _texts(root)
    line = next(e for e in root.iter(f"{SVG}line") if e.get("stroke") == "#123456")
    assert float(line.get("x1")) != float(line.get("x2"))  # the clipped piece is drawn
