"""The network as a dynamical system: iterate ``x ← φ(W x)``, find its fixed points and basins.

* :func:`mesh` — starting states: the n×…×n grid on ``[low, high]^N`` for N ≤ 3 (the paper uses
  n = 5 on [0, 1]³: 125 points), seeded uniform random starts for N > 3. Shape (P, N).
* :func:`iterate` — trajectories, shape (steps + 1, P, N), vectorised over all starts.
* :func:`fixed_points` — isolated fixed points from ``scipy.optimize.root`` over many starts,
  de-duplicated, each with the eigenvalues of the Jacobian ``J = diag(φ'(W x)) W`` and a stability
  class. A linear network whose W has eigenvalue 1 has a *continuum* of fixed points; that is
  described by :func:`fixed_subspace` (dimension, orthonormal basis, off-plane eigenvalues), never
  as a cloud of points.
* :func:`fixed_sets` — all fixed points, isolated or not: for ReLU and clip (piecewise linear) a
  continuum of fixed points is returned as :class:`FixedPiece` objects (a point, an orthonormal
  basis of the directions along which it extends, the activation region, and for a segment its
  two ends), never as a cloud of points; :func:`fixed_points` refuses a continuum and names this.
* :func:`basins` — which fixed point (or the fixed subspace / piece) each start converges to.

A linear activation's gain g and shift c count: the map is ``x ↦ g (W x − c)``.

Sizes are bounded so every call answers in seconds with bounded memory: at most
:data:`MAX_STARTS` starting points (``mesh``, ``default_starts``, ``fixed_points``) and at most
:data:`MAX_TRAJECTORY` numbers in a trajectory (``iterate``).

Stability uses the moduli |λ| of the Jacobian's eigenvalues with a tolerance ``tol``:
``attracting`` (all < 1), ``repelling`` (all > 1), ``saddle`` (some above, some below, none ≈ 1),
``marginal`` (some ≈ 1: linearisation decides nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize

from . import _validate
from .activations import Activation, get_activation

__all__ = [
    "MAX_STARTS",
    "MAX_TRAJECTORY",
    "Basins",
    "FixedPiece",
    "FixedPoint",
    "FixedSets",
    "FixedSubspace",
    "basins",
    "classify",
    "default_starts",
    "fixed_points",
    "fixed_sets",
    "fixed_subspace",
    "iterate",
    "jacobian",
    "mesh",
]

Stability = Literal["attracting", "saddle", "repelling", "marginal"]

#: Most starting points one call accepts or makes (mesh points, default starts, root searches).
MAX_STARTS = 10**6
#: Most numbers one trajectory array of :func:`iterate` may hold, (steps + 1)·P·N (400 MB).
MAX_TRAJECTORY = 5 * 10**7


@dataclass(frozen=True)
class FixedPoint:
    """An isolated fixed point ``x = φ(W x)``: ``x`` (N,), Jacobian ``eigenvalues`` (N,, complex
    sorted by decreasing modulus) and its ``stability``."""

    x: NDArray[np.float64]
    eigenvalues: NDArray[np.complex128]
    stability: Stability


@dataclass(frozen=True)
class FixedSubspace:
    """The fixed points of a linear network x ↦ g (W x − c): an affine subspace.

    With gain g = 1 and shift c = 0 (the paper's linear network) it is the eigenspace of W for
    eigenvalue 1. ``basis`` (N, d) is orthonormal; ``offset`` (N,) is a point of it (``None``:
    the origin); ``other_eigenvalues`` are the remaining eigenvalues of g·W; the subspace
    attracts every start iff all of them have modulus < 1 (``attracting``).
    """

    dimension: int
    basis: NDArray[np.float64]
    other_eigenvalues: NDArray[np.complex128]
    attracting: bool
    offset: NDArray[np.float64] | None = None

    def contains(self, x: ArrayLike, atol: float = 1e-6) -> NDArray[np.bool_]:
        """Whether each point (…, N) lies in the subspace (distance ≤ atol)."""
        atol = _validate.tolerance(atol, "atol")
        x = np.asarray(x, dtype=float)
        if self.offset is not None:
            x = x - self.offset
        proj = x @ self.basis @ self.basis.T
        return np.linalg.norm(x - proj, axis=-1) <= atol


@dataclass(frozen=True)
class FixedPiece:
    """A continuum of fixed points of a piecewise-linear network (ReLU, clip) in one region.

    Every point ``point + basis @ t`` that stays in the closed activation ``region`` is fixed.
    ``region`` has one letter per unit: ``0`` (unit off: φ = 0), ``+`` (linear part), ``1``
    (clip saturated at 1). ``basis`` (N, d) is orthonormal, ``dimension`` = d ≥ 1. For d = 1,
    ``endpoints`` (2, N) are the two ends of the segment (entries ±inf for a ray).
    """

    point: NDArray[np.float64]
    basis: NDArray[np.float64]
    region: str
    endpoints: NDArray[np.float64] | None
    _lower: NDArray[np.float64] = field(repr=False)  # closed region: lower ≤ g (W x − c) ≤ upper
    _upper: NDArray[np.float64] = field(repr=False)
    _A: NDArray[np.float64] = field(repr=False)  # g·W
    _b: NDArray[np.float64] = field(repr=False)  # g·c

    @property
    def dimension(self) -> int:
        return int(self.basis.shape[1])

    def _interval(self, p: NDArray[np.float64], v: NDArray[np.float64]) -> tuple[float, float]:
        """Range of t with ``p + t v`` inside the closed region."""
        a0, b = self._A @ p - self._b, self._A @ v
        lo, hi = -np.inf, np.inf
        with np.errstate(divide="ignore", invalid="ignore"):
            for bound, upper in ((self._lower, False), (self._upper, True)):
                fin = np.isfinite(bound)
                moving = fin & (np.abs(b) > 1e-12)
                t = (bound - a0) / b
                # upper: a0 + t b <= bound; lower: a0 + t b >= bound
                pos = moving & ((b > 0) == upper)
                neg = moving & ((b > 0) != upper)
                if pos.any():
                    hi = min(hi, float(t[pos].min()))
                if neg.any():
                    lo = max(lo, float(t[neg].max()))
        return lo, hi

    def contains(self, x: ArrayLike, atol: float = 1e-6) -> NDArray[np.bool_]:
        """Whether each point (…, N) lies on the piece (distance ≤ atol to its affine hull, and
        inside the closed region up to atol)."""
        atol = _validate.tolerance(atol, "atol")
        x = np.asarray(x, dtype=float)
        d = x - self.point
        off = np.linalg.norm(d - d @ self.basis @ self.basis.T, axis=-1)
        a = x @ self._A.T - self._b
        inside = np.all((a >= self._lower - atol) & (a <= self._upper + atol), axis=-1)
        return (off <= atol) & inside

    def sample(self, k: int, seed: int = 0) -> NDArray[np.float64]:
        """``k`` seeded points of the piece (within distance 1 of ``point``), shape (k, N)."""
        k = _validate.integer(k, "k", 1, MAX_STARTS)
        rng = np.random.default_rng(seed)
        out = [self.point]
        while len(out) < k:
            u = self.basis @ rng.normal(size=self.dimension)
            u /= np.linalg.norm(u)
            lo, hi = self._interval(self.point, u)
            lo, hi = max(lo, -1.0), min(hi, 1.0)
            out.append(self.point + rng.uniform(lo, hi) * u if hi > lo else self.point)
        return np.array(out)


@dataclass(frozen=True)
class FixedSets:
    """All fixed points found: isolated ``points`` and continua ``pieces`` (piecewise-linear
    activations; for a linear network with a continuum, ``subspace``)."""

    points: list[FixedPoint]
    pieces: list[FixedPiece]
    subspace: FixedSubspace | None = None


@dataclass(frozen=True)
class Basins:
    """Where each start ends: ``labels`` (P,) index into ``names`` (−1: not converged),
    ``endpoints`` (P, N) after the iteration, and the fixed points / subspace used as targets."""

    labels: NDArray[np.int64]
    endpoints: NDArray[np.float64]
    names: list[str]
    fixed_points: list[FixedPoint]
    subspace: FixedSubspace | None
    pieces: list[FixedPiece] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Number of starts per target (and ``"not converged"``)."""
        out = {name: int(np.sum(self.labels == k)) for k, name in enumerate(self.names)}
        out["not converged"] = int(np.sum(self.labels < 0))
        return out


def _check_W(W: ArrayLike) -> NDArray[np.float64]:
    try:
        W = np.asarray(W, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"W must be a square N×N array of numbers ({exc})") from None
    if W.ndim != 2 or W.shape[0] != W.shape[1] or W.shape[0] == 0:
        raise ValueError(f"W must be a square N×N matrix, got shape {W.shape}")
    if not np.all(np.isfinite(W)):
        raise ValueError("W has non-finite entries (a diverged network?)")
    return W


def _check_points(x: ArrayLike, N: int, name: str) -> NDArray[np.float64]:
    """Points as a finite (P, N) array."""
    arr = _validate.finite_array(x, name)
    arr = np.atleast_2d(arr)
    if arr.ndim != 2 or arr.shape[-1] != N:
        raise ValueError(
            f"{name} must have shape (P, {N}) or ({N},) for this {N}×{N} W; got length "
            f"{arr.shape[-1] if arr.ndim else 0} (shape {np.shape(x)})"
        )
    if len(arr) > MAX_STARTS:
        raise ValueError(f"{name} has {len(arr)} points; at most {MAX_STARTS} are supported")
    return arr


def _is_linear(phi: Activation) -> bool:
    return phi.name == "linear"


def mesh(
    n: int = 5, low: float = 0.0, high: float = 1.0, N: int = 3, seed: int = 0
) -> NDArray[np.float64]:
    """Starting states: the regular grid with n points per axis for N ≤ 3, else n³ random points.

    At most :data:`MAX_STARTS` points (n^min(N, 3) ≤ 10⁶); more raises ``ValueError`` at once."""
    n = _validate.integer(n, "n", 1)
    N = _validate.integer(N, "N", 1)
    if not (np.isfinite(low) and np.isfinite(high) and high > low):
        raise ValueError(f"need finite low < high, got [{low}, {high}]")
    points = n ** min(N, 3)
    if points > MAX_STARTS or points * N > MAX_TRAJECTORY:
        raise ValueError(
            f"mesh(n={n}, N={N}) would have {points} points of length {N}; at most "
            f"{MAX_STARTS} points are supported (n <= {round(MAX_STARTS ** (1 / min(N, 3)))})"
        )
    if N <= 3:
        axis = np.linspace(low, high, n)
        grids = np.meshgrid(*([axis] * N), indexing="ij")
        return np.stack([g.ravel() for g in grids], axis=1)
    return np.random.default_rng(seed).uniform(low, high, (n**3, N))


def iterate(
    W: ArrayLike, x0: ArrayLike, activation: str | Activation = "linear", steps: int = 25
) -> NDArray[np.float64]:
    """Trajectories of ``x ← φ(W x)`` from each start: shape (steps + 1, P, N); index 0 is x0."""
    W = _check_W(W)
    phi = get_activation(activation)
    x = _check_points(x0, W.shape[0], "x0")
    steps = _validate.integer(steps, "steps", 0)
    if (steps + 1) * x.size > MAX_TRAJECTORY:
        raise ValueError(
            f"{steps} steps from {len(x)} starts would store {(steps + 1) * x.size} numbers; at "
            f"most {MAX_TRAJECTORY} are supported (fewer steps or starts)"
        )
    out = np.empty((steps + 1, *x.shape))
    out[0] = x
    for n in range(steps):
        with np.errstate(over="ignore", invalid="ignore"):
            out[n + 1] = phi(out[n] @ W.T)
    return out


def jacobian(W: ArrayLike, activation: str | Activation, x: ArrayLike) -> NDArray[np.float64]:
    """Jacobian of x ↦ φ(W x) at x: ``diag(φ'(W x)) W``, shape (N, N)."""
    W = _check_W(W)
    phi = get_activation(activation)
    x = _validate.finite_array(x, "x")
    if x.shape != (W.shape[0],):
        raise ValueError(f"x must have length {W.shape[0]} (shape ({W.shape[0]},)), got shape {x.shape}")
    return phi.derivative(W @ x)[:, None] * W


def classify(eigenvalues: ArrayLike, tol: float = 1e-6) -> Stability:
    """Stability class from Jacobian eigenvalues (see module docstring)."""
    tol = _validate.tolerance(tol, "tol")
    try:
        ev = np.asarray(eigenvalues, dtype=complex).ravel()
    except (TypeError, ValueError):
        raise TypeError(f"eigenvalues must be numbers, got {eigenvalues!r}") from None
    if ev.size == 0:
        raise ValueError("eigenvalues must hold at least one value")
    if not np.all(np.isfinite(ev)):
        raise ValueError(f"eigenvalues must be finite, got {ev.tolist()}")
    mod = np.abs(ev)
    if np.any(np.abs(mod - 1.0) <= tol):
        return "marginal"
    if np.all(mod < 1.0):
        return "attracting"
    if np.all(mod > 1.0):
        return "repelling"
    return "saddle"


def fixed_subspace(
    W: ArrayLike, activation: str | Activation = "linear", tol: float = 1e-6
) -> FixedSubspace:
    """The fixed points of a linear network ``x ↦ g (W x − c)``: the affine subspace solving
    ``(g W − I) x = g c 1`` (for g = 1, c = 0 the eigenspace of W for eigenvalue 1).

    Raises ``ValueError`` for non-linear activations and when there is no fixed point at all."""
    W = _check_W(W)
    phi = get_activation(activation)
    tol = _validate.tolerance(tol, "tol")
    if not _is_linear(phi):
        raise ValueError(
            "fixed_subspace describes linear networks; use fixed_points for φ = " + phi.label
        )
    N = W.shape[0]
    A = phi.gain * W
    _, s, vt = np.linalg.svd(A - np.eye(N))
    null = vt[s <= tol * max(1.0, s.max(initial=0.0))].T  # (N, d)
    d = null.shape[1]
    offset = None
    if phi.shift:
        rhs = np.full(N, phi.gain * phi.shift)
        offset, *_ = np.linalg.lstsq(A - np.eye(N), rhs, rcond=None)
        if np.max(np.abs((A - np.eye(N)) @ offset - rhs)) > 1e-8 * max(1.0, np.abs(rhs).max()):
            raise ValueError(
                f"the linear network x ↦ {phi.label} with this W has no fixed point "
                "(g W − I is singular and g c 1 is not in its range)"
            )
        offset = offset - null @ (null.T @ offset)
    eig = np.linalg.eigvals(A)
    # remove d eigenvalues closest to 1
    order = np.argsort(np.abs(eig - 1.0))
    others = np.sort_complex(eig[order[d:]])[::-1]
    return FixedSubspace(d, null, others, bool(np.all(np.abs(others) < 1.0 - 1e-12)), offset)


def _dedupe(points: list[NDArray[np.float64]], atol: float) -> list[NDArray[np.float64]]:
    kept: list[NDArray[np.float64]] = []
    for p in points:
        if all(np.max(np.abs(p - q)) > atol for q in kept):
            kept.append(p)
    return kept


def default_starts(
    W: ArrayLike,
    activation: str | Activation,
    *,
    n_grid: int = 5,
    n_random: int = 64,
    seed: int = 0,
) -> NDArray[np.float64]:
    """Starting points for :func:`fixed_points`, shape (P, N): the ``n_grid``-point grid on
    [−1.5, 1.5]^N (N ≤ 3; ``n_grid``³ random points beyond), where 200 iterations from the 3^N grid
    on [0, 1]^N end (duplicates removed), and ``n_random`` seeded uniform points in [−1.5, 1.5]^N.
    The defaults are thorough; the live widgets use ``n_grid=3, n_random=16``."""
    W = _check_W(W)
    phi = get_activation(activation)
    N = W.shape[0]
    n_random = _validate.integer(n_random, "n_random", 0, MAX_STARTS)
    n_grid = _validate.integer(n_grid, "n_grid", 1)
    grid = mesh(n_grid, -1.5, 1.5, N) if N <= 3 else mesh(n_grid, -1.5, 1.5, N, seed)
    ends = iterate(W, mesh(3, 0.0, 1.0, N, seed), phi, 200)[-1]
    ends = np.unique(np.round(ends[np.all(np.isfinite(ends), axis=1)], 9), axis=0)
    rnd = np.random.default_rng(seed).uniform(-1.5, 1.5, (n_random, N))
    return np.vstack([grid, ends, rnd])


def _roots(
    W: NDArray[np.float64], phi: Activation, starts: NDArray[np.float64], tol: float
) -> list[NDArray[np.float64]]:
    """Roots of φ(W x) − x from each start (hybrid Powell, polished by Newton steps)."""
    N = W.shape[0]

    def F(x: NDArray[np.float64]) -> NDArray[np.float64]:
        return phi(W @ x) - x

    def J(x: NDArray[np.float64]) -> NDArray[np.float64]:
        return jacobian(W, phi, x) - np.eye(N)

    found = []
    for x0 in starts:
        sol = optimize.root(F, x0, jac=J, method="hybr", tol=tol * 1e-2)
        if np.all(np.isfinite(sol.x)) and np.max(np.abs(F(sol.x))) <= tol:
            # polish: a Newton step or two on the analytic Jacobian
            x = sol.x
            for _ in range(3):
                try:
                    x = x - np.linalg.solve(J(x), F(x))
                except np.linalg.LinAlgError:
                    break
            good = np.all(np.isfinite(x)) and np.max(np.abs(F(x))) <= np.max(np.abs(F(sol.x)))
            found.append(x if good else sol.x)
    return found


def _region_bounds(
    phi: Activation, a: NDArray[np.float64], eps: float
) -> tuple[str, NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Activation region of the pre-activations ``a = g (W x − c)`` of a ReLU / clip network:
    (letters, closed bounds lower ≤ a ≤ upper, slope D (1 on the linear part), constant e)."""
    N = len(a)
    lower, upper = np.full(N, -np.inf), np.full(N, np.inf)
    D, e = np.zeros(N), np.zeros(N)
    letters = []
    for i, ai in enumerate(a):
        if ai <= eps:
            letters.append("0")
            upper[i] = 0.0
        elif phi.name == "clip" and ai >= 1.0 - eps:
            letters.append("1")
            lower[i], e[i] = 1.0, 1.0
        else:
            letters.append("+")
            lower[i], D[i] = 0.0, 1.0
            if phi.name == "clip":
                upper[i] = 1.0
    return "".join(letters), lower, upper, D, e


def _piece_at(
    W: NDArray[np.float64], phi: Activation, x: NDArray[np.float64]
) -> FixedPiece | None:
    """The continuum of fixed points through the fixed point x (ReLU / clip), or None if x is
    isolated in its region."""
    N = W.shape[0]
    A, b = phi.gain * W, np.full(N, phi.gain * phi.shift)
    region, lower, upper, D, _ = _region_bounds(phi, A @ x - b, 1e-9)
    M = np.eye(N) - D[:, None] * A
    _, sv, vt = np.linalg.svd(M)
    V = vt[sv <= 1e-9 * max(1.0, sv.max(initial=0.0))].T
    if V.shape[1] == 0:
        return None
    piece = FixedPiece(x, V, region, None, lower, upper, A, b)
    # a continuum only if the region lets x move along some direction of V
    moves = []
    for k in range(V.shape[1]):
        lo, hi = piece._interval(x, V[:, k])
        moves.append(hi - lo > 1e-9)
    if not any(moves):
        return None
    if V.shape[1] == 1:
        lo, hi = piece._interval(x, V[:, 0])
        v = V[:, 0]
        with np.errstate(invalid="ignore"):
            ends = np.array([np.where(np.abs(v) < 1e-15, x, x + t * v) for t in (lo, hi)])
        piece = FixedPiece(x, V, region, ends, lower, upper, A, b)
    return piece


def _covered(piece: FixedPiece, by: FixedPiece, atol: float) -> bool:
    """Whether ``piece`` lies in the closure of ``by`` (same affine hull, inside its region)."""
    if piece.dimension > by.dimension:
        return False
    proj = by.basis @ (by.basis.T @ piece.basis)
    if np.max(np.abs(proj - piece.basis), initial=0.0) > 1e-6:
        return False
    pts = piece.sample(4)
    return bool(np.all(by.contains(pts, atol)))


def _as_starts(
    W: NDArray[np.float64], phi: Activation, starts: ArrayLike | None, seed: int
) -> NDArray[np.float64]:
    if starts is None:
        return default_starts(W, phi, seed=seed)
    return _check_points(starts, W.shape[0], "starts")


def fixed_sets(
    W: ArrayLike,
    activation: str | Activation,
    starts: ArrayLike | None = None,
    *,
    tol: float = 1e-10,
    dedupe_atol: float = 1e-6,
    stability_tol: float = 1e-6,
    seed: int = 0,
) -> FixedSets:
    """Every fixed point of ``x ↦ φ(W x)`` found from ``starts``: isolated points and continua.

    * linear φ (any gain and shift): one point, or the affine ``subspace`` of fixed points;
    * ReLU and clip (piecewise linear): in an activation region the map is affine, so the fixed
      points there are a point or a continuum (a segment, a piece of a plane, …). Each continuum
      is one :class:`FixedPiece`; isolated points lying on a piece are not repeated;
    * tanh and sigmoid: isolated points (as :func:`fixed_points`).

    Arguments as in :func:`fixed_points`.
    """
    W = _check_W(W)
    phi = get_activation(activation)
    tol = _validate.tolerance(tol, "tol")
    dedupe_atol = _validate.tolerance(dedupe_atol, "dedupe_atol")
    stability_tol = _validate.tolerance(stability_tol, "stability_tol")
    if _is_linear(phi):
        try:
            sub = fixed_subspace(W, phi)
        except ValueError as exc:
            if "no fixed point" in str(exc):
                return FixedSets([], [])
            raise
        if sub.dimension > 0:
            return FixedSets([], [], sub)
        x = np.zeros(W.shape[0]) if sub.offset is None else sub.offset
        eig = np.linalg.eigvals(jacobian(W, phi, x))
        return FixedSets([FixedPoint(x, _sorted_eig(eig), classify(eig, stability_tol))], [])
    start_arr = _as_starts(W, phi, starts, seed)
    found = _roots(W, phi, start_arr, tol)
    pieces: list[FixedPiece] = []
    isolated: list[NDArray[np.float64]] = []
    if phi.name in ("relu", "clip"):
        for x in found:
            piece = _piece_at(W, phi, x)
            if piece is None:
                isolated.append(x)
            elif not any(_covered(piece, q, dedupe_atol) for q in pieces):
                pieces = [q for q in pieces if not _covered(q, piece, dedupe_atol)] + [piece]
        pieces.sort(key=lambda q: (-q.dimension, tuple(np.round(q.point, 6))))
        isolated = [x for x in isolated if not any(q.contains(x, dedupe_atol) for q in pieces)]
    else:
        isolated = found
    points = sorted(_dedupe(isolated, dedupe_atol), key=lambda p: tuple(np.round(p, 6)))
    out = []
    for x in points:
        eig = np.linalg.eigvals(jacobian(W, phi, x))
        out.append(FixedPoint(x, _sorted_eig(eig), classify(eig, stability_tol)))
    return FixedSets(out, pieces)


def fixed_points(
    W: ArrayLike,
    activation: str | Activation,
    starts: ArrayLike | None = None,
    *,
    tol: float = 1e-10,
    dedupe_atol: float = 1e-6,
    stability_tol: float = 1e-6,
    seed: int = 0,
) -> list[FixedPoint]:
    """Isolated fixed points of ``x ↦ φ(W x)``, sorted lexicographically by x.

    Roots of ``φ(W x) − x`` are sought with ``scipy.optimize.root`` (hybrid Powell, analytic
    Jacobian) from ``starts`` (default :func:`default_starts`: the grid on [−1.5, 1.5]^N, where
    the iteration from [0, 1]^N ends, and 64 seeded random points). A continuum of fixed points
    raises ``ValueError``: a linear network's (any gain and shift) is described by
    :func:`fixed_subspace`, a ReLU or clip network's by :func:`fixed_sets`.
    """
    sets = fixed_sets(
        W, activation, starts, tol=tol, dedupe_atol=dedupe_atol,
        stability_tol=stability_tol, seed=seed,
    )
    if sets.subspace is not None:
        raise ValueError(
            f"this linear network has a {sets.subspace.dimension}-dimensional subspace of fixed "
            "points; describe it with fixed_subspace(W, activation)"
        )
    if sets.pieces:
        q = sets.pieces[0]
        raise ValueError(
            f"this {get_activation(activation).label} network has a continuum of fixed points "
            f"(a {q.dimension}-dimensional piece through {np.round(q.point, 4).tolist()}, "
            f"region {q.region}; {len(sets.pieces)} piece(s) in all): fixed_sets(W, activation) "
            "describes it"
        )
    return sets.points


def _sorted_eig(eig: NDArray) -> NDArray[np.complex128]:
    eig = np.asarray(eig, dtype=complex)
    eig = np.where(np.abs(eig.imag) < 1e-12, eig.real + 0j, eig)
    return eig[np.lexsort((-eig.real, -np.abs(eig)))]


def basins(
    W: ArrayLike,
    activation: str | Activation,
    x0: ArrayLike,
    *,
    steps: int = 500,
    atol: float = 1e-4,
    points: list[FixedPoint] | None = None,
) -> Basins:
    """Label each start by the fixed point (or, for linear networks, the fixed subspace; for
    ReLU and clip, a continuum piece) that ``steps`` iterations bring it to within ``atol``; −1
    if none (not converged or diverged)."""
    W = _check_W(W)
    phi = get_activation(activation)
    atol = _validate.tolerance(atol, "atol")
    ends = iterate(W, x0, phi, steps)[-1]
    labels = np.full(len(ends), -1, dtype=np.int64)
    finite = np.all(np.isfinite(ends), axis=1)
    safe = np.where(finite[:, None], ends, 0.0)
    with np.errstate(over="ignore", invalid="ignore"):
        still = finite & (np.max(np.abs(phi(safe @ W.T) - safe), axis=1) <= atol)
    sets = fixed_sets(W, phi) if points is None or _is_linear(phi) else None
    if sets is not None and sets.subspace is not None:
        subspace = sets.subspace
        labels[still & subspace.contains(safe, atol)] = 0
        return Basins(labels, ends, [f"fixed subspace (dim {subspace.dimension})"], [], subspace)
    pieces: list[FixedPiece] = []
    if points is None and sets is not None:
        fps, pieces = sets.points, sets.pieces
    else:
        fps = points
    for k, fp in enumerate(fps):
        hit = np.max(np.abs(ends - fp.x), axis=1) <= atol
        labels[hit & (labels < 0)] = k
    for j, piece in enumerate(pieces):
        labels[still & piece.contains(safe, atol) & (labels < 0)] = len(fps) + j
    names = ["(" + ", ".join(f"{v:.3f}" for v in fp.x) + ")" for fp in fps]
    names += [
        f"continuum (dim {q.dimension}, region {q.region}) through "
        + "(" + ", ".join(f"{v:.3f}" for v in q.point) + ")"
        for q in pieces
    ]
    return Basins(labels, ends, names, fps, None, pieces)
