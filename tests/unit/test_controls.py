"""The one output mechanism of the explorers: items → Output contents; errors handled as stated."""

from __future__ import annotations

import ipywidgets as w
import plotly.graph_objects as go
import pytest
from IPython.display import HTML

from itemsrel.figures.style import use_book_renderer
from itemsrel.widgets.controls import as_outputs, live_panel, show


def test_as_outputs_text_html_and_figures():
    use_book_renderer()
    outs = as_outputs(["two lines\nof text", HTML("<b>bold</b>"), go.Figure(go.Bar(y=[1, 2]))])
    assert outs[0] == {"output_type": "stream", "name": "stdout", "text": "two lines\nof text\n"}
    assert outs[1]["data"]["text/html"] == "<b>bold</b>"
    fig_data = outs[2]["data"]
    assert "application/vnd.plotly.v1+json" in fig_data  # JupyterLab
    assert "Plotly.newPlot" in fig_data["text/html"]  # the static book
    with pytest.raises(TypeError, match="cannot show"):
        as_outputs([object()])


def test_live_panel_redraws_and_reports_bad_input():
    slider = w.IntSlider(value=1, min=-5, max=5)

    def items():
        if slider.value < 0:
            raise ValueError("the value must not be negative")
        if slider.value == 5:
            raise RuntimeError("a bug")
        return [f"value {slider.value}"]

    panel = live_panel([slider], items)
    out = panel.children[1]
    assert out.outputs[0]["text"] == "value 1\n"
    slider.value = 3
    assert out.outputs[0]["text"] == "value 3\n"
    slider.value = -2
    assert out.outputs[0]["text"] == "⚠ the value must not be negative\n"
    slider.value = 5  # a later error is shown with its traceback, not raised into the front end
    assert "RuntimeError: a bug" in out.outputs[0]["text"]


def test_a_broken_panel_fails_its_first_draw():
    def broken():
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError, match="a bug"):
        live_panel([w.IntSlider()], broken)


def test_show_replaces_everything():
    out = w.Output()
    show(out, ["a", "b"])
    show(out, ["c"])
    assert [o["text"] for o in out.outputs] == ["c\n"]
