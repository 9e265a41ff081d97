"""Tests of itemsrel.training: limits of gradient descent, batching, gradients, validation."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from itemsrel.activations import get_activation
from itemsrel.analytic import PAPER_X, PAPER_X_PRIME
from itemsrel.linear_theory import gd_limit, projector
from itemsrel.patterns import all_patterns
from itemsrel.symmetry import distance_to_invariant, symmetry_group
from itemsrel.training import initial_weights, objective, pattern_loss, train


def _random_set(N: int, K: int, seed: int) -> np.ndarray:
    """K distinct, linearly independent binary items of length N (seeded)."""
    rng = np.random.default_rng(seed)
    while True:
        X = rng.integers(0, 2, (K, N))
        if len({tuple(r) for r in X}) == K and np.linalg.matrix_rank(X) == K:
            return X


def _stable_lr(X: np.ndarray) -> float:
    """Half the largest stable step of full-batch GD on eq. 7: the Hessian per row of W is
    2/(K N) XᵀX, so lr < K N / σ_max(X)² converges."""
    K, N = X.shape
    return 0.5 * K * N / np.linalg.norm(X.astype(float), 2) ** 2


SETS = [(3, 2, 3), (5, 3, 5), (8, 4, 8), (8, 5, 11)]


@pytest.mark.parametrize(("N", "K", "seed"), SETS)
def test_gd_from_zero_converges_to_projector(N: int, K: int, seed: int) -> None:
    X = _random_set(N, K, seed)
    res = train(
        X,
        init="zeros",
        lr=_stable_lr(X),
        steps=20000,
        grad_tol=1e-13,
        stop_when_converged=True,
        device="cpu",
    )
    assert res.converged[0] and not res.diverged[0]
    np.testing.assert_allclose(res.W[0], projector(X), atol=1e-6)
    # the trained map reproduces every training item
    np.testing.assert_allclose(X @ res.W[0].T, X, atol=1e-6)
    assert res.final_loss[0] < 1e-12


@pytest.mark.parametrize(("N", "K", "seed"), SETS)
def test_gd_from_any_init_converges_to_P_plus_W0_complement(N: int, K: int, seed: int) -> None:
    X = _random_set(N, K, seed)
    seeds = [0, 1, 2, 3]
    W0 = initial_weights("normal", N, seeds, sigma=1.0)
    res = train(
        X,
        init="normal",
        sigma=1.0,
        seeds=seeds,
        lr=_stable_lr(X),
        steps=20000,
        grad_tol=1e-13,
        stop_when_converged=True,
        device="cpu",
    )
    assert res.converged.all()
    expected = gd_limit(X, W0)
    np.testing.assert_allclose(res.W, expected, atol=1e-6)
    # the limit is NOT the projector: the initial component outside span(X) survives
    assert np.max(np.abs(res.W - projector(X))) > 0.1
    np.testing.assert_allclose(
        np.einsum("bij,kj->bki", res.W, X), np.broadcast_to(X, (4, K, N)), atol=1e-6
    )


def test_paper_sgd_matrices_zero_and_ones() -> None:
    """W_0^SGD is the projector, W_1^SGD = P + J(I − P): exact values (paper's eq. after §3.1.1)."""
    r0 = train(PAPER_X, init="zeros", lr=0.5, steps=3000, device="cpu")
    r1 = train(PAPER_X, init="ones", lr=0.5, steps=3000, device="cpu")
    third = 1.0 / 3.0
    P = np.array([[2, 1, 1], [1, 2, -1], [1, -1, 2]]) * third
    np.testing.assert_allclose(r0.W[0], P, atol=1e-10)
    W1 = np.array([[third, 2 * third, 2 * third], [0, 1, 0], [0, 0, 1]])
    np.testing.assert_allclose(r1.W[0], W1, atol=1e-10)


def test_average_over_random_inits_is_invariant_and_close_to_P() -> None:
    X = PAPER_X
    G = symmetry_group(X)
    seeds = range(400)
    res = train(X, init="normal", sigma=1.0, seeds=seeds, lr=1.0, steps=150, device="cpu")
    assert res.converged.all()
    individual = distance_to_invariant(res.W, G)
    mean = res.mean_W()
    d_mean = distance_to_invariant(mean, G)
    assert np.median(individual) > 0.3  # single networks break the (2 3) symmetry
    assert d_mean < 0.1
    assert d_mean < 0.15 * np.median(individual)
    assert np.max(np.abs(mean - projector(X))) < 0.15
    # by linearity of the limit, the mean is exactly the limit of the mean initial matrix
    W0 = initial_weights("normal", 3, list(seeds), sigma=1.0)
    np.testing.assert_allclose(mean, gd_limit(X, W0.mean(axis=0)), atol=1e-8)


def test_divergence_is_flagged_not_converged() -> None:
    with pytest.warns(RuntimeWarning, match="diverged"):
        res = train(PAPER_X, init="normal", seeds=[0, 1], lr=100.0, steps=500, device="cpu")
    assert res.diverged.all()
    assert not res.converged.any()
    assert np.isnan(res.W).all()
    assert np.isnan(res.final_loss).all()
    with pytest.raises(ValueError, match="every network diverged"):
        res.mean_W()


def test_divergence_only_flags_the_diverging_networks() -> None:
    with pytest.warns(RuntimeWarning, match="1 of 2"):
        res = train(
            PAPER_X,
            seeds=[0, 1],
            lr=1.0,
            steps=300,
            W0=np.zeros((3, 3)),
            regularization={"l2": [0.0, 2000.0]},
            device="cpu",
        )
    assert list(res.diverged) == [False, True]
    assert res.converged[0] and not res.converged[1]
    assert np.isfinite(res.W[0]).all() and np.isnan(res.W[1]).all()


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("activation", ["linear", "tanh"])
def test_batched_equals_looped_bit_for_bit(optimizer: str, activation: str) -> None:
    kw = dict(
        activation=activation,
        init="normal",
        optimizer=optimizer,
        lr=0.05,
        steps=300,
        sigma=0.5,
        device="cpu",
        regularization={"l2": 1e-3},
    )
    batched = train(PAPER_X, seeds=range(8), **kw)
    looped = np.stack([train(PAPER_X, seeds=[s], **kw).W[0] for s in range(8)])
    assert np.array_equal(batched.W, looped)
    again = train(PAPER_X, seeds=range(8), **kw)
    assert np.array_equal(batched.W, again.W)
    assert np.array_equal(batched.loss_history, again.loss_history)


def _fd_gradient(W: np.ndarray, h: float = 1e-6, **kw) -> np.ndarray:
    G = np.zeros_like(W)
    for i in range(W.shape[0]):
        for j in range(W.shape[1]):
            E = np.zeros_like(W)
            E[i, j] = h
            G[i, j] = (objective(W + E, **kw)[0] - objective(W - E, **kw)[0]) / (2 * h)
    return G


def _train_gradient(W: np.ndarray, **kw) -> np.ndarray:
    """The gradient train() uses, read off one plain-SGD step with lr = 1: W₁ = W₀ − G."""
    res = train(kw.pop("X"), W0=W, optimizer="sgd", lr=1.0, steps=1, device="cpu", **kw)
    return W - res.W[0]


@pytest.mark.parametrize("activation", ["linear", "tanh", "sigmoid", "relu"])
@pytest.mark.parametrize(
    "regularization",
    [
        None,
        {"l1": 0.3},
        {"l2": 0.7},
        {"rate": 0.5},
        {"level": 0.9},
        {"l1": 0.1, "l2": 0.2, "rate": 0.3, "level": 0.4},
    ],
)
def test_gradient_matches_finite_differences(activation: str, regularization) -> None:
    rng = np.random.default_rng(7)
    W = rng.uniform(0.2, 0.8, (3, 3)) * rng.choice([-1.0, 1.0], (3, 3))  # |W_ij| >= 0.2 (for l1)
    targets = np.array([[0.9, 0.1, 0.8], [0.7, 0.9, 0.2]])
    kw = dict(
        activation=activation, regularization=regularization, targets=targets, level_target=0.3
    )
    # ReLU has a kink at z = 0: keep every pre-activation of the items away from it
    assert np.abs(W @ PAPER_X.T).min() > 1e-3
    G_train = _train_gradient(W, X=PAPER_X, **kw)
    G_fd = _fd_gradient(W, X=PAPER_X, **kw)
    assert np.max(np.abs(G_train)) > 1e-2
    np.testing.assert_allclose(G_train, G_fd, atol=1e-8, rtol=1e-6)


@pytest.mark.parametrize("penalty", ["l1", "l2", "rate", "level"])
def test_zero_strength_equals_no_regularisation(penalty: str) -> None:
    kw = dict(
        activation="tanh",
        init="normal",
        optimizer="adam",
        seeds=[0, 1],
        lr=0.05,
        steps=200,
        device="cpu",
    )
    plain = train(PAPER_X, **kw)
    zero = train(PAPER_X, regularization={penalty: 0.0}, **kw)
    assert np.array_equal(plain.W, zero.W)
    on = train(PAPER_X, regularization={penalty: 0.5}, **kw)
    assert not np.allclose(plain.W, on.W)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"activation": "softplus"},
        {"init": "glorot"},
        {"optimizer": "rmsprop"},
        {"regularization": {"l3": 0.1}},
        {"regularization": {"l2": -0.1}},
        {"regularization": {"l2": float("nan")}},
        {"regularization": {"l2": [0.1, 0.2, 0.3]}},
        {"lr": 0.0},
        {"lr": -0.1},
        {"lr": float("inf")},
        {"steps": 0},
        {"seeds": -1},
        {"seeds": []},
        {"seeds": [0.5]},
        {"seeds": "abc"},
        {"targets": np.zeros((3, 3))},
        {"targets": np.zeros((2, 2))},
        {"momentum": 1.0},
        {"init": "normal", "sigma": 0.0},
        {"W0": np.full((3, 3), np.nan)},
    ],
)
def test_invalid_arguments_raise_value_error(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        train(PAPER_X, steps=kwargs.pop("steps", 5), device="cpu", **kwargs)


def test_invalid_training_set_raises() -> None:
    with pytest.raises(ValueError):
        train([[1, 0, 2]], steps=5, device="cpu")
    with pytest.raises(ValueError):
        train([[1, 0, 1], [1, 0, 1]], steps=5, device="cpu")


def test_pattern_loss_paper_xprime_diag() -> None:
    W = np.diag([0.0, 1.0, 1.0])
    pats = all_patterns(3)
    loss = pattern_loss(W, pats)
    for p, v in zip(pats, loss, strict=True):
        assert v == pytest.approx(1 / 3 if p[0] == 1 else 0.0, abs=1e-15)
    # batched form: (B, N, N) → (B, P)
    both = pattern_loss(np.stack([W, np.eye(3)]), pats)
    assert both.shape == (2, 8)
    np.testing.assert_allclose(both[1], 0.0)
    # trained on X' from zero, GD lands exactly on diag(0, 1, 1)
    res = train(PAPER_X_PRIME, lr=0.5, steps=2000, device="cpu")
    np.testing.assert_allclose(res.W[0], W, atol=1e-10)


def test_objective_matches_pattern_loss_mean() -> None:
    rng = np.random.default_rng(3)
    W = rng.normal(size=(3, 3))
    assert objective(W, PAPER_X)[0] == pytest.approx(pattern_loss(W, PAPER_X).mean(), rel=1e-14)


def test_runs_on_cpu_and_records_device() -> None:
    res = train(PAPER_X, steps=10, device="cpu")
    assert res.config["device"] == "cpu"
    assert res.W.dtype == np.float64


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")
def test_gpu_agrees_with_cpu() -> None:  # pragma: no cover - needs a GPU
    kw = dict(
        activation="tanh", init="normal", optimizer="adam", seeds=range(4), lr=0.05, steps=300
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cpu = train(PAPER_X, device="cpu", **kw)
        gpu = train(PAPER_X, device="cuda", **kw)
    np.testing.assert_allclose(gpu.W, cpu.W, atol=1e-10)


@pytest.mark.parametrize("activation", ["linear", "tanh", "sigmoid"])
def test_per_network_training_sets_equal_separate_runs(activation: str) -> None:
    sets = np.array([PAPER_X, PAPER_X_PRIME, [[1, 1, 0], [0, 0, 1]]])
    kw = dict(
        activation=activation,
        init="normal",
        optimizer="adam",
        lr=0.05,
        steps=300,
        regularization={"l2": [0.0, 0.1, 0.01]},
        device="cpu",
    )
    together = train(sets, seeds=[3, 4, 5], **kw)
    for b, X in enumerate(sets):
        alone = train(
            X, seeds=[3 + b], **{**kw, "regularization": {"l2": kw["regularization"]["l2"][b]}}
        )
        np.testing.assert_allclose(together.W[b], alone.W[0], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(
            together.final_loss[b], alone.final_loss[0], rtol=1e-10, atol=1e-16
        )


def test_per_network_gradient_matches_finite_differences() -> None:
    sets = np.array([PAPER_X, PAPER_X_PRIME])
    rng = np.random.default_rng(3)
    W = rng.normal(size=(2, 3, 3))
    res = train(sets, "tanh", W0=W, optimizer="sgd", lr=1.0, steps=1, seeds=[0, 1], device="cpu")
    G_train = W - res.W
    for b in range(2):
        G_fd = _fd_gradient(W[b], X=sets[b], activation="tanh")
        np.testing.assert_allclose(G_train[b], G_fd, atol=1e-8, rtol=1e-6)


def test_per_network_sets_must_match_the_networks() -> None:
    with pytest.raises(ValueError, match="2 training sets but there are 3 networks"):
        train(np.array([PAPER_X, PAPER_X_PRIME]), seeds=[0, 1, 2], steps=1)
    with pytest.raises(ValueError, match="duplicate"):
        train(np.array([PAPER_X, [[1, 0, 1], [1, 0, 1]]]), seeds=[0, 1], steps=1)


def _autograd_reference(X, W0, activation, optimizer, steps, reg, **opt_kw):
    """The same training with torch's optimiser classes and autograd's gradient of the objective."""
    from itemsrel.activations import get_activation

    phi = get_activation(activation)
    W = torch.nn.Parameter(torch.as_tensor(W0, dtype=torch.float64).clone())
    tX = torch.as_tensor(np.asarray(X), dtype=torch.float64)
    opt = (torch.optim.SGD if optimizer == "sgd" else torch.optim.Adam)(
        [W], foreach=False, **opt_kw
    )
    for _ in range(steps):
        opt.zero_grad()
        Y = phi.torch(torch.einsum("bij,kj->bki", W, tX))
        loss = ((Y - tX) ** 2).mean(dim=(1, 2))
        loss = (
            loss
            + reg.get("l2", 0.0) * (W**2).mean(dim=(1, 2))
            + reg.get("rate", 0.0) * (Y**2).mean(dim=(1, 2))
        )
        loss.sum().backward()
        opt.step()
    return W.detach().numpy()


@pytest.mark.parametrize(
    ("optimizer", "opt_kw"),
    [
        ("sgd", {"lr": 0.3, "momentum": 0.0}),
        ("sgd", {"lr": 0.2, "momentum": 0.9}),
        ("adam", {"lr": 0.02}),
    ],
)
@pytest.mark.parametrize("activation", ["linear", "tanh", "sigmoid"])
def test_updates_equal_torch_optimisers_with_autograd(optimizer, opt_kw, activation) -> None:
    rng = np.random.default_rng(5)
    W0 = rng.normal(0, 0.3, (3, 3, 3))
    reg = {"l2": 0.05, "rate": 0.02}
    ours = train(
        PAPER_X,
        activation,
        optimizer=optimizer,
        steps=60,
        seeds=range(3),
        W0=W0,
        regularization=reg,
        device="cpu",
        **opt_kw,
    )
    ref = _autograd_reference(PAPER_X, W0, activation, optimizer, 60, reg, **opt_kw)
    assert np.abs(ours.W - W0).max() > 1e-2  # training moved the weights
    np.testing.assert_allclose(ours.W, ref, rtol=1e-10, atol=1e-12)


def test_small_problems_run_single_threaded_and_restore_the_setting(monkeypatch) -> None:
    from itemsrel import engine

    seen = []
    real = engine.Optimiser.step

    def spy(self, grads):
        seen.append(torch.get_num_threads())
        real(self, grads)

    monkeypatch.setattr(engine.Optimiser, "step", spy)
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        train(PAPER_X, "tanh", steps=3, seeds=[0], device="cpu")  # B·N²·K = 18: small
        assert seen == [1, 1, 1]
        assert torch.get_num_threads() == 2
        seen.clear()
        big = np.unique(np.random.default_rng(0).integers(0, 2, (16, 40)), axis=0)
        train(big, "tanh", steps=2, seeds=range(20), device="cpu")  # 20·1600·16 = 512 000
        assert seen == [2, 2]
    finally:
        torch.set_num_threads(before)


# ---- mini-batches -------------------------------------------------------------------------------


def test_iid_batches_reproducible_per_seed_and_different_per_network() -> None:
    X = _random_set(8, 5, 11)
    kw = dict(activation="tanh", init="normal", lr=0.05, steps=300, batch_size=2, device="cpu")
    a = train(X, seeds=[0, 1, 2], data_seed=7, **kw)
    b = train(X, seeds=[0, 1, 2], data_seed=7, **kw)
    np.testing.assert_array_equal(a.W, b.W)
    # batched equals looped: a network's batches do not depend on its neighbours
    for i, s in enumerate([0, 1, 2]):
        one = train(X, seeds=[s], data_seed=7, **kw)
        np.testing.assert_array_equal(one.W[0], a.W[i])
    # same initial weights, different data streams -> different results
    same_init = train(X, seeds=[0, 1], data_seed=7, W0=np.zeros((8, 8)), **kw)
    assert np.abs(same_init.W[0] - same_init.W[1]).max() > 1e-3
    # another data seed changes the batches (and hence the weights)
    c = train(X, seeds=[0, 1, 2], data_seed=8, **kw)
    assert np.abs(c.W - a.W).max() > 1e-3
    # and differs from full-batch training
    full = train(X, seeds=[0, 1, 2], **{k: v for k, v in kw.items() if k != "batch_size"})
    assert np.abs(full.W - a.W).max() > 1e-3


def test_batch_indices_iid_and_epoch() -> None:
    from itemsrel.engine import BatchIndices as _BatchIndices

    iid = _BatchIndices(5, 3, "iid", [0, 1], 4).chunk(400)
    assert iid.shape == (400, 2, 3) and iid.min() == 0 and iid.max() == 4
    assert np.all(np.diff(iid, axis=-1) >= 0)  # sorted within a batch
    assert (np.diff(iid, axis=-1) == 0).any()  # with replacement: repeats occur
    assert not np.array_equal(iid[:, 0], iid[:, 1])
    # epoch: every epoch is a permutation; with batch 2 of K=4, two consecutive batches = one epoch
    stream = _BatchIndices(4, 2, "epoch", [3], 0)
    ep = np.concatenate([stream.chunk(5), stream.chunk(7)])[:, 0, :]  # chunks continue the stream
    for e in range(6):
        assert sorted(ep[2 * e : 2 * e + 2].ravel().tolist()) == [0, 1, 2, 3]
    # a batch that does not divide K: the stream of concatenated permutations is sliced
    odd = _BatchIndices(5, 3, "epoch", [3], 0).chunk(5)[:, 0, :]
    counts = np.bincount(odd.ravel(), minlength=5)
    assert counts.tolist() == [3, 3, 3, 3, 3]  # 15 draws = exactly 3 epochs


@pytest.mark.parametrize("activation", ["linear", "sigmoid"])
def test_epoch_batch_of_all_items_equals_full_batch_exactly(activation: str) -> None:
    X = _random_set(8, 4, 8)
    kw = dict(activation=activation, init="normal", lr=0.2, steps=200, seeds=[0, 1], device="cpu")
    full = train(X, **kw)
    ep = train(X, batch_size=4, sampling="epoch", data_seed=3, **kw)
    np.testing.assert_array_equal(ep.W, full.W)
    np.testing.assert_array_equal(ep.loss_history, full.loss_history)


def test_minibatch_sgd_step_matches_plain_loop() -> None:
    """One network, SGD on batches drawn from its stream: the mean-over-batch gradient by hand."""
    from itemsrel.engine import data_streams

    X = _random_set(6, 4, 5)
    res = train(
        X, init="normal", lr=0.1, steps=7, seeds=[2], batch_size=2, data_seed=9, device="cpu"
    )
    W = initial_weights("normal", 6, [2])[0]
    rng = data_streams([2], 9)[0]
    idx = np.sort(rng.integers(0, 4, size=(7, 2)), axis=-1)
    for t in range(7):
        Xb = X[idx[t]].astype(float)
        G = 2.0 / (2 * 6) * (Xb @ W.T - Xb).T @ Xb
        W = W - 0.1 * G
    np.testing.assert_allclose(res.W[0], W, rtol=0, atol=1e-13)


def test_minibatch_per_network_sets_equal_separate_runs() -> None:
    sets = np.stack([_random_set(6, 4, s) for s in (1, 2)])
    kw = dict(
        activation="tanh", init="normal", lr=0.1, steps=100, batch_size=3, data_seed=1, device="cpu"
    )
    both = train(sets, seeds=[4, 5], **kw)
    for i, s in enumerate([4, 5]):
        one = train(sets[i], seeds=[s], **kw)
        np.testing.assert_allclose(both.W[i], one.W[0], rtol=0, atol=1e-14)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"batch_size": 0},
        {"batch_size": 5},
        {"batch_size": 2.0},
        {"batch_size": True},
        {"batch_size": 2, "sampling": "shuffle"},
        {"batch_size": 2, "data_seed": -1},
        {"batch_size": 2, "data_seed": 1.5},
    ],
)
def test_minibatch_validation(kwargs: dict) -> None:
    with pytest.raises(ValueError, match=r"batch_size|sampling|data_seed"):
        train(_random_set(5, 4, 1), steps=2, device="cpu", **kwargs)


# ---- hidden layer: y = φ(W₂ ψ(W₁ x)) ------------------------------------------------------------


def _hidden_autograd_reference(X, W1, W2, phi, psi, optimizer, steps, reg, idx=None, **opt_kw):
    """Plain per-network autograd loop with torch.optim: the oracle for the hidden-layer model."""
    phi, psi = get_activation(phi), get_activation(psi)
    P1 = torch.nn.Parameter(torch.as_tensor(W1, dtype=torch.float64).clone())
    P2 = torch.nn.Parameter(torch.as_tensor(W2, dtype=torch.float64).clone())
    tX = torch.as_tensor(np.asarray(X), dtype=torch.float64)
    opt = (torch.optim.SGD if optimizer == "sgd" else torch.optim.Adam)(
        [P1, P2], foreach=False, **opt_kw
    )
    for t in range(steps):
        opt.zero_grad()
        Xb = tX if idx is None else tX[idx[t]]
        Y = phi.torch(P2 @ psi.torch(P1 @ Xb.T)).T
        loss = ((Y - Xb) ** 2).mean()
        loss = (
            loss
            + reg.get("l2", 0.0) * ((P1**2).mean() + (P2**2).mean())
            + reg.get("l1", 0.0) * (P1.abs().mean() + P2.abs().mean())
            + reg.get("rate", 0.0) * (Y**2).mean()
        )
        loss.backward()
        opt.step()
    return P1.detach().numpy(), P2.detach().numpy()


@pytest.mark.parametrize(
    ("optimizer", "opt_kw"),
    [("sgd", {"lr": 0.3, "momentum": 0.5}), ("adam", {"lr": 0.02})],
)
@pytest.mark.parametrize(("phi", "psi"), [("linear", "linear"), ("sigmoid", "tanh")])
def test_hidden_layer_equals_autograd_per_network(optimizer, opt_kw, phi, psi) -> None:
    from itemsrel.auto_associator import hidden_weights

    X = _random_set(6, 3, 2)
    seeds = [0, 1, 2]
    reg = {"l2": 0.05, "rate": 0.02, "l1": 0.01}
    kw = dict(hidden=4, hidden_activation=psi, init="normal", sigma=0.3, steps=40, device="cpu")
    ours = train(X, phi, optimizer=optimizer, seeds=seeds, regularization=reg, **kw, **opt_kw)
    W1, W2 = hidden_weights(seeds, 4, 6, 0.3)
    assert np.abs(ours.W1 - W1).max() > 1e-2  # training moved the weights
    for b in range(3):
        r1, r2 = _hidden_autograd_reference(X, W1[b], W2[b], phi, psi, optimizer, 40, reg, **opt_kw)
        np.testing.assert_allclose(ours.W1[b], r1, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(ours.W2[b], r2, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.W, ours.W2 @ ours.W1, rtol=1e-12)


def test_hidden_layer_minibatches_equal_autograd() -> None:
    from itemsrel.auto_associator import hidden_weights
    from itemsrel.engine import data_streams

    X = _random_set(6, 4, 3)
    ours = train(
        X, "tanh", hidden=3, hidden_activation="sigmoid", init="normal", sigma=0.5, lr=0.2,
        steps=30, seeds=[5], batch_size=2, data_seed=4, device="cpu",
    )  # fmt: skip
    W1, W2 = hidden_weights([5], 3, 6, 0.5)
    idx = np.sort(data_streams([5], 4)[0].integers(0, 4, size=(30, 2)), axis=-1)
    r1, r2 = _hidden_autograd_reference(
        X, W1[0], W2[0], "tanh", "sigmoid", "sgd", 30, {}, idx, lr=0.2
    )
    np.testing.assert_allclose(ours.W1[0], r1, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.W2[0], r2, rtol=1e-10, atol=1e-12)


def test_hidden_layer_per_network_sets_batched_equals_looped() -> None:
    sets = np.stack([_random_set(6, 3, s) for s in (1, 2)])
    kw = dict(hidden=5, hidden_activation="tanh", init="normal", lr=0.2, steps=50, device="cpu")
    both = train(sets, "sigmoid", seeds=[3, 4], **kw)
    for i, s in enumerate([3, 4]):
        one = train(sets[i], "sigmoid", seeds=[s], **kw)
        np.testing.assert_allclose(both.W1[i], one.W1[0], rtol=0, atol=1e-14)
        np.testing.assert_allclose(both.W2[i], one.W2[0], rtol=0, atol=1e-14)


# X of rank 3 in R^6 whose Gram matrix XᵀX has distinct non-zero eigenvalues 1.27, 2, 4.73
_X_RANK3 = np.random.default_rng(2).integers(0, 2, (3, 6))


def _deep_linear(H: int):
    X = _X_RANK3
    K, N = X.shape
    lr = 0.25 * K * N / np.linalg.norm(X.astype(float), 2) ** 2  # stable for ‖W₁‖² + ‖W₂‖² ≲ 2
    return X, train(
        X, init="normal", sigma=1e-4, hidden=H, lr=lr, steps=1000, seeds=[0, 1], device="cpu"
    )


@pytest.mark.parametrize("H", [3, 4])
def test_linear_hidden_layer_wide_enough_reproduces_the_span(H: int) -> None:
    X, res = _deep_linear(H)
    assert np.linalg.matrix_rank(X) == 3
    # from a small start (σ = 1e-4) the end-to-end map is the projector onto span(X), up to the
    # untrained part of the start outside the span (order σ·‖W₂‖): within 1e-3
    np.testing.assert_allclose(res.W, np.broadcast_to(projector(X), res.W.shape), atol=1e-3)
    out = res.predict(X)
    assert out.shape == (2, 3, 6)
    np.testing.assert_allclose(out, np.broadcast_to(X, out.shape), atol=1e-3)
    assert np.all(res.final_loss < 1e-20) and res.converged.all()


def test_linear_hidden_layer_too_narrow_learns_the_top_directions_only() -> None:
    X, res = _deep_linear(2)
    K, N = X.shape
    ev, V = np.linalg.eigh(X.T @ X.astype(float))
    # rank 2 < rank X = 3: not the projector onto span(X) (off by at least 0.3 in some entry) …
    assert np.all(np.abs(res.W - projector(X)).max(axis=(1, 2)) > 0.3)
    # … but the projector onto the top two eigenvectors of XᵀX (PCA), losing the third eigenvalue
    top = V[:, -2:] @ V[:, -2:].T
    np.testing.assert_allclose(res.W, np.broadcast_to(top, res.W.shape), atol=1e-3)
    np.testing.assert_allclose(res.final_loss, ev[-3] / (K * N), rtol=1e-6)
    # a training item is not reproduced
    assert np.abs(res.predict(X) - X).max() > 0.1


def test_predict_one_layer_and_validation() -> None:
    res = train(PAPER_X, "tanh", init="normal", steps=20, seeds=[0, 1], device="cpu")
    pats = all_patterns(3)
    out = res.predict(pats)
    assert out.shape == (2, len(pats), 3)
    np.testing.assert_allclose(out[1], np.tanh(pats @ res.W[1].T), rtol=1e-14)
    assert res.predict(pats[0]).shape == (2, 1, 3)
    with pytest.raises(ValueError, match="patterns"):
        res.predict(np.ones((2, 4)))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"hidden": 0},
        {"hidden": 2.5},
        {"hidden": 2},  # init "zeros": a hidden layer never leaves the saddle at 0
        {"hidden": 2, "init": "normal", "W0": np.zeros((3, 3))},
        {"hidden": 2, "init": "normal", "hidden_activation": "swish"},
        {"hidden": 2, "init": "normal", "sigma": 0.0},
    ],
)
def test_hidden_layer_validation(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        train(PAPER_X, steps=2, device="cpu", **kwargs)


def test_a_dead_relu_network_is_not_converged():
    """From zero weights every ReLU pre-activation is 0 and so is every gradient: the network never
    moves, its loss stays at mean(x²) = 2/3 for X, and that is not a converged fit."""
    X = [[1, 0, 1], [1, 1, 0]]
    dead = train(X, "relu", init="zeros", steps=50, seeds=[0])
    assert dead.grad_max[0] == 0.0 and dead.final_loss[0] == pytest.approx(2 / 3)
    assert not dead.converged[0]
    alive = train(X, "linear", init="zeros", lr=0.5, steps=3000, seeds=[0])
    assert alive.converged[0]
