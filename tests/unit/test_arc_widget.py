"""The ARC explorer: it renders the paper's puzzle, follows edits and reports invalid sets."""

from __future__ import annotations

import numpy as np
import pytest
from sympy.combinatorics import Permutation

from itemsrel.arc import Puzzle, network_answers, predict
from itemsrel.widgets.arc import ArcExplorer, arc_explorer


def test_renders_the_papers_puzzle():
    e = ArcExplorer()
    text, layout = e.view()
    assert text.splitlines()[0] == "Σ_X has 2 elements: e, (2 3)"
    assert text.splitlines()[1].endswith("(101)")
    captions = [t[2] for t in layout.texts]
    assert "test<br>(110)" in captions and "(101)" in captions
    # every network settles on the first item 010 (chapter 5): no rule is applied
    assert sum("recalls a training item" in c for c in captions) == 3


def test_follows_edits_and_size_changes():
    e = ArcExplorer()
    e.N.value = 4
    assert e.items.patterns == [[0, 1, 0, 0], [0, 0, 1, 0]]
    assert e.test.patterns == [[1, 1, 0, 0]]
    text, layout = e.view()
    assert layout is not None and "answers the rules give" in text
    e.test.grid.children[0].children[4].value = True  # test 1101
    assert e.test.patterns == [[1, 1, 0, 1]]


def test_duplicate_items_show_a_message_not_an_error():
    e = ArcExplorer(np.array([[0, 1, 0], [0, 0, 1]]), np.array([1, 0, 0]))
    e.items.grid.children[1].children[2].value = True  # 001 -> 011
    e.items.grid.children[1].children[3].value = False  # 011 -> 010: equal to item 1
    assert "equal" in e.message()
    text, layout = e.view()
    assert layout is None and "equal" in text


def test_bad_start_raises():
    with pytest.raises(ValueError, match="shape"):
        ArcExplorer(np.eye(2), np.array([1, 0]))
    assert arc_explorer().controls[0].description.startswith("N")


def test_network_knobs_redraw_the_answers():
    e = ArcExplorer()
    e.steps.value = 300
    e.lr.value = 0.1
    (fig,) = e.live.svg_figures
    captions = [t["text"] for t in fig.spec["texts"]]
    assert len(captions) > 3 and e.live.message == "" and fig.spec["kind"] == "polygons"
    before = fig.spec
    e.optimizer.value = "adam"
    assert e.live.svg_figures == [fig]  # the same SVG widget, new numbers
    assert fig.spec != before and "adam" in e.live.texts[0]


def test_changes_that_do_not_retrain_reuse_the_trained_weights():
    e = ArcExplorer()
    assert sorted(k[-1] for k in e._weights) == [300, 1000, 1500]  # one run, its stages kept
    kept = dict(e._weights)
    e.seed.value = 7  # zero initial weights: the seed changes nothing but the settings line
    e.test.grid.children[0].children[3].value = True  # test 111: the same items
    e.steps.value = 300  # a stage of the run already made
    assert e._weights.keys() == kept.keys()
    assert all(e._weights[k] is kept[k] for k in kept)
    assert "seed 7" in e.live.texts[0] and e.live.message == ""
    # the answers shown are those of networks trained by the full path
    X, t = np.array([[0, 1, 0], [0, 0, 1]], np.int8), np.array([1, 1, 1], np.int8)
    puzzle = Puzzle(X, t, Permutation([0, 2, 1]), predict(X, t))
    captions = [t["text"] for t in e.live.svg_figures[0].spec["texts"]]
    for name in ("linear", "tanh", "sigmoid"):
        out = network_answers([puzzle], name, steps=300, seed=7)
        assert f"{name}:<br>{out.kinds[0]}" in captions
    e.lr.value = 0.1  # a new learning rate trains anew
    assert len(e._weights) == len(kept) + 1
