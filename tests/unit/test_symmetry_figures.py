"""Tests of itemsrel.figures.symmetry and the chapter-1 widget (itemsrel.widgets.explorer)."""

from __future__ import annotations

import numpy as np
import pytest
from sympy.combinatorics import Permutation, PermutationGroup
from sympy.combinatorics.named_groups import SymmetricGroup

from itemsrel.figures.symmetry import (
    invariant_pattern_figure,
    orbit_colors,
    orbit_letters,
    pair_orbit_labels,
    paper_overview_figure,
    static_explorer,
    symmetry_summary,
    training_set_figure,
)
from itemsrel.symmetry import symmetry_group
from itemsrel.widgets.explorer import SymmetryExplorer, symmetry_explorer

X = np.array([[1, 0, 1], [1, 1, 0]])
XP = np.array([[0, 1, 0], [0, 0, 1]])


def _colours(trace) -> set[str]:
    return {c for _, c in trace.colorscale}


def test_letters_and_colours():
    assert orbit_letters(5) == ["a", "b", "c", "d", "e"]
    assert orbit_letters(28)[25:] == ["z", "aa", "ab"]
    for k in (1, 5, 10, 11, 64):
        assert len(set(orbit_colors(k))) == k


def test_paper_pattern_is_eq5():
    fig = invariant_pattern_figure(symmetry_group(X), 3)
    (tr,) = fig.data
    assert np.asarray(tr.text).tolist() == [["a", "b", "b"], ["c", "d", "e"], ["c", "e", "d"]]
    assert len(_colours(tr)) == 5
    assert "5 free parameters" in fig.layout.title.text


@pytest.mark.parametrize(
    ("group", "n", "k"),
    [
        (SymmetricGroup(4), 4, 2),
        (PermutationGroup([Permutation(5)]), 6, 36),
        (symmetry_group(np.array([np.roll([1, 1, 0, 0, 0], s) for s in range(5)])), 5, 3),
    ],
)
def test_number_of_colours_is_number_of_pair_orbits(group, n, k):
    (tr,) = invariant_pattern_figure(group, n).data
    assert len(_colours(tr)) == k
    assert len({str(t) for row in tr.text for t in row}) == k
    assert pair_orbit_labels(group, n).max() + 1 == k


def test_training_set_figure_groups_orbits():
    Y = np.array([[1, 0, 0], [0, 0, 1], [1, 1, 1], [0, 1, 0]])
    (tr,) = training_set_figure(Y).data
    Z = np.asarray(tr.z, dtype=float)
    # orbit {001, 010, 100}, blank row, orbit {111}
    assert Z.shape == (5, 3)
    assert np.isnan(Z[3]).all()
    assert Z[:3].sum(axis=1).tolist() == [1, 1, 1]
    assert Z[4].tolist() == [1, 1, 1]


def test_summary_of_paper_set():
    s = symmetry_summary(X)
    assert (s.order, s.elements, s.generators, s.n_params) == (2, ["e", "(2 3)"], ["(2 3)"], 5)
    assert s.orbits == [["101", "110"]]
    assert s.consistent == ["000", "011", "100", "111"]
    assert s.span == ["000"]
    assert "|Σ_X|" in s.text()


def test_static_explorer_has_one_button_per_example():
    examples = {"X": X, "X'": XP, "S4": np.eye(4, dtype=int)}
    fig = static_explorer(examples)
    buttons = fig.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == list(examples)
    assert len(fig.data) == 3 * len(examples)  # items, W pattern, table per example
    visible = [bool(t.visible) for t in fig.data]
    assert visible == [True] * 3 + [False] * 6
    # the third button shows exactly the third example's traces
    assert buttons[2].args[0]["visible"] == [False] * 6 + [True] * 3
    assert "|Σ_X| = 24" in buttons[2].args[1]["title.text"]
    with pytest.raises(ValueError, match="at least one"):
        static_explorer({})


def test_overview_figure():
    fig = paper_overview_figure({"X": X, "X'": XP})
    assert len(fig.data) == 3
    assert "{e, (2 3)}" in fig.layout.annotations[0].text


def test_explorer_slider_resizes_and_changes_output():
    e = SymmetryExplorer(X)
    assert e.N.value == 3
    assert len(e.editor.grid.children) == 2
    e.N.value = 5
    assert e.items == [[1, 0, 1, 0, 0], [1, 1, 0, 0, 0]]
    assert all(len(row.children) == 1 + 5 + 1 for row in e.editor.grid.children)
    assert e.message() is None


def test_explorer_flags_invalid_sets():
    e = SymmetryExplorer(X)
    e.editor.grid.children[0].children[2].value = True  # 101 -> 111
    assert e.items[0] == [1, 1, 1]
    e.editor.grid.children[1].children[3].value = True  # 110 -> 111: duplicate
    assert "equal" in e.message()
    e.editor._remove(1)
    e.editor._remove(0)
    assert "empty" in e.message()
    assert "empty" in e.live.status.value  # shown in the panel; the last valid drawing stays
    e.editor._on_add()
    assert e.message() is None and e.live.message == ""
    assert symmetry_explorer().controls[0].description.startswith("N")


def test_explorer_output_holds_the_summary_and_two_figures():
    from itemsrel.figures.style import use_book_renderer

    use_book_renderer()
    e = SymmetryExplorer(X)
    outs = e.live.area.children[0].outputs  # first draw: plain outputs (the static book)
    assert len(outs) == 3
    assert "(2 3)" in outs[0]["data"]["text/html"]
    assert all("application/vnd.plotly.v1+json" in o["data"] for o in outs[1:])
    e.editor.grid.children[1].children[1].value = False  # 110 -> 010
    assert "(2 3)" not in e.live.texts[0]  # the symmetry is gone
    # redrawn in place from now on: one SVG widget with the new set's numbers
    (fig,) = e.live.svg_figures
    assert fig.spec["kind"] == "symmetry" and sorted(fig.spec["groups"]) == [[[0, 1, 0]], [[1, 0, 1]]]
    # {101, 010}: Σ_X = {e, (1 3)}, so W11 = W33, W13 = W31, W12 = W32, W21 = W23: 5 parameters
    assert fig.spec["patternTitle"] == "Σ-invariant W: 5 free parameters"
    L = fig.spec["letters"]
    assert L[0][0] == L[2][2] and L[0][2] == L[2][0] and L[0][1] == L[2][1] and L[1][0] == L[1][2]
    assert len({c for r in L for c in r}) == 5 and L[0][0] != L[0][2]
    e.editor.grid.children[1].children[1].value = True  # back to 110: Σ_X = {e, (2 3)}
    assert e.live.svg_figures == [fig] and fig.spec["patternTitle"].startswith("Σ-invariant W: 5 ")
    assert fig.spec["letters"] == [["a", "b", "b"], ["c", "d", "e"], ["c", "e", "d"]]  # eq. 5
