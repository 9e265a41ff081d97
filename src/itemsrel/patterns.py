"""Training sets of binary patterns: validation and enumeration.

Conventions used throughout itemsrel:

* A training set ``X`` is a 2-D array of 0/1 of shape ``(n_items, N)``: one row per item,
  one column per unit (pattern index ``i`` = column ``i``, 0-based in code).
* Items in a set are distinct; the order of rows carries no meaning.
* Readers see patterns written as ``(1,0,1)`` or ``1/0/1`` and indices 1-based.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import product

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _validate

__all__ = [
    "MAX_N",
    "all_patterns",
    "as_pattern",
    "as_training_set",
    "cyclic_shifts",
    "disjoint_blocks",
    "format_pattern",
]

#: Largest pattern length the symmetry machinery accepts (2**MAX_N patterns are enumerated).
MAX_N = 12
#: Most entries a generated training set may have (:func:`disjoint_blocks`): bounded memory.
MAX_ENTRIES = 10**7


def as_training_set(
    X: ArrayLike | Iterable[Sequence[int]], *, max_n: int | None = MAX_N
) -> NDArray[np.int8]:
    """Validate ``X`` and return it as an ``int8`` array of shape ``(n_items, N)``.

    Raises ``ValueError`` naming the problem for ragged or non-2-D input, an empty set,
    ``N = 0``, values other than 0 and 1, duplicate items, or ``N > max_n`` (``max_n=None``: no
    limit; the limit exists for code that enumerates all 2^N patterns or searches S_N).
    """
    try:
        arr = np.asarray(X, dtype=float)
    except (ValueError, TypeError) as exc:  # ragged nested lists end up here
        raise ValueError(f"training set must be a rectangular 2-D array of 0/1 ({exc})") from exc
    if arr.dtype == object or arr.ndim != 2:
        raise ValueError(
            f"training set must be 2-D with shape (n_items, N); got an array with {arr.ndim} "
            f"dimension(s) and shape {arr.shape}"
        )
    n_items, n = arr.shape
    if n_items == 0:
        raise ValueError("training set is empty: it needs at least one pattern")
    if n == 0:
        raise ValueError("patterns have length N = 0: they need at least one unit")
    if max_n is not None and n > max_n:
        raise ValueError(f"pattern length N = {n} exceeds the supported limit N <= {max_n}")
    if not np.all(np.isfinite(arr)) or not np.all((arr == 0) | (arr == 1)):
        bad = arr[~((arr == 0) | (arr == 1))]
        raise ValueError(f"training set must be binary (0/1); found value(s) {np.unique(bad)[:5]}")
    X8 = arr.astype(np.int8)
    uniq, counts = np.unique(X8, axis=0, return_counts=True)
    if len(uniq) != n_items:
        dup = uniq[counts > 1][0]
        raise ValueError(f"training set has duplicate items, e.g. {format_pattern(dup)}")
    return X8


def as_pattern(x: ArrayLike, n: int | None = None) -> NDArray[np.int8]:
    """Validate a single binary pattern (shape ``(N,)``), optionally of length ``n``."""
    arr = np.asarray(x, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"a pattern must be a non-empty 1-D array; got shape {arr.shape}")
    if n is not None and arr.size != n:
        raise ValueError(f"pattern has length {arr.size}, expected N = {n}")
    if not np.all((arr == 0) | (arr == 1)):
        raise ValueError(f"a pattern must be binary (0/1); got {arr.tolist()}")
    return arr.astype(np.int8)


def all_patterns(n: int) -> NDArray[np.int8]:
    """All ``2**n`` binary patterns of length ``n``, shape ``(2**n, n)``, in lexicographic order."""
    n = _validate.integer(n, "pattern length n", 1)
    if n > MAX_N:
        raise ValueError(f"pattern length N = {n} exceeds the supported limit N <= {MAX_N}")
    return np.array(list(product((0, 1), repeat=n)), dtype=np.int8)


def format_pattern(x: ArrayLike, sep: str = ",") -> str:
    """Readable form of a pattern: ``(1,0,1)`` (with ``sep='/'``: ``1/0/1`` as in the paper's table)."""
    vals = [str(int(v)) if float(v).is_integer() else f"{float(v):.3g}" for v in np.ravel(x)]
    body = sep.join(vals)
    return body if sep == "/" else f"({body})"


def cyclic_shifts(base: ArrayLike) -> NDArray[np.int8]:
    """The distinct rotations of one pattern, shape ``(n_distinct, N)``: row k is ``base``
    rotated right by k places (``np.roll(base, k)``), duplicates (periodic bases) dropped.

    E.g. ``cyclic_shifts([1, 1, 0, 0, 0, 0])`` is the hexagon of adjacent pairs; its symmetry
    group is the dihedral group of order 12.
    """
    x = as_pattern(base)
    if not x.any():
        raise ValueError("the base pattern is all zeros: its rotations are a single pattern")
    rows: list[tuple[int, ...]] = []
    for k in range(len(x)):
        r = tuple(int(v) for v in np.roll(x, k))
        if r not in rows:
            rows.append(r)
    return np.array(rows, dtype=np.int8)


def disjoint_blocks(n_blocks: int, size: int) -> NDArray[np.int8]:
    """``n_blocks`` items of length ``n_blocks * size``; item k is 1 exactly on block k.

    Shape ``(n_blocks, n_blocks * size)``; e.g. ``disjoint_blocks(4, 2)`` is four disjoint pairs
    in N = 8 (symmetry group of order 2⁴·4! = 384).
    """
    n_blocks = _validate.integer(n_blocks, "n_blocks", 1)
    size = _validate.integer(size, "size", 1)
    if n_blocks * n_blocks * size > MAX_ENTRIES:
        raise ValueError(
            f"disjoint_blocks({n_blocks}, {size}) would have {n_blocks * n_blocks * size} entries; "
            f"at most {MAX_ENTRIES} are supported"
        )
    return np.kron(np.eye(n_blocks, dtype=np.int8), np.ones(size, dtype=np.int8))
