"""Tests of itemsrel.widgets.geometry: the view's numbers and the panel's reaction to controls."""

from __future__ import annotations

import numpy as np
import pytest

from itemsrel.widgets.geometry import geometry_explorer, geometry_view


def test_view_shapes_and_cache() -> None:
    v = geometry_view("relu", 1.0, 1.0, 8, n_seeds=2, N=10, steps=20)
    assert v.metrics["target_alignment"].shape == (len(v.steps), 2)
    assert v.trajectory.shape == (len(v.steps), 8, 2)
    assert set(v.final) >= {"ccgp", "untrained_decoding"}
    assert np.all(np.isfinite(v.metrics["parallelism"]))
    assert geometry_view("relu", 1.0, 1.0, 8, n_seeds=2, N=10, steps=20) is v  # cached
    assert "CCGP (class)" in v.table().index


def test_view_rejects_bad_settings() -> None:
    with pytest.raises(ValueError, match="unknown activation"):
        geometry_view("sigmoid")
    with pytest.raises(ValueError, match="even"):
        geometry_view("tanh", 0.5, 1.0, 7)
    with pytest.raises(ValueError, match="δ"):
        geometry_view("tanh", 1.5)


def _text(outputs) -> str:
    return "".join(o["text"] for o in outputs if o["output_type"] == "stream")


def test_panel_redraws_on_change(monkeypatch: pytest.MonkeyPatch) -> None:
    import plotly.io as pio

    monkeypatch.setattr(pio.renderers, "default", "json")
    panel = geometry_explorer("tanh", 0.5, 1.0, 8, steps=100, n_seeds=2)
    _, delta, _, width, lr, steps, seeds = panel.controls
    first = panel.area.children[0].outputs
    assert "tanh, δ = 0.5, training noise σ = 1, H = 8" in _text(first)
    assert "target alignment" in _text(first)
    figures = [o for o in first if o["output_type"] == "display_data"]
    assert len(figures) == 2 and "application/json" in figures[0]["data"]
    delta.value = 0.9
    assert "δ = 0.9" in panel.texts[0]
    assert len(panel.figures) == 2
    width.value = 16
    assert "H = 16" in panel.texts[0]
    seeds.value = 3
    assert "3 networks (seeds 0–2)" in panel.texts[0]
    before = panel.figures[1].to_json()
    steps.value = 200
    assert panel.figures[1].to_json() != before  # the curves now run to step 200
    lr.value = 1.0
    assert panel.message == "" and panel.redraws == 6


def test_panel_items_report_bad_settings() -> None:
    from itemsrel.widgets.geometry import geometry_panel_items

    with pytest.raises(ValueError, match="unknown activation 'softsign'; choose one of tanh"):
        geometry_panel_items("softsign", 0.5, 1.0, 8)
