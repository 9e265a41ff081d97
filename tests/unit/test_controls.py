"""The one output mechanism of the explorers: items → Output contents; errors handled as stated."""

from __future__ import annotations

import ipywidgets as w
import plotly.graph_objects as go
import pytest
from IPython.display import HTML

from itemsrel.figures.style import use_book_renderer
from itemsrel.widgets.controls import (
    STATIC_NOTE,
    LivePanel,
    as_outputs,
    live_panel,
    show,
    sync_figure,
)


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


def test_live_panel_redraws_in_place_and_reports_bad_input():
    slider = w.IntSlider(value=1, min=-5, max=5)

    def items():
        if slider.value < 0:
            raise ValueError("the value must not be negative")
        if slider.value == 5:
            raise RuntimeError("a bug")
        return [f"value {slider.value}", go.Figure(go.Bar(x=[1, 2], y=[slider.value, 1]))]

    panel = live_panel([slider], items)
    # first draw (no JupyterLab session): plain outputs, which the static book shows, and the note
    assert isinstance(panel, LivePanel) and panel.note.value == STATIC_NOTE
    (out,) = panel.area.children
    assert out.outputs[0]["text"] == "value 1\n" and panel.redraws == 1
    slider.value = 3  # later draws: persistent widgets, updated in place
    fig = panel.figures[0]
    assert isinstance(fig, go.FigureWidget) and list(fig.data[0].y) == [3, 1]
    assert "value 3" in panel.texts[0] and panel.message == ""
    # the kernel's share of the redraw, for the browser test and the benchmark (invisible)
    assert set(panel.timing) == {"compute_ms", "sync_ms"} and panel.timing["compute_ms"] >= 0
    assert "class='itemsrel-timing'" in panel.status.value and "data-redraw='2'" in panel.status.value
    slider.value = 4
    assert panel.figures == [fig] and list(fig.data[0].y) == [4, 1]  # the same figure
    slider.value = -2  # bad input: a message, the last valid drawing stays
    assert "⚠ the value must not be negative" in panel.status.value
    assert list(fig.data[0].y) == [4, 1] and "value 4" in panel.texts[0]
    slider.value = 5  # a later bug is shown in one line (traceback folded), never raised
    assert "the panel failed: RuntimeError(&#x27;a bug&#x27;)" in panel.status.value
    assert "<details>" in panel.status.value
    slider.value = 2
    assert panel.message == "" and list(fig.data[0].y) == [2, 1]


def test_sync_figure_sends_only_changes_and_replaces_other_traces():
    target = go.FigureWidget()
    sync_figure(target, go.Figure(go.Scatter(x=[0, 1], y=[1, 2], name="a")))
    uid = target.data[0].uid
    sync_figure(target, go.Figure(go.Scatter(x=[0, 1], y=[5, 6], name="a")))
    assert target.data[0].uid == uid and list(target.data[0].y) == [5, 6]  # restyled in place
    assert target.layout.uirevision == "itemsrel-live"  # the reader's zoom and camera are kept
    sync_figure(target, go.Figure([go.Bar(y=[1]), go.Scatter(y=[2])]))
    assert [t.type for t in target.data] == ["bar", "scatter"]


def test_latest_change_wins_in_an_event_loop():
    import asyncio

    slider = w.IntSlider(value=0, max=100)
    calls = []

    def items():
        calls.append(slider.value)
        return [f"value {slider.value}"]

    panel = live_panel([slider], items, delay=0.01)
    calls.clear()

    async def burst():
        for v in (1, 2, 3, 4):
            slider.value = v
        assert "recomputing" in panel.status.value  # busy inside the panel
        await asyncio.sleep(0.1)

    asyncio.run(burst())
    assert calls == [4]  # one recompute, for the final value
    assert "value 4" in panel.texts[0] and panel.message == ""


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
