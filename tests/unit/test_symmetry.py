"""Tests of itemsrel.symmetry: Σ_X, orbits, the group action and Σ_X-invariant matrices."""

from __future__ import annotations

import math
from itertools import combinations, permutations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation, PermutationGroup
from sympy.combinatorics.named_groups import SymmetricGroup

from itemsrel.patterns import MAX_N, all_patterns
from itemsrel.symmetry import (
    act,
    act_on_matrix,
    cycle_notation,
    distance_to_invariant,
    group_elements,
    index_orbits,
    invariant_basis,
    invariant_projection,
    is_invariant,
    orbits,
    pair_orbit_labels,
    span_patterns,
    symmetry_consistent_patterns,
    symmetry_group,
)

X_PAPER = np.array([[1, 0, 1], [1, 1, 0]])
X_PRIME = np.array([[0, 1, 0], [0, 0, 1]])
RNG = np.random.default_rng(12401)


def weight_k(n: int, k: int) -> np.ndarray:
    """All patterns of length n with exactly k ones."""
    rows = []
    for ones in combinations(range(n), k):
        x = np.zeros(n, dtype=int)
        x[list(ones)] = 1
        rows.append(x)
    return np.array(rows)


def element_set(group: PermutationGroup, n: int) -> set[tuple[int, ...]]:
    return {tuple(p.array_form + list(range(p.size, n))) for p in group.generate()}


def brute_force_group(X: np.ndarray) -> set[tuple[int, ...]]:
    """All permutations s of 0..N-1 with {s·x} = X, by enumerating all N! of them."""
    n = X.shape[1]
    items = {tuple(r) for r in X.tolist()}
    return {
        s for s in permutations(range(n)) if {tuple(r) for r in X[:, list(s)].tolist()} == items
    }


def as_set(P: np.ndarray) -> set[str]:
    return {"".join(map(str, r)) for r in np.asarray(P).tolist()}


# --- the paper's sets ------------------------------------------------------------------------
@pytest.mark.parametrize("X", [X_PAPER, X_PRIME], ids=["X", "X'"])
def test_paper_sets_have_group_e_and_swap_of_units_2_3(X):
    G = symmetry_group(X)
    assert G.order() == 2
    assert element_set(G, 3) == {(0, 1, 2), (0, 2, 1)}
    assert [cycle_notation(s, 3) for s in group_elements(G)] == ["e", "(2 3)"]


@pytest.mark.parametrize("X", [X_PAPER, X_PRIME], ids=["X", "X'"])
def test_paper_sets_are_one_orbit_and_have_five_pair_orbits(X):
    G = symmetry_group(X)
    assert len(orbits(X)) == 1
    assert index_orbits(G, 3) == [[0], [1, 2]]
    basis = invariant_basis(G, 3)
    assert len(basis) == 5
    # eq. 5: pattern [[a b b] [c d e] [c e d]] — label each entry by its basis matrix
    labels = sum(k * B for k, B in enumerate(basis))
    assert labels.tolist() == [[0, 1, 1], [2, 3, 4], [2, 4, 3]]


def test_consistent_and_span_patterns_of_the_paper_sets():
    # X': fixed by (2 3) means x2 = x3 -> 000, 011, 100, 111 (none is in X').
    assert as_set(symmetry_consistent_patterns(X_PRIME)) == {"000", "011", "100", "111"}
    # span(X') = {(0, u, v)}: binary members 000, 010, 001, 011; without X': 000, 011.
    assert as_set(span_patterns(X_PRIME)) == {"000", "011"}
    # X: same group, so the same four fixed patterns; none of them is in X = {101, 110}.
    assert as_set(symmetry_consistent_patterns(X_PAPER)) == {"000", "011", "100", "111"}
    # span(X) = {(u+v, v, u)}: binary only for (u, v) in {(0,0), (1,0), (0,1)} -> 000, 101, 110.
    assert as_set(span_patterns(X_PAPER)) == {"000"}
    assert as_set(span_patterns(X_PAPER, include_training=True)) == {"000", "101", "110"}


# --- sets with known symmetry ------------------------------------------------------------------
@pytest.mark.parametrize(("n", "k"), [(2, 1), (3, 1), (4, 2), (5, 2), (6, 3), (7, 1)])
def test_all_weight_k_patterns_have_full_symmetric_group(n, k):
    G = symmetry_group(weight_k(n, k))
    assert G.order() == math.factorial(n)
    assert len(invariant_basis(G, n)) == 2  # diagonal and off-diagonal
    assert len(orbits(weight_k(n, k))) == 1


@pytest.mark.parametrize(("a", "b"), [(1, 2), (2, 2), (3, 1), (2, 4), (0, 5), (4, 0)])
def test_single_pattern_has_stabiliser_Sa_x_Sb(a, b):
    x = np.array([[1] * a + [0] * b])
    G = symmetry_group(x)
    assert G.order() == math.factorial(a) * math.factorial(b)
    expected = [o for o in ([*range(a)], [*range(a, a + b)]) if o]
    assert index_orbits(G, a + b) == expected


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_all_patterns_have_full_symmetric_group(n):
    X = all_patterns(n)
    assert symmetry_group(X).order() == math.factorial(n)
    # orbits = weight classes: n + 1 of them, of sizes binom(n, k)
    assert sorted(len(o) for o in orbits(X)) == sorted(math.comb(n, k) for k in range(n + 1))


def test_cyclic_shifts_of_11000_have_dihedral_group_of_order_10():
    # The items are the 5 "edges" {i, i+1} of a pentagon; the permutations of the corners that
    # map edges to edges are the pentagon's 5 rotations and 5 reflections: D_5, order 10.
    X = np.array([np.roll([1, 1, 0, 0, 0], k) for k in range(5)])
    G = symmetry_group(X)
    assert G.order() == 10
    assert (1, 2, 3, 4, 0) in element_set(G, 5)  # rotation
    assert (0, 4, 3, 2, 1) in element_set(G, 5)  # reflection fixing unit 1
    assert len(orbits(X)) == 1
    # pairs (i, j) up to symmetry: i = j, neighbours, next-nearest
    assert len(invariant_basis(G, 5)) == 3


def test_hand_computed_orbits():
    X = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]])
    assert symmetry_group(X).order() == 6
    assert orbits(X) == [[(0, 0, 1), (0, 1, 0), (1, 0, 0)], [(1, 1, 1)]]
    # 1000 is the only weight-1 item, so unit 1 is fixed; then 1100 is fixed and only (3 4) is left
    Y = np.array([[1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 0, 0]])
    G = symmetry_group(Y)
    assert [cycle_notation(s, 4) for s in group_elements(G)] == ["e", "(3 4)"]
    assert orbits(Y) == [[(0, 0, 1, 1)], [(1, 0, 0, 0)], [(1, 1, 0, 0)]]


def test_trivial_group_has_n_squared_pair_orbits():
    X = np.array([[1, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 0]])  # a chain: no symmetry
    G = symmetry_group(X)
    assert G.order() == 1
    assert len(invariant_basis(G, 4)) == 16
    assert [len(o) for o in orbits(X)] == [1, 1, 1]


def test_orbits_partition_the_set():
    for X in (all_patterns(4), weight_k(5, 2), X_PAPER, RNG.permutation(all_patterns(5))[:11]):
        orbs = orbits(X)
        flat = [item for o in orbs for item in o]
        assert len(flat) == len(set(flat))  # disjoint
        assert set(flat) == {tuple(r) for r in np.asarray(X).tolist()}  # union = X


# --- brute force -------------------------------------------------------------------------------
@st.composite
def random_sets(draw):
    n = draw(st.integers(1, 6))
    codes = draw(st.sets(st.integers(0, 2**n - 1), min_size=1, max_size=min(2**n, 20)))
    return all_patterns(n)[sorted(codes)]


@settings(max_examples=60, deadline=None)
@given(random_sets())
def test_symmetry_group_equals_brute_force(X):
    G = symmetry_group(X)
    expected = brute_force_group(X)
    assert G.order() == len(expected)
    assert element_set(G, X.shape[1]) == expected


@settings(max_examples=30, deadline=None)
@given(random_sets())
def test_orbits_are_closed_under_the_group(X):
    G = symmetry_group(X)
    for orb in orbits(X, G):
        members = set(orb)
        for s in G.generators:
            assert {tuple(act(s, np.array(x)).tolist()) for x in orb} == members


# --- invariant matrices ------------------------------------------------------------------------
GROUPS = {
    "paper": (symmetry_group(X_PAPER), 3),
    "trivial": (PermutationGroup([Permutation(3)]), 4),
    "S4": (SymmetricGroup(4), 4),
    "D5": (symmetry_group(np.array([np.roll([1, 1, 0, 0, 0], k) for k in range(5)])), 5),
}


@pytest.mark.parametrize("name", list(GROUPS))
def test_basis_matrices_are_invariant_and_partition_the_entries(name):
    G, n = GROUPS[name]
    basis = invariant_basis(G, n)
    assert all(is_invariant(B, G) for B in basis)
    assert np.array_equal(sum(basis), np.ones((n, n)))
    assert len(basis) == {"paper": 5, "trivial": 16, "S4": 2, "D5": 3}[name]


@pytest.mark.parametrize("name", list(GROUPS))
def test_projection_is_idempotent_and_invariant(name):
    G, n = GROUPS[name]
    W = RNG.normal(size=(n, n))
    P = invariant_projection(W, G)
    assert is_invariant(P, G)
    assert np.allclose(invariant_projection(P, G), P)
    # it is the group average
    avg = np.mean([act_on_matrix(s, W) for s in G.generate()], axis=0)
    assert np.allclose(P, avg)
    # batches work entry by entry
    batch = RNG.normal(size=(3, n, n))
    assert np.allclose(invariant_projection(batch, G)[1], invariant_projection(batch[1], G))


def test_distance_to_invariant():
    G = symmetry_group(X_PAPER)
    Winv = np.array([[1.0, 2, 2], [3, 4, 5], [3, 5, 4]])
    assert distance_to_invariant(Winv, G) == pytest.approx(0.0, abs=1e-12)
    assert is_invariant(Winv, G)
    W = Winv.copy()
    W[0, 1] += 1.0  # breaks b = b: distance = |(+1/2, -1/2)| = sqrt(1/2)
    assert distance_to_invariant(W, G) == pytest.approx(np.sqrt(0.5))
    assert not is_invariant(W, G)
    d = distance_to_invariant(np.stack([Winv, W]), G)
    assert np.allclose(d, [0.0, np.sqrt(0.5)])


def test_invariant_basis_rejects_too_small_n():
    with pytest.raises(ValueError, match="acts on 4 points"):
        invariant_basis(SymmetricGroup(4), 3)


# --- the action ----------------------------------------------------------------------------------
def test_act_on_pattern_reads_x_at_s_of_i():
    s = Permutation([1, 2, 0])  # s(0)=1, s(1)=2, s(2)=0
    x = np.array([7, 8, 9])
    assert act(s, x).tolist() == [8, 9, 7]  # (s·x)_i = x_{s(i)}
    assert act([0, 2, 1], np.array([1, 0, 1])).tolist() == [1, 1, 0]
    # rows of an array are permuted one by one
    assert act([0, 2, 1], X_PAPER).tolist() == [[1, 1, 0], [1, 0, 1]]


def test_act_on_matrix_reads_w_at_s_i_s_j():
    s = [2, 0, 1]
    W = np.arange(9).reshape(3, 3)
    sW = act_on_matrix(s, W)
    for i in range(3):
        for j in range(3):
            assert sW[i, j] == W[s[i], s[j]]


def test_action_composition_law():
    # (s·(t·x))_i = (t·x)_{s(i)} = x_{t(s(i))}: first s, then t. sympy's product s*t means
    # "apply s, then t", so s·(t·x) = (s*t)·x — a right action (t·(s·x) is different in general).
    for _ in range(20):
        s = Permutation(RNG.permutation(5).tolist())
        t = Permutation(RNG.permutation(5).tolist())
        x = RNG.integers(0, 2, size=5)
        W = RNG.normal(size=(5, 5))
        assert np.array_equal(act(s, act(t, x)), act(s * t, x))
        assert np.allclose(act_on_matrix(s, act_on_matrix(t, W)), act_on_matrix(s * t, W))
    s, t = Permutation([1, 0, 2]), Permutation([0, 2, 1])
    x = np.array([1, 2, 3])
    assert not np.array_equal(act(s, act(t, x)), act(t * s, x))


def test_action_is_compatible_with_the_network_map():
    # eq. 2 for linear φ: W (s·x) = s·(W x) when s·W = W
    G = symmetry_group(X_PAPER)
    W = invariant_projection(RNG.normal(size=(3, 3)), G)
    x = RNG.normal(size=3)
    for s in G.generate():
        assert np.allclose(W @ act(s, x), act(s, W @ x))


def test_short_sympy_permutations_are_padded():
    assert act(Permutation(1, 2), np.array([5, 6, 7, 8])).tolist() == [5, 7, 6, 8]


def test_cycle_notation_is_one_based():
    assert cycle_notation(Permutation([0, 2, 1])) == "(2 3)"
    assert cycle_notation([1, 2, 0, 4, 3]) == "(1 2 3)(4 5)"
    assert cycle_notation([0, 1, 2]) == "e"
    with pytest.raises(ValueError, match="not a permutation"):
        cycle_notation([0, 0, 1])


# --- bad input ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("X", "message"),
    [
        ([[0, 2, 1]], "binary"),
        ([[0.5, 1, 0]], "binary"),
        ([[1, 0, 1], [1, 0]], "rectangular"),
        ([1, 0, 1], "2-D"),
        ([[[1, 0], [0, 1]]], "2-D"),
        (np.zeros((0, 3)), "empty"),
        ([[1, 0, 1], [1, 0, 1]], "duplicate"),
        ([[], []], "N = 0"),
        (np.eye(MAX_N + 1, dtype=int), "exceeds"),
    ],
    ids=["value-2", "value-0.5", "ragged", "1-D", "3-D", "empty", "duplicate", "N=0", "N>max"],
)
@pytest.mark.parametrize(
    "func", [symmetry_group, orbits, symmetry_consistent_patterns, span_patterns]
)
def test_bad_input_raises_value_error(func, X, message):
    with pytest.raises(ValueError, match=message):
        func(X)


def test_symmetry_group_limit_is_max_n():
    assert symmetry_group(np.eye(MAX_N, dtype=int)).order() == math.factorial(MAX_N)
    with pytest.raises(ValueError, match=f"N <= {MAX_N}"):
        symmetry_group(np.eye(MAX_N + 1, dtype=int))


def test_pair_orbit_labels_number_the_invariant_structure() -> None:
    # Σ_X = {e, (2 3)} of the paper's X: five orbits of index pairs (eq. 5), numbered 1…5 in
    # row-major order of their first pair
    group = symmetry_group(np.array([[1, 0, 1], [1, 1, 0]]))
    labels = pair_orbit_labels(group, 3)
    np.testing.assert_array_equal(labels, [[1, 2, 2], [3, 4, 5], [3, 5, 4]])
    basis = invariant_basis(group, 3)
    assert labels.max() == len(basis) == 5
    for k, B in enumerate(basis):
        np.testing.assert_array_equal(labels == k + 1, B == 1)
    # the trivial group: every entry its own number
    trivial = symmetry_group(np.array([[1, 0, 0], [1, 1, 0], [1, 1, 1]]))
    np.testing.assert_array_equal(pair_orbit_labels(trivial, 3), np.arange(1, 10).reshape(3, 3))
