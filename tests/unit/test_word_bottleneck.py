"""Tests of itemsrel.word_bottleneck: closed-form gradient, training against AdamW, irrep sizes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from itemsrel.engine import autograd_gradient
from itemsrel.grokking import WordTask, neuron_irreps, predict, train_split
from itemsrel.groups import cyclic, dihedral, symmetric, word_table
from itemsrel.irreps import real_irreps
from itemsrel.word_bottleneck import (
    bottleneck_gradient,
    bottleneck_weights,
    irrep_sizes,
    size_comparison,
    train_bottleneck,
)


def _problem(seed: int = 0, M: int = 2, n: int = 6, d: int = 3, w: int = 5, K: int = 7):
    g = torch.Generator().manual_seed(seed)
    params = [
        torch.randn(M, 2 * n, d, generator=g, dtype=torch.float64),
        torch.randn(M, d, w, generator=g, dtype=torch.float64),
        torch.randn(M, w, n, generator=g, dtype=torch.float64),
    ]
    rows = torch.stack(
        [torch.randint(0, n, (M, K), generator=g), n + torch.randint(0, n, (M, K), generator=g)],
        dim=-1,
    )
    target = torch.randint(0, n, (M, K), generator=g)
    weight = torch.rand(M, K, generator=g, dtype=torch.float64)
    return params, rows, target, weight


@pytest.mark.parametrize("activation", ["relu", "tanh", "gelu", "quadratic"])
def test_gradient_matches_autograd(activation):
    params, rows, target, weight = _problem()
    grads, loss = bottleneck_gradient(params, rows, target, weight, activation)
    ref, ref_loss = autograd_gradient(
        lambda p: bottleneck_gradient(p, rows, target, weight, activation)[1], params
    )
    for a, b in zip(grads, ref, strict=True):
        assert torch.allclose(a, b, atol=1e-12, rtol=1e-10)
    assert torch.allclose(loss, ref_loss)


def test_loss_is_the_weighted_cross_entropy():
    params, rows, target, weight = _problem(M=1, K=3)
    A, P, U = (p[0] for p in params)
    _, loss = bottleneck_gradient(params, rows, target, weight, "relu")
    expected = 0.0
    for k in range(3):
        h = torch.relu((A[rows[0, k, 0]] + A[rows[0, k, 1]]) @ P)
        logp = torch.log_softmax(h @ U, dim=-1)
        expected -= float(weight[0, k] * logp[target[0, k]])
    assert float(loss[0]) == pytest.approx(expected, rel=1e-12)


def _reference(task: WordTask, dim: int, width: int, lr: float, steps: int):
    """One network trained with autograd and torch.optim.AdamW(weight_decay=λ)."""
    n = task.group.order
    A, P, U = (torch.tensor(w, requires_grad=True) for w in bottleneck_weights(task, dim, width))
    mask = train_split(n, task.fraction, task.seed)
    x, y = np.nonzero(mask)
    z = torch.as_tensor(word_table(task.group, task.word)[x, y])
    xi, yi = torch.as_tensor(x), torch.as_tensor(y + n)
    opt = torch.optim.AdamW([A, P, U], lr=lr, betas=(0.9, 0.98), weight_decay=task.weight_decay)
    for _ in range(steps):
        opt.zero_grad()
        logits = torch.relu((A[xi] + A[yi]) @ P) @ U
        torch.nn.functional.cross_entropy(logits, z).backward()
        opt.step()
    return A.detach().numpy(), P.detach().numpy(), U.detach().numpy()


def test_training_equals_adamw_and_batching_does_not_matter():
    G = cyclic(6)
    tasks = [WordTask(G, "x*y", 0.6, 1.0, 3), WordTask(G, "x*y^-1", 0.5, 0.0, 4)]
    both = train_bottleneck(tasks, dim=3, width=8, lr=1e-2, steps=25, eval_every=5)
    alone = train_bottleneck(tasks[1:], dim=3, width=8, lr=1e-2, steps=25, eval_every=5)
    A, P, U = _reference(tasks[0], 3, 8, 1e-2, 25)
    np.testing.assert_allclose(both.emb_low[0], A, atol=1e-12)
    np.testing.assert_allclose(both.proj[0], P, atol=1e-12)
    np.testing.assert_allclose(both.readout[0], U, atol=1e-12)
    np.testing.assert_allclose(both.emb[1], alone.emb[0], atol=1e-13)
    assert both.eval_steps.tolist() == [0, 5, 10, 15, 20, 25]


def test_result_is_a_grok_result_of_the_effective_network():
    G = dihedral(3)
    tasks = [WordTask(G, "x*y", 0.7, 1.0, 0)]
    r = train_bottleneck(tasks, dim=2, width=6, lr=5e-2, steps=30, eval_every=10)
    np.testing.assert_allclose(r.emb[0], r.emb_low[0] @ r.proj[0])
    assert np.linalg.matrix_rank(r.emb[0]) <= 2
    Ex, Ey, U = r.weights(0)
    pred = predict(Ex, Ey, U, "relu")
    right = pred == word_table(G, "x*y")
    mask = r.train_masks[0]
    assert r.train_acc[-1, 0] == pytest.approx(right[mask].mean())
    assert r.test_acc[-1, 0] == pytest.approx(right[~mask].mean())
    assert r.config["dim"] == 2 and r.summary().shape[0] == 1


def test_training_lowers_the_loss():
    G = cyclic(8)
    r = train_bottleneck([WordTask(G, "x*y", 0.8, 0.1, 1)], dim=4, width=32, steps=60)
    assert r.train_loss[-1, 0] < 0.5 * r.train_loss[0, 0]


@pytest.mark.parametrize(
    "kwargs", [{"dim": 0}, {"dim": 2, "width": 1.5}, {"dim": 2, "activation": "sigmoid"}]
)
def test_bad_settings_raise(kwargs):
    with pytest.raises(ValueError):
        train_bottleneck([WordTask(cyclic(4), "x*y", 0.5)], steps=2, **kwargs)


def test_irrep_sizes():
    S4 = symmetric(4)
    sizes = irrep_sizes(S4)
    expected = {r.name: r.dim**2 / 24 for r in real_irreps(S4)}
    assert dict(zip([r.name for r in real_irreps(S4)], sizes, strict=True)) == pytest.approx(
        expected
    )
    Z = irrep_sizes(cyclic(24))
    names = [r.name for r in real_irreps(cyclic(24))]
    assert sorted(Z * 24) == pytest.approx([1.0, 1.0] + [2.0] * 11)
    assert Z.sum() == pytest.approx(1.0) and len(names) == 13


def test_random_embeddings_split_in_proportion_to_size():
    G = dihedral(12)
    E = np.random.default_rng(0).standard_normal((24, 4000))
    share = neuron_irreps(G, E, E, E.T).share("x", active_only=False)
    sc = size_comparison(G, share)
    assert sc.tv < 0.02 and sc.within(1.2)


def test_size_comparison_by_hand():
    S4 = symmetric(4)
    names = [r.name for r in real_irreps(S4)]
    share = np.zeros(5)
    share[names.index("[3,1]")] = 1.0  # all power in the standard irrep
    share[names.index("[4]")] = 7.0  # the trivial part is ignored
    sc = size_comparison(S4, share)
    k = sc.names.index("[3,1]")
    assert sc.size[k] == pytest.approx(9 / 23)
    assert sc.ratio[k] == pytest.approx(23 / 9)
    assert sc.tv == pytest.approx(1 - 9 / 23)
    assert not sc.within(2.0)
    same = size_comparison(S4, irrep_sizes(S4))
    assert same.tv == pytest.approx(0.0, abs=1e-15) and same.within(1.0 + 1e-12)
    with pytest.raises(ValueError):
        size_comparison(S4, np.ones(4))
