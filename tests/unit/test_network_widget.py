"""The live network explorer of chapters 2–4: controls, readouts, status words, in-place redraws."""

from __future__ import annotations

import base64

import numpy as np

from itemsrel.analytic import PAPER_X, PAPER_X_PRIME, identify, paper_eq6
from itemsrel.figures.style import use_book_renderer
from itemsrel.widgets.controls import STEP_CHOICES, TRAINING_SETS
from itemsrel.widgets.network import network_explorer, network_view
from itemsrel.widgets.svg import SvgFigures


def _array(v):
    """A plotly array property (plain or base64 typed array) as numpy."""
    if isinstance(v, dict):
        a = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
        return a.reshape([int(n) for n in str(v.get("shape", len(a))).split(",")])
    return np.asarray(v)


def _controls(panel):
    return {c.description: c for c in panel.controls}


def test_explorer_shows_weights_losses_flow_and_fixed_points():
    use_book_renderer()
    panel = network_explorer(PAPER_X_PRIME, activation="tanh", lr=0.5)
    outs = panel.area.children[0].outputs
    kinds = [
        "figure" if "application/vnd.plotly.v1+json" in o.get("data", {}) else "text" for o in outs
    ]
    assert kinds == ["figure", "figure", "text", "text"]
    assert "attracting" in outs[2]["text"] and outs[3]["text"].startswith("timing:")
    assert set(_controls(panel)) == {
        "training set", "activation", "initialisation", "init scale σ", "optimiser",
        "learning rate", "max steps", "seed", "mini-batch", "batch sampling", "regularisation",
        "strength λ",
    }
    assert max(STEP_CHOICES) == 20_000  # chapter 3's budget


def test_every_control_changes_the_output_in_place():
    panel = network_explorer(PAPER_X_PRIME, optimizer="adam", init="normal", lr=0.03)
    ctl = _controls(panel)
    changes = [
        ("seed", 3), ("init scale σ", 0.1), ("learning rate", 0.1), ("optimiser", "sgd"),
        ("activation", "tanh"), ("max steps", 1000), ("regularisation", "l2"),
        ("strength λ", 0.01), ("initialisation", "zeros"), ("training set", "X = {101, 110}"),
        ("mini-batch", 1), ("batch sampling", "epoch"),
    ]
    widget = None
    for name, value in changes:
        before = [dict(f.spec) for f in panel.svg_figures]
        ctl[name].value = value
        assert panel.message == "", (name, panel.status.value)
        if widget is not None:
            assert panel.svg_figures == [widget]  # the same SVG widget, new numbers
            assert [f.spec for f in panel.svg_figures] != before, name
        widget = panel.svg_figures[0]
    text = panel.shown[1]
    assert "λ = 0.01" in text and "predicted w" not in text  # X is outside the gain setting
    # the heat map shows the W the summary describes
    W = network_view(PAPER_X, "tanh", "zeros", "sgd", 0.1, {"l2": 0.01}, steps=1000, seed=3,
                     sigma=0.1, batch_size=1, sampling="epoch", data_seed=3).W
    np.testing.assert_allclose(widget.spec["W"], W, atol=1e-12)  # row i = unit i
    assert widget.spec["X"] == PAPER_X.tolist()
    assert "seed 3" in text and "σ = 0.1" in text and "at most 1000 steps" in text
    assert "mini-batches of 1 (epoch)" in text
    ctl["mini-batch"].value = 4  # more than K = 2 items: refused in the panel, last result kept
    assert "batch_size" in panel.status.value and panel.shown[1] == text


def test_training_sets_of_chapter_4_and_large_n():
    panel = network_explorer(PAPER_X_PRIME)
    ctl = _controls(panel)
    assert list(ctl["training set"].options) == list(TRAINING_SETS)
    ctl["training set"].value = "pairs (4 disjoint pairs, N = 8)"
    assert len(panel.area.children) == 3  # the figures (no 3-D flow field for N = 8), texts
    spec = panel.svg_figures[0].spec
    assert len(spec["patternLosses"]) == 2**8 and spec["flow"] is None
    other = network_explorer(np.array([[1, 1, 0, 0], [0, 0, 1, 1]]))
    assert _controls(other)["training set"].value == "this chapter's X"


def test_readouts_of_chapters_2_and_4():
    view = network_view(PAPER_X, "linear", "zeros", "sgd", lr=0.1)
    ident = identify(view.W, paper_eq6("X"))
    a, b = ident.params["a"], ident.params["b"]
    assert f"(a, b) = ({a:.3f}, {b:.3f})" in view.readouts["eq. 6 family"]
    assert view.status() == "converged" and "status: converged" in view.summary()
    tanh = network_view(PAPER_X_PRIME, "tanh", "zeros", "sgd", 0.5, {"l2": 0.1}, steps=20_000)
    # chapter 4: λ* = (3/2)(1 − tanh 1) sech²(1) for L2 on X'
    lam = 1.5 * (1 - np.tanh(1)) / np.cosh(1) ** 2
    assert f"{lam:.4f}" in tanh.readouts["λ*"]
    assert "predicted w" in tanh.readouts["gain"]


def test_plane_loss_readout_is_chapter_4s_plane_loss():
    from itemsrel.generalisation import plane_loss

    lin = network_view(PAPER_X_PRIME, "linear", "zeros", "sgd", lr=0.1)
    assert lin.readouts["plane loss"].startswith(f"{plane_loss(lin.W, PAPER_X_PRIME):.2e} ")
    assert "121 points" in lin.readouts["plane loss"]  # (0, i/10, j/10), grid 11
    tanh = network_view(PAPER_X_PRIME, "tanh", "zeros", "sgd", 0.5, steps=3000)
    value = plane_loss(tanh.W, PAPER_X_PRIME, "tanh")
    assert value > 1e-3  # tanh keeps the corners of the plane, not the plane (chapter 4)
    assert tanh.readouts["plane loss"].startswith(f"{value:.2e} ")
    assert f"plane loss: {value:.2e}" in tanh.summary()
    hexagon = TRAINING_SETS["hexagon (6 rotations of 110000)"]
    six = network_view(hexagon, "linear", "zeros", "sgd", lr=0.1)
    expected = plane_loss(six.W, hexagon, "linear", grid=5)  # chapter 4's grid for N = 6
    assert six.readouts["plane loss"].startswith(f"{expected:.2e} ") and "grid 5" in six.readouts[
        "plane loss"
    ]


def test_status_words_dead_units_and_still_moving():
    dead = network_view(PAPER_X, "relu", "zeros", "sgd", 0.1)
    assert dead.status() == "dead units" and dead.dead_units == [0, 1, 2]
    assert "not a converged fit" in dead.summary()
    moving = network_view(PAPER_X_PRIME, "tanh", "zeros", "sgd", 0.1, steps=100)
    assert moving.status() == "still moving" and "raise max steps" in moving.summary()


def test_a_diverging_learning_rate_keeps_the_last_result():
    panel = network_explorer(PAPER_X, activation="linear", lr=0.1)
    ctl = _controls(panel)
    ctl["seed"].value = 1
    shown = panel.shown
    ctl["learning rate"].value = 10 ** ctl["learning rate"].max  # 3.2 > 2: GD on X diverges
    assert "⚠ training diverged" in panel.status.value
    assert panel.shown is shown and isinstance(panel.svg_figures[0], SvgFigures)
