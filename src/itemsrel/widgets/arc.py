"""Chapter 5's interactive panel: build polygon puzzles edge by edge and see the rules they allow.

:func:`arc_explorer` shows a slider for the number of edges N (3..8), an editor for the training
polygons and one for the test polygon (:class:`~itemsrel.widgets.patterns.PatternEditor`; a
pressed button is a red edge, i.e. a 1), and a live output: Σ_X in 1-based cycle notation, the
answers its rules give for the test polygon (:func:`itemsrel.arc.predict`), and what linear, tanh
and sigmoid auto-associators trained on the items answer (:func:`itemsrel.arc.puzzle_answers`,
the answers of :func:`itemsrel.arc.network_answers`; weights already trained for the same items
and settings are reused).
"""

from __future__ import annotations

from collections import OrderedDict

import ipywidgets as w
import numpy as np
from IPython.display import HTML
from numpy.typing import ArrayLike
from sympy.combinatorics import Permutation

from ..arc import NetworkAnswers, Puzzle, activation_weights, predict, puzzle_answers
from ..figures.arc import Panel, PolygonLayout, layout_figure, polygon_layout
from ..figures.style import COLORS
from ..patterns import format_pattern
from ..symmetry import cycle_notation, group_elements, symmetry_group
from ..training import OPTIMIZERS
from .controls import LivePanel
from .patterns import PatternEditor
from .svg import SvgItem, polygons_spec

__all__ = ["ArcExplorer", "arc_explorer"]

_N_MIN, _N_MAX = 3, 8
NETWORKS = ("linear", "tanh", "sigmoid")
#: The networks' initial weights (zeros: the seed changes nothing, the panel says so by
#: redrawing the same answers) and how many trained weight sets the panel keeps.
INIT = "zeros"
CACHE_SIZE = 64


class ArcExplorer:
    """State and widgets of the puzzle explorer; ``.panel`` is the widget to display."""

    def __init__(self, X0: ArrayLike | None = None, test0: ArrayLike | None = None) -> None:
        X = np.array([[0, 1, 0], [0, 0, 1]]) if X0 is None else np.asarray(X0, dtype=int)
        t = np.array([1, 1, 0]) if test0 is None else np.asarray(test0, dtype=int)
        if X.ndim != 2 or not _N_MIN <= X.shape[1] <= _N_MAX or t.shape != (X.shape[1],):
            raise ValueError(
                f"X0 must have shape (K, N) with {_N_MIN} <= N <= {_N_MAX} and test0 shape (N,)"
            )
        self.N = w.IntSlider(
            value=X.shape[1],
            min=_N_MIN,
            max=_N_MAX,
            description="N (edges)",
            continuous_update=False,
            style={"description_width": "80px"},
        )
        self.items = PatternEditor(X.tolist(), label="item", max_rows=8, on_change=self.render)
        self.test = PatternEditor(
            [t.tolist()], label="test", fixed_rows=True, on_change=self.render
        )
        self.N.observe(self._on_n, names="value")
        st, lay = {"description_width": "110px"}, w.Layout(width="330px")
        self.optimizer = w.Dropdown(
            options=list(OPTIMIZERS), value="sgd", description="optimiser", style=st, layout=lay
        )
        self.lr = w.FloatLogSlider(
            value=0.5, base=10, min=-2, max=0, step=0.1, description="learning rate",
            continuous_update=False, style=st, layout=lay,
        )
        self.steps = w.SelectionSlider(
            options=[300, 1000, 1500, 3000, 10000], value=1500, description="max steps",
            continuous_update=False, style=st, layout=lay,
        )
        # trained weights (len(NETWORKS), N, N) by (items, optimiser, lr, steps, seed): a
        # change that does not retrain (seed, test polygon, a smaller step budget) costs no
        # training
        self._weights: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self.seed = w.BoundedIntText(
            value=0, min=0, max=9999, description="seed", style=st, layout=lay
        )
        for c in (self.optimizer, self.lr, self.steps, self.seed):
            c.observe(lambda _: self.render(), names="value")
        help_text = w.HTML(
            "<small>Each row is one polygon; button i is edge i (pressed = 1 = red edge).</small>"
        )
        self.live = LivePanel(
            [
                self.N,
                help_text,
                w.HTML("<b>training polygons</b>"),
                self.items.box,
                w.HTML("<b>test polygon</b>"),
                self.test.box,
                w.HTML("<b>the networks</b> (linear, tanh, sigmoid; zero init)"),
                w.HBox([w.VBox([self.optimizer, self.lr]), w.VBox([self.steps, self.seed])]),
            ],
            self._items,
            observe=False,
        )
        self.live.layout = w.Layout(border="1px solid #ddd", padding="6px")
        self.panel = self.live

    def _on_n(self, change: dict) -> None:
        # resize both editors; render once at the end (each resize would render on its own)
        self.items.on_change, self.test.on_change = (lambda: None), (lambda: None)
        self.items.set_length(change["new"])
        self.test.set_length(change["new"])
        self.items.on_change, self.test.on_change = self.render, self.render
        self.render()

    def message(self) -> str | None:
        """Why the current puzzle is invalid, or None."""
        return self.items.duplicate_message()

    def view(self) -> tuple[str, PolygonLayout | None]:
        """What the output shows for the current polygons: a text and the polygons' layout
        (:func:`~itemsrel.figures.arc.polygon_layout`; None, with the reason as text, when the
        items are not a valid set)."""
        msg = self.message()
        if msg is not None:
            return msg, None
        X = np.array(self.items.patterns, dtype=np.int8)
        t = np.array(self.test.patterns[0], dtype=np.int8)
        N = X.shape[1]
        G = symmetry_group(X)
        rules = [cycle_notation(s, N) for s in group_elements(G)] if G.order() <= 48 else []
        answers = predict(X, t)
        text = [
            f"Σ_X has {G.order()} element{'s' * (G.order() != 1)}"
            + (f": {', '.join(rules)}" if rules else " (too many to list)"),
            "answers the rules give for the test polygon: "
            + (", ".join(format_pattern(a, "") for a in answers) or "none (every rule fixes it)"),
        ]
        if any((t == x).all() for x in X):
            text.append("(the test polygon is one of the training polygons)")
        question: list[Panel | str] = ["test:", Panel(t, f"test<br>{format_pattern(t, '')}")]
        if len(answers):
            question += ["rules"] + [
                Panel(a, format_pattern(a, ""), frame=COLORS["green"]) for a in answers[:3]
            ]
        rule = next((s for s in group_elements(G) if s.order() > 1), Permutation(list(range(N))))
        puzzle = Puzzle(X, t, rule, answers)
        nets: list[Panel | str] = []
        for name, out in zip(NETWORKS, self.network_answers(puzzle), strict=True):
            a = out.answers[0]
            if (a < 0).any():
                nets.append(Panel(np.zeros(N, dtype=np.int8), f"{name}:<br>no binary answer"))
            else:
                ok = COLORS["green"] if out.kinds[0] == "applies a rule" else None
                nets.append(Panel(a, f"{name}:<br>{out.kinds[0]}", frame=ok))
        layout = polygon_layout(
            [[Panel(x, f"item {k + 1}") for k, x in enumerate(X)], question, nets],
            row_labels=[
                "training polygons",
                "test and the answers of the rules",
                "what trained auto-associators answer",
            ],
        )
        return "\n".join(text), layout

    def network_answers(self, puzzle: Puzzle) -> list[NetworkAnswers]:
        """What the :data:`NETWORKS`, trained on the puzzle's items with the panel's settings,
        answer: :func:`itemsrel.arc.puzzle_answers` (the three trained as one batch), with the
        trained weights kept for the step budgets up to the current one."""
        optimizer, lr = self.optimizer.value, float(self.lr.value)
        steps = int(self.steps.value)
        seed = 0 if INIT == "zeros" else int(self.seed.value)
        X = np.ascontiguousarray(puzzle.X, dtype=np.int8)
        key = (X.shape, X.tobytes(), optimizer, lr, seed)
        if (*key, steps) not in self._weights:
            budgets = [b for b in self.steps.options if b < steps]
            stages = activation_weights(
                X, NETWORKS, init=INIT, seed=seed, optimizer=optimizer, lr=lr, steps=steps,
                also_at=budgets,
            )
            for b, W in stages.items():
                self._weights[(*key, b)] = W
        self._weights.move_to_end((*key, steps))
        while len(self._weights) > CACHE_SIZE:
            self._weights.popitem(last=False)
        return puzzle_answers(puzzle, NETWORKS, weights=self._weights[(*key, steps)])

    def _items(self) -> list:
        text, layout = self.view()
        if layout is None:
            raise ValueError(text)
        nets = (
            f"networks: {self.optimizer.value}, learning rate {float(self.lr.value):.3g}, "
            f"at most {int(self.steps.value)} steps, seed {int(self.seed.value)}"
        )
        # SVG in JupyterLab; the plotly figure on the static page
        figure = SvgItem(polygons_spec(layout), lambda: [layout_figure(layout)])
        return [HTML(f"<pre style='line-height:1.3'>{text}\n{nets}</pre>"), figure]

    def render(self) -> None:
        """Redraw the output for the current polygons (latest wins); an invalid set shows why
        and keeps the last valid drawing."""
        if hasattr(self, "live"):
            self.live.refresh()


def arc_explorer(X0: ArrayLike | None = None, test0: ArrayLike | None = None) -> LivePanel:
    """The explorer panel (default: the paper's X' = {010, 001} and the test polygon 110)."""
    return ArcExplorer(X0, test0).panel
