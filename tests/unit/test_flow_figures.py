"""3-D flow fields: the plane (or line) of fixed points is drawn whatever its orientation."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from itemsrel.dynamics import fixed_subspace
from itemsrel.figures.flow import box_section, flow_figure, subspace_trace
from itemsrel.figures.style import FIGURE_CONFIG
from itemsrel.figures.switch import switcher

LIM = (-0.25, 1.25)


def _inside(V):
    return np.all((V >= LIM[0] - 1e-12) & (V <= LIM[1] + 1e-12))


@pytest.mark.parametrize(
    "basis",
    [
        np.eye(3)[:, 1:],  # the plane x1 = 0, exactly axis-aligned (Figure 3.1's linear view)
        np.eye(3)[:, :2],  # x3 = 0
        np.array([[1, 0], [0, 1], [0, 1]]) / np.array([1, np.sqrt(2)]),  # a tilted plane
    ],
)
def test_plane_section_is_a_fan_of_explicit_triangles(basis):
    V, tri = box_section(basis, LIM)
    n = np.cross(basis[:, 0], basis[:, 1])
    np.testing.assert_allclose(V @ n, 0, atol=1e-12)  # every vertex lies in the plane
    assert _inside(V) and len(tri) == len(V) - 1 >= 3
    # triangles fan from the centre (vertex 0) round the polygon, covering it once
    area = sum(0.5 * np.linalg.norm(np.cross(V[j] - V[i], V[k] - V[i])) for i, j, k in tri)
    if np.allclose(np.abs(n), [1, 0, 0]):
        assert area == pytest.approx(1.5**2)  # the full 1.5 × 1.5 face of the box
    assert tri[:, 0].tolist() == [0] * len(tri)


def test_line_section_and_misses():
    V, tri = box_section(np.array([[1.0], [1.0], [0.0]]) / np.sqrt(2), LIM)
    np.testing.assert_allclose(V, [[-0.25, -0.25, 0], [1.25, 1.25, 0]], atol=1e-12)
    assert tri.shape == (0, 3)
    V, _ = box_section(np.eye(3)[:, 1:], (0.5, 1.0))  # the plane misses this box
    assert len(V) == 0


def test_axis_aligned_plane_of_a_linear_network_is_drawn():
    W = np.diag([0.0, 1.0, 1.0])  # fixed points: the plane x1 = 0
    sub = fixed_subspace(W)
    trace = subspace_trace(sub, LIM)
    assert trace["type"] == "mesh3d" and len(trace["i"]) >= 3
    fig = flow_figure(W, "linear", subspace=sub)
    mesh = [t for t in fig.data if t.type == "mesh3d"]
    assert len(mesh) == 1 and len(mesh[0].i) == len(trace["i"])
    go.Figure(fig.to_dict())  # the unvalidated build is a valid figure


def test_fixed_slots_keep_the_trace_list():
    W1, W2 = np.diag([0.0, 1.0, 1.0]), 0.5 * np.eye(3)
    f1 = flow_figure(W1, "linear", subspace=fixed_subspace(W1), fixed_slots=True)
    f2 = flow_figure(W2, "tanh", fixed=[], fixed_slots=True)
    assert [t.type for t in f1.data] == [t.type for t in f2.data]
    assert [t.name for t in f1.data] == [t.name for t in f2.data]


def test_no_cloud_button_and_menus_clear_of_the_mode_bar():
    fig = go.Figure(go.Scatter(y=[1]))
    from itemsrel.figures.style import style

    style(fig)
    assert "sendDataToCloud" in fig.layout.template.layout.modebar.remove
    assert FIGURE_CONFIG["displaylogo"] is False and FIGURE_CONFIG["showSendToCloud"] is False
    sw = switcher({"a": fig, "b": fig}, label="which")
    menu = sw.layout.updatemenus[0]
    # the mode bar sits at the top right: the menu goes top left, above the plot area
    assert (menu.x, menu.xanchor, menu.y, menu.yanchor) == (0.0, "left", 1.0, "bottom")
    assert sw.layout.annotations[0].text == "which:"


def test_flow_figure_is_large_with_its_legend_below_the_cube():
    from itemsrel.figures.flow import FLOW_HEIGHT

    fig = flow_figure(np.eye(3) * 0.5, "tanh", training_set=np.eye(3)[1:])
    assert fig.layout.height == FLOW_HEIGHT >= 520  # readable at 1280 px
    legend = fig.layout.legend
    # horizontal, hanging from the bottom of the plot area: outside the 3-D scene
    assert legend.orientation == "h" and legend.y == 0 and legend.yanchor == "top"
