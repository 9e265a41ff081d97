"""Tests of itemsrel.patterns: validation, enumeration and formatting of binary patterns."""

from __future__ import annotations

import numpy as np
import pytest

from itemsrel.patterns import (
    MAX_N,
    all_patterns,
    as_pattern,
    as_training_set,
    cyclic_shifts,
    disjoint_blocks,
    format_pattern,
)
from itemsrel.symmetry import symmetry_group


def test_as_training_set_accepts_lists_and_arrays():
    X = as_training_set([[1, 0, 1], [1, 1, 0]])
    assert X.dtype == np.int8
    assert X.shape == (2, 3)
    assert X.tolist() == [[1, 0, 1], [1, 1, 0]]
    assert as_training_set(np.array([[1.0, 0.0]])).tolist() == [[1, 0]]
    assert as_training_set([[True, False]]).tolist() == [[1, 0]]


@pytest.mark.parametrize(
    ("X", "message"),
    [
        ([[0, 2, 1]], "binary"),
        ([[-1, 0]], "binary"),
        ([[np.nan, 0]], "binary"),
        ([[1, 0, 1], [1, 0]], "rectangular"),
        ([1, 0, 1], "2-D"),
        ([], "2-D"),
        ([[[1, 0], [0, 1]]], "2-D"),
        (np.zeros((0, 3)), "empty"),
        ([[1, 0, 1], [0, 1, 1], [1, 0, 1]], "duplicate items, e.g. \\(1,0,1\\)"),
        ([[]], "N = 0"),
        (np.eye(MAX_N + 1), f"N = {MAX_N + 1} exceeds"),
    ],
)
def test_as_training_set_rejects_bad_input(X, message):
    with pytest.raises(ValueError, match=message):
        as_training_set(X)


def test_max_n_can_be_lowered():
    with pytest.raises(ValueError, match="N <= 3"):
        as_training_set([[1, 0, 0, 1]], max_n=3)


def test_as_pattern():
    assert as_pattern([1, 0, 1]).tolist() == [1, 0, 1]
    with pytest.raises(ValueError, match="expected N = 4"):
        as_pattern([1, 0, 1], n=4)
    with pytest.raises(ValueError, match="binary"):
        as_pattern([1, 3])
    with pytest.raises(ValueError, match="1-D"):
        as_pattern([[1, 0]])


@pytest.mark.parametrize("n", [1, 2, 3, 6])
def test_all_patterns(n):
    P = all_patterns(n)
    assert P.shape == (2**n, n)
    assert len({tuple(r) for r in P.tolist()}) == 2**n
    codes = P @ (2 ** np.arange(n)[::-1])
    assert codes.tolist() == list(range(2**n))  # lexicographic order


def test_all_patterns_limits():
    with pytest.raises(ValueError, match=">= 1"):
        all_patterns(0)
    with pytest.raises(ValueError, match="exceeds"):
        all_patterns(MAX_N + 1)


def test_format_pattern():
    assert format_pattern([1, 0, 1]) == "(1,0,1)"
    assert format_pattern(np.array([0, 1, 0]), sep="/") == "0/1/0"
    assert format_pattern([0.5, 1.0]) == "(0.5,1)"


def test_cyclic_shifts_of_the_hexagon_pair_pattern():
    X = cyclic_shifts([1, 1, 0, 0, 0, 0])
    assert X.shape == (6, 6)
    assert X[1].tolist() == [0, 1, 1, 0, 0, 0]
    assert symmetry_group(X).order() == 12  # dihedral group of the hexagon


def test_cyclic_shifts_drop_repeats_of_periodic_patterns():
    assert cyclic_shifts([1, 0, 1, 0]).tolist() == [[1, 0, 1, 0], [0, 1, 0, 1]]
    with pytest.raises(ValueError, match="all zeros"):
        cyclic_shifts([0, 0, 0])


def test_disjoint_blocks():
    X = disjoint_blocks(4, 2)
    assert X.shape == (4, 8)
    assert X.sum(axis=1).tolist() == [2, 2, 2, 2]
    assert (X.sum(axis=0) == 1).all()
    assert symmetry_group(X).order() == 2**4 * 24
    with pytest.raises(ValueError, match="n_blocks"):
        disjoint_blocks(0, 2)
