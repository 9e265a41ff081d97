"""Figures for learning words in groups: grokking curves, irrep structure, tables, words.

* :func:`curves_figure` / :func:`grokking_figure` — train and test accuracy against the training
  step (log axis), one panel, or one panel per group.
* :func:`structure_figure` — median neuron purity and the share of fusion-allowed triplets over
  training (from :func:`itemsrel.grokking.structure_over_training`).
* :func:`power_figure` — the layer's power per irrep over training (heat maps).
* :func:`neuron_irrep_figure` — each neuron's power per irrep at a few moments (heat maps).
* :func:`triplet_share_figure` — share of neurons carrying allowed triplets, against chance.
* :func:`table_figure` — the word's table, coloured by train/test and right/wrong answers.
* :func:`words_figure` — final test accuracy against the training fraction, one line per word.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from numpy.typing import NDArray
from plotly.subplots import make_subplots

from ..grokking import GrokResult, NeuronIrreps
from ..groups import Group, word_table
from .style import COLORS, style

__all__ = [
    "DECAY_COLORS",
    "GROUP_COLORS",
    "curves_figure",
    "grokking_figure",
    "neuron_irrep_figure",
    "power_figure",
    "structure_figure",
    "table_figure",
    "triplet_share_figure",
    "words_figure",
]

#: One colour per group family, the same in every figure of the chapter.
GROUP_COLORS = {"Z": COLORS["blue"], "D": COLORS["orange"], "S": COLORS["green"]}
#: Weight decay on (blue) or off (vermillion).
DECAY_COLORS = {True: COLORS["blue"], False: COLORS["vermillion"]}
WORD_COLORS = [
    COLORS["blue"],
    COLORS["vermillion"],
    COLORS["green"],
    COLORS["purple"],
    COLORS["orange"],
    COLORS["sky"],
]

_STEP_AXIS = {"type": "log", "title_text": "training step (log scale)"}


def _group_color(name: str) -> str:
    return GROUP_COLORS.get(name[0], COLORS["black"])


def _curve_traces(
    result: GrokResult, m: int, color: str, name: str, *, legend: bool, group: str
) -> list[go.Scatter]:
    """Test (solid) and train (dashed) accuracy of task m in percent, steps ≥ 1."""
    keep = result.eval_steps > 0
    x = result.eval_steps[keep]
    out = []
    for which, acc, dash, width in (
        ("test", result.test_acc, "solid", 2.2),
        ("train", result.train_acc, "dash", 1.3),
    ):
        out.append(
            go.Scatter(
                x=x,
                y=100 * acc[keep, m],
                mode="lines",
                line={"color": color, "dash": dash, "width": width},
                name=f"{which}, {name}",
                legendgroup=f"{group}-{which}",
                showlegend=legend,
                hovertemplate=f"{result.tasks[m].label}<br>step %{{x}}: {which} %{{y:.1f}} %<extra></extra>",
            )
        )
    return out


def _accuracy_axes(
    fig: go.Figure, steps: int, row: int | None = None, col: int | None = None
) -> None:
    kw = {} if row is None else {"row": row, "col": col}
    fig.update_xaxes(range=[0.9, np.log10(steps) + 0.05], **_STEP_AXIS, **kw)
    fig.update_yaxes(range=[-3, 103], **kw)
    fig.add_hline(y=95, line={"color": COLORS["grey"], "dash": "dot", "width": 1}, **kw)


def curves_figure(
    result: GrokResult,
    tasks: Sequence[int] | None = None,
    *,
    title: str | None = None,
    height: int = 360,
) -> go.Figure:
    """Train (dashed) and test (solid) accuracy of the given tasks (default all), one panel.

    Colours: weight decay on (blue) or off (vermillion); each seed is one pair of lines.
    """
    tasks = list(range(result.M)) if tasks is None else list(tasks)
    fig = go.Figure()
    shown: set[bool] = set()
    for m in tasks:
        on = result.tasks[m].weight_decay > 0
        name = f"λ = {result.tasks[m].weight_decay:g}" if on else "λ = 0"
        for tr in _curve_traces(
            result, m, DECAY_COLORS[on], name, legend=on not in shown, group=str(on)
        ):
            fig.add_trace(tr)
        shown.add(on)
    _accuracy_axes(fig, result.config["steps"])
    fig.update_yaxes(title_text="accuracy (%)")
    return style(fig, title=title, height=height)


def grokking_figure(result: GrokResult, *, height: int = 380) -> go.Figure:
    """One panel per group: test (solid) and train (dashed) accuracy over training, every task.

    Colours: weight decay on (blue) or off (vermillion); seeds share the colour.
    """
    groups = list(dict.fromkeys(t.group.name for t in result.tasks))
    fig = make_subplots(
        rows=1, cols=len(groups), subplot_titles=groups, shared_yaxes=True, horizontal_spacing=0.04
    )
    shown: set[bool] = set()
    for col, g in enumerate(groups, start=1):
        for m in result.select(group=g):
            on = result.tasks[m].weight_decay > 0
            name = f"λ = {result.tasks[m].weight_decay:g}" if on else "λ = 0"
            for tr in _curve_traces(
                result, m, DECAY_COLORS[on], name, legend=on not in shown, group=str(on)
            ):
                fig.add_trace(tr, row=1, col=col)
            shown.add(on)
        _accuracy_axes(fig, result.config["steps"], row=1, col=col)
    fig.update_yaxes(title_text="accuracy (%)", row=1, col=1)
    fig.update_layout(legend={"orientation": "h", "y": -0.3, "x": 0}, margin={"b": 110})
    return style(fig, height=height)


def structure_figure(
    frames: Mapping[str, pd.DataFrame], *, height: int = 360, purity: str = "purity x"
) -> go.Figure:
    """Left: median neuron purity; right: share of neurons on allowed triplets (chance dotted).

    ``frames`` maps a label such as ``"S_4, λ = 1"`` to the DataFrame of
    :func:`itemsrel.grokking.structure_over_training`. Colour by group (first letter of the
    label), dashed lines for labels containing ``"λ = 0"``.
    """
    fig = make_subplots(
        rows=1,
        cols=2,
        horizontal_spacing=0.1,
        subplot_titles=("median neuron purity (x-embedding)", "neurons on fusion-allowed triplets"),
    )
    for label, df in frames.items():
        d = df[df["step"] > 0]
        color = _group_color(label)
        dash = "dash" if "λ = 0" in label else "solid"
        common = {
            "mode": "lines+markers",
            "marker": {"size": 4},
            "line": {"color": color, "dash": dash},
            "legendgroup": label,
        }
        fig.add_trace(
            go.Scatter(
                x=d["step"],
                y=d[purity],
                name=label,
                **common,
                hovertemplate=f"{label}<br>step %{{x}}: %{{y:.2f}}<extra></extra>",
            ),
            row=1,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=d["step"],
                y=100 * d["allowed share"],
                name=label,
                showlegend=False,
                **common,
                hovertemplate=f"{label}<br>step %{{x}}: %{{y:.0f}} %<extra></extra>",
            ),
            row=1,
            col=2,
        )
        fig.add_trace(
            go.Scatter(
                x=d["step"],
                y=100 * d["chance"],
                mode="lines",
                line={"color": color, "dash": "dot", "width": 1},
                name=f"chance, {label}",
                legendgroup=label,
                showlegend=False,
                hovertemplate="chance %{y:.0f} %<extra></extra>",
            ),
            row=1,
            col=2,
        )
    fig.update_xaxes(**_STEP_AXIS)
    fig.update_yaxes(
        title_text="purity (share of the neuron's power)", range=[0, 1.03], row=1, col=1
    )
    fig.update_yaxes(title_text="active neurons (%)", range=[-2, 103], row=1, col=2)
    fig.update_layout(legend={"orientation": "h", "y": -0.3, "x": 0}, margin={"b": 110})
    return style(fig, height=height)


def power_figure(tables: Mapping[str, pd.DataFrame], *, height: int = 420) -> go.Figure:
    """Heat maps (irrep × training step) of the share of the layer's power in each irrep.

    ``tables`` maps a panel name to the DataFrame of :func:`itemsrel.grokking.power_over_training`
    (rows: steps, columns: irreps). Steps are shown as categories (the snapshots are spaced
    roughly logarithmically); the panel names are written below the panels.
    """
    items = list(tables.items())
    zmax = max(float(np.nanmax(df.to_numpy())) for _, df in items)
    fig = make_subplots(rows=1, cols=len(items), horizontal_spacing=0.05, shared_yaxes=True)
    for col, (name, df) in enumerate(items, start=1):
        fig.add_trace(
            go.Heatmap(
                z=100 * df.to_numpy().T,
                x=[str(s) for s in df.index],
                y=list(df.columns),
                zmin=0,
                zmax=100 * zmax,
                colorscale=[[0, "#ffffff"], [1, COLORS["blue"]]],
                showscale=col == len(items),
                colorbar={"title": {"text": "share (%)"}, "len": 0.9},
                hovertemplate="step %{x}, irrep %{y}: %{z:.1f} %<extra></extra>",
            ),
            row=1,
            col=col,
        )
        fig.update_xaxes(
            title_text=f"{name}<br>training step",
            type="category",
            tickangle=-60,
            tickfont={"size": 9},
            row=1,
            col=col,
        )
    fig.update_yaxes(title_text="irrep", autorange="reversed", type="category", row=1, col=1)
    fig.update_layout(margin={"t": 70, "l": 100, "b": 110})
    return style(fig, height=height)


def neuron_irrep_figure(
    panels: Mapping[str, NeuronIrreps], *, which: str = "x", height: int = 420
) -> go.Figure:
    """Heat maps, one per moment: each neuron's share of (non-trivial) power per irrep.

    Neurons (columns) are sorted by their dominant irrep in the *last* panel, then by purity, in
    every panel, so the same column is the same neuron throughout. Panel names are written below
    the panels, which leaves the top free for the menu of :func:`~.switch.switcher`.
    """
    items = list(panels.items())
    last = items[-1][1]
    nontrivial = [k for k in range(len(last.irrep_names)) if k != last.trivial]
    dom, pur = last.dominant(which), last.purity(which)
    order = np.lexsort((-np.nan_to_num(pur), dom))
    fig = make_subplots(rows=1, cols=len(items), horizontal_spacing=0.03, shared_yaxes=True)
    for col, (name, ni) in enumerate(items, start=1):
        p = getattr(ni, f"power_{which}")[nontrivial][:, order]
        share = p / np.maximum(p.sum(axis=0, keepdims=True), 1e-300)
        fig.add_trace(
            go.Heatmap(
                z=share,
                x=np.arange(1, share.shape[1] + 1),
                y=[ni.irrep_names[k] for k in nontrivial],
                zmin=0,
                zmax=1,
                colorscale=[[0, "#ffffff"], [1, COLORS["blue"]]],
                showscale=col == len(items),
                colorbar={"title": {"text": "share"}, "len": 0.9},
                hovertemplate="neuron %{x}, irrep %{y}: %{z:.2f}<extra></extra>",
            ),
            row=1,
            col=col,
        )
        fig.update_xaxes(
            title_text=f"{name}<br>neurons (sorted)", showticklabels=False, row=1, col=col
        )
    fig.update_yaxes(title_text="irrep", autorange="reversed", type="category", row=1, col=1)
    fig.update_layout(margin={"t": 70, "l": 100, "b": 80})
    return style(fig, height=height)


def triplet_share_figure(rows: pd.DataFrame, *, height: int = 340) -> go.Figure:
    """Bars: share of active neurons on allowed triplets per group and state; chance as ticks.

    ``rows`` has the columns ``group``, ``state``, ``allowed share`` and ``chance`` (shares in
    [0, 1]); one bar group per ``group``, one bar per ``state``.
    """
    states = list(dict.fromkeys(rows["state"]))
    palette = [COLORS["grey"], COLORS["vermillion"], COLORS["blue"], COLORS["green"]]
    fig = go.Figure()
    for k, state in enumerate(states):
        d = rows[rows["state"] == state]
        fig.add_trace(
            go.Bar(
                x=d["group"],
                y=100 * d["allowed share"],
                name=state,
                marker_color=palette[k % len(palette)],
                offsetgroup=state,
                hovertemplate=f"{state}, %{{x}}: %{{y:.0f}} %<extra></extra>",
            )
        )
        fig.add_trace(
            go.Scatter(
                x=d["group"],
                y=100 * d["chance"],
                mode="markers",
                marker={
                    "symbol": "line-ew-open",
                    "size": 22,
                    "color": COLORS["black"],
                    "line": {"width": 2},
                },
                name="chance (independent irreps)",
                offsetgroup=state,
                legendgroup="chance",
                showlegend=k == 0,
                hovertemplate="chance %{y:.0f} %<extra></extra>",
            )
        )
    fig.update_layout(barmode="group", scattermode="group")
    fig.update_yaxes(title_text="active neurons on allowed triplets (%)", range=[0, 105])
    fig.update_xaxes(title_text="group")
    return style(fig, height=height)


def table_figure(
    group: Group,
    word: str,
    train_mask: NDArray[np.bool_],
    predictions: Mapping[str, NDArray[np.intp]],
    *,
    height: int = 420,
) -> go.Figure:
    """The pairs (x, y) of the word's table, one panel per set of predictions.

    Colours: training pair answered right (light grey) or wrong (black), unseen pair answered
    right (green) or wrong (vermillion).
    """
    tab = word_table(group, word)
    items = list(predictions.items())
    names = list(group.elements)
    fig = make_subplots(
        rows=1, cols=len(items), subplot_titles=[t for t, _ in items], horizontal_spacing=0.06
    )
    labels = [
        "training pair, right",
        "training pair, wrong",
        "unseen pair, right",
        "unseen pair, wrong",
    ]
    colors = ["#dddddd", COLORS["black"], COLORS["green"], COLORS["vermillion"]]
    scale = []
    for k, c in enumerate(colors):
        scale += [[k / 4, c], [(k + 1) / 4, c]]
    present: set[int] = set()
    for col, (_, pred) in enumerate(items, start=1):
        code = np.where(train_mask, 0, 2) + (np.asarray(pred) != tab)
        present.update(np.unique(code).tolist())
        text = np.vectorize(lambda k: labels[k])(code)
        fig.add_trace(
            go.Heatmap(
                z=code,
                x=names,
                y=names,
                zmin=-0.5,
                zmax=3.5,
                colorscale=scale,
                showscale=False,
                customdata=text,
                hovertemplate="x = %{y}, y = %{x}: %{customdata}<extra></extra>",
            ),
            row=1,
            col=col,
        )
        fig.update_xaxes(title_text="y", tickfont={"size": 8}, row=1, col=col)
        fig.update_yaxes(
            title_text="x" if col == 1 else None,
            autorange="reversed",
            tickfont={"size": 8},
            scaleanchor=f"x{'' if col == 1 else col}",
            row=1,
            col=col,
        )
    for k, (lab, c) in enumerate(zip(labels, colors, strict=True)):
        if k not in present:
            continue
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=lab,
                marker={
                    "symbol": "square",
                    "size": 12,
                    "color": c,
                    "line": {"color": "#888", "width": 1},
                },
                showlegend=True,
                legendrank=k,
            )
        )
    fig.update_layout(legend={"orientation": "h", "y": -0.18, "x": 0})
    return style(fig, height=height)


def words_figure(
    result: GrokResult, baselines: Mapping[str, float] | None = None, *, height: int = 360
) -> go.Figure:
    """Final test accuracy against the training fraction, one colour per word; seeds as markers.

    ``baselines`` (word -> accuracy in [0, 1]) are drawn as dotted lines in the word's colour,
    e.g. the accuracy of always giving the word's most frequent answer.
    """
    words = list(dict.fromkeys(t.word for t in result.tasks))
    fig = go.Figure()
    for k, word in enumerate(words):
        color = WORD_COLORS[k % len(WORD_COLORS)]
        idx = result.select(word=word)
        fr = np.array([result.tasks[m].fraction for m in idx])
        acc = 100 * result.test_acc[-1, idx]
        fig.add_trace(
            go.Scatter(
                x=fr,
                y=acc,
                mode="markers",
                marker={"color": color, "size": 8},
                name=word,
                legendgroup=word,
                showlegend=False,
                hovertemplate=f"{word}, fraction %{{x}}: %{{y:.1f}} %<extra></extra>",
            )
        )
        fs = np.unique(fr)
        mean = [acc[fr == f].mean() for f in fs]
        fig.add_trace(
            go.Scatter(
                x=fs,
                y=mean,
                mode="lines",
                line={"color": color, "width": 2},
                name=word,
                legendgroup=word,
                hoverinfo="skip",
            )
        )
        if baselines and word in baselines:
            fig.add_trace(
                go.Scatter(
                    x=[fs.min(), fs.max()],
                    y=[100 * baselines[word]] * 2,
                    mode="lines",
                    line={"color": color, "dash": "dot", "width": 1},
                    name=f"{word}: most frequent answer",
                    legendgroup=word,
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
    fig.add_hline(y=95, line={"color": COLORS["grey"], "dash": "dot", "width": 1})
    fig.update_xaxes(title_text="training fraction (share of all pairs)")
    fig.update_yaxes(
        title_text=f"test accuracy at step {result.config['steps']} (%)", range=[0, 103]
    )
    return style(fig, height=height)
