"""Exact solution families of the auto-associative task ``φ(W x) = t`` (sympy).

One job: turn a training set into the *set* of weight matrices that solve the task, as a matrix of
sympy expressions in free parameters, and answer questions about that set exactly (spectrum,
stability of the plane spanned by the items, equality with a printed family, best fit of a trained
matrix).

Conventions (as in :mod:`itemsrel.symmetry`):

* ``X`` has shape ``(n_items, N)``, one 0/1 item per row; ``W`` is ``N × N`` and acts on columns,
  so the task for item ``x`` is ``W x = z`` with ``z`` the item's *pre-activation* target.
* The linear auto-associator has ``z = x``: its solutions are ``{W : W x = x for all x ∈ X}``.
  A non-linear one with strictly increasing φ has ``z = φ^{-1}(t)``: the same linear problem with
  another right-hand side (paper's eq. 8: "linear family + a correction").
* Every family here is *affine* in its parameters: ``W(p) = W_0 + Σ_k p_k D_k``. Its direction
  space ``{D : D x = 0 for x ∈ X}`` has dimension ``N (N − rank X)``; restricted to Σ_X-invariant
  matrices (``invariant=True``), fewer parameters remain.
* Parameters are real sympy symbols; indices are 0-based in code, 1-based in symbol names.

The paper's printed formulas (eqs. 5, 6 and the ``W_c`` of §3.2.1) are available verbatim from
:func:`paper_eq5`, :func:`paper_eq6` and :func:`paper_Wc`, so that they can be checked against the
families computed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike, NDArray

from . import _validate
from .activations import Activation, get_activation
from .patterns import as_training_set
from .symmetry import invariant_basis, symmetry_group

__all__ = [
    "PAPER_X",
    "PAPER_X_PRIME",
    "Identification",
    "PlaneStability",
    "SolutionFamily",
    "identify",
    "linear_family",
    "nonlinear_family",
    "paper_Wc",
    "paper_eq5",
    "paper_eq6",
    "plane_stability",
    "same_family",
]

#: The paper's training sets of eq. 4 (rows are items).
PAPER_X = np.array([[1, 0, 1], [1, 1, 0]], dtype=np.int8)
PAPER_X_PRIME = np.array([[0, 1, 0], [0, 0, 1]], dtype=np.int8)

#: Symbol used for eigenvalues in characteristic polynomials.
LAMBDA = sp.Symbol("lambda")


# --------------------------------------------------------------------------------------------
# The family object
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class SolutionFamily:
    """A parametrised set of N×N weight matrices ``{W(p) : p ∈ R^k}``.

    ``W``: sympy ``Matrix`` (N×N) in the symbols ``params``; ``X``: the training set, shape
    ``(n_items, N)``; ``invariant``: whether W was restricted to Σ_X-invariant matrices;
    ``targets``: the pre-activation targets ``z`` (sympy Matrix, shape like X), ``None`` meaning
    ``z = x`` (the linear auto-associator).
    """

    W: sp.Matrix
    params: tuple[sp.Symbol, ...]
    X: NDArray[np.int8]
    invariant: bool = False
    targets: sp.Matrix | None = None

    @property
    def N(self) -> int:
        return int(self.W.shape[0])

    def pre_targets(self) -> sp.Matrix:
        """The right-hand sides ``z`` as a sympy Matrix of shape ``(n_items, N)``."""
        return sp.Matrix(self.X.tolist()) if self.targets is None else self.targets

    def constraint_residual(self) -> sp.Matrix:
        """``W Xᵀ − Zᵀ`` simplified (shape ``(N, n_items)``): the zero matrix for a true family."""
        return sp.simplify(self.W * sp.Matrix(self.X.tolist()).T - self.pre_targets().T)

    def characteristic_polynomial(self, lam: sp.Symbol = LAMBDA) -> sp.Expr:
        """``det(λ I − W)``, factored."""
        return sp.factor(self.W.charpoly(lam).as_expr())

    def eigenvalues(self) -> dict[sp.Expr, int]:
        """Eigenvalue → algebraic multiplicity, each eigenvalue simplified."""
        out: dict[sp.Expr, int] = {}
        for ev, mult in self.W.eigenvals().items():
            key = sp.simplify(ev)
            out[key] = out.get(key, 0) + int(mult)
        return out

    def _symbols_by_name(self, values: Mapping[str, object]) -> dict[sp.Symbol, object]:
        by_name = {s.name: s for s in self.params}
        unknown = set(values) - set(by_name)
        if unknown:
            raise KeyError(f"unknown parameter(s) {sorted(unknown)}; family has {sorted(by_name)}")
        return {by_name[k]: _exact_value(v, f"value of {k}") for k, v in values.items()}

    def subs(self, **values: object) -> sp.Matrix:
        """The member (or sub-family) with the named parameters fixed, e.g. ``F.subs(a=1)``."""
        return self.W.subs(self._symbols_by_name(values))

    def numeric(self, values: Mapping[str, float]) -> NDArray[np.float64]:
        """The member at ``values`` (one float per parameter name) as an ``(N, N)`` float array."""
        for k, v in values.items():
            if not isinstance(v, sp.Basic) and not isinstance(v, str):
                try:
                    finite = bool(np.isfinite(float(v)))  # type: ignore[arg-type]
                except (TypeError, ValueError):
                    finite = True  # rejected with its type below
                if not finite:
                    raise ValueError(f"value of {k} must be finite, got {v!r}")
        M = self.W.subs(self._symbols_by_name(values))
        left = M.free_symbols
        if left:
            raise ValueError(f"no value given for parameter(s) {sorted(s.name for s in left)}")
        return np.array(M.evalf(), dtype=float)


# --------------------------------------------------------------------------------------------
# Building families
# --------------------------------------------------------------------------------------------
def _entry_symbol(i: int, j: int, n: int) -> sp.Symbol:
    return sp.Symbol(f"w{i + 1}{j + 1}" if n < 10 else f"w{i + 1}_{j + 1}", real=True)


def _exact_value(v: object, name: str) -> sp.Basic:
    """A number or sympy expression as a sympy object, never by evaluating a string (``sympify``
    on a string runs code): strings raise ``TypeError``, non-finite numbers ``ValueError``."""
    if isinstance(v, sp.Basic):
        if v.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
            raise ValueError(f"{name} must be finite, got {v}")
        return v
    if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
        raise TypeError(
            f"{name} must be a number or a sympy expression, got {type(v).__name__} {v!r} "
            "(strings are not accepted: turning them into expressions would evaluate code)"
        )
    if not np.isfinite(float(v)):
        raise ValueError(f"{name} must be finite, got {v!r}")
    return sp.Integer(int(v)) if isinstance(v, int | np.integer) else sp.Float(float(v))


def _as_targets(targets: ArrayLike | sp.Matrix, shape: tuple[int, int]) -> tuple[sp.Matrix, bool]:
    """Targets as an exact sympy Matrix (floats made exact rationals); also: were there floats?"""
    if isinstance(targets, sp.MatrixBase):
        M = targets
    else:
        arr = np.asarray(targets, dtype=object)
        if arr.shape != shape:
            raise ValueError(f"targets have shape {arr.shape}, expected {shape} (one row per item)")
        M = sp.Matrix(shape[0], shape[1], [_exact_value(v, "each target") for v in arr.ravel()])
    if M.shape != shape:
        raise ValueError(f"targets have shape {M.shape}, expected {shape} (one row per item)")
    had_float = any(isinstance(v, float | sp.Float) for v in M)
    exact = M.applyfunc(
        lambda v: sp.Rational(v) if isinstance(v, float | sp.Float) else _exact_value(v, "each target")
    )
    return exact, had_float


def linear_family(
    X: ArrayLike,
    *,
    invariant: bool = False,
    targets: ArrayLike | sp.Matrix | None = None,
    names: Sequence[str] | None = None,
) -> SolutionFamily:
    """All W (N×N) with ``W x = z`` for every item x (row of X) and its target z (row of targets).

    ``targets=None`` means ``z = x``: the linear auto-associator. ``invariant=True`` first restricts
    W to ``Σ_o p_o B_o`` over :func:`~itemsrel.symmetry.invariant_basis` of Σ_X. The constraints
    are solved exactly with ``sympy.linsolve``; the symbols left free are the family's parameters
    (entries ``w_ij`` or orbit coefficients ``p_o``), renamed in order to ``names`` if given.
    Float targets are solved exactly and the result is shown in floating point.
    Raises ``ValueError`` when no W solves the task (inconsistent targets).
    """
    X = as_training_set(X)
    n = X.shape[1]
    if targets is None:
        Z, had_float = sp.Matrix(X.tolist()), False
    else:
        Z, had_float = _as_targets(targets, X.shape)
    if invariant:
        basis = invariant_basis(symmetry_group(X), n)
        unknowns = [sp.Symbol(f"p{k + 1}", real=True) for k in range(len(basis))]
        W = sp.zeros(n, n)
        for p, B in zip(unknowns, basis, strict=True):
            W += p * sp.Matrix(B.tolist())
    else:
        unknowns = [_entry_symbol(i, j, n) for i in range(n) for j in range(n)]
        W = sp.Matrix(n, n, unknowns)
    equations = list(W * sp.Matrix(X.tolist()).T - Z.T)
    solutions = sp.linsolve(equations, unknowns)
    if solutions == sp.EmptySet:
        where = " among Σ_X-invariant matrices" if invariant else ""
        raise ValueError(
            f"no W{where} satisfies W x = z for all items: the targets are inconsistent with the "
            "linear dependences among the items (e.g. a zero item forces z = 0)"
        )
    (solution,) = solutions
    W = W.subs(dict(zip(unknowns, solution, strict=True)))
    free = [u for u in unknowns if u in W.free_symbols]
    if names is not None:
        if isinstance(names, str) or len(names) != len(free):
            raise ValueError(f"{len(names)} names given for {len(free)} free parameters")
        if not all(isinstance(nm, str) and nm for nm in names) or len(set(names)) != len(names):
            raise ValueError(f"names must be distinct non-empty strings, got {list(names)}")
        new = [sp.Symbol(nm, real=True) for nm in names]
        W = W.subs(dict(zip(free, new, strict=True)), simultaneous=True)
        free = new
    W = sp.Matrix(W.applyfunc(sp.expand))
    if had_float:
        W = W.evalf()
    return SolutionFamily(W, tuple(free), X, invariant, None if targets is None else Z)


def nonlinear_family(
    X: ArrayLike,
    activation: str | Activation,
    targets: ArrayLike | None = None,
    *,
    invariant: bool = False,
    names: Sequence[str] | None = None,
) -> SolutionFamily:
    """All W with ``φ(W x) = t`` for every item x and target t (eq. 8): ``W x = φ⁻¹(t)``.

    ``targets`` has X's shape; ``None`` means ``t = x``. Because φ is strictly increasing this is
    :func:`linear_family` with pre-activation targets ``φ⁻¹(t)``.

    What ``φ(W x) = x`` can mean for 0/1 items, with finite weights:

    * ``tanh(z − c)`` has the open range (−1, 1): a 1 in a target is unreachable (only approached as
      weights grow without bound); a 0 needs ``z = c`` exactly, which is fine.
    * the sigmoid has the open range (0, 1): neither 0 nor 1 is reachable; targets such as 0.1/0.9
      are the meaningful version.
    * an all-zero item gives ``W·0 = 0``, so its target must equal ``φ(0)`` in every entry
      (1/2 for the plain sigmoid, ``−tanh(c)`` for ``tanh(z − c)``), whatever W is.

    Each of these raises ``ValueError`` with the reason.
    """
    act = get_activation(activation)
    X = as_training_set(X)
    if targets is None:
        T = X.astype(float)
    else:
        try:
            T = np.asarray(targets, dtype=float)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"targets must be an array of numbers ({exc})") from None
        if not np.all(np.isfinite(T)):
            raise ValueError("targets must be finite (found NaN or inf)")
    if T.shape != X.shape:
        raise ValueError(f"targets have shape {T.shape}, expected {X.shape} (one row per item)")
    phi0 = float(act(0.0))
    for row, t in zip(X, T, strict=True):
        if not row.any() and not np.allclose(t, phi0):
            raise ValueError(
                f"the zero item gives W·0 = 0 for every W, so its output is φ(0) = {phi0:g} "
                f"({act.label}); the target {t.tolist()} cannot be reproduced"
            )
    try:
        Z = act.inverse(T)
    except ValueError as exc:
        raise ValueError(
            f"φ(W x) = t has no finite solution W: {exc}. With 0/1 items use targets strictly "
            "inside the range (e.g. 0.9 for 1) - the exact equation only holds in a limit of "
            "unbounded weights"
        ) from exc
    return linear_family(X, invariant=invariant, targets=Z, names=names)


# --------------------------------------------------------------------------------------------
# Comparing, analysing and fitting families
# --------------------------------------------------------------------------------------------
def _covers(A: sp.Matrix, pa: Sequence[sp.Symbol], B: sp.Matrix, pb: Sequence[sp.Symbol]) -> bool:
    """True if every member of family B is a member of family A (A affine in ``pa``)."""
    qa = [sp.Dummy(f"a{k}") for k in range(len(pa))]
    qb = [sp.Dummy(f"b{k}") for k in range(len(pb))]
    Aq = A.subs(dict(zip(pa, qa, strict=True)), simultaneous=True)
    Bq = B.subs(dict(zip(pb, qb, strict=True)), simultaneous=True)
    equations = [sp.expand(e) for e in (Aq - Bq)]
    if not qa:
        return all(e == 0 for e in equations)
    # linsolve treats B's parameters as generic: a solution exists for *all* of them or none.
    return sp.linsolve(equations, qa) != sp.EmptySet


def same_family(
    W1: sp.Matrix, params1: Sequence[sp.Symbol], W2: sp.Matrix, params2: Sequence[sp.Symbol]
) -> bool:
    """Whether ``{W1(p)}`` and ``{W2(q)}`` are the same set of matrices (both affine in params).

    Decided symbolically: each member of one family must be reachable by a reparametrisation of the
    other, in both directions. Symbol names may clash; they are renamed internally.
    """
    for name, params in (("params1", params1), ("params2", params2)):
        if not all(isinstance(p, sp.Symbol) for p in params):
            raise TypeError(f"{name} must be sympy Symbols, got {list(params)!r}")
    for name, W in (("W1", W1), ("W2", W2)):
        if not isinstance(W, sp.MatrixBase):
            raise TypeError(f"{name} must be a sympy Matrix (strings are not evaluated), got {W!r}")
    W1, W2 = sp.Matrix(W1), sp.Matrix(W2)
    if W1.shape != W2.shape:
        return False
    return _covers(W1, params1, W2, params2) and _covers(W2, params2, W1, params1)


#: Most off-plane dimensions (N − rank X) plane_stability handles symbolically: the off-plane
#: block's characteristic polynomial must be solvable in radicals quickly (free parameters make
#: even a 3×3 block slow), and numerically exact blocks up to degree 4.
MAX_SYMBOLIC_OFF_PLANE = 2
MAX_NUMERIC_OFF_PLANE = 4


@dataclass(frozen=True)
class PlaneStability:
    """Spectrum off the plane span(X) and the condition for that plane to attract.

    ``eigenvalues``: eigenvalue → multiplicity of W on the quotient ``R^N / span(X)`` (the ones
    besides the ``rank X`` forced 1's); ``condition``: sympy boolean, all of them of modulus < 1.
    """

    eigenvalues: dict[sp.Expr, int]
    condition: sp.Basic


def plane_stability(family: SolutionFamily) -> PlaneStability:
    """Eigenvalues of a linear auto-associator family off span(X), and when span(X) attracts.

    W fixes span(X) pointwise, so in a basis ``[U | C]`` (U spans span(X), C completes it) W is
    block triangular ``[[I, *], [0, M]]``; ``W^n`` converges onto the plane for every start iff all
    eigenvalues of M have modulus < 1. Real eigenvalues λ give ``-1 < λ < 1``, others ``|λ| < 1``.
    """
    if family.targets is not None:
        raise ValueError("plane_stability needs a linear auto-associator family (targets z = x)")
    n = family.N
    U = sp.Matrix(family.X.tolist()).T.columnspace()
    off = n - len(U)
    limit = MAX_SYMBOLIC_OFF_PLANE if family.W.free_symbols else MAX_NUMERIC_OFF_PLANE
    if off > limit:
        raise ValueError(
            f"span(X) has {off} off-plane dimensions; plane_stability computes the off-plane "
            f"eigenvalues exactly for at most {limit} (a polynomial of degree > 4 has no formula "
            "in radicals): use numpy.linalg.eigvals on numeric members instead"
        )
    cols = list(U)
    for j in range(n):
        e = sp.eye(n)[:, j]
        if sp.Matrix.hstack(*cols, e).rank() > len(cols):
            cols.append(e)
    r = len(U)
    P = sp.Matrix.hstack(*cols)
    M = (P.inv() * family.W * P)[r:, r:]
    eigen: dict[sp.Expr, int] = {}
    for ev, mult in M.eigenvals().items():
        key = sp.simplify(ev)
        eigen[key] = eigen.get(key, 0) + int(mult)
    parts = [
        sp.And(ev > -1, ev < 1) if ev.is_real else sp.Abs(ev) < 1 for ev in eigen
    ]
    return PlaneStability(eigen, sp.And(*parts) if parts else sp.true)


@dataclass(frozen=True)
class Identification:
    """Best family member for a numeric W: ``params`` (name → value) and the Frobenius
    ``residual`` ``‖W − W(params)‖``; ``member`` is that best member (N×N)."""

    params: dict[str, float]
    residual: float
    member: NDArray[np.float64]


def identify(W: ArrayLike, family: SolutionFamily) -> Identification:
    """Least-squares parameters of a numeric N×N ``W`` in an affine ``family``.

    Writes ``vec W(p) = w_0 + D p`` and solves ``min_p ‖D p − (vec W − w_0)‖`` with numpy; a zero
    residual means W is a member (up to rounding of its printed digits).
    """
    W = _validate.finite_array(W, "W")
    if W.shape != (family.N, family.N):
        raise ValueError(f"W has shape {W.shape}, family is {family.N}×{family.N}")
    zero = dict.fromkeys(family.params, 0)
    w0 = np.array(family.W.subs(zero).evalf(), dtype=float).ravel()
    columns = []
    for p in family.params:
        D = family.W.diff(p)
        if D.free_symbols & set(family.params):
            raise ValueError(f"family is not affine in {p}; identify() needs an affine family")
        columns.append(np.array(D.evalf(), dtype=float).ravel())
    target = W.ravel() - w0
    if columns:
        A = np.column_stack(columns)
        coef, *_ = np.linalg.lstsq(A, target, rcond=None)
        fit = A @ coef
    else:
        coef, fit = np.zeros(0), np.zeros_like(target)
    member = (w0 + fit).reshape(W.shape)
    residual = float(np.linalg.norm(target - fit))
    return Identification({p.name: float(v) for p, v in zip(family.params, coef, strict=True)},
                          residual, member)


# --------------------------------------------------------------------------------------------
# The paper's printed formulas, verbatim
# --------------------------------------------------------------------------------------------
def paper_eq5() -> tuple[sp.Matrix, tuple[sp.Symbol, ...]]:
    """Eq. 5: the Σ_X-invariant structure for Σ_X = {e, (2 3)}, symbols a..e."""
    a, b, c, d, e = sp.symbols("a b c d e", real=True)
    return sp.Matrix([[a, b, b], [c, d, e], [c, e, d]]), (a, b, c, d, e)


def paper_eq6(which: str) -> SolutionFamily:
    """Eq. 6 as printed: ``W_{a,b}`` for ``which="X"``, ``W'_{a,b}`` for ``which="X'"``.

    Returned as a :class:`SolutionFamily` over the matching training set with ``invariant=True``
    (the paper's claim, to be checked).
    """
    a, b = sp.symbols("a b", real=True)
    if which == "X":
        W = sp.Matrix([[1 - a, a, a], [-b, 1 + b, b], [-b, b, 1 + b]])
        return SolutionFamily(W, (a, b), PAPER_X.copy(), True)
    if which in ("X'", "X_prime", "Xp"):
        W = sp.Matrix([[a, 0, 0], [b, 1, 0], [b, 0, 1]])
        return SolutionFamily(W, (a, b), PAPER_X_PRIME.copy(), True)
    raise ValueError(f"which must be 'X' or \"X'\", got {which!r}")


def paper_Wc(activation: str) -> tuple[sp.Matrix, sp.Symbol]:
    """The correction ``W_c`` of §3.2.1 exactly as printed, for ``"tanh"`` or ``"sigmoid"``.

    The paper's activations are ``tanh(z − c)`` and ``1/(1 + exp(−c z))``; returns the matrix and
    the symbol c. (The printed sigmoid matrix contains tanh terms; it is reproduced unchanged.)
    """
    c = sp.Symbol("c", real=True)
    th = sp.tanh
    if activation == "tanh":
        d = th(c) - th(1 + c) + 1
        W = sp.Matrix([[th(1 + c) - 1, 0, 0], [th(c), d, 0], [th(c), 0, d]])
    elif activation == "sigmoid":
        E = sp.exp(-c)
        W = sp.Matrix(
            [
                [-E / (1 + E), 0, 0],
                [sp.Rational(1, 2), th(c) - th(1 + c) + 1, 0],
                [sp.Rational(1, 2), 0, sp.Rational(1, 2) * (1 - E) / (1 + E) - 1],
            ]
        )
    else:
        raise ValueError(f"activation must be 'tanh' or 'sigmoid', got {activation!r}")
    return W, c
