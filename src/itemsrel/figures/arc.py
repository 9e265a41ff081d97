"""Binary patterns drawn as polygons with coloured edges (the paper's Figure 2, for any N ≤ 8).

A pattern x of length N is a regular N-gon; edge i (1-based on the page) joins vertex i to
vertex i+1, going clockwise from the top, and is drawn

* **1** — thick, solid, vermillion (the paper uses red);
* **0** — thin, dashed, sky blue (the paper uses green).

The blue/orange-red pair stays distinct for the common colour-vision deficiencies, and the line
style carries the bit a second time. :func:`polygon_row` lays out polygons left to right with a
caption under each and optional connector texts (such as ``→ (2 3) →``) between them;
:func:`polygon_rows` stacks several such rows (e.g. the puzzle, then the networks' answers) and
wraps long rows, so figures stay readable in the book's ~600 px text column.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike

from ..patterns import as_pattern
from .style import COLORS, style

if TYPE_CHECKING:
    from ..arc import NetworkAnswers, Puzzle

__all__ = [
    "BIT_STYLE",
    "KIND_COLORS",
    "Panel",
    "PolygonLayout",
    "answers_figure",
    "layout_figure",
    "polygon_layout",
    "polygon_row",
    "polygon_rows",
    "puzzle_figure",
]

#: Line colour, width and dash for bit 1 and bit 0.
BIT_STYLE = {
    1: {"color": COLORS["vermillion"], "width": 7, "dash": "solid"},
    0: {"color": COLORS["sky"], "width": 3, "dash": "dash"},
}
_STEP = 2.9  # horizontal distance between polygon centres, in radii
_ROW = 4.2  # vertical distance between display rows, in radii


@dataclass(frozen=True)
class Panel:
    """One polygon of a row: the ``pattern``, a ``caption`` under it (HTML allowed) and an
    optional ``frame`` colour drawn as a rounded box around it (e.g. to mark a correct answer)."""

    pattern: ArrayLike
    caption: str = ""
    frame: str | None = None


def _vertices(N: int, cx: float, cy: float) -> np.ndarray:
    angles = np.pi / 2 - 2 * np.pi * np.arange(N) / N - (np.pi / N if N % 2 == 0 else 0.0)
    return np.stack([cx + np.cos(angles), cy + np.sin(angles)], axis=1)


def _chunks(items: Sequence[Panel | str], per_row: int) -> list[list[Panel | str]]:
    """Split a row into display rows of at most ``per_row`` panels (a connector text stays with
    the panel that follows it)."""
    out: list[list[Panel | str]] = [[]]
    count = 0
    pending: list[str] = []
    for it in items:
        if isinstance(it, str):
            pending.append(it)
            continue
        if count == per_row:
            out.append([])
            count = 0
        out[-1] += [*pending, it]
        pending = []
        count += 1
    out[-1] += pending
    return out


@dataclass
class PolygonLayout:
    """Where everything of :func:`polygon_rows` goes, in data units (polygon radius 1, y up):
    ``segments[bit]`` edge segments ((x0, y0), (x1, y1)) drawn in :data:`BIT_STYLE` [bit];
    ``texts`` (x, y, text, size, anchor: "left"/"center"/"" (plotly's automatic: centred),
    valign: "middle"/"top", colour; text may hold ``<b>`` and ``<br>``); ``frames`` (x0, y0, x1, y1, colour); ``x_range``,
    ``y_range``; ``n_lines`` display rows. Both the plotly figure and the SVG of the JupyterLab
    explorer (:mod:`itemsrel.widgets.svg`) are drawn from it."""

    segments: dict[int, list[tuple[tuple[float, float], tuple[float, float]]]]
    texts: list[tuple[float, float, str, int, str, str, str]]
    frames: list[tuple[float, float, float, float, str]]
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    n_lines: int
    labelled: bool = False


def polygon_layout(
    rows: Sequence[Sequence[Panel | str]],
    *,
    row_labels: Sequence[str] | None = None,
    per_row: int = 5,
    edge_numbers: bool = True,
) -> PolygonLayout:
    """The layout of :func:`polygon_rows` (same arguments, see there)."""
    panels = [it for row in rows for it in row if isinstance(it, Panel)]
    if not panels:
        raise ValueError("polygon_rows needs at least one Panel")
    N = len(np.ravel(panels[0].pattern))
    if not 3 <= N <= 8:
        raise ValueError(f"polygons are drawn for 3 <= N <= 8, got N = {N}")
    if row_labels is not None and len(row_labels) != len(rows):
        raise ValueError(f"{len(row_labels)} row labels for {len(rows)} rows")
    segs: dict[int, list] = {1: [], 0: []}
    texts: list[tuple[float, float, str, int, str, str, str]] = []
    frames: list[tuple[float, float, float, float, str]] = []
    first, y, x_max = True, 0.0, 0.0
    for r, row in enumerate(rows):
        for line, chunk in enumerate(_chunks(row, per_row)):
            if line == 0 and row_labels is not None and row_labels[r]:
                texts.append((-1.4, y + 1.55, f"<b>{row_labels[r]}</b>", 12, "left", "middle", "#222"))
            x = 0.0
            for it in chunk:
                if isinstance(it, str):
                    texts.append((x - _STEP / 2 + 0.45, y, it, 13, "center", "middle", "#222"))
                    x += 0.9
                    continue
                bits = as_pattern(it.pattern, N)
                V = _vertices(N, x, y)
                for i, b in enumerate(bits):
                    a, c = V[i], V[(i + 1) % N]
                    segs[int(b)].append(((float(a[0]), float(a[1])), (float(c[0]), float(c[1]))))
                    if edge_numbers and first:
                        mid = (a + c) / 2
                        out = (mid - (x, y)) / np.linalg.norm(mid - (x, y))
                        texts.append(
                            (float(mid[0] + 0.3 * out[0]), float(mid[1] + 0.3 * out[1]),
                             str(i + 1), 10, "", "middle", "#555")
                        )
                texts.append((x, y - 1.3, it.caption, 11, "", "top", "#222"))
                if it.frame:
                    frames.append((x - 1.25, y - 1.25, x + 1.25, y + 1.25, it.frame))
                first = False
                x_max = max(x_max, x)
                x += _STEP
            y -= _ROW
    top = 1.9 if row_labels is not None else 1.45
    width = max(x_max + 1.5, (per_row - 1) * _STEP + 1.5)
    return PolygonLayout(
        segs, texts, frames, (-1.5, width), (y + _ROW - 2.2, top), round(-y / _ROW),
        labelled=row_labels is not None,
    )


def polygon_rows(
    rows: Sequence[Sequence[Panel | str]],
    *,
    row_labels: Sequence[str] | None = None,
    per_row: int = 5,
    title: str | None = None,
    edge_numbers: bool = True,
) -> go.Figure:
    """Rows of polygons (``Panel``) and connector texts (``str``), one figure.

    Each given row starts on a new line, is wrapped after ``per_row`` polygons, and gets its
    ``row_labels`` entry as a heading. All patterns must have one length N (3 ≤ N ≤ 8); edge numbers
    1..N are written around the first polygon when ``edge_numbers`` is true. The height follows
    the number of display rows. (Layout: :func:`polygon_layout`.)
    """
    lay = polygon_layout(rows, row_labels=row_labels, per_row=per_row, edge_numbers=edge_numbers)
    return layout_figure(lay, title)


def layout_figure(lay: PolygonLayout, title: str | None = None) -> go.Figure:
    """The plotly figure of a :func:`polygon_layout` (what :func:`polygon_rows` returns)."""
    annotations = [
        {
            "x": x,
            "y": y,
            "text": text,
            "showarrow": False,
            "font": {"size": size, **({"color": color} if color != "#222" else {})},
            **({"xanchor": anchor} if anchor else {}),
            **({"yanchor": "top"} if valign == "top" else {}),
        }
        for x, y, text, size, anchor, valign, color in lay.texts
    ]
    shapes = [
        {
            "type": "rect", "x0": x0, "x1": x1, "y0": y0, "y1": y1,
            "line": {"color": color, "width": 2.5}, "layer": "below",
        }
        for x0, y0, x1, y1, color in lay.frames
    ]
    fig = go.Figure()
    for bit, label in ((1, "1 (paper: red edge)"), (0, "0 (paper: green edge)")):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for (x0, y0), (x1, y1) in lay.segments[bit]:
            xs += [x0, x1, None]
            ys += [y0, y1, None]
        st = BIT_STYLE[bit]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=f"bit {label}",
                hoverinfo="skip",
                line={"color": st["color"], "width": st["width"], "dash": st["dash"]},
            )
        )
    fig.update_layout(
        annotations=annotations,
        shapes=shapes,
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top"},
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 30},
    )
    fig.update_xaxes(visible=False, range=list(lay.x_range))
    fig.update_yaxes(visible=False, range=list(lay.y_range), scaleanchor="x")
    height = int(50 + 160 * lay.n_lines + (35 if title else 0) + (15 if lay.labelled else 0))
    return style(fig, title=title, height=height)


def polygon_row(
    items: Sequence[Panel | str],
    *,
    title: str | None = None,
    edge_numbers: bool = True,
    per_row: int = 5,
) -> go.Figure:
    """One row of polygons and connector texts (wrapped after ``per_row`` polygons)."""
    return polygon_rows([items], title=title, edge_numbers=edge_numbers, per_row=per_row)


#: Colour of each kind of answer (:data:`itemsrel.arc.ANSWER_KINDS`), in that order.
KIND_COLORS = (COLORS["green"], COLORS["sky"], COLORS["orange"], COLORS["grey"], COLORS["black"])


def answers_figure(
    kinds: Mapping[str, Sequence[str]], kind_names: Sequence[str], *, title: str | None = None
) -> go.Figure:
    """Stacked horizontal bars: for each solver (key), the share of puzzles per answer kind.

    ``kinds[solver]`` lists one kind per puzzle; ``kind_names`` fixes the order and the colours
    (:data:`KIND_COLORS`)."""
    labels = list(kinds)
    fig = go.Figure()
    for j, kind in enumerate(kind_names):
        shares = [100.0 * Counter(kinds[s])[kind] / max(1, len(kinds[s])) for s in labels]
        fig.add_trace(
            go.Bar(
                y=labels,
                x=shares,
                name=kind,
                orientation="h",
                marker_color=KIND_COLORS[j % len(KIND_COLORS)],
                hovertemplate="%{y}: %{x:.1f} % of puzzles<extra>" + kind + "</extra>",
            )
        )
    fig.update_layout(barmode="stack", legend={"orientation": "h", "y": -0.25}, margin={"l": 140})
    fig.update_xaxes(title_text="share of the puzzles (%)", range=[0, 100])
    fig.update_yaxes(autorange="reversed", automargin=True)
    return style(fig, title=title, height=420)


def puzzle_figure(
    puzzle: Puzzle, answers: Mapping[str, NetworkAnswers], index: int, *, title: str | None = None
) -> go.Figure:
    """One generated puzzle (``answers[name]`` holds the networks' answers to a list of puzzles,
    ``index`` this puzzle's place in it): the examples, then the test, the planted rule and its
    answer (green frame), and what each network answered."""

    def word(x: np.ndarray) -> str:
        return "".join(str(int(v)) for v in x)

    row: list[Panel | str] = [
        "test:",
        Panel(puzzle.test, word(puzzle.test)),
        puzzle.rule_text,
        Panel(
            puzzle.answers[0], f"rule's answer<br>{word(puzzle.answers[0])}", frame=COLORS["green"]
        ),
        "networks:",
    ]
    for name, out in answers.items():
        a = out.answers[index]
        shown = a if (a >= 0).all() else np.zeros(puzzle.N, dtype=np.int8)
        row.append(Panel(shown, f"{name}:<br>{out.kinds[index]}"))
    return polygon_rows(
        [[Panel(x, word(x)) for x in puzzle.X], row],
        row_labels=["examples", "test, the rule's answer, the networks' answers"],
        per_row=6,
        edge_numbers=False,
        title=title,
    )
