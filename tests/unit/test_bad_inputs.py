"""Every public entry point fails loudly: a table of bad inputs and edge cases (issue 18).

Each row is a :class:`Case`: a call, and either the exception it must raise (type and a fragment
of the message, matched case-insensitively) or a check of the value it must return. Every case
runs under a per-case time limit (``signal.alarm``) and a memory limit (``RLIMIT_AS`` raised by
``limit_gib`` above what the process already uses), so a hang or a blow-up fails the case instead
of the run.

Run as a script (``python tests/unit/test_bad_inputs.py``) to print, per area, how many cases
fail and how: ``silent`` (a wrong value, or a value where an error belongs), ``hang`` (time or
memory limit), ``traceback`` (an exception of another type, or without the expected message).
Rows that encode behaviour implemented on other branches live in ``test_bad_inputs_pending.py``.
"""

from __future__ import annotations

import math
import re
import resource
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import sympy as sp
from sympy.combinatorics import Permutation

# --------------------------------------------------------------------------------------------
# Harness
# --------------------------------------------------------------------------------------------


class CaseTimeout(BaseException):
    """Raised in the main thread when a case exceeds its time limit."""


@dataclass(frozen=True)
class Case:
    """One row: ``call()`` must raise ``raises`` with ``match`` in its message, or return a value
    for which ``check(value)`` is True. ``limit_s`` seconds and ``limit_gib`` GiB of extra address
    space."""

    id: str
    area: str
    call: Callable[[], Any]
    raises: type[BaseException] | tuple[type[BaseException], ...] | None = None
    match: str | None = None
    check: Callable[[Any], bool] | None = None
    limit_s: int = 20
    limit_gib: float = 3.0


def bad(id: str, area: str, call: Callable[[], Any], raises: Any, match: str, **kw: Any) -> Case:
    return Case(id, area, call, raises=raises, match=match, **kw)


def good(id: str, area: str, call: Callable[[], Any], check: Callable[[Any], bool], **kw: Any) -> Case:
    return Case(id, area, call, check=check, **kw)


def _vm_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * resource.getpagesize()


def _alarm(signum: int, frame: Any) -> None:
    raise CaseTimeout


def run_case(case: Case) -> tuple[str, str]:
    """``("ok", "")`` or (kind, detail) with kind ``silent``, ``hang`` or ``traceback``."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = _vm_bytes() + int(case.limit_gib * 2**30)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    old = signal.signal(signal.SIGALRM, _alarm)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    signal.alarm(case.limit_s)
    try:
        try:
            value = case.call()
        finally:
            signal.alarm(0)
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
            signal.signal(signal.SIGALRM, old)
    except CaseTimeout:
        return "hang", f"no answer within {case.limit_s} s"
    except MemoryError:
        return "hang", f"more than {case.limit_gib} GiB requested"
    except Exception as exc:
        text = f"{type(exc).__name__}: {exc}"
        if case.raises is None:
            return "traceback", text
        if not isinstance(exc, case.raises):
            return "traceback", text
        if case.match and case.match.lower() not in str(exc).lower():
            return "traceback", text
        return "ok", ""
    if case.raises is not None:
        return "silent", f"returned {value!r:.200} instead of raising"
    try:
        good_value = bool(case.check(value)) if case.check else True
    except Exception as exc:
        return "silent", f"check failed: {type(exc).__name__}: {exc}"
    return ("ok", "") if good_value else ("silent", f"wrong value {value!r:.300}")


def assert_case(case: Case) -> None:
    kind, detail = run_case(case)
    assert kind == "ok", f"{case.id} [{case.area}]: {kind}: {detail}"


def summarise(cases: Sequence[Case]) -> dict[str, dict[str, int]]:
    """Per area: number of cases, and how many are silent / hang / traceback."""
    out: dict[str, dict[str, int]] = {}
    for case in cases:
        kind, detail = run_case(case)
        row = out.setdefault(case.area, {"cases": 0, "silent": 0, "hang": 0, "traceback": 0})
        row["cases"] += 1
        if kind != "ok":
            row[kind] += 1
            print(f"  {kind:9s} {case.area:14s} {case.id}: {detail[:160]}", file=sys.stderr)
    return out


def print_summary(cases: Sequence[Case]) -> None:
    table = summarise(cases)
    print(f"{'area':16s} cases silent hang traceback")
    tot = {"cases": 0, "silent": 0, "hang": 0, "traceback": 0}
    for area, row in sorted(table.items()):
        print(f"{area:16s} {row['cases']:5d} {row['silent']:6d} {row['hang']:4d} {row['traceback']:9d}")
        for k in tot:
            tot[k] += row[k]
    print(f"{'total':16s} {tot['cases']:5d} {tot['silent']:6d} {tot['hang']:4d} {tot['traceback']:9d}")


# --------------------------------------------------------------------------------------------
# Fixtures as plain objects (cheap; built once at import)
# --------------------------------------------------------------------------------------------
from itemsrel import (  # noqa: E402  # noqa: E402
    analytic,
    arc,
    dynamics,
    gain,
    generalisation,
    groups,
    irreps,
    patterns,
    symmetry,
)
from itemsrel.activations import get_activation  # noqa: E402

VE = ValueError
TE = TypeError
VTE = (ValueError, TypeError)
X = analytic.PAPER_X
XP = analytic.PAPER_X_PRIME
G_X = symmetry.symmetry_group(X)  # {e, (2 3)} on 3 points
W3 = np.array([[0.2, 0.1, 0.0], [0.0, 0.3, 0.1], [0.1, 0.0, 0.4]])
NAN3 = np.full((3, 3), np.nan)
ONEHOT = np.array([[1, 0, 0], [0, 1, 0]])  # orthogonal items, equal numbers of ones
EVIL = "__import__('os').getpid()"
Z7 = groups.cyclic(7)
Z24 = groups.cyclic(24)
S3 = groups.symmetric(3)


def _family():
    return analytic.linear_family(X, invariant=True)


def _puzzles():
    return arc.generate_puzzles(2, sizes=(4,), seed=0)


def _fps_ok(fps, W, act, tol=1e-8):
    phi = get_activation(act) if isinstance(act, str) else act
    return len(fps) > 0 and all(np.max(np.abs(phi(W @ fp.x) - fp.x)) <= tol for fp in fps)


LIN_GAIN2 = get_activation("linear", gain=2.0)

CASES: list[Case] = [
    # ---------------------------------------------------------------- patterns
    bad("ragged set", "patterns", lambda: patterns.as_training_set([[0, 1], [1]]), VE, "rectangular"),
    bad("1-D set", "patterns", lambda: patterns.as_training_set([0, 1]), VE, "2-D"),
    bad("empty set", "patterns", lambda: patterns.as_training_set(np.zeros((0, 3))), VE, "empty"),
    bad("non-binary set", "patterns", lambda: patterns.as_training_set([[0, 2]]), VE, "binary"),
    bad("NaN in set", "patterns", lambda: patterns.as_training_set([[0, np.nan]]), VE, "binary"),
    bad("duplicate items", "patterns", lambda: patterns.as_training_set([[1, 0], [1, 0]]), VE, "duplicate"),
    bad("N too large", "patterns", lambda: patterns.as_training_set(np.eye(13)), VE, "N <= 12"),
    bad("strings in set", "patterns", lambda: patterns.as_training_set([["a", "b"]]), VE, "0/1"),
    bad("pattern 2-D", "patterns", lambda: patterns.as_pattern([[0, 1]]), VE, "1-D"),
    bad("pattern length", "patterns", lambda: patterns.as_pattern([0, 1], 3), VE, "length"),
    bad("pattern NaN", "patterns", lambda: patterns.as_pattern([np.nan, 1]), VE, "binary"),
    bad("all_patterns float n", "patterns", lambda: patterns.all_patterns(2.5), VTE, "integer"),
    bad("all_patterns str n", "patterns", lambda: patterns.all_patterns("3"), VTE, "integer"),
    bad("all_patterns 0", "patterns", lambda: patterns.all_patterns(0), VE, ">= 1"),
    bad("all_patterns 13", "patterns", lambda: patterns.all_patterns(13), VE, "N <= 12"),
    good("all_patterns 3", "patterns", lambda: patterns.all_patterns(3), lambda r: r.shape == (8, 3) and r[5].tolist() == [1, 0, 1]),
    bad("cyclic_shifts zeros", "patterns", lambda: patterns.cyclic_shifts([0, 0, 0]), VE, "all zeros"),
    good("cyclic_shifts hexagon", "patterns", lambda: patterns.cyclic_shifts([1, 1, 0, 0, 0, 0]), lambda r: r.shape == (6, 6)),
    bad("disjoint_blocks 0", "patterns", lambda: patterns.disjoint_blocks(0, 2), VE, ">= 1"),
    bad("disjoint_blocks float", "patterns", lambda: patterns.disjoint_blocks(2.5, 2), VTE, "integer"),
    bad("disjoint_blocks huge", "patterns", lambda: patterns.disjoint_blocks(10**5, 10**5), VE, "at most", limit_s=10),
    good("disjoint_blocks 4x2", "patterns", lambda: patterns.disjoint_blocks(4, 2), lambda r: r.shape == (4, 8) and r.sum() == 8),
    good("format_pattern", "patterns", lambda: patterns.format_pattern([1, 0, 1], "/"), lambda r: r == "1/0/1"),
    # ---------------------------------------------------------------- symmetry
    bad("group N 13", "symmetry", lambda: symmetry.symmetry_group(np.eye(13)), VE, "N <= 12"),
    good("group of 12 one-hot items is S_12", "symmetry", lambda: symmetry.symmetry_group(np.eye(12, dtype=int)).order(), lambda r: r == math.factorial(12), limit_s=30),
    bad("act not a permutation", "symmetry", lambda: symmetry.act([0, 0, 1], [1, 0, 1]), VE, "not a permutation"),
    bad("act too long", "symmetry", lambda: symmetry.act([0, 1, 2, 3], [1, 0, 1]), VE, "length 3"),
    bad("act string", "symmetry", lambda: symmetry.act("abc", [1, 0, 1]), VTE, "permutation"),
    bad("act_on_matrix non-square", "symmetry", lambda: symmetry.act_on_matrix([1, 0, 2], np.ones((3, 4))), VE, "square"),
    bad("cycle_notation repeat", "symmetry", lambda: symmetry.cycle_notation([0, 0]), VE, "not a permutation"),
    good("cycle_notation", "symmetry", lambda: symmetry.cycle_notation([0, 2, 1]), lambda r: r == "(2 3)"),
    bad("invariant_basis small N", "symmetry", lambda: symmetry.invariant_basis(G_X, 2), VE, "acts on 3 points"),
    bad("invariant_basis huge N", "symmetry", lambda: symmetry.invariant_basis(G_X, 10**4), VE, "at most", limit_s=10),
    bad("invariant_projection non-square", "symmetry", lambda: symmetry.invariant_projection(np.ones((3, 4)), G_X), VE, "square"),
    bad("invariant_projection too small", "symmetry", lambda: symmetry.invariant_projection(np.ones((2, 2)), G_X), VE, "acts on 3 points"),
    bad("distance_to_invariant NaN", "symmetry", lambda: symmetry.distance_to_invariant(NAN3, G_X), VE, "finite"),
    bad("is_invariant negative atol", "symmetry", lambda: symmetry.is_invariant(W3, G_X, atol=-1.0), VE, "atol"),
    bad("is_invariant NaN", "symmetry", lambda: symmetry.is_invariant(NAN3, G_X), VE, "finite"),
    bad("orbits group too large", "symmetry", lambda: symmetry.orbits(X, symmetry.symmetry_group(np.eye(4, dtype=int))), VE, "acts on 4 points"),
    bad("index_orbits n too small", "symmetry", lambda: symmetry.index_orbits(G_X, 2), VE, "acts on 3 points"),
    bad("span_patterns negative atol", "symmetry", lambda: symmetry.span_patterns(X, atol=-1.0), VE, "atol"),
    bad("span_patterns NaN atol", "symmetry", lambda: symmetry.span_patterns(X, atol=np.nan), VE, "atol"),
    bad("group_elements of S_12", "symmetry", lambda: symmetry.group_elements(symmetry.symmetry_group(np.eye(12, dtype=int))), VE, "at most", limit_s=30),
    good("group_elements of Σ_X", "symmetry", lambda: symmetry.group_elements(G_X), lambda r: len(r) == 2 and r[0].is_Identity),
    good("symmetry_consistent_patterns", "symmetry", lambda: symmetry.symmetry_consistent_patterns(X), lambda r: all(r[:, 1] == r[:, 2])),
    # ---------------------------------------------------------------- analytic
    bad("targets evaluate a string", "analytic", lambda: analytic.linear_family(X, targets=[[EVIL] * 3] * 2), TE, "string"),
    bad("targets numeric strings", "analytic", lambda: analytic.linear_family(X, targets=[["1"] * 3] * 2), TE, "string"),
    bad("targets NaN", "analytic", lambda: analytic.linear_family(X, targets=np.full((2, 3), np.nan)), VE, "finite"),
    bad("targets shape", "analytic", lambda: analytic.linear_family(X, targets=np.ones((3, 3))), VE, "shape"),
    bad("duplicate names", "analytic", lambda: analytic.linear_family(X, invariant=True, names=["a", "a"]), VE, "distinct"),
    bad("names count", "analytic", lambda: analytic.linear_family(X, invariant=True, names=["a"]), VE, "names"),
    bad("nonlinear targets strings", "analytic", lambda: analytic.nonlinear_family(XP, "tanh", targets=[["a"] * 3] * 2), VTE, "targets"),
    bad("nonlinear targets NaN", "analytic", lambda: analytic.nonlinear_family(XP, "tanh", targets=np.full((2, 3), np.nan)), VE, "finite"),
    bad("nonlinear unreachable", "analytic", lambda: analytic.nonlinear_family(XP, "tanh"), VE, "no finite solution"),
    bad("subs evaluates a string", "analytic", lambda: _family().subs(**{_family().params[0].name: EVIL}), TE, "string"),
    bad("numeric NaN", "analytic", lambda: _family().numeric({p.name: np.nan for p in _family().params}), VE, "finite"),
    bad("numeric string", "analytic", lambda: _family().numeric({p.name: "1" for p in _family().params}), TE, "string"),
    bad("numeric unknown name", "analytic", lambda: _family().numeric({"zz": 1.0}), (KeyError, ValueError), "unknown parameter"),
    bad("same_family string params", "analytic", lambda: analytic.same_family(sp.Matrix([[1]]), [EVIL], sp.Matrix([[1]]), []), TE, "Symbol"),
    bad("plane_stability large family", "analytic", lambda: analytic.plane_stability(analytic.linear_family([[1, 0, 0, 0, 0, 0]])), VE, "at most", limit_s=20),
    bad("plane_stability nonlinear", "analytic", lambda: analytic.plane_stability(analytic.nonlinear_family(XP, "tanh", targets=0.9 * XP)), VE, "linear auto-associator"),
    good("plane_stability eq6 X'", "analytic", lambda: analytic.plane_stability(analytic.paper_eq6("X'")), lambda r: sp.Symbol("a", real=True) in r.eigenvalues),
    bad("identify NaN W", "analytic", lambda: analytic.identify(NAN3, _family()), VE, "finite"),
    bad("identify shape", "analytic", lambda: analytic.identify(np.ones((4, 4)), _family()), VE, "shape"),
    bad("paper_eq6 which", "analytic", lambda: analytic.paper_eq6("Y"), VE, "which"),
    bad("paper_Wc activation", "analytic", lambda: analytic.paper_Wc("relu"), VE, "activation"),
    # ---------------------------------------------------------------- dynamics
    bad("mesh huge n", "dynamics", lambda: dynamics.mesh(10**4), VE, "at most", limit_s=10),
    bad("mesh huge random", "dynamics", lambda: dynamics.mesh(10**3, N=8), VE, "at most", limit_s=10),
    bad("mesh float n", "dynamics", lambda: dynamics.mesh(2.5), VTE, "integer"),
    bad("mesh float N", "dynamics", lambda: dynamics.mesh(3, N=2.5), VTE, "integer"),
    bad("mesh NaN bounds", "dynamics", lambda: dynamics.mesh(3, np.nan, 1.0), VE, "low < high"),
    good("mesh paper", "dynamics", lambda: dynamics.mesh(), lambda r: r.shape == (125, 3) and r.min() == 0 and r.max() == 1),
    bad("iterate start length", "dynamics", lambda: dynamics.iterate(W3, [0.0, 1.0]), VE, "length"),
    bad("iterate negative steps", "dynamics", lambda: dynamics.iterate(W3, [0.0, 1.0, 0.0], steps=-1), VE, "steps"),
    bad("iterate huge steps", "dynamics", lambda: dynamics.iterate(W3, np.zeros((1000, 3)), steps=10**9), VE, "at most", limit_s=10),
    bad("iterate NaN start", "dynamics", lambda: dynamics.iterate(W3, [np.nan, 0.0, 0.0]), VE, "finite"),
    bad("iterate W non-square", "dynamics", lambda: dynamics.iterate(np.ones((3, 4)), [0.0, 0.0, 0.0]), VE, "square"),
    bad("iterate W NaN", "dynamics", lambda: dynamics.iterate(NAN3, [0.0, 0.0, 0.0]), VE, "non-finite"),
    bad("jacobian length", "dynamics", lambda: dynamics.jacobian(W3, "tanh", [0.0, 0.0, 0.0, 0.0]), VE, "length"),
    bad("classify NaN", "dynamics", lambda: dynamics.classify([np.nan]), VE, "finite"),
    bad("classify empty", "dynamics", lambda: dynamics.classify([]), VE, "at least one"),
    bad("classify negative tol", "dynamics", lambda: dynamics.classify([0.5], tol=-1.0), VE, "tol"),
    good("classify saddle", "dynamics", lambda: dynamics.classify([2.0, 0.5]), lambda r: r == "saddle"),
    bad("fixed_subspace negative tol", "dynamics", lambda: dynamics.fixed_subspace(np.eye(3), tol=-1.0), VE, "tol"),
    bad("fixed_points negative tol", "dynamics", lambda: dynamics.fixed_points(W3, "tanh", tol=-1.0), VE, "tol"),
    bad("fixed_points negative dedupe", "dynamics", lambda: dynamics.fixed_points(W3, "tanh", dedupe_atol=-1.0), VE, "dedupe_atol"),
    bad("fixed_points start length", "dynamics", lambda: dynamics.fixed_points(W3, "tanh", starts=np.zeros((2, 4))), VE, "length"),
    bad("fixed_points linear gain continuum", "dynamics", lambda: dynamics.fixed_points(0.5 * np.eye(3), LIN_GAIN2), VE, "fixed_subspace"),
    good("fixed_subspace linear gain", "dynamics", lambda: dynamics.fixed_subspace(0.5 * np.eye(3), LIN_GAIN2), lambda r: r.dimension == 3),
    good("fixed_points linear gain isolated", "dynamics", lambda: dynamics.fixed_points(np.eye(3), get_activation("linear", gain=0.5)), lambda r: len(r) == 1 and r[0].stability == "attracting"),
    good("fixed_points linear shift", "dynamics", lambda: dynamics.fixed_points(0.5 * np.eye(2), get_activation("linear", shift=1.0)), lambda r: len(r) == 1 and np.allclose(r[0].x, [-2.0, -2.0])),
    bad("fixed_points ReLU continuum", "dynamics", lambda: dynamics.fixed_points(np.eye(3), "relu"), VE, "continuum"),
    bad("fixed_points clip continuum", "dynamics", lambda: dynamics.fixed_points(np.diag([1.0, 0.0]), "clip"), VE, "continuum"),
    good("fixed_sets ReLU plane", "dynamics", lambda: dynamics.fixed_sets(np.diag([1.0, 1.0, 0.0]), "relu"), lambda r: len(r.pieces) == 1 and r.pieces[0].dimension == 2 and not r.points),
    good("fixed_sets clip segment", "dynamics", lambda: dynamics.fixed_sets(np.diag([1.0, 0.0]), "clip"), lambda r: len(r.pieces) == 1 and r.pieces[0].dimension == 1 and np.allclose(sorted(r.pieces[0].endpoints[:, 0]), [0.0, 1.0])),
    good("fixed_points ReLU isolated", "dynamics", lambda: dynamics.fixed_points(2 * np.eye(2), "relu"), lambda r: len(r) == 1 and np.allclose(r[0].x, 0)),
    good("fixed_points tanh", "dynamics", lambda: dynamics.fixed_points(np.diag([0.0, 2.0, 2.0]), "tanh"), lambda r: len(r) == 9 and _fps_ok(r, np.diag([0.0, 2.0, 2.0]), "tanh")),
    good("basins linear gain", "dynamics", lambda: dynamics.basins(0.5 * np.eye(3), LIN_GAIN2, dynamics.mesh(3), steps=5), lambda r: r.counts()["fixed subspace (dim 3)"] == 27),
    good("basins ReLU continuum", "dynamics", lambda: dynamics.basins(np.diag([1.0, 1.0, 0.0]), "relu", dynamics.mesh(3), steps=5), lambda r: len(r.pieces) == 1 and r.counts()["not converged"] == 0 and r.counts()[r.names[-1]] == 27),
    bad("basins negative atol", "dynamics", lambda: dynamics.basins(W3, "tanh", dynamics.mesh(2), atol=-1.0), VE, "atol"),
    bad("basins start length", "dynamics", lambda: dynamics.basins(W3, "tanh", np.zeros((2, 4))), VE, "length"),
    bad("default_starts huge grid", "dynamics", lambda: dynamics.default_starts(W3, "tanh", n_grid=10**4), VE, "at most", limit_s=10),
    bad("default_starts negative random", "dynamics", lambda: dynamics.default_starts(W3, "tanh", n_random=-1), VE, "n_random"),
    # ---------------------------------------------------------------- groups
    bad("cyclic 0", "groups", lambda: groups.cyclic(0), VE, ">= 1"),
    bad("cyclic float", "groups", lambda: groups.cyclic(2.5), VE, "integer"),
    bad("cyclic too large", "groups", lambda: groups.cyclic(10**12), VE, "MAX_ORDER"),
    bad("dihedral too large", "groups", lambda: groups.dihedral(361), VE, "MAX_ORDER"),
    bad("symmetric 7", "groups", lambda: groups.symmetric(7), VE, "MAX_ORDER"),
    bad("symmetric 10^8", "groups", lambda: groups.symmetric(10**8), VE, "MAX_ORDER", limit_s=5),
    bad("group_by_name S_10^8", "groups", lambda: groups.group_by_name("S_100000000"), VE, "MAX_ORDER", limit_s=5),
    bad("group_by_name unknown", "groups", lambda: groups.group_by_name("Q_8"), VE, "unknown group"),
    bad("group_by_name not str", "groups", lambda: groups.group_by_name(8), TE, "string"),
    good("power huge exponent", "groups", lambda: Z7.power(10**18), lambda r: r[1] == 10**18 % 7, limit_s=5),
    good("power huge negative exponent", "groups", lambda: S3.power(-(10**15) - 1), lambda r: all(S3.table[i, r[i]] == S3.table[r[i], i] for i in range(6)), limit_s=5),
    bad("power float", "groups", lambda: Z7.power(2.5), VTE, "integer"),
    good("word huge exponent", "groups", lambda: groups.word_table(Z24, "x^1000000000000*y"), lambda r: r[1, 0] == 10**12 % 24, limit_s=5),
    bad("word exponent digits", "groups", lambda: groups.parse_word("x^" + "9" * 5000), VE, "digits"),
    bad("word too long", "groups", lambda: groups.word_table(groups.symmetric(6), "*".join(["x"] * 100000)), VE, "at most", limit_s=10),
    bad("word bad letter", "groups", lambda: groups.parse_word("x*z"), VE, "only the letters"),
    bad("word not str", "groups", lambda: groups.parse_word(3), VE, "string"),
    bad("word_tensor S_6", "groups", lambda: groups.word_tensor(groups.symmetric(6), "x*y"), VE, "at most", limit_s=20, limit_gib=1.0),
    good("word_tensor Z_7", "groups", lambda: groups.word_tensor(Z7, "x*y"), lambda r: r.shape == (7, 7, 7) and r.sum() == 49),
    bad("from_permutations empty", "groups", lambda: groups.from_permutations([]), VE, "at least one"),
    bad("from_permutations no identity", "groups", lambda: groups.from_permutations([Permutation([1, 0])]), VE, "identity"),
    bad("index unknown", "groups", lambda: Z7.index("zz"), VE, "no element"),
    bad("cycle_notation out of range", "groups", lambda: Z7.cycle_notation(99), (ValueError, IndexError), "element index"),
    # ---------------------------------------------------------------- irreps
    bad("triplet_weights S_6", "irreps", lambda: irreps.triplet_weights(groups.symmetric(6), "x*y"), VE, "at most", limit_s=20, limit_gib=1.0),
    bad("triplet_weights Z_48", "irreps", lambda: irreps.triplet_weights(groups.cyclic(48), "x*y"), VE, "at most", limit_s=10),
    bad("irreps of a name", "irreps", lambda: irreps.irreps("Z_7"), TE, "Group"),
    bad("isotypic_projectors of a name", "irreps", lambda: irreps.isotypic_projectors("Z_7"), TE, "Group"),
    bad("character_table of None", "irreps", lambda: irreps.character_table(None), TE, "Group"),
    bad("word_table of a name", "groups", lambda: groups.word_table("Z_7", "x*y"), TE, "Group"),
    good("word_latex", "groups", lambda: groups.word_latex("x*y^-1"), lambda r: r == "x y^{-1}"),
    good("triplet_weights Z_24", "irreps", lambda: irreps.triplet_weights(Z24, "x*y"), lambda r: abs(r.sum() - 1) < 1e-9),
    good("triplet_weights S_3 xyx", "irreps", lambda: irreps.triplet_weights(S3, "x*y*x"), lambda r: abs(r.sum() - 1) < 1e-9 and r.shape == (3, 3, 3)),
    bad("allowed_triplets negative tol", "irreps", lambda: irreps.allowed_triplets(Z7, "x*y", tol=-1.0), VE, "tol"),
    bad("irrep_power NaN", "irreps", lambda: irreps.irrep_power(Z7, np.full((7, 2), np.nan)), VE, "finite"),
    bad("irrep_power length", "irreps", lambda: irreps.irrep_power(Z7, np.ones((6, 2))), VE, "order 7"),
    bad("irrep_power axis", "irreps", lambda: irreps.irrep_power(Z7, np.ones((7, 2)), axis=5), VE, "axis"),
    bad("irreps of a plain permutation group", "irreps", lambda: irreps.irreps(groups.from_permutations([Permutation([0, 1]), Permutation([1, 0])])), VE, "implemented"),
    bad("partitions negative", "irreps", lambda: irreps.partitions(-1), VE, ">= 0"),
    bad("partitions float", "irreps", lambda: irreps.partitions(2.5), VTE, "integer"),
    bad("partitions huge", "irreps", lambda: irreps.partitions(100), VE, "at most", limit_s=10),
    good("partitions 4", "irreps", lambda: irreps.partitions(4), lambda r: r == [(4,), (3, 1), (2, 2), (2, 1, 1), (1, 1, 1, 1)]),
    bad("young shape not a partition", "irreps", lambda: irreps.young_orthogonal_generators((1, 2)), VE, "partition"),
    bad("young shape zero part", "irreps", lambda: irreps.young_orthogonal_generators((2, 0)), VE, "partition"),
    # ---------------------------------------------------------------- arc
    good("predict N = 12 one-hot", "arc", lambda: arc.predict(np.eye(12, dtype=int), np.eye(12, dtype=int)[0]), lambda r: r.shape == (11, 12) and np.all(r.sum(axis=1) == 1), limit_s=30),
    good("predict paper X", "arc", lambda: arc.predict(X, [0, 1, 0]), lambda r: r.tolist() == [[0, 0, 1]]),
    bad("predict test length", "arc", lambda: arc.predict(X, [0, 1]), VE, "length"),
    bad("is_rule too long", "arc", lambda: arc.is_rule(X, [0, 1, 2, 3]), VE, "length 3"),
    bad("is_rule not a permutation", "arc", lambda: arc.is_rule(X, [0, 0, 1]), VE, "not a permutation"),
    bad("generate_puzzles absurd max_items", "arc", lambda: arc.generate_puzzles(1, seed=0, max_items=10**9), VE, "max_items", limit_s=10),
    bad("generate_puzzles max_items 1", "arc", lambda: arc.generate_puzzles(1, seed=0, max_items=1), VE, "max_items"),
    bad("generate_puzzles float n", "arc", lambda: arc.generate_puzzles(2.5, seed=0), VTE, "integer"),
    bad("generate_puzzles huge n", "arc", lambda: arc.generate_puzzles(10**9, seed=0), VE, "at most", limit_s=10),
    bad("generate_puzzles max_tries 0", "arc", lambda: arc.generate_puzzles(1, seed=0, max_tries=0), VE, "max_tries"),
    bad("generate_puzzles size 9", "arc", lambda: arc.generate_puzzles(1, sizes=(9,), seed=0), VE, "3..8"),
    bad("classify_answers length", "arc", lambda: arc.classify_answers(_puzzles(), [np.array([1, 0]), None]), VE, "length"),
    bad("classify_answers non-binary", "arc", lambda: arc.classify_answers(_puzzles(), [np.array([2, 0, 0, 0]), None]), VE, "binary"),
    bad("classify_answers count", "arc", lambda: arc.classify_answers(_puzzles(), [None]), VE, "answers"),
    bad("network_answers negative tol", "arc", lambda: arc.network_answers(_puzzles(), "tanh", tol=-1.0, steps=1), VE, "tol"),
    # ---------------------------------------------------------------- gain
    bad("stationary_strength NaN w", "gain", lambda: gain.stationary_strength(ONEHOT, "tanh", "l2", np.nan), VE, "w"),
    bad("stationary_strength w 0", "gain", lambda: gain.stationary_strength(ONEHOT, "tanh", "l2", 0.0), VE, "positive"),
    bad("gain negative w_max", "gain", lambda: gain.gain(ONEHOT, "tanh", "l2", 0.1, w_max=-1.0), VE, "w_max"),
    bad("gain NaN strength", "gain", lambda: gain.gain(ONEHOT, "tanh", "l2", np.nan), VE, "strength"),
    bad("gain level penalty", "gain", lambda: gain.gain(ONEHOT, "tanh", "level", 0.1), VE, "penalty"),
    bad("gain non-orthogonal", "gain", lambda: gain.gain(X, "tanh", "l2", 0.1), VE, "orthogonal"),
    bad("critical_strength NaN", "gain", lambda: gain.critical_strength(ONEHOT, "tanh", "l2", at_gain=np.nan), VE, "at_gain"),
    good("gain tanh l2 consistent", "gain", lambda: gain.stationary_strength(ONEHOT, "tanh", "l2", gain.gain(ONEHOT, "tanh", "l2", 0.05)), lambda r: abs(r - 0.05) < 1e-9),
    # ---------------------------------------------------------------- generalisation
    bad("metrics W shape", "generalisation", lambda: generalisation.generalisation_metrics(np.ones((4, 4)), X, "tanh"), VE, "shape"),
    bad("metrics W NaN", "generalisation", lambda: generalisation.generalisation_metrics(NAN3, X, "tanh"), VE, "non-finite"),
    bad("metrics empty batch", "generalisation", lambda: generalisation.generalisation_metrics(np.zeros((0, 3, 3)), X, "tanh"), VE, "at least one"),
    bad("metrics bad X", "generalisation", lambda: generalisation.generalisation_metrics(W3, [[0, 2, 1]], "tanh"), VE, "binary"),
    bad("metrics unknown activation", "generalisation", lambda: generalisation.generalisation_metrics(W3, X, "swish"), VE, "unknown activation"),
    good("metrics identity", "generalisation", lambda: generalisation.generalisation_metrics(np.eye(3), X, "linear"), lambda r: r["train_loss"][0] == 0.0),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.area}: {c.id}" for c in CASES])
def test_bad_input(case: Case) -> None:
    assert_case(case)


def test_every_area_has_cases() -> None:
    areas = {c.area for c in CASES}
    assert areas == {
        "patterns", "symmetry", "analytic", "dynamics", "groups", "irreps", "arc", "gain",
        "generalisation",
    }
    assert len({(c.area, c.id) for c in CASES}) == len(CASES)


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra.numpy import arrays  # noqa: E402


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    W=st.integers(1, 3).flatmap(
        lambda n: arrays(float, (n, n), elements=st.floats(-3, 3, allow_nan=False))
    ),
    act=st.sampled_from(["tanh", "sigmoid", "relu", "clip", "linear", "shifted_tanh"]),
)
def test_fixed_points_are_fixed(W: np.ndarray, act: str) -> None:
    """Any finite W: every fixed point returned satisfies x = φ(W x); a continuum is refused with
    a message naming what describes it, and then fixed_sets' pieces are fixed sets too."""
    phi = get_activation(act)
    starts = dynamics.default_starts(W, phi, n_grid=3, n_random=8)
    try:
        fps = dynamics.fixed_points(W, phi, starts)
    except ValueError as exc:
        assert re.search("continuum|fixed_subspace|subspace", str(exc))
        if phi.name in ("relu", "clip"):
            sets = dynamics.fixed_sets(W, phi, starts)
            assert sets.pieces
            for piece in sets.pieces:
                for x in piece.sample(5):
                    assert np.max(np.abs(phi(W @ x) - x)) <= 1e-7
        return
    for fp in fps:
        assert np.max(np.abs(phi(W @ fp.x) - fp.x)) <= 1e-8


@settings(max_examples=30, deadline=None, derandomize=True)
@given(k=st.integers(-(10**30), 10**30), n=st.integers(1, 12))
def test_group_power_is_reduced_mod_the_order(k: int, n: int) -> None:
    G = groups.cyclic(n)
    assert G.power(k).tolist() == [(i * k) % n for i in range(n)]


if __name__ == "__main__":
    print_summary(CASES)
