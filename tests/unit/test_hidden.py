"""Tests of itemsrel.hidden: the closed-form gradient against autograd, batching and seeding,
learning, the class-axis projection and the expected-gradient field against direct computation."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from itemsrel.activations import get_activation
from itemsrel.geometry import class_axes, four_cluster_metrics, random_cluster_task, xor_task
from itemsrel.hidden import (
    expected_gradient_field,
    held_out_samples,
    hidden_activity,
    initial_hidden_weights,
    project_on_class_axes,
    readout_weights,
    representation_metrics,
    train_hidden,
)

N, H = 6, 8


def _autograd_step(task, act, seed, lr, readout):
    """One SGD step on the noise-free batch (σ = 0, 2 samples per cluster) with torch autograd."""
    phi = get_activation(act)
    W = torch.tensor(initial_hidden_weights(seed, H, N, 1.0), requires_grad=True)
    a = torch.tensor(readout_weights(seed, H, readout), requires_grad=readout == "trainable")
    ids = np.repeat(np.arange(4), 2)
    X = torch.tensor(task.centers[ids])
    y = torch.tensor(task.labels[ids], dtype=torch.float64)
    u = phi.torch(X @ W.T) @ a / np.sqrt(H)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(u, y)
    loss.backward()
    W1 = (W - lr * W.grad).detach().numpy()
    a1 = (a - lr * a.grad).detach().numpy() if readout == "trainable" else a.detach().numpy()
    return W1, a1


@pytest.mark.parametrize("act", ["tanh", "relu", "clip"])
@pytest.mark.parametrize("readout", ["binary", "trainable"])
def test_closed_form_gradient_matches_autograd(act: str, readout: str) -> None:
    task = random_cluster_task(N, seed=1)
    res = train_hidden(
        task,
        act,
        [3],
        hidden=H,
        steps=1,
        lr=0.7,
        batch_per_cluster=2,
        sigma_train=0.0,
        readout=readout,
        device="cpu",
    )
    W1, a1 = _autograd_step(task, act, 3, 0.7, readout)
    np.testing.assert_allclose(res.W[0], W1, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(res.readout[0], a1, rtol=1e-12, atol=1e-14)


def test_initial_weights_readout_and_history() -> None:
    task = xor_task(0.5, N, 0)
    res = train_hidden(
        task, "tanh", [4, 5], hidden=H, steps=20, lr=0.5, record_steps=[0, 7, 20], device="cpu"
    )
    np.testing.assert_array_equal(res.weights_at(0)[1], initial_hidden_weights(5, H, N, 1.0))
    np.testing.assert_array_equal(res.weights_at(20), res.W)
    np.testing.assert_array_equal(res.readout[0], [1, 1, 1, 1, -1, -1, -1, -1])
    assert res.W_history.shape == (3, 2, H, N) and res.loss_history.shape == (3, 2)
    assert np.std(initial_hidden_weights(0, 400, 100, 0.5)) == pytest.approx(0.05, rel=0.02)
    with pytest.raises(ValueError, match="not recorded"):
        res.weights_at(5)


def test_batch_equals_networks_trained_alone_and_shared_seeds_share_noise() -> None:
    tasks = [xor_task(d, N, s) for d, s in ((0.2, 0), (0.9, 1), (0.9, 1))]
    acts = ["tanh", "relu", get_activation("relu", shift=-1.0)]
    batch = train_hidden(
        tasks,
        acts,
        [0, 1, 1],
        hidden=H,
        steps=50,
        lr=1.0,
        sigma_train=[1.0, 0.5, 0.5],
        device="cpu",
    )
    for b in range(3):
        alone = train_hidden(
            tasks[b],
            acts[b],
            [batch.seeds[b]],
            hidden=H,
            steps=50,
            lr=1.0,
            sigma_train=batch.sigma_train[b],
            device="cpu",
        )
        np.testing.assert_allclose(batch.W[b], alone.W[0], rtol=0, atol=1e-12)
    # networks 1 and 2 differ only in the activation's shift: same start, different end
    np.testing.assert_array_equal(batch.weights_at(0)[1], batch.weights_at(0)[2])
    assert not np.allclose(batch.W[1], batch.W[2])
    # same call, same numbers
    again = train_hidden(
        tasks,
        acts,
        [0, 1, 1],
        hidden=H,
        steps=50,
        lr=1.0,
        sigma_train=[1.0, 0.5, 0.5],
        device="cpu",
    )
    np.testing.assert_array_equal(again.W, batch.W)


@pytest.mark.parametrize("act", ["tanh", "relu"])
def test_networks_learn_the_four_cluster_task(act: str) -> None:
    seeds = list(range(4))
    res = train_hidden(
        [random_cluster_task(30, s) for s in seeds],
        act,
        seeds,
        hidden=16,
        steps=200,
        lr=2.0,
        init_scale=0.5,
        batch_per_cluster=4,
        device="cpu",
    )
    assert np.all(res.final_accuracy >= 0.95)
    assert np.all(res.loss_history[-1] < res.loss_history[0])


def test_project_on_class_axes_recovers_constructed_weights() -> None:
    task = random_cluster_task(N, 2)
    readout = np.array([1.0, -1.0, 2.0])
    W = np.empty((3, N))
    for j, (pref, c_u, c_v) in enumerate(((1, 2.0, 3.0), (0, -1.0, 0.5), (1, 0.0, -4.0))):
        u, v = class_axes(task, pref)
        W[j] = c_u * u + c_v * v
    np.testing.assert_allclose(
        project_on_class_axes(W, readout, task), [[2, 3], [-1, 0.5], [0, -4]], atol=1e-12
    )
    with pytest.raises(ValueError, match="readout 0"):
        project_on_class_axes(W, [1.0, 0.0, 1.0], task)


def test_field_of_a_linear_neuron_is_the_class_difference() -> None:
    # φ' ≡ 1 and E[g] = 0: Δw = Σ_i ε_i x_i = 2·(sum of preferred − sum of other centres)
    task = random_cluster_task(N, 4)
    u, v = class_axes(task, 1)
    C = task.centers
    expected = (C[2] + C[3] - C[0] - C[1]) @ np.stack([u, v], axis=1)
    da, db = expected_gradient_field(
        task, "linear", np.linspace(-1, 1, 3), np.linspace(-2, 2, 4), sigma=1.0
    )
    assert da.shape == (4, 3)
    np.testing.assert_allclose(da, expected[0], atol=1e-10)
    np.testing.assert_allclose(db, expected[1], atol=1e-10)
    assert expected[1] == pytest.approx(0.0, abs=1e-10)  # v̂ ⟂ the class difference


def test_field_without_noise_counts_only_active_clusters_for_relu() -> None:
    task = xor_task(0.7, N, 1)
    u, v = class_axes(task, 1)
    al, be = np.array([0.3]), np.array([-0.8])
    w = al[0] * u + be[0] * v
    eps = np.where(task.labels == 1, 1.0, -1.0)
    direct = ((eps * (task.centers @ w > 0))[:, None] * task.centers).sum(axis=0)
    da, db = expected_gradient_field(task, "relu", al, be, sigma=0.0)
    np.testing.assert_allclose([da[0, 0], db[0, 0]], [direct @ u, direct @ v], atol=1e-12)


def test_field_with_noise_matches_monte_carlo() -> None:
    task = xor_task(0.5, N, 2)
    u, v = class_axes(task, 1)
    a0, b0, sigma = 0.4, 0.3, 1.0
    w = a0 * u + b0 * v
    rng = np.random.default_rng(0)
    xi = rng.standard_normal((200_000, N))
    eps = np.where(task.labels == 1, 1.0, -1.0)
    mc = np.zeros(N)
    for i in range(4):
        x = task.centers[i] + sigma * xi
        mc += eps[i] * ((1 - np.tanh(x @ w) ** 2)[:, None] * x).mean(axis=0)
    da, db = expected_gradient_field(task, "tanh", [a0], [b0], sigma=sigma)
    np.testing.assert_allclose([da[0, 0], db[0, 0]], [mc @ u, mc @ v], atol=0.02)


def test_representation_metrics_equal_the_direct_computation() -> None:
    seeds = [0, 1]
    res = train_hidden(
        [xor_task(0.8, N, s) for s in seeds],
        "relu",
        seeds,
        hidden=H,
        steps=30,
        lr=1.0,
        record_steps=[0, 30],
        device="cpu",
    )
    final = representation_metrics(res, n_test=8)
    at0 = representation_metrics(res, step=0, networks=[1], decoders=False, n_test=8)
    X, ids = held_out_samples(res.tasks[1], 1, 8)
    direct = four_cluster_metrics(hidden_activity(res.W[1], "relu", X), X, ids, res.tasks[1])
    for k, v in direct.items():
        assert final[k][1] == pytest.approx(v)
    direct0 = four_cluster_metrics(
        hidden_activity(res.weights_at(0)[1], "relu", X), X, ids, res.tasks[1], decoders=False
    )
    for k, v in direct0.items():
        assert at0[k][0] == pytest.approx(v)
    assert set(final) == {
        "target_alignment",
        "input_alignment",
        "parallelism",
        "ccgp",
        "trained_decoding",
        "untrained_decoding",
    }


def test_hidden_activity_shapes() -> None:
    W = np.arange(6.0).reshape(3, 2) - 2
    X = np.array([[1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_allclose(hidden_activity(W, "relu", X), np.maximum(X @ W.T, 0))
    assert hidden_activity(np.stack([W, W]), "tanh", np.stack([X, X])).shape == (2, 2, 3)
    with pytest.raises(ValueError, match="input dimension"):
        hidden_activity(W, "tanh", np.ones((2, 3)))


def test_validation() -> None:
    t = xor_task(0.5, N, 0)
    with pytest.raises(ValueError, match="even"):
        train_hidden(t, "tanh", [0], hidden=7, device="cpu")
    with pytest.raises(ValueError, match="learning rate"):
        train_hidden(t, "tanh", [0], lr=0.0, device="cpu")
    with pytest.raises(ValueError, match="same \\(P, N\\)"):
        train_hidden([t, xor_task(0.5, N + 1, 0)], "tanh", [0, 1], device="cpu")
    with pytest.raises(ValueError, match="one per network"):
        train_hidden([t, t], ["tanh"] * 3, [0, 1], device="cpu")
    with pytest.raises(ValueError, match="readout"):
        train_hidden(t, "tanh", [0], readout="fixed", device="cpu")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="record_steps"):
        train_hidden(t, "tanh", [0], steps=10, record_steps=[11], device="cpu")
    with pytest.raises(ValueError, match="unknown activation"):
        train_hidden(t, "softplus", [0], device="cpu")
    with pytest.raises(ValueError, match="non-negative"):
        train_hidden(t, "tanh", [-1], device="cpu")


def test_intra_class_fraction_counts_cluster_specialists():
    from itemsrel.geometry import class_axes
    from itemsrel.hidden import intra_class_fraction

    res = train_hidden(
        [random_cluster_task(N=12, seed=0)],
        ["tanh"],
        [0],
        hidden=8,
        steps=2,
        lr=0.1,
        batch_per_cluster=2,
        recorded=[0],
        record_steps=[0],
    )
    task = res.tasks[0]
    a = res.readout[0]
    W = np.empty((8, 12))
    for j in range(8):  # neuron j: along v̂ (a specialist) for j < 3, along û (the class) otherwise
        u, v = class_axes(task, 1 if a[j] > 0 else 0)
        W[j] = 2 * v + 0.1 * u if j < 3 else 2 * u + 0.1 * v
    res.W[0] = W
    assert intra_class_fraction(res, [0])[0] == pytest.approx(3 / 8)
    assert intra_class_fraction(res, [0], step=0).shape == (1,)
    with pytest.raises(ValueError, match="not recorded"):
        intra_class_fraction(res, [1], step=0)
