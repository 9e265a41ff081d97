"""Symmetry of a training set: the group Σ_X, its orbits, and the Σ_X-invariant weight matrices.

Conventions (shared by the whole package):

* A training set ``X`` has shape ``(n_items, N)`` with 0/1 entries (see :mod:`itemsrel.patterns`).
* A permutation ``s`` of the indices ``0 … N-1`` acts on a pattern by ``(s·x)_i = x_{s(i)}``
  and on a weight matrix by ``(s·W)_ij = W_{s(i) s(j)}`` (the paper's eqs. 2–3).
* Indices are 0-based in code; :func:`cycle_notation` shows them 1-based, as readers expect:
  the swap of units 2 and 3 of a length-3 pattern is ``Permutation([0, 2, 1])`` in code and
  ``(2 3)`` on the page.

Σ_X is the set of all ``s`` with ``{s·x : x ∈ X} = X``. It is found by a backtracking search over
partial permutations that prunes on the multiset of item prefixes (a permutation can only be a
symmetry if, column by column, it maps X's columns onto columns with the same joint pattern), and
builds a strong generating set level by level, so it never enumerates the group itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sympy.combinatorics import Permutation, PermutationGroup

from . import _validate
from .patterns import MAX_N, all_patterns, as_training_set

__all__ = [
    "act",
    "act_on_matrix",
    "cycle_notation",
    "distance_to_invariant",
    "group_elements",
    "index_orbits",
    "invariant_basis",
    "invariant_projection",
    "is_invariant",
    "orbits",
    "pair_orbit_labels",
    "span_patterns",
    "symmetry_consistent_patterns",
    "symmetry_group",
]

PermLike = Permutation | Sequence[int] | NDArray[np.integer]

#: Largest N for which :func:`invariant_basis` enumerates the N² index pairs.
MAX_BASIS_N = 256
#: Largest group :func:`group_elements` lists (8! = 40320: S_8, the largest Σ_X of an ARC puzzle).
MAX_ELEMENTS = 40320


def _array_form(s: PermLike, n: int | None = None) -> NDArray[np.intp]:
    """0-based image list of a permutation, padded to length ``n`` for sympy's short forms."""
    if isinstance(s, Permutation):
        arr = list(s.array_form)
    else:
        try:
            arr = [int(v) for v in s]
            ok = all(float(v) == int(v) for v in s)
        except (TypeError, ValueError):
            ok = False
        if isinstance(s, str) or not ok:
            raise TypeError(
                f"a permutation must be a sympy Permutation or a sequence of 0-based integer "
                f"images, got {s!r}"
            )
    if n is not None and len(arr) < n:
        arr += list(range(len(arr), n))
    out = np.asarray(arr, dtype=np.intp)
    if sorted(out.tolist()) != list(range(len(out))):
        raise ValueError(f"not a permutation of 0..{len(out) - 1}: {out.tolist()}")
    return out


def _checked_form(s: PermLike, n: int, what: str) -> NDArray[np.intp]:
    idx = _array_form(s, n)
    if len(idx) > n:
        raise ValueError(
            f"the permutation moves {len(idx)} points but the {what} has length {n}: a permutation "
            f"of at most {n} points is allowed"
        )
    return idx


def act(s: PermLike, x: ArrayLike) -> NDArray:
    """Permute a pattern (or every row of an array of patterns): ``(s·x)_i = x_{s(i)}``."""
    x = np.asarray(x)
    if x.ndim == 0:
        raise ValueError("x must be a pattern (N,) or an array of patterns (..., N), got a scalar")
    return x[..., _checked_form(s, x.shape[-1], "pattern")]


def act_on_matrix(s: PermLike, W: ArrayLike) -> NDArray:
    """Permute a weight matrix (or a batch, shape ``(..., N, N)``): ``(s·W)_ij = W_{s(i)s(j)}``."""
    W = np.asarray(W)
    if W.ndim < 2 or W.shape[-1] != W.shape[-2]:
        raise ValueError(f"W must be square, shape (..., N, N); got shape {W.shape}")
    idx = _checked_form(s, W.shape[-1], "matrix")
    return W[..., idx[:, None], idx[None, :]]


def _identity_group(n: int) -> PermutationGroup:
    return PermutationGroup([Permutation(list(range(n)))])


def _prefix_signatures(X: NDArray[np.int8]) -> list[NDArray[np.int64]]:
    """For each depth j, the sorted codes of the items' first j+1 bits (the pruning invariant)."""
    codes = np.zeros(len(X), dtype=np.int64)
    out = []
    for j in range(X.shape[1]):
        codes = codes * 2 + X[:, j]
        out.append(np.sort(codes))
    return out


def _find_element(
    X: NDArray[np.int8], sigs: list[NDArray[np.int64]], level: int, image: int
) -> list[int] | None:
    """A symmetry fixing ``0..level-1`` pointwise and mapping ``level -> image``, or None."""
    n = X.shape[1]
    assign = [*range(level), image]
    used = set(assign)
    codes = np.zeros(len(X), dtype=np.int64)
    for j, col in enumerate(assign):
        codes = codes * 2 + X[:, col]
        if not np.array_equal(np.sort(codes), sigs[j]):
            return None

    def extend(depth: int, codes: NDArray[np.int64]) -> list[int] | None:
        if depth == n:
            return list(assign)
        for col in range(n):
            if col in used:
                continue
            new = codes * 2 + X[:, col]
            if np.array_equal(np.sort(new), sigs[depth]):
                assign.append(col)
                used.add(col)
                found = extend(depth + 1, new)
                if found is not None:
                    return found
                assign.pop()
                used.discard(col)
        return None

    return extend(level + 1, codes)


def symmetry_group(X: ArrayLike) -> PermutationGroup:
    """Σ_X: every permutation ``s`` of the N indices with ``{s·x : x ∈ X} = X``.

    Works for any ``N <= MAX_N`` (12); a larger ``N`` raises ``ValueError``. The result is a
    ``sympy.combinatorics.PermutationGroup`` of degree N (use ``.order()``, ``.elements``).
    """
    X = as_training_set(X, max_n=MAX_N)
    n = X.shape[1]
    sigs = _prefix_signatures(X)
    gens: list[Permutation] = []
    # Work down the stabiliser chain G_0 ⊇ G_1 ⊇ … where G_i fixes 0..i-1 pointwise. At level i,
    # every generator found so far (at levels ≥ i) lies in G_i; for each point b not yet in the
    # orbit of i under them, one search decides whether some element of G_i maps i to b.
    for level in range(n - 1, -1, -1):
        level_gens = list(gens)
        orbit = _orbit_of_point(level, level_gens, n)
        for b in range(level + 1, n):
            if b in orbit:
                continue
            found = _find_element(X, sigs, level, b)
            if found is not None:
                perm = Permutation(found)
                gens.append(perm)
                level_gens.append(perm)
                orbit = _orbit_of_point(level, level_gens, n)
    return PermutationGroup(gens) if gens else _identity_group(n)


def _orbit_of_point(p: int, gens: Sequence[Permutation], n: int) -> set[int]:
    orbit, frontier = {p}, [p]
    forms = [_array_form(g, n) for g in gens]
    while frontier:
        q = frontier.pop()
        for f in forms:
            r = int(f[q])
            if r not in orbit:
                orbit.add(r)
                frontier.append(r)
    return orbit


def _generators(group: PermutationGroup, n: int) -> list[NDArray[np.intp]]:
    return [_array_form(g, n) for g in group.generators]


def orbits(X: ArrayLike, group: PermutationGroup | None = None) -> list[list[tuple[int, ...]]]:
    """Partition of X into orbits under ``group`` (default Σ_X).

    Each orbit is a list of items as tuples, sorted; orbits are ordered by their first item.
    """
    X = as_training_set(X)
    group = symmetry_group(X) if group is None else group
    n = X.shape[1]
    _check_degree(group, n)
    items = [tuple(int(v) for v in row) for row in X]
    index = {item: k for k, item in enumerate(items)}
    parent = list(range(len(items)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for g in _generators(group, n):
        for k, item in enumerate(items):
            image = tuple(int(v) for v in np.asarray(item)[g])
            if image not in index:
                raise ValueError("group does not map the training set onto itself")
            a, b = find(k), find(index[image])
            if a != b:
                parent[a] = b
    classes: dict[int, list[tuple[int, ...]]] = {}
    for k, item in enumerate(items):
        classes.setdefault(find(k), []).append(item)
    return sorted((sorted(c) for c in classes.values()), key=lambda c: c[0])


def _check_degree(group: PermutationGroup, n: int) -> None:
    if not isinstance(group, PermutationGroup):
        raise TypeError(f"group must be a sympy PermutationGroup, got {type(group).__name__}")
    if group.degree > n:
        raise ValueError(
            f"the group acts on {group.degree} points but N = {n}: it must act on at most N points"
        )


def index_orbits(group: PermutationGroup, n: int) -> list[list[int]]:
    """Orbits of the unit indices ``0..n-1`` under ``group`` (each sorted, ordered by minimum)."""
    n = _validate.integer(n, "n", 1)
    _check_degree(group, n)
    return sorted(
        sorted(o)
        for o in _union_find_orbits(range(n), _generators(group, n), lambda g, i: int(g[i]))
    )


def _union_find_orbits(points: Iterable, gens: list[NDArray[np.intp]], image) -> list[list]:
    pts = list(points)
    idx = {p: k for k, p in enumerate(pts)}
    parent = list(range(len(pts)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for g in gens:
        for k, p in enumerate(pts):
            a, b = find(k), find(idx[image(g, p)])
            if a != b:
                parent[a] = b
    classes: dict[int, list] = {}
    for k, p in enumerate(pts):
        classes.setdefault(find(k), []).append(p)
    return list(classes.values())


def invariant_basis(group: PermutationGroup, N: int) -> list[NDArray[np.int8]]:
    """Basis of the N×N matrices with ``s·W = W`` for all ``s`` in ``group``.

    One 0/1 matrix per orbit of index pairs ``(i, j) ↦ (s(i), s(j))``, ordered by the orbit's first
    pair in row-major order. ``len(result)`` is the number of free parameters of a
    Σ-compatible network (5 for the paper's N = 3 examples, eq. 5).
    """
    N = _validate.integer(N, "N", 1, MAX_BASIS_N)
    _check_degree(group, N)
    pairs = [(i, j) for i in range(N) for j in range(N)]
    pair_orbits = _union_find_orbits(
        pairs, _generators(group, N), lambda g, p: (int(g[p[0]]), int(g[p[1]]))
    )
    basis = []
    for orbit in sorted(pair_orbits, key=min):
        B = np.zeros((N, N), dtype=np.int8)
        for i, j in orbit:
            B[i, j] = 1
        basis.append(B)
    return basis


def pair_orbit_labels(group: PermutationGroup, N: int) -> NDArray[np.int64]:
    """The numbered invariant structure of ``group``: an (N, N) matrix whose entry (i, j) is the
    number of the orbit of the index pair (i, j), 1-based for readers, in the order of
    :func:`invariant_basis` (entries with one number are equal in every invariant W)."""
    labels = np.zeros((N, N), dtype=np.int64)
    for k, B in enumerate(invariant_basis(group, N)):
        labels[B == 1] = k + 1
    return labels


def invariant_projection(W: ArrayLike, group: PermutationGroup) -> NDArray[np.float64]:
    """Orthogonal projection of W (shape ``(..., N, N)``) onto the invariant subspace.

    Equals the group average ``mean_s s·W``: each entry is replaced by its pair-orbit mean.
    """
    W = _check_weights(W)
    out = np.zeros_like(W)
    for B in invariant_basis(group, W.shape[-1]):
        mask = B.astype(bool)
        out[..., mask] = W[..., mask].mean(axis=-1, keepdims=True)
    return out


def _check_weights(W: ArrayLike) -> NDArray[np.float64]:
    W = _validate.finite_array(W, "W")
    if W.ndim < 2 or W.shape[-1] != W.shape[-2]:
        raise ValueError(f"W must be square, shape (..., N, N); got shape {W.shape}")
    return W


def distance_to_invariant(W: ArrayLike, group: PermutationGroup) -> NDArray[np.float64] | float:
    """Frobenius distance of W (or each matrix of a batch) to the Σ-invariant subspace."""
    W = _check_weights(W)
    d = np.linalg.norm(W - invariant_projection(W, group), axis=(-2, -1))
    return float(d) if np.ndim(d) == 0 else d


def is_invariant(W: ArrayLike, group: PermutationGroup, atol: float = 1e-8) -> bool:
    """True if ``max |s·W - W| <= atol`` for every generator ``s`` (hence for the whole group)."""
    W = _check_weights(W)
    atol = _validate.tolerance(atol, "atol")
    _check_degree(group, W.shape[-1])
    return all(
        np.max(np.abs(act_on_matrix(g, W) - W)) <= atol for g in _generators(group, W.shape[-1])
    )


def symmetry_consistent_patterns(X: ArrayLike) -> NDArray[np.int8]:
    """Binary patterns ``y ∉ X`` such that ``X ∪ {y}`` keeps (at least) the symmetry group of X.

    Because every ``s ∈ Σ_X`` maps X onto itself, ``s·y`` can only lie in ``X ∪ {y}`` if
    ``s·y = y``: these are exactly the patterns fixed by Σ_X, i.e. constant on each orbit of
    unit indices. They are what the *symmetry* alone allows a network to reproduce. Contrast
    :func:`span_patterns`, the binary patterns a *linear* auto-associator reproduces exactly; the
    two sets overlap but neither contains the other in general. Shape ``(n, N)``, sorted.
    """
    X = as_training_set(X)
    n = X.shape[1]
    gens = _generators(symmetry_group(X), n)
    cand = all_patterns(n)
    fixed = np.all([np.all(cand[:, g] == cand, axis=1) for g in gens], axis=0)
    return _exclude(cand[fixed], X)


def span_patterns(
    X: ArrayLike, include_training: bool = False, atol: float = 1e-9
) -> NDArray[np.int8]:
    """Binary patterns in the real linear span of X (excluding X's items unless asked).

    A linear network with ``W x = x`` on X reproduces every vector of span(X), so these are its
    exact generalisations. Shape ``(n, N)``, sorted lexicographically.
    """
    X = as_training_set(X)
    atol = _validate.tolerance(atol, "atol")
    n = X.shape[1]
    cand = all_patterns(n).astype(float)
    Xf = X.astype(float)
    coef, *_ = np.linalg.lstsq(Xf.T, cand.T, rcond=None)
    resid = np.abs(Xf.T @ coef - cand.T).max(axis=0)
    inside = all_patterns(n)[resid <= atol]
    return inside if include_training else _exclude(inside, X)


def _exclude(patterns: NDArray[np.int8], X: NDArray[np.int8]) -> NDArray[np.int8]:
    train = {tuple(r) for r in X.tolist()}
    keep = [k for k, r in enumerate(patterns.tolist()) if tuple(r) not in train]
    return patterns[keep].reshape(-1, X.shape[1])


def group_elements(group: PermutationGroup) -> list[Permutation]:
    """The group's elements, identity first, then by cycle notation (at most
    :data:`MAX_ELEMENTS`; a larger group raises ``ValueError`` at once)."""
    order = int(group.order())
    if order > MAX_ELEMENTS:
        raise ValueError(
            f"the group has {order} elements; group_elements lists at most {MAX_ELEMENTS} "
            "(work with its generators, group.generators, instead)"
        )
    n = group.degree
    gens = [tuple(_array_form(g, n).tolist()) for g in group.generators]
    start = tuple(range(n))
    seen, frontier = {start}, [start]
    while frontier:  # closure under the generators, on image tuples (fast)
        nxt = []
        for p in frontier:
            for g in gens:
                q = tuple(g[i] for i in p)
                if q not in seen:
                    seen.add(q)
                    nxt.append(q)
        frontier = nxt
    keyed = []
    for p in seen:
        name = cycle_notation(p)
        keyed.append((name != "e", len(name), name, p))
    keyed.sort()
    return [Permutation(list(p)) for *_, p in keyed]


def cycle_notation(s: PermLike, n: int | None = None) -> str:
    """1-based cycle notation for readers: ``(2 3)``, ``(1 2 3)(4 5)``; ``e`` for the identity."""
    arr = _array_form(s, n)
    seen: set[int] = set()
    cycles = []
    for start in range(len(arr)):
        if start in seen:
            continue
        cyc, k = [], start
        while k not in seen:
            seen.add(k)
            cyc.append(k + 1)
            k = int(arr[k])
        if len(cyc) > 1:
            cycles.append("(" + " ".join(map(str, cyc)) + ")")
    return "".join(cycles) if cycles else "e"
