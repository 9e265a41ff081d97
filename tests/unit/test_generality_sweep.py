"""Tests of the batched sweep of chapter 6: fast per-set facts against the slow reference
functions, the span's share of the cube, training sets grouped by shape, and the figure's bins."""

from __future__ import annotations

from itertools import product

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itemsrel.figures.generality import binned_shares, generalisation_figure
from itemsrel.generality import (
    _rel_invariance,
    _returns_on_cube,
    _runs,
    block_repeated,
    consistent_patterns,
    describe,
    gallery,
    random_set,
    random_sets,
    reproduced,
    set_facts,
    span_share,
    structured_sets,
    sweep_sets,
    train_sets,
    weight_k_patterns,
)
from itemsrel.patterns import all_patterns, cyclic_shifts
from itemsrel.symmetry import distance_to_invariant, invariant_basis, symmetry_group
from itemsrel.training import initial_weights, train


def _as_set(P):
    return {tuple(r) for r in np.asarray(P).tolist()}


def _check_facts(X):
    X = np.asarray(X)
    f = set_facts(X)
    assert f.row() == describe(X)
    cube = all_patterns(X.shape[1])
    assert _as_set(cube[f.fixed]) == _as_set(consistent_patterns(X, "fixed"))
    assert _as_set(cube[f.exact]) == _as_set(consistent_patterns(X, "exact"))
    assert _as_set(cube[f.items]) == _as_set(X)
    # the pair orbits are those of invariant_basis: same partition of the N² entries
    basis = invariant_basis(symmetry_group(X), X.shape[1])
    ref = sum(k * B.astype(int) for k, B in enumerate(basis))
    same_ref = ref.ravel()[:, None] == ref.ravel()[None, :]
    same = f.pair_labels.ravel()[:, None] == f.pair_labels.ravel()[None, :]
    np.testing.assert_array_equal(same, same_ref)


@settings(max_examples=40, deadline=None)
@given(N=st.integers(3, 10), K=st.integers(1, 6), seed=st.integers(0, 10_000))
def test_set_facts_equal_the_reference_on_random_sets(N, K, seed):
    _check_facts(random_set(N, min(K, 2**N - 2), seed))


@pytest.mark.parametrize(
    "X",
    [
        weight_k_patterns(6, 2),  # S_6: listing too long, the search answers
        cyclic_shifts([1, 1, 0, 1, 0, 0, 0]),
        block_repeated([[1, 0], [1, 1]], 4),
        [[1, 0, 1], [1, 1, 0]],
        [[1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0]],
    ],
)
def test_set_facts_equal_the_reference_on_structured_sets(X):
    _check_facts(X)


def _span_share_brute_force(X):
    """Share of the cube in span(X): y is in the span iff adding it leaves the rank unchanged."""
    X = np.asarray(X, dtype=float)
    r = np.linalg.matrix_rank(X)
    cube = np.array(list(product((0, 1), repeat=X.shape[1])), dtype=float)
    return np.mean([np.linalg.matrix_rank(np.vstack([X, y])) == r for y in cube])


@settings(max_examples=30, deadline=None)
@given(N=st.integers(2, 6), K=st.integers(1, 5), seed=st.integers(0, 10_000))
def test_span_share_against_brute_force(N, K, seed):
    X = random_set(N, min(K, 2**N - 1), seed)
    assert span_share(X) == _span_share_brute_force(X)


def test_span_share_known_values():
    assert span_share(np.eye(4)) == 1.0
    # two disjoint pairs: 0, the two pairs and their sum
    assert span_share([[1, 1, 0, 0], [0, 0, 1, 1]]) == 4 / 16
    # the paper's X = {101, 110}: span ∩ {0,1}³ = {000, 101, 110}, three of eight
    assert span_share([[1, 0, 1], [1, 1, 0]]) == 3 / 8


def test_random_sets_are_distinct_and_skip_what_is_asked():
    sets = random_sets(5, 3, 20)
    keys = {tuple(sorted(map(tuple, X.tolist()))) for X in sets}
    assert len(sets) == 20 == len(keys)
    assert all(X.shape == (3, 5) and X.sum(axis=1).min() >= 1 for X in sets)
    skip = {(5, tuple(sorted(int("".join(map(str, r)), 2) for r in sets[0].tolist())))}
    again = random_sets(5, 3, 20, skip=skip)
    assert not any(np.array_equal(X, sets[0]) for X in again)
    # all 35 sets of three of the seven non-zero patterns of length 3
    assert len(random_sets(3, 3, 100)) == 35


def test_structured_and_sweep_sets():
    st_sets = structured_sets()
    names = [n for n, _, _ in st_sets]
    assert names[: len(gallery())] == list(gallery())
    families = {f for _, f, _ in st_sets}
    assert {"weight k", "cyclic shifts", "block-repeated", "disjoint blocks"} <= families
    keys = [tuple(sorted(map(tuple, X.tolist()))) for _, _, X in sweep_sets(per_size=3)]
    assert len(keys) == len(set(keys))  # no set twice
    assert all(3 <= X.shape[1] <= 10 for _, _, X in st_sets)


def test_train_sets_equals_one_set_at_a_time():
    sets = [
        random_set(5, 3, 0),
        random_set(6, 2, 1),
        random_set(5, 3, 2),  # same shape as the first: one batch
        np.array([[1, 0, 1], [1, 1, 0]], dtype=np.int8),
    ]
    runs = _runs(1)
    for activation in ("tanh", "relu"):
        res = train_sets(sets, activation, runs, steps=120, lr=0.05, sigma=0.05, grad_tol=1e-12)
        for X, r in zip(sets, res, strict=True):
            N = X.shape[1]
            for b, (init, s) in enumerate(runs):
                alone = train(
                    X,
                    activation,
                    optimizer="adam",
                    lr=0.05,
                    steps=120,
                    seeds=[s],
                    W0=initial_weights(init, N, [s], 0.05),
                )
                np.testing.assert_allclose(r.W[b], alone.W[0], rtol=0, atol=1e-12)
                assert r.final_loss[b] == pytest.approx(alone.final_loss[0], abs=1e-12)
        assert res[0].W.shape == (3, 5, 5) and res[3].W.shape == (3, 3, 3)


def test_returns_on_cube_and_rel_invariance_match_the_slow_versions():
    rng = np.random.default_rng(0)
    X = np.array([[1, 1, 0, 0], [0, 0, 1, 1]])
    W = rng.normal(0, 0.5, (3, 4, 4))
    cube = all_patterns(4)
    np.testing.assert_array_equal(_returns_on_cube(W, "tanh", 0.5), reproduced(W, cube, "tanh"))
    f = set_facts(X)
    labels = np.repeat(f.pair_labels[None], 3, axis=0)
    group = symmetry_group(X)
    ref = distance_to_invariant(W, group) / np.linalg.norm(W, axis=(1, 2))
    np.testing.assert_allclose(_rel_invariance(W, labels), ref, rtol=1e-12)
    assert np.isnan(_rel_invariance(np.zeros((1, 4, 4)), labels[:1])[0])


def test_binned_shares_and_figure():
    df = pd.DataFrame({"x": [1, 1, 1, 5, 5, 50, np.nan], "y": [0, 1, 1, 1, 1, 1, 0.5]})
    b = binned_shares(df, "x", "y", [1, 3, 10, 100], min_count=2)
    assert list(b["n"]) == [3, 2]  # the bin with one row is left out; NaN x dropped
    assert b["mean"].iloc[0] == pytest.approx(2 / 3)
    assert b["sem"].iloc[1] == 0.0
    rows = []
    for act in ("linear", "tanh", "sigmoid", "relu"):
        for init in ("zeros", "uniform"):
            for g in (1, 2, 24, 120):
                rows.append(
                    {
                        "activation": act,
                        "init": init,
                        "group_order": g,
                        "span_share": 0.25,
                        "span_frac": 1.0,
                        "fixed_frac": 0.5,
                        "exact_frac": np.nan,
                    }
                )
    fig = generalisation_figure(pd.DataFrame(rows * 3), "group_order")
    assert len(fig.data) == 12  # three panels × four activations
    assert fig.layout.xaxis.type == "log"
    assert [t.name for t in fig.data[:4]] == ["linear", "tanh", "sigmoid", "ReLU, U(0,1) start"]


def test_necklaces_one_base_per_rotation_class():
    from itemsrel.generality import _necklaces

    # binary necklaces of length 6: 14, of which 2 are constant; of length 7: 20 and 2
    assert len(_necklaces(6)) == 12
    assert len(_necklaces(7)) == 18
    bases = {tuple(b.tolist()) for b in _necklaces(6)}
    assert (0, 0, 0, 0, 1, 1) in bases and (0, 0, 0, 1, 1, 0) not in bases  # a rotation of it
