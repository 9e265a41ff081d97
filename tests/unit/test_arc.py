"""ARC-style puzzles: the paper's triangle example, generated puzzles, and network answers."""

from __future__ import annotations

import numpy as np
import pytest

from itemsrel.analytic import PAPER_X_PRIME
from itemsrel.arc import (
    ANSWER_KINDS,
    classify_answers,
    generate_puzzles,
    is_rule,
    network_answers,
    predict,
)
from itemsrel.symmetry import act, symmetry_group


def test_the_papers_example_gives_101():
    # X' as two triangles, test triangle (1,1,0): the rule (2 3) gives (1,0,1)
    assert predict(PAPER_X_PRIME, [1, 1, 0]).tolist() == [[1, 0, 1]]


def test_the_rotation_is_rejected_and_the_swap_accepted():
    assert is_rule(PAPER_X_PRIME, [0, 2, 1])  # (2 3)
    assert not is_rule(PAPER_X_PRIME, [1, 2, 0])  # (1 2 3): 010 -> 100, not an item
    assert not is_rule(PAPER_X_PRIME, [2, 0, 1])  # (1 3 2)


def test_a_test_item_fixed_by_every_rule_has_no_answer():
    assert predict(PAPER_X_PRIME, [1, 1, 1]).shape == (0, 3)


def test_predict_lists_the_whole_orbit_sorted():
    # the 4 one-hot patterns of length 4 have all of S_4: any weight-2 pattern goes to the other 5
    X = np.eye(4, dtype=int)
    out = predict(X, [1, 1, 0, 0])
    assert out.shape == (5, 4)
    assert out.tolist() == sorted(out.tolist())
    assert (out.sum(axis=1) == 2).all()


@pytest.fixture(scope="module")
def puzzles():
    return generate_puzzles(36, seed=11)


def test_generated_puzzles_have_the_planted_rule_as_their_whole_group(puzzles):
    assert {p.N for p in puzzles} == {3, 4, 5, 6, 7, 8}
    for p in puzzles:
        G = symmetry_group(p.X)
        assert G.contains(p.rule)
        assert G.order() == p.rule.order()  # Σ_X = ⟨s⟩ exactly
        assert is_rule(p.X, p.rule)
        assert 2 <= len(p.X)
        assert tuple(p.test) not in {tuple(x) for x in p.X}
        assert not np.array_equal(act(p.rule, p.test), p.test)
        assert predict(p.X, p.test).tolist() == p.answers.tolist()


def test_generation_is_deterministic():
    a, b = generate_puzzles(6, seed=3), generate_puzzles(6, seed=3)
    assert all(
        np.array_equal(p.X, q.X) and np.array_equal(p.test, q.test)
        for p, q in zip(a, b, strict=True)
    )
    c = generate_puzzles(6, seed=4)
    assert not all(np.array_equal(p.X, q.X) for p, q in zip(a, c, strict=True))


def test_classify_answers(puzzles):
    p = puzzles[0]
    kinds = classify_answers([p] * 5, [p.answers[0], p.test, p.X[0], None, 1 - p.test])
    assert kinds[:4].tolist() == [
        ANSWER_KINDS[0],
        ANSWER_KINDS[1],
        ANSWER_KINDS[2],
        ANSWER_KINDS[4],
    ]
    assert kinds[4] in (ANSWER_KINDS[2], ANSWER_KINDS[3])  # the complement may happen to be an item


@pytest.mark.parametrize("activation", ["linear", "tanh", "sigmoid"])
def test_invariant_networks_never_apply_the_rule(puzzles, activation):
    # From zero weights training stays Σ_X-invariant, so the limit map is equivariant and idempotent:
    # it cannot send t to s·t ≠ t (it would also have to send s·t to s²·t).
    out = network_answers(puzzles, activation, init="zeros", steps=400)
    np.testing.assert_allclose(out.rule_asymmetry, 0.0, atol=1e-12)
    assert ANSWER_KINDS[0] not in set(out.kinds)


def test_network_answers_on_the_papers_example():
    from sympy.combinatorics import Permutation

    from itemsrel.arc import Puzzle

    p = Puzzle(
        PAPER_X_PRIME.astype(np.int8),
        np.array([1, 1, 0], np.int8),
        Permutation([0, 2, 1]),
        np.array([[1, 0, 1]], np.int8),
    )
    for act_name in ("linear", "tanh", "sigmoid"):
        out = network_answers([p], act_name, steps=1500)
        assert out.answers[0].tolist() == [0, 1, 0]  # every network recalls the item 010
        assert out.kinds[0] == ANSWER_KINDS[2]


def test_bad_arguments():
    with pytest.raises(ValueError, match="sizes"):
        generate_puzzles(3, sizes=(2,), seed=0)
    with pytest.raises(ValueError, match="n must be"):
        generate_puzzles(0, seed=0)
    with pytest.raises(ValueError, match="length"):
        predict(PAPER_X_PRIME, [1, 0])
    with pytest.raises(ValueError, match="puzzles"):
        classify_answers([], [None])


def test_a_state_halfway_between_patterns_is_no_binary_answer():
    from sympy.combinatorics import Permutation

    from itemsrel.arc import Puzzle

    # X = {110, 001}: the linear network projects the test 100 onto (1/2, 1/2, 0), the midpoint
    # of 100 and the rule's answer 010; reading it as 000 or 110 would be a coin flip.
    X = np.array([[1, 1, 0], [0, 0, 1]], np.int8)
    p = Puzzle(X, np.array([1, 0, 0], np.int8), Permutation([1, 0, 2]), predict(X, [1, 0, 0]))
    assert p.answers.tolist() == [[0, 1, 0]]
    out = network_answers([p], "linear", init="zeros", steps=1500)
    assert out.kinds[0] == ANSWER_KINDS[4]
    assert (out.answers[0] < 0).all()


def test_answer_and_puzzle_figures(puzzles):
    from itemsrel.figures.arc import answers_figure, puzzle_figure

    fig = answers_figure(
        {"a": ["applies a rule", "other pattern"], "b": ["other pattern"] * 2}, ANSWER_KINDS
    )
    assert [t.name for t in fig.data] == list(ANSWER_KINDS)
    assert list(fig.data[0].x) == [50.0, 0.0] and list(fig.data[3].x) == [50.0, 100.0]
    out = network_answers(puzzles[:2], "tanh", steps=200)
    pf = puzzle_figure(puzzles[1], {"tanh": out}, 1)
    captions = [a.text for a in pf.layout.annotations]
    assert any(c.startswith("tanh:<br>") for c in captions)
    assert any(c.startswith("rule's answer") for c in captions)


@pytest.mark.parametrize(("optimizer", "lr", "steps"), [("sgd", 0.5, 1500), ("adam", 0.3, 600)])
def test_the_batched_path_answers_as_the_full_budget_path(optimizer, lr, steps):
    # the live panel's path (three activations in one batch, SGD stopping once converged)
    # against network_answers (one training per activation, every step of the budget)
    from itemsrel.activations import get_activation
    from itemsrel.arc import activation_weights, puzzle_answers, puzzle_weights

    names = ("linear", "tanh", "sigmoid")
    pzs = generate_puzzles(4, sizes=(3, 5, 8), seed=5)
    full = [network_answers(pzs, a, optimizer=optimizer, lr=lr, steps=steps) for a in names]
    kinds = set()
    for p, pz in enumerate(pzs):
        fast = puzzle_answers(pz, names, optimizer=optimizer, lr=lr, steps=steps)
        for f, s in zip(fast, full, strict=True):
            assert f.answers[0].tolist() == s.answers[p].tolist()
            assert f.kinds[0] == s.kinds[p]
            kinds.add(str(f.kinds[0]))
    assert len(kinds) >= 2  # the puzzles are answered in different ways
    # the weights themselves: to the last bit with Adam, to rounding (or the early stop) with SGD
    W = activation_weights(pzs[0].X, names, optimizer=optimizer, lr=lr, steps=steps)[steps]
    for k, a in enumerate(names):
        (Ws,) = puzzle_weights(
            [pzs[0]], get_activation(a), init="zeros", seed=0, optimizer=optimizer, lr=lr,
            steps=steps,
        )
        if optimizer == "adam":
            assert np.array_equal(W[k], Ws)
        else:
            np.testing.assert_allclose(W[k], Ws, atol=1e-6)


def test_activation_weights_keeps_the_stages_of_one_run():
    from itemsrel.arc import activation_weights

    X = PAPER_X_PRIME
    both = activation_weights(X, ["tanh", "sigmoid"], optimizer="adam", steps=500, also_at=[200, 900])
    assert sorted(both) == [200, 500]  # a budget past the run's is no stage of it
    alone = activation_weights(X, ["tanh", "sigmoid"], optimizer="adam", steps=200)
    assert np.array_equal(both[200], alone[200])
    assert not np.allclose(both[200], both[500])
    # SGD's linear network converges within 100 steps: later budgets are its end state, which
    # is the projection onto span(X') = {e2, e3}
    lin = activation_weights(X, ["linear"], steps=1500, also_at=[300])
    np.testing.assert_allclose(lin[1500][0], np.diag([0.0, 1.0, 1.0]), atol=1e-6)
    assert np.array_equal(lin[300], lin[1500])
    with pytest.raises(ValueError, match="at least one"):
        activation_weights(X, [])


def test_puzzle_weights_are_kept_for_the_same_networks():
    from itemsrel.activations import get_activation
    from itemsrel.arc import _weights_memo, puzzle_weights

    pzs = generate_puzzles(3, sizes=(4,), seed=8)
    kw = {"init": "normal", "seed": 3, "optimizer": "sgd", "lr": 0.5, "steps": 50}
    first = puzzle_weights(pzs, get_activation("tanh"), **kw)
    n = len(_weights_memo)
    first[0][:] = 99.0  # the caller's copy; the kept weights stay
    again = puzzle_weights(pzs, get_activation("tanh"), **kw)
    assert len(_weights_memo) == n and not np.any(again[0] == 99.0)
    other = puzzle_weights(pzs, get_activation("tanh"), **{**kw, "seed": 4})
    assert not np.allclose(other[1], again[1])  # another seed: other initial weights
    assert np.array_equal(again[2], first[2])


def test_the_group_order_count_agrees_with_the_symmetry_group():
    from itemsrel.arc import _group_order

    rng = np.random.default_rng(4)
    orders = []
    for _ in range(60):
        N = int(rng.integers(3, 9))
        X = np.unique(rng.integers(0, 2, (int(rng.integers(1, 6)), N)).astype(np.int8), axis=0)
        orders.append(_group_order(X))
        assert orders[-1] == int(symmetry_group(X).order())
    assert _group_order(np.eye(4, dtype=np.int8)) == 24  # S_4
    assert _group_order(PAPER_X_PRIME.astype(np.int8)) == 2  # e, (2 3)
    assert len(set(orders)) > 3
