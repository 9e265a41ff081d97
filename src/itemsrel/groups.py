"""Finite groups as multiplication tables, and two-letter words evaluated on them.

A :class:`Group` of order n numbers its elements ``g_0 … g_{n-1}`` (``g_0`` is always the identity)
and stores its multiplication as an ``(n, n)`` integer table. Every group here is realised by
permutations (``sympy.combinatorics``), which fixes the product:

* **Product convention.** ``g·h`` is sympy's ``g*h``: *apply g first, then h*, i.e.
  ``(g·h)(i) = h(g(i))``. ``table[i, j]`` is the index of ``g_i·g_j``.
* With this product the main paper's action on patterns, ``(s·x)_i = x_{s(i)}``
  (:func:`itemsrel.symmetry.act`), respects multiplication: ``s·(t·x) = (s·t)·x``. So the matrix
  ``P(s)`` with ``(P(s) x)_i = x_{s(i)}`` is a representation, ``P(s·t) = P(s) P(t)``.
* Indices are 0-based in code; :func:`itemsrel.symmetry.cycle_notation` writes a permutation
  1-based on the page.

Constructors and element names:

* :func:`cyclic` ``(n)`` — Z_n, the rotations of n points. ``g_k = r^k`` with ``r = (1 2 … n)``;
  names ``e, r, r^2, …``; ``table[i, j] = (i + j) mod n``.
* :func:`dihedral` ``(n)`` — D_n, the 2n symmetries of a regular n-gon (order 2n). ``g_k = r^k``
  for ``k < n`` and ``g_{n+k} = s·r^k`` (first the reflection s, then k rotations); names
  ``r^k`` and ``sr^k``. For n ≥ 3, ``r = (1 2 … n)`` and ``s`` reverses the vertices.
* :func:`symmetric` ``(n)`` — S_n, all n! permutations, named by cycle notation, ordered by cycle
  type (identity first, then transpositions, …) and then by name.

A **word** such as ``"x*y*x^-1"`` is a product of the letters ``x`` and ``y`` with integer powers,
read left to right with the product above; :func:`word_table` evaluates it on every pair
``(x, y) = (g_i, g_j)``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from math import factorial

import numpy as np
from numpy.typing import NDArray
from sympy.combinatorics import Permutation
from sympy.combinatorics.named_groups import DihedralGroup

from . import _validate
from .symmetry import cycle_notation

__all__ = [
    "LETTERS",
    "MAX_EXPONENT_DIGITS",
    "MAX_ORDER",
    "MAX_TENSOR_ORDER",
    "MAX_WORD_FACTORS",
    "Group",
    "check_group",
    "cyclic",
    "dihedral",
    "from_permutations",
    "group_by_name",
    "parse_word",
    "symmetric",
    "word_latex",
    "word_table",
    "word_tensor",
]

#: Largest group order the constructors build (tables are order × order; S_6 has 720 elements).
MAX_ORDER = 720
#: The letters a word may use.
LETTERS = ("x", "y")
#: Most factors a word may have (each costs one pass over the order² table).
MAX_WORD_FACTORS = 200
#: Most digits of an exponent (powers are computed by repeated squaring, so any size is fast).
MAX_EXPONENT_DIGITS = 100
#: Largest group order :func:`word_tensor` builds (order³ numbers: 256³ floats = 128 MiB).
MAX_TENSOR_ORDER = 256


@dataclass(frozen=True, eq=False)
class Group:
    """A finite group given by its multiplication table (see the module docstring for conventions).

    ``table`` (n, n): ``table[i, j]`` is the index of ``g_i·g_j``. ``elements``: readable names.
    ``permutations``: each element as a sympy ``Permutation`` of ``degree`` points.
    ``family``/``n``: which constructor made it (``"cyclic"``, ``"dihedral"``, ``"symmetric"``)
    and its argument; ``generators``: indices of the generators the constructor used
    (cyclic: r; dihedral: r, s; symmetric: the adjacent transpositions (i i+1)).
    """

    name: str
    elements: tuple[str, ...]
    table: NDArray[np.intp]
    permutations: tuple[Permutation, ...]
    family: str = "permutation"
    n: int = 0
    generators: tuple[int, ...] = field(default=())

    @property
    def order(self) -> int:
        return int(self.table.shape[0])

    @property
    def identity(self) -> int:
        """Index of the identity (0 for every constructor here)."""
        return self._identity

    @cached_property
    def _identity(self) -> int:
        rows = np.flatnonzero((self.table == np.arange(self.order)).all(axis=1))
        if len(rows) != 1:
            raise ValueError(f"{self.name}: the table has no unique identity")
        return int(rows[0])

    @cached_property
    def inverse(self) -> NDArray[np.intp]:
        """``inverse[i]`` is the index of ``g_i^{-1}``, shape (n,)."""
        i, j = np.nonzero(self.table == self.identity)
        inv = np.empty(self.order, dtype=np.intp)
        inv[i] = j
        return inv

    def _element(self, i: int) -> int:
        i = _validate.integer(i, "element index i")
        if not 0 <= i < self.order:
            raise IndexError(f"element index {i} is out of range for {self.name}: 0..{self.order - 1}")
        return i

    def index(self, name: str) -> int:
        """Index of the element called ``name``."""
        try:
            return self.elements.index(name)
        except ValueError:
            raise ValueError(f"{self.name} has no element {name!r}") from None

    def power(self, k: int) -> NDArray[np.intp]:
        """``power(k)[i]`` is the index of ``g_i^k`` (k any integer), shape (n,).

        Repeated squaring: O(order · log |k|) for any integer k."""
        k = _validate.integer(k, "exponent k")
        base = np.arange(self.order) if k >= 0 else self.inverse
        out = np.full(self.order, self.identity, dtype=np.intp)
        e = abs(k)
        while e:
            if e & 1:
                out = self.table[out, base]
            base = self.table[base, base]
            e >>= 1
        return out

    @cached_property
    def conjugacy_classes(self) -> list[list[int]]:
        """Classes ``{h·g·h^{-1}}`` as sorted index lists, ordered by their smallest index."""
        seen: set[int] = set()
        classes = []
        for g in range(self.order):
            if g in seen:
                continue
            cls = sorted({int(c) for c in self.table[self.table[:, g], self.inverse]})
            seen.update(cls)
            classes.append(cls)
        return classes

    def cycle_notation(self, i: int) -> str:
        """Element i as a permutation in 1-based cycle notation (``e`` for the identity)."""
        return cycle_notation(self.permutations[self._element(i)], self.degree)

    @property
    def degree(self) -> int:
        """Number of points the permutations act on."""
        return int(self.permutations[0].size)

    @property
    def is_abelian(self) -> bool:
        return bool(np.array_equal(self.table, self.table.T))

    def __repr__(self) -> str:
        return f"Group({self.name}, order {self.order})"


def _array_forms(perms: Sequence[Permutation], degree: int) -> NDArray[np.intp]:
    out = np.empty((len(perms), degree), dtype=np.intp)
    for k, p in enumerate(perms):
        arr = list(p.array_form)
        out[k] = arr + list(range(len(arr), degree))
    return out


def _table(forms: NDArray[np.intp]) -> NDArray[np.intp]:
    """Multiplication table of permutations given as image arrays (rows), "first i, then j"."""
    n = len(forms)
    index = {row.tobytes(): k for k, row in enumerate(forms)}
    if len(index) != n:
        raise ValueError("the permutations are not distinct")
    table = np.empty((n, n), dtype=np.intp)
    for i in range(n):
        # (g_i · g_j)(k) = g_j(g_i(k)): row j of forms[:, forms[i]]
        for j, row in enumerate(forms[:, forms[i]]):
            k = index.get(row.tobytes())
            if k is None:
                raise ValueError("the permutations are not closed under multiplication")
            table[i, j] = k
    return table


def from_permutations(
    perms: Sequence[Permutation],
    names: Sequence[str] | None = None,
    *,
    name: str = "G",
    family: str = "permutation",
    n: int = 0,
    generators: Sequence[int] = (),
) -> Group:
    """A :class:`Group` from a closed list of distinct permutations, identity first.

    ``names`` default to 1-based cycle notation.
    """
    if not perms:
        raise ValueError("a group needs at least one element")
    if len(perms) > MAX_ORDER:
        raise ValueError(f"order {len(perms)} exceeds MAX_ORDER = {MAX_ORDER}")
    degree = max(p.size for p in perms)
    forms = _array_forms(perms, degree)
    if not np.array_equal(forms[0], np.arange(degree)):
        raise ValueError("the first permutation must be the identity")
    perms = tuple(Permutation(list(f)) for f in forms)
    names = tuple(names) if names is not None else tuple(cycle_notation(p, degree) for p in perms)
    if len(names) != len(perms) or len(set(names)) != len(names):
        raise ValueError("need one distinct name per element")
    return Group(name, names, _table(forms), perms, family, n, tuple(generators))


def _check_n(n: int, what: str, minimum: int = 1) -> int:
    try:
        ok = not isinstance(n, bool | str) and int(n) == n
    except (TypeError, ValueError, OverflowError):
        ok = False
    if not ok or n < minimum:
        raise ValueError(f"{what}: n must be an integer >= {minimum}, got {n!r}")
    return int(n)


def _power_name(letter: str, k: int) -> str:
    return "" if k == 0 else letter if k == 1 else f"{letter}^{k}"


def cyclic(n: int) -> Group:
    """Z_n (order n): ``g_k = r^k``, ``r = (1 2 … n)``; ``table[i, j] = (i + j) mod n``."""
    n = _check_n(n, "cyclic")
    if n > MAX_ORDER:
        raise ValueError(f"order {n} exceeds MAX_ORDER = {MAX_ORDER}")
    r = Permutation([*range(1, n), 0]) if n > 1 else Permutation([0])
    perms = [r**k for k in range(n)]
    names = ["e"] + [_power_name("r", k) for k in range(1, n)]
    return from_permutations(
        perms, names, name=f"Z_{n}", family="cyclic", n=n, generators=(1,) if n > 1 else (0,)
    )


def dihedral(n: int) -> Group:
    """D_n, the symmetries of a regular n-gon (order 2n): ``g_k = r^k``, ``g_{n+k} = s·r^k``.

    n ≥ 3 acts on the n vertices; D_1 (order 2) and D_2 (the Klein four-group) use sympy's
    realisations on 2 and 4 points.
    """
    n = _check_n(n, "dihedral")
    if 2 * n > MAX_ORDER:
        raise ValueError(f"order {2 * n} exceeds MAX_ORDER = {MAX_ORDER}")
    gens = DihedralGroup(n).generators
    if n == 1:
        r, s = Permutation([0, 1]), gens[0]
    else:
        r, s = gens[0], gens[1]
    perms = [r**k for k in range(n)] + [s * r**k for k in range(n)]
    names = ["e"] + [_power_name("r", k) for k in range(1, n)]
    names += ["s" + _power_name("r", k) for k in range(n)]
    return from_permutations(
        perms, names, name=f"D_{n}", family="dihedral", n=n, generators=(1 if n > 1 else 0, n)
    )


def _cycle_type(p: Permutation) -> tuple[int, ...]:
    return tuple(sorted((len(c) for c in p.full_cyclic_form), reverse=True))


def symmetric(n: int) -> Group:
    """S_n (order n!): all permutations of n points, named and ordered by cycle notation.

    Elements are sorted by cycle type (``e`` first, then transpositions, …), then by name.
    """
    n = _check_n(n, "symmetric")
    if n > 12 or factorial(n) > MAX_ORDER:  # 12! > any MAX_ORDER here; never compute huge n!
        if n > 12:
            raise ValueError(f"S_{n} has order {n}! > MAX_ORDER = {MAX_ORDER}")
        raise ValueError(f"S_{n} has order {factorial(n)} > MAX_ORDER = {MAX_ORDER}")
    from itertools import permutations

    perms = [Permutation(list(p)) for p in permutations(range(n))]
    perms.sort(key=lambda p: (n - len(p.full_cyclic_form), _cycle_type(p), cycle_notation(p, n)))
    names = [cycle_notation(p, n) for p in perms]
    # generators: the adjacent transpositions (i i+1), 0-based i = 0 … n-2
    gens = tuple(
        names.index(cycle_notation(Permutation(i, i + 1, size=n), n)) for i in range(n - 1)
    )
    return from_permutations(perms, names, name=f"S_{n}", family="symmetric", n=n, generators=gens)


def group_by_name(name: str) -> Group:
    """``"Z_24"``, ``"D_12"``, ``"S_4"`` (also ``"Z24"``, ``"C24"``) → the group."""
    m = None if not isinstance(name, str) else re.fullmatch(r"\s*([ZCDS])_?(\d+)\s*", name)
    if not isinstance(name, str):
        raise TypeError(f"the group name must be a string such as 'D_12', got {name!r}")
    if not m:
        raise ValueError(f"unknown group {name!r}; use Z_n, D_n (order 2n) or S_n, e.g. 'D_12'")
    kind, n = m.group(1), int(m.group(2))
    return {"Z": cyclic, "C": cyclic, "D": dihedral, "S": symmetric}[kind](n)


# --- words -------------------------------------------------------------------------------------

_FACTOR = re.compile(r"([A-Za-z_]\w*)(?:\^\(?\s*([+-]?\d+)\s*\)?)?")
_EXPONENT = re.compile(r"\^\(?\s*[+-]?(\d+)")


def parse_word(word: str) -> tuple[tuple[str, int], ...]:
    """``"x*y*x^-1"`` → ``(("x", 1), ("y", 1), ("x", -1))``.

    Factors are separated by ``*``; each is ``x`` or ``y`` with an optional integer power
    ``^k`` (``^-1``, ``^(-2)``, ``^3``). Anything else raises ``ValueError``.
    """
    if not isinstance(word, str) or not word.strip():
        raise ValueError(f"a word must be a non-empty string such as 'x*y', got {word!r}")
    raws = word.split("*")
    if len(raws) > MAX_WORD_FACTORS:
        raise ValueError(
            f"the word has {len(raws)} factors; at most {MAX_WORD_FACTORS} are supported (write "
            "repeated letters as powers, e.g. x^5)"
        )
    factors = []
    for raw in raws:
        exp = _EXPONENT.search(raw)
        if exp and len(exp.group(1)) > MAX_EXPONENT_DIGITS:
            raise ValueError(
                f"an exponent of word {word[:40]!r}… has {len(exp.group(1))} digits; at most "
                f"{MAX_EXPONENT_DIGITS} are supported"
            )
        tok = raw.strip()
        m = _FACTOR.fullmatch(tok)
        if not m:
            raise ValueError(
                f"cannot read factor {tok!r} of word {word!r}: write factors like x, y, x^-1, y^2 "
                "separated by *"
            )
        letter, power = m.group(1), int(m.group(2)) if m.group(2) else 1
        if letter not in LETTERS:
            raise ValueError(
                f"unknown symbol {letter!r} in word {word!r}: only the letters x and y are allowed"
            )
        factors.append((letter, power))
    return tuple(factors)


def word_latex(word: str) -> str:
    """TeX for a word: ``"x*y*x^-1"`` → ``x y x^{-1}``."""
    parts = []
    for letter, k in parse_word(word):
        parts.append(letter if k == 1 else f"{letter}^{{{k}}}")
    return " ".join(parts)


def check_group(group: object, name: str = "group") -> Group:
    """``group`` if it is a :class:`Group`, else ``TypeError`` (e.g. for a name: use group_by_name)."""
    if not isinstance(group, Group):
        raise TypeError(
            f"{name} must be an itemsrel.groups.Group (e.g. group_by_name('D_12')), got "
            f"{type(group).__name__} {group!r:.60}"
        )
    return group


def word_table(group: Group, word: str) -> NDArray[np.intp]:
    """``out[i, j]`` = index of the word evaluated at ``x = g_i``, ``y = g_j``; shape (n, n).

    The factors are multiplied left to right with the group's product (sympy's ``p*q``: first p).
    """
    check_group(group)
    factors = parse_word(word)
    n = group.order
    powers: dict[int, NDArray[np.intp]] = {}
    idx = {
        "x": np.broadcast_to(np.arange(n)[:, None], (n, n)),
        "y": np.broadcast_to(np.arange(n)[None, :], (n, n)),
    }
    out = np.full((n, n), group.identity, dtype=np.intp)
    for letter, k in factors:
        if k not in powers:
            powers[k] = group.power(k)
        out = group.table[out, powers[k][idx[letter]]]
    return out


def word_tensor(group: Group, word: str) -> NDArray[np.float64]:
    """The word as a 0/1 tensor ``T[x, y, z] = 1`` iff ``z = w(g_x, g_y)``, shape (n, n, n)."""
    n = check_group(group).order
    if n > MAX_TENSOR_ORDER:
        raise ValueError(
            f"word_tensor({group.name}) would hold {n}³ = {n**3} numbers; groups of order at most "
            f"{MAX_TENSOR_ORDER} are supported (use word_table, order² entries)"
        )
    tab = word_table(group, word)
    T = np.zeros((n, n, n))
    T[np.arange(n)[:, None], np.arange(n)[None, :], tab] = 1.0
    return T
