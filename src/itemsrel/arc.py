"""Relations as rules: ARC-style puzzles answered with the symmetry group of the examples.

A puzzle has training items ``X`` (shape ``(K, N)``, binary; drawn as N-gons whose edge i is
coloured by bit i) and a test item ``t`` (shape ``(N,)``). The *rules* the examples allow are the
permutations in Σ_X, the symmetry group of X (:mod:`itemsrel.symmetry`); applied to the test
item they give the answers :func:`predict` returns.

:func:`generate_puzzles` makes puzzles with a *planted* rule: a permutation ``s`` of the N edges;
the items are unions of orbits of random patterns under ⟨s⟩ (so ``s ∈ Σ_X``), resampled until
Σ_X = ⟨s⟩ exactly (one unambiguous rule), and the test item is moved by ``s``. Its answers are
``{sᵏ·t : k} \\ {t}``.

:func:`network_answers` trains auto-associators on the puzzles (one batched program per
activation and puzzle size, :func:`itemsrel.training.train` with one training set per network),
iterates each from its test item to a fixed point and reads off a binary answer;
:func:`classify_answers` says whether that answer applies a rule, repeats the test item, recalls
a training item, or is something else. :func:`puzzle_answers` answers one puzzle for several
activations at once, for chapter 5's live panel: :func:`activation_weights` trains the networks
of all activations as one batch (SGD stops once converged) and keeps the weights of smaller step
budgets on the way; the answers are those of :func:`network_answers`. Conventions: 0-based unit indices in code, 1-based cycle
notation for readers, ``(s·x)_i = x_{s(i)}``.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sympy.combinatorics import Permutation

from . import _validate
from .activations import Activation, get_activation
from .dynamics import iterate
from .patterns import as_pattern, as_training_set
from .symmetry import act, act_on_matrix, cycle_notation, symmetry_group

if TYPE_CHECKING:
    import torch

__all__ = [
    "ANSWER_KINDS",
    "MAX_ITEMS",
    "MAX_PUZZLES",
    "MAX_TRIES",
    "NetworkAnswers",
    "Puzzle",
    "activation_weights",
    "classify_answers",
    "generate_puzzles",
    "is_rule",
    "network_answers",
    "predict",
    "puzzle_answers",
    "puzzle_weights",
]

#: What a network's answer can be, in the order of the chapter's tables.
ANSWER_KINDS = (
    "applies a rule",
    "returns the test item",
    "recalls a training item",
    "other pattern",
    "no binary answer",
)


#: Most items a generated puzzle may have (2⁸ = 256 distinct patterns exist for N = 8).
MAX_ITEMS = 256
#: Most puzzles one call generates, and most draws per puzzle: bounded time.
MAX_PUZZLES = 100_000
MAX_TRIES = 100_000


def _sorted_unique(patterns: NDArray) -> NDArray[np.int8]:
    if len(patterns) == 0:
        return np.zeros((0, patterns.shape[-1]), dtype=np.int8)
    return np.unique(np.asarray(patterns, dtype=np.int8), axis=0)


def predict(X: ArrayLike, test: ArrayLike) -> NDArray[np.int8]:
    """The answers the relations of X allow for ``test``: the distinct ``s·test`` for
    ``s ∈ Σ_X``, ``test`` itself excluded, sorted lexicographically. Shape ``(M, N)``; M = 0 when
    every rule fixes the test item."""
    Xn = as_training_set(X)
    t = as_pattern(test, Xn.shape[1])
    group = symmetry_group(Xn)
    # the orbit of t under Σ_X, by a search over the generators (at most 2^N patterns; the group
    # itself, up to N! elements, is never enumerated)
    gens = [np.asarray(g.array_form + list(range(g.size, len(t))), dtype=np.intp)
            for g in group.generators]
    seen = {tuple(int(v) for v in t)}
    frontier = [t]
    while frontier:
        nxt = []
        for p in frontier:
            for g in gens:
                q = p[g]
                key = tuple(int(v) for v in q)
                if key not in seen:
                    seen.add(key)
                    nxt.append(q)
        frontier = nxt
    images = np.array(sorted(seen), dtype=np.int8).reshape(-1, len(t))
    images = images[np.any(images != t, axis=1)]
    return _sorted_unique(images)


def is_rule(X: ArrayLike, s: Permutation | Sequence[int]) -> bool:
    """Whether the permutation ``s`` is a rule of X, i.e. maps the set X onto itself."""
    Xn = as_training_set(X)
    image = {tuple(r) for r in act(s, Xn).tolist()}  # act checks s against N
    return image == {tuple(r) for r in Xn.tolist()}


@dataclass(frozen=True)
class Puzzle:
    """One puzzle: items ``X`` (K, N), ``test`` (N,), the planted rule ``rule`` (a sympy
    ``Permutation`` of degree N) and ``answers`` (M, N): the images of ``test`` under the powers
    of the rule, test excluded, sorted."""

    X: NDArray[np.int8]
    test: NDArray[np.int8]
    rule: Permutation
    answers: NDArray[np.int8] = field(repr=False)

    @property
    def N(self) -> int:
        return int(self.X.shape[1])

    @property
    def rule_text(self) -> str:
        """The planted rule in 1-based cycle notation, e.g. ``(2 3)``."""
        return cycle_notation(self.rule, self.N)


@cache
def _image_code_weights(N: int) -> NDArray[np.float64]:
    """For every permutation s of N points (N! columns), the weights (N, N!) that turn a pattern
    x into the binary code ``Σ_i (s·x)_i 2^i`` of its image: ``(s·x)_i = x_{s(i)}``, so x_j
    carries the weight 2^{s⁻¹(j)}."""
    perms = np.array(list(itertools.permutations(range(N))), dtype=np.intp).reshape(-1, N)
    inverse = np.argsort(perms, axis=1)  # (N!, N): s⁻¹(j)
    return np.ascontiguousarray((2.0**inverse).T)


def _group_order(X: NDArray[np.int8]) -> int:
    """|Σ_X|, the number of permutations s with s·X = X, counted over all N! permutations
    (N ≤ 8: at most 40320), keeping after each item those that map it into X (by the
    binary codes of its images). The same number as
    ``symmetry_group(X).order()``, for a fraction of its time."""
    N = X.shape[1]
    member = np.zeros(1 << N, dtype=bool)
    member[np.asarray(X, dtype=np.int64) @ (1 << np.arange(N, dtype=np.int64))] = True
    weights = _image_code_weights(N)  # (N, N!): kept while they map every item seen into X
    for x in np.asarray(X, dtype=float):
        weights = weights[:, member[(x @ weights).astype(np.intp)]]
    return int(weights.shape[1])


def _orbit(p: NDArray[np.int8], powers: list[NDArray[np.intp]]) -> list[tuple[int, ...]]:
    return sorted({tuple(int(v) for v in p[g]) for g in powers})


def _random_rule(N: int, rng: np.random.Generator) -> Permutation:
    """A random non-identity permutation of N points: a reflection-like involution or a cycle."""
    while True:
        kind = rng.integers(3)
        perm = np.arange(N)
        if kind == 0:  # a product of disjoint transpositions
            k = int(rng.integers(1, N // 2 + 1))
            pts = rng.permutation(N)[: 2 * k]
            for a, b in pts.reshape(k, 2):
                perm[a], perm[b] = perm[b], perm[a]
        elif kind == 1:  # one cycle of length >= 3 on a random subset
            L = int(rng.integers(3, N + 1)) if N >= 3 else 2
            pts = rng.permutation(N)[:L]
            perm[pts] = np.roll(pts, 1)
        else:  # a uniformly random permutation
            perm = rng.permutation(N)
        if np.any(perm != np.arange(N)):
            return Permutation(perm.tolist())


def generate_puzzles(
    n: int,
    sizes: Sequence[int] = (3, 4, 5, 6, 7, 8),
    *,
    seed: int,
    max_items: int = 6,
    max_tries: int = 500,
) -> list[Puzzle]:
    """``n`` puzzles, cycling through the pattern lengths ``sizes`` (3 ≤ N ≤ 8).

    Each has a planted rule s, items that are a union of ⟨s⟩-orbits (2 ≤ K ≤ ``max_items``, not
    all fixed by s), Σ_X = ⟨s⟩ exactly, and a test item not in X that s moves. Deterministic in
    ``seed``. Raises ``ValueError`` if a size admits no such puzzle within ``max_tries`` draws.
    """
    n = _validate.integer(n, "n", 1, MAX_PUZZLES)
    max_items = _validate.integer(max_items, "max_items", 2, MAX_ITEMS)
    max_tries = _validate.integer(max_tries, "max_tries", 1, MAX_TRIES)
    if not sizes or any(
        isinstance(N, bool) or not isinstance(N, int | np.integer) or not 3 <= int(N) <= 8
        for N in sizes
    ):
        raise ValueError(f"sizes must be integers in 3..8, got {list(sizes)}")
    rng = np.random.default_rng(seed)
    puzzles: list[Puzzle] = []
    for k in range(n):
        N = int(sizes[k % len(sizes)])
        for _ in range(max_tries):
            puzzle = _try_puzzle(N, rng, max_items)
            if puzzle is not None:
                puzzles.append(puzzle)
                break
        else:
            raise ValueError(f"no puzzle of size N = {N} found in {max_tries} draws")
    return puzzles


def _try_puzzle(N: int, rng: np.random.Generator, max_items: int) -> Puzzle | None:
    rule = _random_rule(N, rng)
    g = np.asarray(rule.array_form, dtype=np.intp)
    powers = [np.arange(N)]
    while True:
        nxt = powers[-1][g]
        if np.array_equal(nxt, powers[0]):
            break
        powers.append(nxt)
    items: set[tuple[int, ...]] = set()
    target = int(rng.integers(2, max_items + 1))
    for _ in range(4 * max_items):
        if len(items) >= target:
            break
        p = rng.integers(0, 2, N).astype(np.int8)
        orbit = _orbit(p, powers)
        if len(items) + len(orbit) <= max_items:
            items.update(orbit)
    if len(items) < 2:
        return None
    X = np.array(sorted(items), dtype=np.int8)
    if all(np.array_equal(x[g], x) for x in X):  # the rule must move some item
        return None
    if _group_order(X) != len(powers):  # Σ_X must be exactly ⟨s⟩
        return None
    for _ in range(20):
        t = rng.integers(0, 2, N).astype(np.int8)
        if tuple(t) in items or np.array_equal(t[g], t):
            continue
        answers = _sorted_unique(np.array([t[q] for q in powers[1:]]))
        answers = answers[np.any(answers != t, axis=1)]
        return Puzzle(X, t, rule, answers)
    return None


@dataclass(frozen=True)
class NetworkAnswers:
    """What trained networks answer, one entry per puzzle: ``answers`` (binary patterns; all −1
    where the network gave no binary answer), ``kinds`` (one of :data:`ANSWER_KINDS`),
    ``rule_asymmetry`` (``‖s·W − W‖_F / ‖W‖_F`` for the planted rule s: 0 when the rule is
    written into the weights exactly) and the ``activation`` used."""

    answers: list[NDArray[np.int8]]
    kinds: NDArray[np.str_]
    rule_asymmetry: NDArray[np.float64]
    activation: Activation


def classify_answers(
    puzzles: Sequence[Puzzle], answers: Sequence[ArrayLike | None]
) -> NDArray[np.str_]:
    """The kind (:data:`ANSWER_KINDS`) of each answer; ``None`` means the network gave no binary
    answer (it did not settle, or settled with a unit at ½)."""
    if len(puzzles) != len(answers):
        raise ValueError(f"{len(puzzles)} puzzles but {len(answers)} answers: one answer each")
    kinds = []
    for k, (pz, a) in enumerate(zip(puzzles, answers, strict=True)):
        if a is None:
            kinds.append(ANSWER_KINDS[4])
            continue
        arr = np.asarray(a)
        if arr.shape != (pz.N,):
            raise ValueError(
                f"answer {k} has shape {arr.shape}; puzzle {k} needs a pattern of length {pz.N} "
                "(or None for no binary answer)"
            )
        a = as_pattern(arr, pz.N)
        if any(np.array_equal(a, r) for r in pz.answers):
            kinds.append(ANSWER_KINDS[0])
        elif np.array_equal(a, pz.test):
            kinds.append(ANSWER_KINDS[1])
        elif any(np.array_equal(a, x) for x in pz.X):
            kinds.append(ANSWER_KINDS[2])
        else:
            kinds.append(ANSWER_KINDS[3])
    return np.array(kinds)


#: Trained weights of the latest :func:`puzzle_weights` calls: chapter 5 scores a set of
#: puzzles (:func:`network_answers`) and then checks the proposition on the same networks
#: (:func:`itemsrel.no_rule.no_rule_check`), which need not train them twice.
WEIGHTS_MEMO_SIZE = 8
_weights_memo: OrderedDict[tuple, list[NDArray[np.float64]]] = OrderedDict()


def puzzle_weights(
    puzzles: Sequence[Puzzle],
    phi: Activation,
    *,
    init: str,
    seed: int,
    optimizer: str,
    lr: float,
    steps: int,
) -> list[NDArray[np.float64]]:
    """The trained W (N, N) of one auto-associator per puzzle, in puzzle order. Puzzles of equal
    (K, N) train together as one batch; network p draws its initial weights from seed
    ``seed + p``. The last :data:`WEIGHTS_MEMO_SIZE` results are kept in memory (copies are
    returned)."""
    from .training import train

    key = (
        tuple((pz.X.shape, np.asarray(pz.X, dtype=np.int8).tobytes()) for pz in puzzles),
        phi,
        init,
        int(seed),
        optimizer,
        float(lr),
        int(steps),
    )
    if key in _weights_memo:
        _weights_memo.move_to_end(key)
        return [W.copy() for W in _weights_memo[key]]
    weights: list[NDArray[np.float64]] = [np.empty(0)] * len(puzzles)
    groups: dict[tuple[int, int], list[int]] = {}
    for p, pz in enumerate(puzzles):
        groups.setdefault(pz.X.shape, []).append(p)
    for idx in groups.values():
        res = train(
            np.stack([puzzles[p].X for p in idx]),
            phi,
            init,
            optimizer,
            lr=lr,
            steps=steps,
            seeds=[seed + p for p in idx],
            record_every=steps,  # the loss history is not used
        )
        for W, p in zip(res.W, idx, strict=True):
            weights[p] = W
    _weights_memo[key] = [W.copy() for W in weights]
    while len(_weights_memo) > WEIGHTS_MEMO_SIZE:
        _weights_memo.popitem(last=False)
    return weights


def _read_answer(
    W: NDArray[np.float64],
    test: NDArray[np.int8],
    phi: Activation,
    iterations: int,
    tol: float,
    undecided: float,
) -> NDArray[np.int8] | None:
    """The binary answer of the network W (N, N) to ``test``, or None (see
    :func:`network_answers`)."""
    if not np.all(np.isfinite(W)):
        return None
    traj = iterate(W, test.astype(float), phi, iterations)
    end, before = traj[-1, 0], traj[-2, 0]
    settled = np.all(np.isfinite(end)) and np.max(np.abs(end - before)) <= tol
    if settled and np.min(np.abs(end - 0.5)) > undecided:
        return (end > 0.5).astype(np.int8)
    return None


def _answers_of(
    puzzles: Sequence[Puzzle],
    weights: Sequence[NDArray[np.float64]],
    phi: Activation,
    iterations: int,
    tol: float,
    undecided: float,
) -> NetworkAnswers:
    """Read off and classify the answers of trained weights, one W (N, N) per puzzle."""
    n = len(puzzles)
    answers: list[NDArray[np.int8] | None] = [None] * n
    asymmetry = np.full(n, np.nan)
    for p, (pz, W) in enumerate(zip(puzzles, weights, strict=True)):
        if not np.all(np.isfinite(W)):
            continue
        answers[p] = _read_answer(W, pz.test, phi, iterations, tol, undecided)
        norm = np.linalg.norm(W)
        asymmetry[p] = np.linalg.norm(act_on_matrix(pz.rule, W) - W) / norm if norm else 0.0
    kinds = classify_answers(puzzles, answers)
    filled = [
        a if a is not None else np.full(puzzles[k].N, -1, dtype=np.int8)
        for k, a in enumerate(answers)
    ]
    return NetworkAnswers(filled, kinds, asymmetry, phi)


def network_answers(
    puzzles: Sequence[Puzzle],
    activation: str | Activation,
    *,
    init: str = "zeros",
    seed: int = 0,
    optimizer: str = "sgd",
    lr: float = 0.5,
    steps: int = 1500,
    iterations: int = 200,
    tol: float = 1e-3,
    undecided: float = 1e-3,
) -> NetworkAnswers:
    """Train one auto-associator per puzzle on its items, iterate ``x ← φ(W x)`` from the test
    item, and binarise the end state at ½ if it has settled (no unit moves by more than ``tol``
    in the last of ``iterations`` steps; binarising makes the slow drift of a not fully
    converged linear network harmless). A settled state with a unit within ``undecided`` of ½
    (e.g. a linear network's projection of t onto an item's midpoint) is no binary answer, and
    neither is a diverged network. Puzzles of equal (K, N) train together as one batch; network p draws
    its initial weights from seed ``seed + p``."""
    phi = get_activation(activation)
    tol = _validate.tolerance(tol, "tol")
    undecided = _validate.tolerance(undecided, "undecided")
    iterations = _validate.integer(iterations, "iterations", 1)
    weights = puzzle_weights(
        puzzles, phi, init=init, seed=seed, optimizer=optimizer, lr=lr, steps=steps
    )
    return _answers_of(puzzles, weights, phi, iterations, tol, undecided)


def _is_plain(phi: Activation) -> bool:
    """φ(z) = z, so φ' = 1 and the error is the gradient's signal (as in the engine's model)."""
    return phi.name == "linear" and phi.gain == 1.0 and phi.shift == 0.0


def _numpy_gradient(W: torch.Tensor, X: NDArray[np.int8], phis: Sequence[Activation]) -> Any:
    """The full-batch gradient of networks W (A, N, N), one activation each, on the items X
    (K, N), computed in numpy on a view of W's memory (the optimiser updates W in place): for
    these tiny networks a step costs its calls, and numpy's are a few times cheaper than
    torch's. Equal to :func:`_torch_gradient` up to rounding."""
    import torch

    K, N = X.shape
    Wn = W.numpy()
    XT = np.ascontiguousarray(X.T, dtype=float)  # (N, K): the targets
    tXs = X.astype(float) * (2.0 / (K * N))  # (K, N): the loss's 2/(K N) folded in
    signal = np.empty((len(phis), N, K))
    plain = [_is_plain(phi) for phi in phis]

    def gradient(step: int = 0) -> tuple[list[torch.Tensor], None]:
        Z = Wn @ XT  # (A, N, K)
        with np.errstate(over="ignore", invalid="ignore"):
            for k, phi in enumerate(phis):
                if plain[k]:
                    np.subtract(Z[k], XT, out=signal[k])
                else:
                    np.multiply(phi(Z[k]) - XT, phi.derivative(Z[k]), out=signal[k])
        return [torch.from_numpy(signal @ tXs)], None

    return gradient


def _torch_gradient(W: torch.Tensor, X: NDArray[np.int8], phis: Sequence[Activation]) -> Any:
    """:func:`_numpy_gradient` in torch, with the engine model's operations, so that the
    weights equal :func:`itemsrel.training.train`'s to the last bit (Adam, which divides by the
    gradient's size, can turn a rounding difference into a different end state)."""
    import torch

    K, N = X.shape
    tX = torch.as_tensor(X, dtype=W.dtype)
    XT, tXs = tX.T.contiguous(), tX * (2.0 / (K * N))
    value_and_grad = [None if _is_plain(phi) else phi.torch_value_and_grad for phi in phis]

    def gradient(step: int = 0) -> tuple[list[torch.Tensor], None]:
        parts = []
        for z, vg in zip(torch.matmul(W, XT).unbind(0), value_and_grad, strict=True):
            if vg is None:
                parts.append(z - XT)
            else:
                y, dy = vg(z)
                parts.append((y - XT) * dy)
        return [torch.matmul(torch.stack(parts), tXs)], None

    return gradient


def activation_weights(
    X: ArrayLike,
    activations: Sequence[str | Activation],
    *,
    init: str = "zeros",
    seed: int = 0,
    optimizer: str = "sgd",
    lr: float = 0.5,
    steps: int = 1500,
    also_at: Sequence[int] = (),
    grad_tol: float = 1e-7,
    check_every: int = 100,
) -> dict[int, NDArray[np.float64]]:
    """The trained W, shape (A, N, N), of one auto-associator per activation on the items X
    (K, N), after ``steps`` steps and after each smaller budget in ``also_at`` (one run: the
    weights of a shorter run are a stage of the longer one): ``{budget: W}``.

    All A networks train as one batched program: the engine's loop and optimiser, the
    full-batch gradient of :mod:`itemsrel.auto_associator` (in numpy for SGD, in torch with the
    engine's operations for Adam), every network starting from seed ``seed`` (as puzzle 0 of
    :func:`puzzle_weights`), so W is what :func:`puzzle_weights` gives for that activation (up
    to rounding for SGD). With SGD, training stops once every
    network's largest gradient entry is at most ``grad_tol`` (checked every ``check_every``
    steps; the rest of the budget would move no weight by more than ``lr × grad_tol`` a step).
    Adam never stops early: its steps keep their size ``lr`` however small the gradient.
    A diverged network's W is NaN."""
    import torch

    from .auto_associator import initial_weights
    from .engine import Optimiser, fit, flag_diverged, thread_policy, validate_optimiser
    from .training import OPTIMIZERS

    Xn = as_training_set(X)
    K, N = Xn.shape
    phis = [get_activation(a) for a in activations]
    if not phis:
        raise ValueError("activations must name at least one activation")
    validate_optimiser(optimizer, lr, allowed=OPTIMIZERS)
    steps = _validate.integer(steps, "steps", 1)
    budgets = sorted({_validate.integer(b, "also_at", 0) for b in also_at} | {steps})
    budgets = [b for b in budgets if b <= steps]
    check_every = _validate.integer(check_every, "check_every", 1)
    grad_tol = _validate.tolerance(grad_tol, "grad_tol")
    A = len(phis)
    W = torch.as_tensor(initial_weights(init, N, [int(seed)] * A), dtype=torch.float64).clone()
    make = _numpy_gradient if optimizer == "sgd" else _torch_gradient
    gradient = make(W, Xn, phis)

    stages: dict[int, NDArray[np.float64]] = {}
    wanted = set(budgets[:-1])

    def observe(step: int, _: None) -> None:  # called before update `step`: W after `step`
        if step in wanted:
            stages[step] = W.numpy().copy()

    def converged(steps_run: int) -> bool:
        if steps_run % check_every:
            return False
        (G,), _ = gradient()
        return bool((G.abs().amax() <= grad_tol).item())

    opt = Optimiser([W], optimizer, lr=lr)
    with thread_policy(A * N * K * N, W.device):
        fit(
            gradient,
            opt,
            steps,
            observe=observe if wanted else None,
            stop=converged if optimizer == "sgd" else None,
        )
    final = W.numpy().copy()
    out = {}
    for b in budgets:
        Wb = stages.get(b, final).copy()  # budgets past an early stop: where the run ended
        Wb[flag_diverged([Wb], lr=lr, optimizer=optimizer)] = np.nan
        out[b] = Wb
    return out


def puzzle_answers(
    puzzle: Puzzle,
    activations: Sequence[str | Activation] = ("linear", "tanh", "sigmoid"),
    *,
    init: str = "zeros",
    seed: int = 0,
    optimizer: str = "sgd",
    lr: float = 0.5,
    steps: int = 1500,
    iterations: int = 200,
    tol: float = 1e-3,
    undecided: float = 1e-3,
    weights: NDArray[np.float64] | None = None,
) -> list[NetworkAnswers]:
    """What one puzzle's networks answer, one :class:`NetworkAnswers` (of one entry) per
    activation: :func:`network_answers` for ``[puzzle]``, but the activations trained together
    by :func:`activation_weights` (stopping once converged), which is what the live panel
    needs. ``weights`` (A, N, N): already trained weights (skips the training)."""
    phis = [get_activation(a) for a in activations]
    tol = _validate.tolerance(tol, "tol")
    undecided = _validate.tolerance(undecided, "undecided")
    iterations = _validate.integer(iterations, "iterations", 1)
    if weights is None:
        weights = activation_weights(
            puzzle.X, phis, init=init, seed=seed, optimizer=optimizer, lr=lr, steps=steps
        )[steps]
    if np.shape(weights) != (len(phis), puzzle.N, puzzle.N):
        raise ValueError(
            f"weights must have shape {(len(phis), puzzle.N, puzzle.N)}, got {np.shape(weights)}"
        )
    return [
        _answers_of([puzzle], [W], phi, iterations, tol, undecided)
        for W, phi in zip(weights, phis, strict=True)
    ]
