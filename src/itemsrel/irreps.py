"""Irreducible representations of the groups of :mod:`itemsrel.groups`, and what they measure.

An :class:`Irrep` stores one matrix per group element, ``matrices[i] = ρ(g_i)`` (shape
``(order, d, d)``), with ``ρ(g_i·g_j) = ρ(g_i) ρ(g_j)`` for the product of :mod:`itemsrel.groups`
(sympy's ``p*q``: first p, then q). :func:`irreps` returns one representative of every
irreducible representation over ℂ:

* Z_n: the Fourier modes ``χ_k(r^a) = exp(2πi k a / n)``, ``k = 0 … n-1`` (named ``k=…``);
* D_n: the one-dimensional ``A1`` (trivial), ``A2`` (s ↦ −1) and, for even n, ``B1`` (r ↦ −1),
  ``B2`` (r, s ↦ −1); the two-dimensional ``E1 … E_{⌈n/2⌉−1}``, ``E_k``: r ↦ rotation by 2πk/n,
  s ↦ diag(1, −1). All are real orthogonal matrices.
* S_n: one irrep per partition λ of n (named ``[3,1]`` etc.) in Young's orthogonal form (real
  orthogonal matrices); ``[n]`` is trivial, ``[1,…,1]`` the sign, ``[n−1,1]`` the standard
  representation.

Networks have real weights, so the analysis uses **real irreps** (:func:`real_irreps`): a complex
irrep whose character is real is one already; a complex one is merged with its conjugate (for
Z_n, frequencies k and n−k make one real two-dimensional irrep, named by the smaller k). These
are the "basic self-conjugate representations" along which a word's 3-tensor decomposes.

The real functions on G (vectors of length n, one value per element) split into orthogonal
*isotypic components*, one per real irrep, with projectors
``P_ρ[i, j] = (d_ρ / |G|) · χ_ρ(g_i · g_j^{-1})`` (:func:`isotypic_projectors`; χ_ρ summed over
the conjugate pair). :func:`irrep_power` measures how much of a function (a column of embedding
weights, say) lies in each component; :func:`triplet_weights` does the same for a word's tensor
``T[x, y, z]`` along triplets (ρ_x, ρ_y, ρ_z) — the triplets with non-zero weight are the ones
the word's fusion rules allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate
from .groups import Group, check_group, word_table

__all__ = [
    "MAX_PARTITION_N",
    "MAX_TRIPLET_COST",
    "MAX_TRIPLET_ORDER",
    "Irrep",
    "RealIrrep",
    "allowed_triplets",
    "character_table",
    "irrep_power",
    "irreps",
    "isotypic_projectors",
    "partitions",
    "real_irreps",
    "triplet_weights",
    "young_orthogonal_generators",
]


#: Largest n whose partitions :func:`partitions` lists (p(30) = 5604; p(100) ≈ 2·10⁸).
MAX_PARTITION_N = 30
#: Limits of :func:`triplet_weights`: its cost grows like K²·order⁴ (K real irreps), a few
#: seconds for D_24 (order 48, K = 15); Z_48 (K = 25) or S_5 (order 120) would take minutes and
#: S_6 (720) days. Groups of order at most MAX_TRIPLET_ORDER and cost at most MAX_TRIPLET_COST.
MAX_TRIPLET_ORDER = 48
MAX_TRIPLET_COST = 1.25e9


@dataclass(frozen=True, eq=False)
class Irrep:
    """An irreducible representation over ℂ: ``matrices[i] = ρ(g_i)``, shape (order, d, d)."""

    name: str
    matrices: NDArray

    @property
    def dim(self) -> int:
        return int(self.matrices.shape[1])

    @property
    def character(self) -> NDArray[np.complex128]:
        """``χ(g_i) = tr ρ(g_i)``, shape (order,), complex."""
        return np.trace(self.matrices, axis1=1, axis2=2).astype(np.complex128)

    @property
    def is_real(self) -> bool:
        """True if the matrices are real (then the character is real, too)."""
        return not np.iscomplexobj(self.matrices) or bool(np.allclose(self.matrices.imag, 0))


@dataclass(frozen=True, eq=False)
class RealIrrep:
    """An irrep over ℝ: one complex irrep with real character, or a complex one plus its conjugate.

    ``character`` (order,) is the real sum of the components' characters; ``dim`` is the real
    dimension (``d`` for a real irrep, ``2d`` for a conjugate pair); ``complex_dim`` is ``d``.
    """

    name: str
    components: tuple[Irrep, ...]

    @property
    def complex_dim(self) -> int:
        return self.components[0].dim

    @property
    def dim(self) -> int:
        return self.complex_dim * len(self.components)

    @property
    def character(self) -> NDArray[np.float64]:
        return np.real(sum(c.character for c in self.components))

    @property
    def is_trivial(self) -> bool:
        return self.dim == 1 and bool(np.allclose(self.character, 1))


def _extend(group: Group, images: dict[int, NDArray]) -> NDArray:
    """ρ on every element from ρ on generators, by ρ(g·s) = ρ(g) ρ(s) along a breadth-first search.

    The generator images must satisfy the group's relations (the tests check the result is a
    homomorphism on the whole table).
    """
    first = next(iter(images.values()))
    d = first.shape[0]
    out = np.zeros((group.order, d, d), dtype=np.result_type(*images.values()))
    done = np.zeros(group.order, dtype=bool)
    out[group.identity] = np.eye(d)
    done[group.identity] = True
    frontier = [group.identity]
    while frontier:
        nxt = []
        for g in frontier:
            for s, M in images.items():
                h = int(group.table[g, s])
                if not done[h]:
                    out[h] = out[g] @ M
                    done[h] = True
                    nxt.append(h)
        frontier = nxt
    if not done.all():
        raise ValueError(f"the generators {list(images)} do not generate {group.name}")
    return out


def _cyclic_irreps(group: Group) -> list[Irrep]:
    n = group.order
    a = np.arange(n)
    return [Irrep(f"k={k}", np.exp(2j * np.pi * k * a / n).reshape(n, 1, 1)) for k in range(n)]


def _dihedral_irreps(group: Group) -> list[Irrep]:
    n = group.n
    r, s = group.generators
    one = np.ones((1, 1))
    reps = []
    signs = [("A1", 1, 1), ("A2", 1, -1)]
    if n % 2 == 0:
        signs += [("B1", -1, 1), ("B2", -1, -1)]
    for name, rv, sv in signs:
        images = {s: sv * one} if n == 1 else {r: rv * one, s: sv * one}
        reps.append(Irrep(name, _extend(group, images)))
    for k in range(1, (n + 1) // 2):
        t = 2 * np.pi * k / n
        rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
        reps.append(Irrep(f"E{k}", _extend(group, {r: rot, s: np.diag([1.0, -1.0])})))
    return reps


def partitions(n: int) -> list[tuple[int, ...]]:
    """Partitions of n in decreasing lexicographic order: ``[(4,), (3, 1), (2, 2), (2, 1, 1), …]``.

    ``0 <= n <= MAX_PARTITION_N``."""
    n = _validate.integer(n, "n", 0, MAX_PARTITION_N)

    def parts(m: int, largest: int) -> list[tuple[int, ...]]:
        if m == 0:
            return [()]
        return [(k, *rest) for k in range(min(m, largest), 0, -1) for rest in parts(m - k, k)]

    return parts(n, n)


def _standard_tableaux(shape: tuple[int, ...]) -> list[tuple[tuple[int, int], ...]]:
    """Standard Young tableaux of ``shape``; each as the (row, column) of the numbers 0 … n-1."""
    n = sum(shape)
    out: list[tuple[tuple[int, int], ...]] = []

    def fill(pos: list[tuple[int, int]], row_len: list[int]) -> None:
        if len(pos) == n:
            out.append(tuple(pos))
            return
        for r in range(len(shape)):
            c = row_len[r]
            if c < shape[r] and (r == 0 or row_len[r - 1] > c):
                row_len[r] += 1
                pos.append((r, c))
                fill(pos, row_len)
                pos.pop()
                row_len[r] -= 1

    fill([], [0] * len(shape))
    return out


def young_orthogonal_generators(shape: tuple[int, ...]) -> list[NDArray[np.float64]]:
    """Matrices of the adjacent transpositions (i i+1), i = 0 … n-2, in Young's orthogonal form.

    Basis: the standard tableaux of ``shape``. With axial distance
    ``a = (c_{i+1} − r_{i+1}) − (c_i − r_i)``, the transposition maps a tableau T to ``T/a`` plus
    ``sqrt(1 − 1/a²)`` times the tableau with i and i+1 swapped (if that one is standard).
    """
    try:
        shape = tuple(_validate.integer(k, "part", 1) for k in shape)
    except (TypeError, ValueError):
        raise ValueError(
            f"shape must be a partition: positive integer parts in non-increasing order, got {shape!r}"
        ) from None
    if not shape or any(a < b for a, b in pairwise(shape)):
        raise ValueError(
            f"shape must be a partition: positive integer parts in non-increasing order, got {shape!r}"
        )
    if sum(shape) > MAX_PARTITION_N:
        raise ValueError(f"shape has size {sum(shape)}; at most {MAX_PARTITION_N} is supported")
    tabs = _standard_tableaux(shape)
    index = {t: k for k, t in enumerate(tabs)}
    n, d = sum(shape), len(tabs)
    mats = []
    for i in range(n - 1):
        M = np.zeros((d, d))
        for k, t in enumerate(tabs):
            (ri, ci), (rj, cj) = t[i], t[i + 1]
            a = (cj - rj) - (ci - ri)
            M[k, k] = 1.0 / a
            swapped = list(t)
            swapped[i], swapped[i + 1] = t[i + 1], t[i]
            j = index.get(tuple(swapped))
            if j is not None:
                M[j, k] = np.sqrt(1.0 - 1.0 / a**2)
        mats.append(M)
    return mats


def _symmetric_irreps(group: Group) -> list[Irrep]:
    reps = []
    for lam in partitions(group.n):
        name = "[" + ",".join(map(str, lam)) + "]"
        if group.n == 1:
            reps.append(Irrep(name, np.ones((1, 1, 1))))
            continue
        gens = young_orthogonal_generators(lam)
        reps.append(Irrep(name, _extend(group, dict(zip(group.generators, gens, strict=True)))))
    return reps


@lru_cache(maxsize=32)
def _irreps_cached(group: Group) -> tuple[Irrep, ...]:
    if group.family == "cyclic":
        return tuple(_cyclic_irreps(group))
    if group.family == "dihedral":
        return tuple(_dihedral_irreps(group))
    if group.family == "symmetric":
        return tuple(_symmetric_irreps(group))
    raise ValueError(
        f"irreps are implemented for cyclic, dihedral and symmetric groups, not {group.name}"
    )


def irreps(group: Group) -> list[Irrep]:
    """All irreducible representations of ``group`` over ℂ (one per class), see the module doc."""
    check_group(group)
    return list(_irreps_cached(group))


def character_table(group: Group) -> tuple[list[str], list[list[int]], NDArray[np.complex128]]:
    """(irrep names, conjugacy classes, table) with ``table[a, c] = χ_a`` on class c."""
    check_group(group)
    reps = irreps(group)
    classes = group.conjugacy_classes
    table = np.array([[r.character[cls[0]] for cls in classes] for r in reps])
    return [r.name for r in reps], classes, table


@lru_cache(maxsize=32)
def _real_irreps_cached(group: Group) -> tuple[RealIrrep, ...]:
    reps = irreps(group)
    chars = [r.character for r in reps]
    used: set[int] = set()
    out = []
    for a, rep in enumerate(reps):
        if a in used:
            continue
        used.add(a)
        if np.allclose(chars[a].imag, 0, atol=1e-9):
            out.append(RealIrrep(rep.name, (rep,)))
            continue
        b = next(
            b for b in range(len(reps)) if b not in used and np.allclose(chars[b], chars[a].conj())
        )
        used.add(b)
        out.append(RealIrrep(rep.name, (rep, reps[b])))
    return tuple(out)


def real_irreps(group: Group) -> list[RealIrrep]:
    """The irreps over ℝ (conjugate pairs merged), in the order of :func:`irreps`."""
    check_group(group)
    return list(_real_irreps_cached(group))


@lru_cache(maxsize=32)
def _projectors_cached(group: Group) -> NDArray[np.float64]:
    n = group.order
    # g_i · g_j^{-1} for all i, j
    quotient = group.table[np.arange(n)[:, None], group.inverse[None, :]]
    P = np.stack([(r.complex_dim / n) * r.character[quotient] for r in real_irreps(group)])
    P.setflags(write=False)
    return P


def isotypic_projectors(group: Group) -> NDArray[np.float64]:
    """``P[ρ]`` (K, n, n): orthogonal projector of ℝ^n (functions on G) onto the ρ-component.

    ``P[ρ][i, j] = (d_ρ/|G|) χ_ρ(g_i g_j^{-1})``; the K projectors are symmetric, idempotent,
    mutually orthogonal and sum to the identity. ``P[ρ]`` has rank ``d_ρ · dim_ℝ ρ``.
    """
    check_group(group)
    return _projectors_cached(group)


def irrep_power(group: Group, F: ArrayLike, axis: int = 0) -> NDArray[np.float64]:
    """Squared norm of each isotypic component of functions on G.

    ``F`` has the group elements along ``axis`` (length n); the other axes index separate
    functions (e.g. neurons). Returns shape ``(K, *other axes)``: ``out[ρ, …] = |P_ρ f|²``, which
    sums over ρ to ``|f|²``.
    """
    check_group(group)
    F = _validate.finite_array(F, "F")
    if F.ndim == 0:
        raise ValueError("F must have the group elements along an axis, got a scalar")
    axis = _validate.integer(axis, "axis")
    if not -F.ndim <= axis < F.ndim:
        raise ValueError(f"axis {axis} is out of range for F with {F.ndim} dimension(s)")
    F = np.moveaxis(F, axis, 0)
    if F.shape[0] != group.order:
        raise ValueError(
            f"axis {axis} has length {F.shape[0]}, but {group.name} has order {group.order}"
        )
    P = isotypic_projectors(group)
    flat = F.reshape(group.order, -1)
    proj = np.einsum("kij,jm->kim", P, flat)
    # |P f|² = f·P f for an orthogonal projector
    power = np.einsum("im,kim->km", flat, proj)
    return np.maximum(power, 0.0).reshape((len(P), *F.shape[1:]))


def triplet_weights(group: Group, word: str) -> NDArray[np.float64]:
    """Share of the word tensor ``T[x, y, z] = [z = w(x, y)]`` in each real-irrep triplet.

    ``out[a, b, c] = |(P_a ⊗ P_b ⊗ P_c) T|² / |T|²``, shape (K, K, K); sums to 1. The triplets
    with non-zero share are those the word's fusion rules allow (for ``x*y`` only
    ``(ρ, ρ, ρ)``-type triplets survive). Cached per (group, word); the array is read-only.
    Groups of order at most :data:`MAX_TRIPLET_ORDER` (and cost K²·order⁴ at most
    :data:`MAX_TRIPLET_COST`); larger ones raise ``ValueError`` at once.
    """
    check_group(group)
    n = group.order
    cost = float(len(real_irreps(group))) ** 2 * float(n) ** 4 if n <= MAX_TRIPLET_ORDER else np.inf
    if cost > MAX_TRIPLET_COST:
        raise ValueError(
            f"triplet_weights({group.name}) is limited to groups of order at most "
            f"{MAX_TRIPLET_ORDER} with K²·order⁴ <= {MAX_TRIPLET_COST:.3g} (K real irreps): e.g. "
            f"D_24, Z_40, S_4; {group.name} has order {n}"
        )
    return _triplet_weights_cached(group, word)


@lru_cache(maxsize=64)
def _triplet_weights_cached(group: Group, word: str) -> NDArray[np.float64]:
    P = isotypic_projectors(group)
    n = group.order
    tab = word_table(group, word)  # (x, y) -> z
    # With T_c[z, x, y] = P_c[z, w(x, y)] (T projected along z; P symmetric idempotent):
    # |(P_a⊗P_b⊗P_c)T|² = Σ_z ‖P_a T_c[z] P_b‖² = Σ_z ⟨P_a T_c[z], T_c[z] P_b⟩. Memory K·n³.
    K = len(P)
    out = np.empty((K, K, K))
    P_rows = P.reshape(K * n, n)  # (a x, u)
    P_cols = P.transpose(1, 0, 2).reshape(n, K * n)  # (v, b y)
    for c in range(K):
        Tc = P[c][:, tab]  # (z, x, y)
        # left[a, x, z, y] = Σ_u P_a[x, u] Tc[z, u, y];  right[z, x, b, y] = Σ_v Tc[z, x, v] P_b[v, y]
        left = (P_rows @ Tc.transpose(1, 0, 2).reshape(n, n * n)).reshape(K, n, n, n)
        right = (Tc.reshape(n * n, n) @ P_cols).reshape(n, n, K, n)
        L = left.transpose(0, 2, 1, 3).reshape(K, -1)  # (a, z x y)
        R = right.transpose(2, 0, 1, 3).reshape(K, -1)  # (b, z x y)
        out[:, :, c] = np.einsum("ai,bi->ab", L, R)  # (plain einsum: BLAS threads stall here)
    out = np.maximum(out, 0.0) / (n * n)
    out.setflags(write=False)
    return out


def allowed_triplets(group: Group, word: str, tol: float = 1e-9) -> NDArray[np.bool_]:
    """Boolean (K, K, K): the real-irrep triplets (ρ_x, ρ_y, ρ_z) carrying part of the word."""
    check_group(group)
    tol = _validate.tolerance(tol, "tol")
    return triplet_weights(group, word) > tol
