"""Tests of itemsrel.generality: training-set families, the invariant weight space, readings of
symmetry-consistency and the reproduction criterion."""

from __future__ import annotations

from math import comb, factorial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itemsrel.generality import (
    block_repeated,
    consistent_patterns,
    describe,
    gallery,
    invariant_dimension,
    random_set,
    reproduced,
    weight_k_patterns,
)
from itemsrel.linear_theory import projector
from itemsrel.patterns import disjoint_blocks
from itemsrel.symmetry import invariant_basis, symmetry_group

X_PAPER = np.array([[1, 0, 1], [1, 1, 0]])


@settings(max_examples=40, deadline=None)
@given(N=st.integers(3, 10), K=st.integers(1, 5), seed=st.integers(0, 10_000))
def test_invariant_dimension_equals_orbits_on_index_pairs(N, K, seed):
    X = random_set(N, min(K, 2**N - 1), seed)
    group = symmetry_group(X)
    assert invariant_dimension(group, N) == len(invariant_basis(group, N))


def test_invariant_dimension_known_groups():
    # Σ_X = {e, (2 3)} on N = 3: the five free entries of eq. 5.
    assert invariant_dimension(symmetry_group(X_PAPER), 3) == 5
    # S_N: diagonal and off-diagonal, two parameters.
    assert invariant_dimension(symmetry_group(weight_k_patterns(6, 2)), 6) == 2
    # trivial group: every entry free.
    assert invariant_dimension(symmetry_group([[1, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 0]]), 4) == 16


def test_random_set_is_seeded_distinct_and_nonzero():
    a, b = random_set(8, 5, 3), random_set(8, 5, 3)
    np.testing.assert_array_equal(a, b)
    assert len({tuple(r) for r in a.tolist()}) == 5
    assert a.sum(axis=1).min() >= 1
    assert not np.array_equal(a, random_set(8, 5, 4))
    with pytest.raises(ValueError, match="K must be"):
        random_set(3, 8, 0)
    with pytest.raises(ValueError, match="N must be"):
        random_set(11, 2, 0)


def test_weight_k_has_the_full_symmetric_group():
    X = weight_k_patterns(5, 2)
    assert X.shape == (comb(5, 2), 5)
    assert symmetry_group(X).order() == factorial(5)


def test_block_repeated_multiplies_the_group():
    Y = block_repeated(X_PAPER, 2)
    np.testing.assert_array_equal(Y[0], [1, 1, 0, 0, 1, 1])
    # within-block swaps (2^3) times the (2 3) of X acting on blocks
    assert symmetry_group(Y).order() == 2**3 * 2


def test_two_readings_of_consistency_on_the_paper_set():
    fixed = {tuple(r) for r in consistent_patterns(X_PAPER, "fixed").tolist()}
    exact = {tuple(r) for r in consistent_patterns(X_PAPER, "exact").tolist()}
    assert fixed == {(0, 0, 0), (0, 1, 1), (1, 0, 0), (1, 1, 1)}
    # adding 011 makes X ∪ {y} fully symmetric (S_3): consistent only in the weak reading
    assert exact == fixed - {(0, 1, 1)}
    with pytest.raises(ValueError, match="reading"):
        consistent_patterns(X_PAPER, "loose")


def test_describe_counts():
    d = describe(disjoint_blocks(4, 2))
    assert (d["N"], d["K"], d["rank"], d["group_order"]) == (8, 4, 4, 384)
    assert d["free_parameters"] == 3
    assert d["span"] == 2**4 - 4  # unions of blocks (the empty one too) other than single blocks
    assert d["span_share"] == 2**4 / 2**8


def test_reproduced_projector_reproduces_exactly_the_span():
    X = np.array([[1, 1, 0, 0], [0, 0, 1, 1]])
    P = projector(X)
    cube = np.array([[int(b) for b in f"{i:04b}"] for i in range(16)])
    ok = reproduced(P, cube, "linear", tol=1e-9)
    in_span = {(0, 0, 0, 0), (1, 1, 0, 0), (0, 0, 1, 1), (1, 1, 1, 1)}
    assert {tuple(r) for r in cube[ok].tolist()} == in_span
    # a halfway output is no binary answer: sigmoid(0) = 0.5 on the zero pattern
    assert not reproduced(np.zeros((4, 4)), [[0, 0, 0, 0]], "sigmoid")[0]
    with pytest.raises(ValueError, match="length"):
        reproduced(P, [[1, 0, 1]], "linear")


def test_gallery_sets_are_valid():
    for name, (family, X) in gallery().items():
        assert X.ndim == 2 and X.shape[1] <= 10, name
        assert family


# --- hidden layers ---------------------------------------------------------------------------

from itemsrel.generality import (  # noqa: E402
    bottleneck_loss,
    equivariance_error,
    invariant_layers,
)
from itemsrel.symmetry import span_patterns  # noqa: E402
from itemsrel.training import train  # noqa: E402

RING = np.array(
    [
        [1, 1, 0, 0, 0, 0],
        [0, 1, 1, 0, 0, 0],
        [0, 0, 1, 1, 0, 0],
        [0, 0, 0, 1, 1, 0],
        [0, 0, 0, 0, 1, 1],
        [1, 0, 0, 0, 0, 1],
    ]
)


def test_bottleneck_loss_is_the_discarded_singular_values():
    # X = {101, 110}: singular values √3 and 1; a rank-1 map loses 1²/(K N) = 1/6
    assert bottleneck_loss(X_PAPER, 1) == pytest.approx(1 / 6, abs=1e-12)
    assert bottleneck_loss(X_PAPER, 2) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("X", [X_PAPER, disjoint_blocks(3, 2)])
def test_linear_hidden_network_learns_the_span_iff_wide_enough(X):
    X = np.asarray(X)
    rank = int(np.linalg.matrix_rank(X))
    span = span_patterns(X)
    wide = train(
        X, "linear", init="normal", sigma=0.01, lr=0.2, steps=3000, seeds=[0, 1], hidden=rank
    )
    # end-to-end map = projector + O(σ): the part of W1 outside span(X) never moves
    assert np.abs(wide.W - projector(X)).max() < 5 * 0.01
    Y = wide.predict(span)
    assert np.abs(Y - span).max() < 0.05  # every unseen span pattern comes back
    narrow = train(
        X, "linear", init="normal", sigma=0.01, lr=0.2, steps=3000, seeds=[0, 1], hidden=rank - 1
    )
    # a bottleneck cannot reproduce the items: its loss sits on the Eckart–Young bound
    np.testing.assert_allclose(narrow.final_loss, bottleneck_loss(X, rank - 1), atol=1e-6)
    assert bottleneck_loss(X, rank - 1) > 0.05


@pytest.mark.parametrize("activation", ["linear", "tanh"])
def test_invariant_initialised_hidden_network_stays_equivariant(activation):
    W1, W2 = invariant_layers(RING, seeds=[0, 1, 2], scale=0.3)
    res = train(
        RING,
        activation,
        lr=0.1,
        steps=400,
        seeds=[0, 1, 2],
        hidden=6,
        hidden_activation=activation,
        W0=(W1, W2),
    )
    assert res.final_loss.max() < res.loss_history[0].min()  # it learned something
    np.testing.assert_array_less(equivariance_error(res.predict, RING), 1e-10)
    # a random start breaks the equivariance
    rnd = train(
        RING,
        activation,
        init="normal",
        sigma=0.3,
        lr=0.1,
        steps=400,
        seeds=[0],
        hidden=6,
        hidden_activation=activation,
    )
    assert equivariance_error(rnd.predict, RING)[0] > 1e-3


def test_equivariance_error_of_known_maps():
    group_swap = np.array([[0, 1, 0], [0, 0, 1]])  # Σ = {e, (2 3)}
    identity = lambda P: np.asarray(P, dtype=float)[None]  # noqa: E731
    assert equivariance_error(identity, group_swap)[0] == 0.0
    first_unit = lambda P: np.asarray(P, dtype=float)[None] * [1, 2, 1]  # noqa: E731
    assert equivariance_error(first_unit, group_swap)[0] == 1.0  # unit 2 doubled, unit 3 not
    with pytest.raises(ValueError, match="predict must return"):
        equivariance_error(lambda P: np.zeros((2, 3)), group_swap)


def test_hidden_w0_validation():
    with pytest.raises(ValueError, match="W1 must have shape"):
        train(X_PAPER, "linear", steps=1, hidden=2, W0=(np.zeros((3, 3)), np.zeros((3, 2))))
    with pytest.raises(ValueError, match="pair"):
        train(X_PAPER, "linear", steps=1, hidden=2, W0=np.zeros((3, 3)))
