"""Static interactivity: several precomputed figures merged into one, switched by plotly controls.

The HTML book has no Python kernel, so "play with it" there means choosing among precomputed
results. :func:`switcher` takes figures that share a layout (e.g. one flow field per activation)
and returns one figure whose dropdown (or slider) shows one of them at a time. It runs entirely in
the browser and needs no widget state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import plotly.graph_objects as go

from .style import style

__all__ = ["switcher"]


def switcher(
    figures: Mapping[str, go.Figure],
    *,
    control: Literal["dropdown", "slider"] = "dropdown",
    label: str = "",
    active: int = 0,
    title: str | None = None,
) -> go.Figure:
    """One figure showing ``figures[key]`` for the key chosen in a dropdown or on a slider.

    The layout (axes, scene, size) is taken from the first figure; each option also carries its
    own figure title. Traces of the other options are hidden, not removed.
    """
    if not figures:
        raise ValueError("switcher needs at least one figure")
    keys = list(figures)
    if not 0 <= active < len(keys):
        raise ValueError(f"active must index one of the {len(keys)} options")
    first = figures[keys[0]]
    out = go.Figure(layout=first.layout)
    owner: list[int] = []
    for k, key in enumerate(keys):
        for trace in figures[key].data:
            out.add_trace(trace)
            owner.append(k)
    titles = [figures[key].layout.title.text or title or "" for key in keys]

    def visibility(k: int) -> list[bool]:
        return [o == k for o in owner]

    for i, tr in enumerate(out.data):
        tr.visible = owner[i] == active
    steps = [
        {
            "label": key,
            "method": "update",
            "args": [{"visible": visibility(k)}, {"title.text": titles[k]}],
        }
        for k, key in enumerate(keys)
    ]
    if control == "dropdown":
        # top left, above the plot area: plotly's mode bar appears at the top right on hover, and
        # a menu under it cannot be clicked (the click lands on the mode bar)
        out.update_layout(
            updatemenus=[
                {
                    "buttons": steps,
                    "active": active,
                    "x": 0.0,
                    "xanchor": "left",
                    "y": 1.0,
                    "yanchor": "bottom",
                    "showactive": True,
                    "pad": {"b": 6, "l": 0},
                }
            ],
            title={"y": 0.99, "yref": "container", "yanchor": "top"},
        )
        top = max(int(out.layout.margin.t or 0), 104 if label else 84)
        out.update_layout(margin={"t": top})
        if label:
            out.add_annotation(
                text=label + ":",
                x=0.0,
                xref="paper",
                y=1.0,
                yref="paper",
                yshift=36,
                showarrow=False,
                xanchor="left",
                yanchor="bottom",
            )
    else:
        out.update_layout(
            sliders=[
                {
                    "steps": steps,
                    "active": active,
                    "currentvalue": {"prefix": f"{label}: " if label else ""},
                    "pad": {"t": 30},
                }
            ]
        )
    out.update_layout(title_text=titles[active])
    return style(out)
