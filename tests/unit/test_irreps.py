"""Tests of itemsrel.irreps: homomorphisms, Schur orthogonality, characters, projectors, fusion."""

from __future__ import annotations

import numpy as np
import pytest

from itemsrel.groups import Group, cyclic, dihedral, symmetric, word_table, word_tensor
from itemsrel.irreps import (
    allowed_triplets,
    character_table,
    irrep_power,
    irreps,
    isotypic_projectors,
    partitions,
    real_irreps,
    triplet_weights,
    young_orthogonal_generators,
)

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
    symmetric(2),
    symmetric(3),
    symmetric(4),
    symmetric(5),
]
IDS = [g.name for g in GROUPS]


@pytest.mark.parametrize("G", GROUPS, ids=IDS)
def test_irreps_are_unitary_homomorphisms(G: Group) -> None:
    for rep in irreps(G):
        R = rep.matrices
        d = rep.dim
        np.testing.assert_allclose(R[G.identity], np.eye(d), atol=1e-12)
        # ρ(g_i · g_j) = ρ(g_i) ρ(g_j) over the whole table
        np.testing.assert_allclose(R[G.table], np.einsum("iab,jbc->ijac", R, R), atol=1e-10)
        np.testing.assert_allclose(
            np.einsum("iab,icb->iac", R, R.conj()), np.broadcast_to(np.eye(d), R.shape), atol=1e-10
        )


@pytest.mark.parametrize("G", GROUPS, ids=IDS)
def test_dimensions_and_number_of_irreps(G: Group) -> None:
    reps = irreps(G)
    assert sum(r.dim**2 for r in reps) == G.order
    assert len(reps) == len(G.conjugacy_classes)


@pytest.mark.parametrize("G", GROUPS, ids=IDS)
def test_character_orthogonality_rows_and_columns(G: Group) -> None:
    names, classes, table = character_table(G)
    sizes = np.array([len(c) for c in classes])
    # rows: (1/|G|) Σ_g χ_a(g) conj χ_b(g) = δ_ab
    np.testing.assert_allclose(
        (table * sizes) @ table.conj().T / G.order, np.eye(len(names)), atol=1e-10
    )
    # columns: Σ_a χ_a(g) conj χ_a(h) = |G| / |class of g| · δ_gh
    np.testing.assert_allclose(table.T @ table.conj(), np.diag(G.order / sizes), atol=1e-9)
    # characters are class functions
    for rep in irreps(G):
        for cls in classes:
            np.testing.assert_allclose(rep.character[cls], rep.character[cls[0]], atol=1e-10)


@pytest.mark.parametrize("G", GROUPS, ids=IDS)
def test_schur_orthogonality_of_matrix_elements(G: Group) -> None:
    # (1/|G|) Σ_g ρ_a(g)_ij conj ρ_b(g)_kl = δ_ab δ_ik δ_jl / d_a
    reps = irreps(G)
    flat = np.concatenate([r.matrices.reshape(G.order, -1) for r in reps], axis=1)
    expected = np.concatenate([np.full(r.dim**2, 1.0 / r.dim) for r in reps])
    np.testing.assert_allclose(flat.T @ flat.conj() / G.order, np.diag(expected), atol=1e-10)


def test_known_dimensions_and_names() -> None:
    assert [(r.name, r.dim) for r in irreps(symmetric(4))] == [
        ("[4]", 1),
        ("[3,1]", 3),
        ("[2,2]", 2),
        ("[2,1,1]", 3),
        ("[1,1,1,1]", 1),
    ]
    assert [r.name for r in irreps(dihedral(6))] == ["A1", "A2", "B1", "B2", "E1", "E2"]
    assert [r.name for r in irreps(dihedral(5))] == ["A1", "A2", "E1", "E2"]
    assert [r.name for r in real_irreps(cyclic(6))] == ["k=0", "k=1", "k=2", "k=3"]
    assert [r.dim for r in real_irreps(cyclic(6))] == [1, 2, 2, 1]
    assert partitions(4) == [(4,), (3, 1), (2, 2), (2, 1, 1), (1, 1, 1, 1)]
    assert len(partitions(7)) == 15


def test_sign_and_standard_representation_of_s4() -> None:
    G = symmetric(4)
    reps = {r.name: r for r in irreps(G)}
    sign = np.array([p.signature() for p in G.permutations])
    np.testing.assert_allclose(reps["[1,1,1,1]"].character.real, sign, atol=1e-12)
    # the paper's action on patterns, (P(s) x)_i = x_{s(i)}, is trivial ⊕ standard:
    # its character is the number of fixed points, and [3,1] is that minus one
    fixed = np.array([sum(p(i) == i for i in range(4)) for p in G.permutations])
    np.testing.assert_allclose(reps["[3,1]"].character.real, fixed - 1, atol=1e-12)
    P = np.zeros((24, 4, 4))
    for k, p in enumerate(G.permutations):
        P[k, np.arange(4), p.array_form] = 1.0
    np.testing.assert_allclose(P[G.table], np.einsum("iab,jbc->ijac", P, P))


def test_young_generators_satisfy_coxeter_relations() -> None:
    for lam in partitions(5):
        s = young_orthogonal_generators(lam)
        d = s[0].shape[0]
        for i, a in enumerate(s):
            np.testing.assert_allclose(a @ a, np.eye(d), atol=1e-12)
            np.testing.assert_allclose(a, a.T, atol=1e-12)
            if i + 1 < len(s):
                b = s[i + 1]
                np.testing.assert_allclose(np.linalg.matrix_power(a @ b, 3), np.eye(d), atol=1e-10)
            for b in s[i + 2 :]:
                np.testing.assert_allclose(a @ b, b @ a, atol=1e-12)


def test_cyclic_irreps_are_fourier_modes() -> None:
    G = cyclic(10)
    for k, rep in enumerate(irreps(G)):
        np.testing.assert_allclose(rep.character, np.exp(2j * np.pi * k * np.arange(10) / 10))
    # real irreps pair k with n - k
    reps = real_irreps(G)
    assert [len(r.components) for r in reps] == [1, 2, 2, 2, 2, 1]
    np.testing.assert_allclose(reps[3].character, 2 * np.cos(2 * np.pi * 3 * np.arange(10) / 10))


@pytest.mark.parametrize("G", GROUPS, ids=IDS)
def test_isotypic_projectors(G: Group) -> None:
    P = isotypic_projectors(G)
    n = G.order
    np.testing.assert_allclose(P.sum(axis=0), np.eye(n), atol=1e-10)
    for a, ra in enumerate(real_irreps(G)):
        np.testing.assert_allclose(P[a], P[a].T, atol=1e-12)
        np.testing.assert_allclose(P[a] @ P[a], P[a], atol=1e-10)
        assert np.linalg.matrix_rank(P[a], tol=1e-8) == ra.complex_dim * ra.dim
        for b in range(a + 1, len(P)):
            np.testing.assert_allclose(P[a] @ P[b], 0, atol=1e-10)
    # each component is invariant under translations: it commutes with the regular representation
    for g in G.generators:
        L = np.zeros((n, n))
        L[np.arange(n), G.table[g]] = 1
        for Pa in P:
            np.testing.assert_allclose(L @ Pa, Pa @ L, atol=1e-10)


def test_irrep_power_of_pure_modes_and_sums() -> None:
    G = cyclic(12)
    x = np.arange(12)
    F = np.stack([np.cos(2 * np.pi * 5 * x / 12 + 0.3), np.ones(12), (-1.0) ** x], axis=1)
    p = irrep_power(G, F)
    names = [r.name for r in real_irreps(G)]
    assert p.shape == (len(names), 3)
    assert np.argmax(p[:, 0]) == names.index("k=5") and p[names.index("k=5"), 0] == pytest.approx(6)
    assert p[names.index("k=0"), 1] == pytest.approx(12)
    assert p[names.index("k=6"), 2] == pytest.approx(12)
    rng = np.random.default_rng(0)
    R = rng.normal(size=(24, 5, 2))
    np.testing.assert_allclose(irrep_power(symmetric(4), R).sum(0), (R**2).sum(0))
    with pytest.raises(ValueError, match="order"):
        irrep_power(G, np.ones((5, 2)))


@pytest.mark.parametrize("G", [cyclic(6), dihedral(4), symmetric(3)], ids=["Z_6", "D_4", "S_3"])
@pytest.mark.parametrize("word", ["x*y", "x*y*x^-1", "x*y*x^-1*y^-1", "x^2*y"])
def test_triplet_weights_equal_brute_force_projection(G: Group, word: str) -> None:
    P = isotypic_projectors(G)
    T = word_tensor(G, word)
    brute = np.einsum("aix,bjy,ckz,xyz->abcijk", P, P, P, T)
    expected = (brute**2).sum(axis=(3, 4, 5)) / G.order**2
    np.testing.assert_allclose(triplet_weights(G, word), expected, atol=1e-12)


@pytest.mark.parametrize("G", [cyclic(24), dihedral(12), symmetric(4)], ids=["Z_24", "D_12", "S_4"])
def test_multiplication_only_fuses_an_irrep_with_itself(G: Group) -> None:
    W = triplet_weights(G, "x*y")
    assert W.sum() == pytest.approx(1.0)
    K = len(W)
    off = W.copy()
    off[np.arange(K), np.arange(K), np.arange(K)] = 0
    assert off.max() < 1e-12
    # Plancherel: the (ρ, ρ, ρ) share is d_ρ · dim_ℝ ρ / |G|
    for a, r in enumerate(real_irreps(G)):
        assert W[a, a, a] == pytest.approx(r.complex_dim * r.dim / G.order)
    assert allowed_triplets(G, "x*y").sum() == K


def test_conjugation_keeps_the_irrep_of_y_and_commutators_of_d12() -> None:
    G = dihedral(12)
    ok = allowed_triplets(G, "x*y*x^-1")
    # z = x y x^{-1} is y moved by an inner automorphism: ρ_z = ρ_y always
    _, b, c = np.nonzero(ok)
    assert (b == c).all()
    # the trivial x-irrep pairs every irrep of y with itself
    assert ok[0].diagonal().all()
    # a commutator is a rotation by an even number of steps; on those, the four one-dimensional
    # irreps A1, A2, B1, B2 agree, so the word gives all four output irreps the same weight
    tab = word_table(G, "x*y*x^-1*y^-1")
    assert set(np.unique(tab).tolist()) == set(range(0, 12, 2))
    W = triplet_weights(G, "x*y*x^-1*y^-1")
    names = [r.name for r in real_irreps(G)]
    a1 = names.index("A1")
    for other in ("A2", "B1", "B2"):
        np.testing.assert_allclose(W[:, :, names.index(other)], W[:, :, a1], atol=1e-12)
    assert W[:, :, a1].sum() > 0
