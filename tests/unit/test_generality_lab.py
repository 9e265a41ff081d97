"""The symmetry lab of chapter 6: parsing typed patterns and what the panel shows."""

from __future__ import annotations

import numpy as np
import pytest

from itemsrel.widgets.generality import lab_view, parse_patterns


def test_parse_patterns_accepts_spaces_and_commas():
    X = parse_patterns("1 0 1\n1,1,0\n\n")
    np.testing.assert_array_equal(X, [[1, 0, 1], [1, 1, 0]])


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "at least one pattern"),
        ("102\n110", "line 1"),
        ("101\n11", "same length"),
        ("10101010101\n", "N = 10"),
        ("101\n101", "duplicate"),
    ],
)
def test_parse_patterns_rejects_bad_text(text, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_patterns(text)


def test_lab_view_on_the_paper_set():
    facts, fig, table = lab_view(parse_patterns("101\n110"), "sigmoid", steps=300)
    assert "|Σ_X| = 2" in facts and "free parameters of an invariant W: 5" in facts
    assert "{1} {2,3}" in facts
    # five distinct numbers in the structure heat map (eq. 5)
    assert len(np.unique(fig.data[0].z)) == 5
    html = table._repr_html_()
    assert "linear" in html and "sigmoid" in html
    # the one unseen span pattern is 000: the linear network returns it, sigmoid gives ½ everywhere
    assert "1/1 (000)" in html and "0/1" in html


def test_lab_view_with_hidden_layer_and_bad_activation():
    _, _, table = lab_view(parse_patterns("101\n110"), "tanh", hidden=2, steps=200)
    assert "hidden H=2" in table._repr_html_()
    with pytest.raises(ValueError, match="activation"):
        lab_view(parse_patterns("101\n110"), "softmax")
