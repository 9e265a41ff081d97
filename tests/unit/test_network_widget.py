"""The live network explorer of chapters 2–4: what it shows, and a clear message on divergence."""

from __future__ import annotations

import warnings

from itemsrel.analytic import PAPER_X, PAPER_X_PRIME
from itemsrel.figures.style import use_book_renderer
from itemsrel.widgets.network import network_explorer


def test_explorer_shows_weights_losses_flow_and_fixed_points():
    use_book_renderer()
    panel = network_explorer(PAPER_X_PRIME, activation="tanh", lr=0.5)
    outs = panel.children[1].outputs
    kinds = [
        "figure" if "application/vnd.plotly.v1+json" in o.get("data", {}) else "text" for o in outs
    ]
    assert kinds == ["figure", "figure", "text", "text"]
    assert "attracting" in outs[2]["text"] and outs[3]["text"].startswith("timing:")


def test_a_diverging_learning_rate_gives_a_message():
    panel = network_explorer(PAPER_X, activation="linear", lr=0.1)
    controls, out = panel.children
    lr = next(c for c in controls.children if c.description == "learning rate")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # train() warns about the divergence
        lr.value = 10**lr.max  # 10^0.5 ≈ 3.2 > 2: gradient descent on X diverges
    assert len(out.outputs) == 1
    assert out.outputs[0]["text"].startswith("⚠ training diverged")
