"""Tests of itemsrel.groups: group axioms, orders, conventions and words against sympy."""

from __future__ import annotations

import math
from functools import reduce

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.combinatorics import Permutation

from itemsrel.groups import (
    MAX_ORDER,
    Group,
    cyclic,
    dihedral,
    from_permutations,
    group_by_name,
    parse_word,
    symmetric,
    word_latex,
    word_table,
    word_tensor,
)
from itemsrel.symmetry import act

GROUPS = [
    cyclic(1),
    cyclic(2),
    cyclic(7),
    cyclic(24),
    dihedral(1),
    dihedral(2),
    dihedral(3),
    dihedral(4),
    dihedral(5),
    dihedral(12),
    symmetric(1),
    symmetric(3),
    symmetric(4),
]
IDS = [g.name for g in GROUPS]


@pytest.mark.parametrize("G", GROUPS, ids=IDS)
def test_group_axioms_over_the_whole_table(G: Group) -> None:
    n, T = G.order, G.table
    e = G.identity
    # closure and Latin square: every row and column is a permutation of the elements
    assert T.shape == (n, n) and T.min() >= 0 and T.max() < n
    assert all(len(set(row)) == n for row in T.tolist())
    assert all(len(set(col)) == n for col in T.T.tolist())
    # identity
    assert e == 0
    np.testing.assert_array_equal(T[e], np.arange(n))
    np.testing.assert_array_equal(T[:, e], np.arange(n))
    # inverses, on both sides
    np.testing.assert_array_equal(T[np.arange(n), G.inverse], e)
    np.testing.assert_array_equal(T[G.inverse, np.arange(n)], e)
    # associativity for all n³ triples
    a, b, c = np.meshgrid(np.arange(n), np.arange(n), np.arange(n), indexing="ij")
    np.testing.assert_array_equal(T[T[a, b], c], T[a, T[b, c]])


@pytest.mark.parametrize("n", range(1, 13))
def test_orders_of_cyclic_and_dihedral_groups(n: int) -> None:
    assert cyclic(n).order == n
    assert dihedral(n).order == 2 * n
    # Z_n is abelian; D_n is abelian only for n <= 2
    assert cyclic(n).is_abelian
    assert dihedral(n).is_abelian == (n <= 2)


@pytest.mark.parametrize("n", range(1, 6))
def test_order_of_symmetric_group(n: int) -> None:
    G = symmetric(n)
    assert G.order == math.factorial(n)
    assert len({p.array_form.__str__() for p in G.permutations}) == G.order


@pytest.mark.parametrize(
    ("G", "classes"),
    [
        (cyclic(9), 9),
        (dihedral(5), 4),
        (dihedral(6), 6),
        (dihedral(12), 9),
        (symmetric(3), 3),
        (symmetric(4), 5),
        (symmetric(5), 7),
    ],
    ids=lambda v: getattr(v, "name", str(v)),
)
def test_number_of_conjugacy_classes(G: Group, classes: int) -> None:
    # D_n: (n+3)/2 classes for odd n, n/2 + 3 for even n; S_n: the partitions of n
    assert len(G.conjugacy_classes) == classes
    assert sorted(i for c in G.conjugacy_classes for i in c) == list(range(G.order))


@pytest.mark.parametrize("G", GROUPS, ids=IDS)
def test_table_is_sympy_product_first_left_then_right(G: Group) -> None:
    perms = G.permutations
    index = {tuple(p.array_form): k for k, p in enumerate(perms)}
    for i, p in enumerate(perms):
        for j, q in enumerate(perms):
            assert G.table[i, j] == index[tuple((p * q).array_form)]
            # sympy's p*q applies p first: (p*q)(k) = q(p(k))
    p, q = perms[-1], perms[len(perms) // 2]
    assert all((p * q)(k) == q(p(k)) for k in range(G.degree))


@pytest.mark.parametrize("G", [dihedral(5), symmetric(4)], ids=["D_5", "S_4"])
def test_pattern_action_respects_the_product(G: Group) -> None:
    # the main paper's action (s·x)_i = x_{s(i)} satisfies s·(t·x) = (s·t)·x with this product
    x = np.arange(G.degree) * 10 + 1
    for i in range(G.order):
        for j in range(G.order):
            lhs = act(G.permutations[i], act(G.permutations[j], x))
            rhs = act(G.permutations[G.table[i, j]], x)
            np.testing.assert_array_equal(lhs, rhs)


@pytest.mark.parametrize("n", [11, 100])
def test_cyclic_table_is_addition_mod_n(n: int) -> None:
    G = cyclic(n)  # n = 100: permutations of 100 points, far beyond any fixed-width encoding
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    np.testing.assert_array_equal(G.table, (i + j) % n)
    G = cyclic(11)
    assert G.elements[:3] == ("e", "r", "r^2")
    assert G.cycle_notation(1) == "(1 2 3 4 5 6 7 8 9 10 11)"


@pytest.mark.parametrize("n", [3, 4, 7, 12])
def test_dihedral_names_and_relations(n: int) -> None:
    G = dihedral(n)
    r, s = G.index("r"), G.index("s")
    assert G.generators == (r, s)
    T = G.table
    # r has order n, s has order 2, and s·r·s = r^{-1}
    assert G.power(n)[r] == G.identity and all(G.power(k)[r] != G.identity for k in range(1, n))
    assert T[s, s] == G.identity
    assert T[T[s, r], s] == G.inverse[r]
    # element n+k is s·r^k
    for k in range(n):
        assert T[s, G.power(k)[r]] == n + k
        assert G.elements[n + k] == ("s" if k == 0 else f"sr^{k}" if k > 1 else "sr")


def test_symmetric_names_are_cycle_notation_ordered_by_cycle_type() -> None:
    G = symmetric(4)
    assert G.elements[0] == "e"
    assert G.elements[1:7] == ("(1 2)", "(1 3)", "(1 4)", "(2 3)", "(2 4)", "(3 4)")
    assert set(G.elements[7:10]) == {"(1 2)(3 4)", "(1 3)(2 4)", "(1 4)(2 3)"}
    assert all(len(G.elements[k]) == len("(1 2 3)") for k in range(10, 18))
    assert all(len(G.elements[k]) == len("(1 2 3 4)") for k in range(18, 24))
    # the generators are the adjacent transpositions (1 2), (2 3), (3 4)
    assert [G.elements[g] for g in G.generators] == ["(1 2)", "(2 3)", "(3 4)"]


def _sympy_word(word: str, p: Permutation, q: Permutation) -> Permutation:
    factors = [(p if letter == "x" else q) ** k for letter, k in parse_word(word)]
    return reduce(lambda a, b: a * b, factors)


WORDS = ["x*y", "y*x", "x*y*x^-1", "x*y*x^-1*y^-1", "x^2*y^-3", "x^-1", "y^(-2)*x^3*y"]


@pytest.mark.parametrize(
    "G", [cyclic(6), dihedral(5), dihedral(12), symmetric(4)], ids=["Z_6", "D_5", "D_12", "S_4"]
)
@pytest.mark.parametrize("word", WORDS)
def test_word_table_equals_direct_sympy_computation(G: Group, word: str) -> None:
    tab = word_table(G, word)
    index = {tuple(p.array_form): k for k, p in enumerate(G.permutations)}
    for i, p in enumerate(G.permutations):
        for j, q in enumerate(G.permutations):
            assert tab[i, j] == index[tuple(_sympy_word(word, p, q).array_form)]


_factor = st.tuples(st.sampled_from(["x", "y"]), st.integers(-3, 3))


@settings(max_examples=25, deadline=None)
@given(st.lists(_factor, min_size=1, max_size=5))
def test_random_words_against_sympy(factors: list[tuple[str, int]]) -> None:
    word = "*".join(f"{a}^{k}" for a, k in factors)
    G = dihedral(4)
    tab = word_table(G, word)
    index = {tuple(p.array_form): k for k, p in enumerate(G.permutations)}
    for i, p in enumerate(G.permutations):
        for j, q in enumerate(G.permutations):
            assert tab[i, j] == index[tuple(_sympy_word(word, p, q).array_form)]


def test_known_word_values() -> None:
    D = dihedral(12)
    comm = word_table(D, "x*y*x^-1*y^-1")
    # commutators of D_12 are the rotations by an even number of steps
    assert set(comm.ravel().tolist()) == {D.index(f"r^{k}") if k else 0 for k in range(0, 12, 2)}
    # in an abelian group the commutator is always e and conjugation is trivial
    Z = cyclic(8)
    assert (word_table(Z, "x*y*x^-1*y^-1") == Z.identity).all()
    np.testing.assert_array_equal(word_table(Z, "x*y*x^-1"), np.tile(np.arange(8), (8, 1)))


def test_word_tensor_has_one_answer_per_pair() -> None:
    G = symmetric(3)
    T = word_tensor(G, "x*y*x^-1")
    assert T.shape == (6, 6, 6)
    np.testing.assert_array_equal(T.sum(axis=2), 1)
    tab = word_table(G, "x*y*x^-1")
    assert all(T[i, j, tab[i, j]] == 1 for i in range(6) for j in range(6))


@pytest.mark.parametrize(
    "bad", ["", "  ", "x*z", "x**y", "x^a", "2*x", "x y", "x^", "xy", "x*y^-1.5"]
)
def test_malformed_words_raise(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_word(bad)
    with pytest.raises(ValueError):
        word_table(cyclic(3), bad)


def test_parse_and_latex() -> None:
    assert parse_word("x * y * x^-1") == (("x", 1), ("y", 1), ("x", -1))
    assert parse_word("x^(-2)*y^3") == (("x", -2), ("y", 3))
    assert word_latex("x*y*x^-1*y^-1") == "x y x^{-1} y^{-1}"


@pytest.mark.parametrize(
    ("make", "arg"),
    [
        (cyclic, 0),
        (dihedral, -1),
        (symmetric, 0),
        (cyclic, 2.5),
        (symmetric, 7),
        (cyclic, MAX_ORDER + 1),
        (dihedral, True),
    ],
)
def test_bad_constructor_arguments(make, arg) -> None:
    with pytest.raises(ValueError):
        make(arg)


def test_group_by_name() -> None:
    assert group_by_name("Z_24").order == 24
    assert group_by_name("D12").name == "D_12"
    assert group_by_name("S_4").order == 24
    with pytest.raises(ValueError, match="unknown group"):
        group_by_name("Q_8")


def test_from_permutations_checks_closure_and_identity() -> None:
    e, t = Permutation([0, 1, 2]), Permutation([1, 0, 2])
    G = from_permutations([e, t])
    assert G.order == 2 and G.elements == ("e", "(1 2)")
    with pytest.raises(ValueError, match="closed"):
        from_permutations([e, Permutation([1, 2, 0])])
    with pytest.raises(ValueError, match="identity"):
        from_permutations([t, e])
    with pytest.raises(ValueError, match="has no element"):
        G.index("(2 3)")
