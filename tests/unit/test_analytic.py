"""Tests of itemsrel.analytic: exact solution families and the paper's printed formulas."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from itemsrel.analytic import (
    PAPER_X,
    PAPER_X_PRIME,
    SolutionFamily,
    identify,
    linear_family,
    nonlinear_family,
    paper_eq5,
    paper_eq6,
    paper_Wc,
    plane_stability,
    same_family,
)
from itemsrel.symmetry import invariant_basis, is_invariant, symmetry_group

RNG = np.random.default_rng(20240419)


def _random_member(F: SolutionFamily) -> tuple[dict[str, float], np.ndarray]:
    draws = RNG.normal(size=len(F.params))
    values = {p.name: float(v) for p, v in zip(F.params, draws, strict=True)}
    return values, F.numeric(values)


# --- linear families -------------------------------------------------------------------------
@pytest.mark.parametrize("X", [PAPER_X, PAPER_X_PRIME])
@pytest.mark.parametrize("invariant", [False, True])
def test_every_member_reproduces_the_items(X, invariant):
    F = linear_family(X, invariant=invariant)
    assert F.constraint_residual() == sp.zeros(3, 2)
    for _ in range(5):
        _, W = _random_member(F)
        np.testing.assert_allclose(W @ X.T, X.T, atol=1e-12)


@pytest.mark.parametrize("X", [PAPER_X, PAPER_X_PRIME])
def test_parameter_counts_for_paper_sets(X):
    assert len(linear_family(X).params) == 3
    assert len(linear_family(X, invariant=True).params) == 2


@pytest.mark.parametrize("X", [PAPER_X, PAPER_X_PRIME])
def test_invariant_family_members_are_invariant(X):
    F = linear_family(X, invariant=True)
    group = symmetry_group(X)
    for _ in range(3):
        _, W = _random_member(F)
        assert is_invariant(W, group)
    # the full family is not invariant in general
    _, W = _random_member(linear_family(X))
    assert not is_invariant(W, group)


def test_random_n5_family_has_n_times_corank_parameters():
    X = np.array([[1, 0, 1, 1, 0], [0, 1, 1, 0, 0], [1, 1, 0, 0, 1]])
    rank = np.linalg.matrix_rank(X)
    F = linear_family(X)
    assert len(F.params) == 5 * (5 - rank) == 10
    _, W = _random_member(F)
    np.testing.assert_allclose(W @ X.T, X.T, atol=1e-10)


def test_names_rename_free_parameters_and_wrong_count_raises():
    F = linear_family(PAPER_X, invariant=True, names=("a", "b"))
    assert [p.name for p in F.params] == ["a", "b"]
    with pytest.raises(ValueError, match="names"):
        linear_family(PAPER_X, invariant=True, names=("a",))


def test_inconsistent_targets_raise():
    X = np.array([[1, 0], [0, 1], [1, 1]])
    with pytest.raises(ValueError, match="inconsistent"):
        linear_family(X, targets=[[1, 0], [0, 1], [0, 0]])


def test_subs_and_numeric():
    F = paper_eq6("X")
    assert F.subs(a=0, b=0) == sp.eye(3)
    np.testing.assert_allclose(F.numeric({"a": 1, "b": 2}), [[0, 1, 1], [-2, 3, 2], [-2, 2, 3]])
    with pytest.raises(ValueError, match="no value"):
        F.numeric({"a": 1})
    with pytest.raises(KeyError):
        F.subs(z=1)


# --- the paper's eqs. 5 and 6 ----------------------------------------------------------------
def test_eq5_is_the_invariant_structure():
    W5, params = paper_eq5()
    basis = invariant_basis(symmetry_group(PAPER_X), 3)
    assert len(basis) == len(params) == 5
    ps = sp.symbols("p1:6")
    generic = sum((p * sp.Matrix(B.tolist()) for p, B in zip(ps, basis, strict=True)), sp.zeros(3))
    assert same_family(W5, params, generic, ps)


@pytest.mark.parametrize("which, X", [("X", PAPER_X), ("X'", PAPER_X_PRIME)])
def test_eq6_equals_the_complete_invariant_family(which, X):
    P = paper_eq6(which)
    F = linear_family(X, invariant=True)
    assert P.constraint_residual() == sp.zeros(3, 2)
    assert same_family(P.W, P.params, F.W, F.params)
    full = linear_family(X)
    assert not same_family(P.W, P.params, full.W, full.params)


def test_same_family_rejects_wrong_and_partial_families():
    P = paper_eq6("X")
    a, b = P.params
    wrong = sp.Matrix([[1 - a, a, a], [-b, 1 + b, b], [b, -b, 1 - b]])  # row 3 sign flipped
    assert not same_family(P.W, P.params, wrong, (a, b))
    sub = P.W.subs(b, 0)  # a one-parameter sub-family
    assert not same_family(P.W, P.params, sub, (a,))
    reparam = P.W.subs({a: 2 * a + 1, b: a - b}, simultaneous=True)
    assert same_family(P.W, P.params, reparam, (a, b))


def test_spectrum_of_X_prime_family():
    a = paper_eq6("X'").params[0]
    assert paper_eq6("X'").eigenvalues() == {a: 1, sp.Integer(1): 2}


def test_third_eigenvalue_of_X_family_is_1_minus_a_plus_2b():
    P = paper_eq6("X")
    a, b = P.params
    ev = P.eigenvalues()
    assert ev == {sp.Integer(1): 2, 1 - a + 2 * b: 1}
    assert 1 - a - 2 * b not in ev  # the printed value
    # direct numerical check at a point where the two formulas differ
    eigs = np.linalg.eigvals(P.numeric({"a": 0.3, "b": 0.2}))
    np.testing.assert_allclose(np.sort(eigs.real), [1.0, 1.0, 1 - 0.3 + 0.4], atol=1e-7)
    assert not np.any(np.isclose(eigs, 1 - 0.3 - 0.4))


def test_characteristic_polynomial_factors():
    P = paper_eq6("X")
    a, b = P.params
    lam = sp.Symbol("lambda")
    assert sp.expand(P.characteristic_polynomial() - (lam - 1) ** 2 * (lam - 1 + a - 2 * b)) == 0


# --- stability -------------------------------------------------------------------------------
def test_plane_stability_X():
    P = paper_eq6("X")
    a, b = P.params
    st = plane_stability(P)
    assert st.eigenvalues == {1 - a + 2 * b: 1}
    assert st.condition.subs({a: 1 / 3, b: -1 / 3}) == sp.true  # orthogonal projector, λ3 = 0
    assert st.condition.subs({a: 0.5, b: 0.5}) == sp.false  # λ3 = 1.5 although |a - 2b| < 1
    assert st.condition.subs({a: 1.5, b: 0.0}) == sp.true  # λ3 = -0.5 although |a - 2b| > 1
    region = sp.reduce_inequalities(list(st.condition.args), [a])
    assert region == sp.And(a > 2 * b, a < 2 * b + 2)


def test_plane_stability_X_prime_and_full_rank():
    P = paper_eq6("X'")
    a = P.params[0]
    st = plane_stability(P)
    assert st.eigenvalues == {a: 1}
    assert st.condition == sp.And(a > -1, a < 1)
    full = linear_family(np.eye(3, dtype=int))
    assert full.params == () and full.W == sp.eye(3)
    assert plane_stability(full).condition == sp.true


def test_plane_stability_needs_linear_targets():
    F = nonlinear_family(PAPER_X, "tanh", 0.9 * PAPER_X)
    with pytest.raises(ValueError, match="linear"):
        plane_stability(F)


# --- identify --------------------------------------------------------------------------------
def test_identify_recovers_parameters():
    P = paper_eq6("X")
    W = P.numeric({"a": 0.25, "b": -0.7})
    ident = identify(W, P)
    assert ident.params == pytest.approx({"a": 0.25, "b": -0.7})
    assert ident.residual < 1e-12
    np.testing.assert_allclose(ident.member, W, atol=1e-12)


def test_identify_non_member_has_positive_residual():
    P = paper_eq6("X")
    ident = identify(np.eye(3) + 0.1, P)
    assert ident.residual > 0.05
    with pytest.raises(ValueError, match="shape"):
        identify(np.eye(2), P)


def test_identify_paper_sgd_matrix():
    W0 = [[0.6667, 0.3333, 0.3333], [0.3333, 0.6667, -0.3333], [0.3333, -0.3333, 0.6667]]
    ident = identify(W0, paper_eq6("X"))
    assert ident.params == pytest.approx({"a": 1 / 3, "b": -1 / 3}, abs=1e-4)
    assert ident.residual < 1e-3


# --- non-linear ------------------------------------------------------------------------------
def test_nonlinear_tanh_target_one_raises_and_0_9_works():
    with pytest.raises(ValueError, match="strictly inside"):
        nonlinear_family(PAPER_X, "tanh")
    F = nonlinear_family(PAPER_X, "tanh", 0.9 * PAPER_X, invariant=True)
    assert len(F.params) == 2
    _, W = _random_member(F)
    np.testing.assert_allclose(np.tanh(W @ PAPER_X.T), 0.9 * PAPER_X.T, atol=1e-12)


def test_nonlinear_sigmoid_needs_open_range_and_zero_item_rule():
    with pytest.raises(ValueError, match="strictly inside"):
        nonlinear_family(PAPER_X, "sigmoid")
    T = np.where(PAPER_X == 1, 0.9, 0.1)
    F = nonlinear_family(PAPER_X, "sigmoid", T)
    _, W = _random_member(F)
    np.testing.assert_allclose(1 / (1 + np.exp(-W @ PAPER_X.T)), T.T, atol=1e-12)
    Xz = np.array([[0, 0, 0], [1, 0, 1]])
    with pytest.raises(ValueError, match="zero item"):
        nonlinear_family(Xz, "sigmoid", np.where(Xz == 1, 0.9, 0.1))
    ok = nonlinear_family(Xz, "sigmoid", [[0.5, 0.5, 0.5], [0.9, 0.1, 0.9]])
    assert len(ok.params) == 6


def test_nonlinear_family_has_linear_directions():
    """Eq. 8's structure: non-linear family = one solution + the linear family's directions."""
    F_lin = linear_family(PAPER_X, invariant=True)
    F_nl = nonlinear_family(PAPER_X, "tanh", 0.9 * PAPER_X, invariant=True)
    D_lin = [F_lin.W.diff(p) for p in F_lin.params]
    D_nl = [F_nl.W.diff(p) for p in F_nl.params]
    assert sp.Matrix.hstack(*[d.reshape(9, 1) for d in D_lin + D_nl]).rank() == 2


def test_paper_Wc_tanh_fails_the_equation_and_sigmoid_Wc_is_not_invariant():
    W, c = paper_Wc("tanh")
    W_ab = paper_eq6("X").numeric({"a": 0.2, "b": 0.1})
    Wn = W_ab + np.array(W.subs(c, 0.5).evalf(), dtype=float)
    out = np.tanh(Wn @ PAPER_X.T - 0.5)
    assert np.max(np.abs(out - PAPER_X.T)) > 0.1
    Ws, cs = paper_Wc("sigmoid")
    assert sp.simplify(Ws[1, 1] - Ws[2, 2]) != 0
    assert Ws.has(sp.tanh)
    Ws1 = np.array(Ws.subs(cs, 1.0).evalf(), dtype=float)
    assert not is_invariant(Ws1, symmetry_group(PAPER_X))
    with pytest.raises(ValueError):
        paper_Wc("relu")
    with pytest.raises(ValueError):
        paper_eq6("Y")
