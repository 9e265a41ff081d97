"""The oracle suite of the one training engine, parametrised over the book's three models.

For the auto-associator (:func:`train`), chapter 7's hidden-layer classifier (:func:`train_hidden`)
and chapter 8's group-word network (:func:`train_words`): the engine's networks equal a plain
per-network autograd loop with ``torch.optim``; a batch of networks equals the networks trained
one at a time; the same call gives the same numbers and other seeds give other numbers. Then the
gradient-descent limits of chapter 2 and the engine's own parts (optimiser settings, dtype,
divergence, threads, autograd gradient).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
import torch

from itemsrel.activations import get_activation
from itemsrel.analytic import PAPER_X
from itemsrel.auto_associator import AutoAssociator
from itemsrel.engine import (
    BLOWUP,
    Optimiser,
    autograd_gradient,
    check_dtype,
    fit,
    flag_diverged,
    thread_policy,
    validate_optimiser,
)
from itemsrel.engine import Model as EngineModel
from itemsrel.geometry import xor_task
from itemsrel.grokking import (
    WordNetwork,
    WordTask,
    _initial_weights,
    train_split,
    train_words,
    training_pairs,
)
from itemsrel.groups import cyclic, dihedral, symmetric, word_table
from itemsrel.hidden import (
    HiddenClassifier,
    NoisyBatches,
    initial_hidden_weights,
    readout_weights,
    train_hidden,
)
from itemsrel.linear_theory import gd_limit, projector
from itemsrel.training import initial_weights, train

# --- the three models, each as: engine over a list of networks, and a plain autograd oracle ------


def _auto_engine(nets: list[dict]) -> list[np.ndarray]:
    res = train(
        PAPER_X,
        "tanh",
        init="normal",
        sigma=0.5,
        optimizer="adam",
        lr=0.05,
        steps=40,
        seeds=[n["seed"] for n in nets],
        regularization={"l2": [n["l2"] for n in nets]},
        device="cpu",
    )
    return [res.W]


def _auto_oracle(net: dict) -> list[np.ndarray]:
    W = torch.nn.Parameter(torch.as_tensor(initial_weights("normal", 3, [net["seed"]], 0.5)[0]))
    X = torch.as_tensor(PAPER_X, dtype=torch.float64)
    opt = torch.optim.Adam([W], lr=0.05)
    for _ in range(40):
        opt.zero_grad()
        Y = torch.tanh(X @ W.T)
        (((Y - X) ** 2).mean() + net["l2"] * (W**2).mean()).backward()
        opt.step()
    return [W.detach().numpy()[None]]


_TASK = xor_task(0.5, 6, 0)
_H, _STEPS = 8, 30


def _classifier_engine(nets: list[dict]) -> list[np.ndarray]:
    res = train_hidden(
        _TASK,
        [n["act"] for n in nets],
        [n["seed"] for n in nets],
        hidden=_H,
        steps=_STEPS,
        lr=0.8,
        readout="trainable",
        sigma_train=0.5,
        device="cpu",
    )
    return [res.W, res.readout]


def _classifier_oracle(net: dict) -> list[np.ndarray]:
    phi = get_activation(net["act"])
    W = torch.nn.Parameter(torch.as_tensor(initial_hidden_weights(net["seed"], _H, 6, 1.0)))
    a = torch.nn.Parameter(torch.as_tensor(readout_weights(net["seed"], _H, "trainable")))
    ids = np.repeat(np.arange(_TASK.P), 8)
    xi = np.random.default_rng([net["seed"], 1]).standard_normal((_STEPS + 1, len(ids), 6))
    y = torch.as_tensor(_TASK.labels[ids], dtype=torch.float64)
    opt = torch.optim.SGD([W, a], lr=0.8)
    for t in range(_STEPS):
        X = torch.as_tensor(_TASK.centers[ids] + 0.5 * xi[t])
        u = phi.torch(X @ W.T) @ a / np.sqrt(_H)
        opt.zero_grad()
        torch.nn.functional.binary_cross_entropy_with_logits(u, y).backward()
        opt.step()
    return [W.detach().numpy()[None], a.detach().numpy()[None]]


_WORD_KW = {"width": 16, "lr": 1e-2, "steps": 25, "betas": (0.9, 0.98)}


def _words_engine(nets: list[dict]) -> list[np.ndarray]:
    res = train_words([n["task"] for n in nets], **_WORD_KW)
    return [res.emb, res.readout]


def _words_oracle(net: dict) -> list[np.ndarray]:
    task: WordTask = net["task"]
    n = task.group.order
    e0, u0 = _initial_weights(task, 16, 1.0)
    E = torch.nn.Parameter(torch.as_tensor(e0))
    U = torch.nn.Parameter(torch.as_tensor(u0))
    x, y = np.nonzero(train_split(n, task.fraction, task.seed))
    z = torch.as_tensor(word_table(task.group, task.word)[x, y])
    opt = torch.optim.AdamW(
        [E, U], lr=1e-2, betas=(0.9, 0.98), eps=1e-8, weight_decay=task.weight_decay
    )
    for _ in range(25):
        logits = torch.relu(E[x] + E[n + torch.as_tensor(y)]) @ U
        opt.zero_grad()
        torch.nn.functional.cross_entropy(logits, z).backward()
        opt.step()
    return [E.detach().numpy()[None], U.detach().numpy()[None]]


@dataclass
class Model:
    engine: Callable[[list[dict]], list[np.ndarray]]
    oracle: Callable[[dict], list[np.ndarray]]
    nets: list[dict]
    reseeded: Callable[[dict], dict]
    oracle_atol: float  # engine vs the plain autograd loop
    batch_atol: float  # batched vs looped (0: bit for bit)


MODELS = {
    "auto-associator": Model(
        _auto_engine,
        _auto_oracle,
        [{"seed": 0, "l2": 0.0}, {"seed": 1, "l2": 0.1}, {"seed": 2, "l2": 0.05}],
        lambda n: {**n, "seed": n["seed"] + 10},
        1e-12,
        0.0,
    ),
    "hidden-layer classifier": Model(
        _classifier_engine,
        _classifier_oracle,
        [{"seed": 0, "act": "tanh"}, {"seed": 1, "act": "tanh"}, {"seed": 2, "act": "relu"}],
        lambda n: {**n, "seed": n["seed"] + 10},
        1e-11,
        1e-12,
    ),
    "group-word network": Model(
        _words_engine,
        _words_oracle,
        [
            {"task": WordTask(cyclic(6), "x*y", 0.7, 1.0, 0)},
            {"task": WordTask(dihedral(3), "x*y*x^-1", 0.6, 0.5, 3)},
            {"task": WordTask(symmetric(3), "x*y", 0.5, 0.0, 1)},
        ],
        lambda n: {
            "task": WordTask(
                n["task"].group,
                n["task"].word,
                n["task"].fraction,
                n["task"].weight_decay,
                n["task"].seed + 10,
            )
        },
        1e-10,
        1e-12,
    ),
}


@pytest.fixture(scope="module", params=list(MODELS))
def model(request: pytest.FixtureRequest) -> tuple[Model, list[np.ndarray]]:
    m = MODELS[request.param]
    return m, m.engine(m.nets)


def test_engine_equals_a_plain_per_network_autograd_loop(model) -> None:
    m, batched = model
    for b, net in enumerate(m.nets):
        for ours, ref in zip(batched, m.oracle(net), strict=True):
            np.testing.assert_allclose(ours[b], ref[0], rtol=0, atol=m.oracle_atol)


def test_batched_equals_looped(model) -> None:
    m, batched = model
    for b, net in enumerate(m.nets):
        for ours, alone in zip(batched, m.engine([net]), strict=True):
            if m.batch_atol == 0:
                np.testing.assert_array_equal(ours[b], alone[0])
            else:
                np.testing.assert_allclose(ours[b], alone[0], rtol=0, atol=m.batch_atol)


def test_deterministic_per_seed(model) -> None:
    m, batched = model
    for a, b in zip(batched, m.engine(m.nets), strict=True):
        np.testing.assert_array_equal(a, b)
    other = m.engine([m.reseeded(n) for n in m.nets])
    assert all(np.abs(a - b).max() > 1e-3 for a, b in zip(batched, other, strict=True))


# --- chapter 2: the limits of full-batch gradient descent ----------------------------------------


@pytest.mark.parametrize("batched", [False, True])
def test_gradient_descent_limits_of_chapter_2(batched: bool) -> None:
    X = PAPER_X
    seeds = [0, 1, 2]
    res = train(X, init="normal", sigma=1.0, lr=0.5, steps=3000, seeds=seeds, device="cpu")
    W0 = initial_weights("normal", 3, seeds, sigma=1.0)
    nets = [res.W[b] for b in range(3)] if batched else [
        train(X, init="normal", sigma=1.0, lr=0.5, steps=3000, seeds=[s], device="cpu").W[0]
        for s in seeds
    ]  # fmt: skip
    for b in range(3):
        np.testing.assert_allclose(nets[b], gd_limit(X, W0[b]), atol=1e-10)
    zero = train(X, lr=0.5, steps=3000, device="cpu")
    np.testing.assert_allclose(zero.W[0], projector(X), atol=1e-10)


# --- the engine's parts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"betas": (1.0, 0.999)}, "index 0"),
        ({"betas": (0.9, -0.1)}, "index 1"),
        ({"betas": (0.9,)}, "betas"),
        ({"eps": -1e-8}, "eps"),
        ({"eps": float("nan")}, "eps"),
        ({"momentum": -0.5}, "momentum"),
        ({"momentum": 1.0}, "momentum"),
        ({"lr": 0.0}, "learning rate"),
        ({"optimizer": "rmsprop"}, "optimizer"),
    ],
)
def test_optimiser_settings_are_validated_as_torch_optim_does(kwargs: dict, match: str) -> None:
    args: dict[str, Any] = {"optimizer": "adam", "lr": 0.1, **kwargs}
    with pytest.raises(ValueError, match=match):
        validate_optimiser(args.pop("optimizer"), args.pop("lr"), **args)
    with pytest.raises(ValueError, match=match):
        train(PAPER_X, steps=2, device="cpu", **{"optimizer": "adam", **kwargs})


def test_complex_and_non_float_dtypes_are_rejected() -> None:
    for bad in (torch.complex128, torch.int64, "float64"):
        with pytest.raises(TypeError, match="dtype"):
            check_dtype(bad)
        with pytest.raises(TypeError, match="dtype"):
            train(PAPER_X, steps=2, dtype=bad, device="cpu")
    assert check_dtype(torch.float32) is torch.float32


def test_blow_up_is_flagged_with_the_likely_cause() -> None:
    big = np.ones((3, 2, 2))
    big[1, 0, 0] = 10 * BLOWUP  # finite, but blown up
    with pytest.warns(RuntimeWarning, match=r"1 of 3 networks diverged .*lr=0.1"):
        flagged = flag_diverged([big], lr=0.1)
    assert flagged.tolist() == [False, True, False]
    with pytest.warns(RuntimeWarning, match="penalty strength"):
        flag_diverged([big], lr=0.1, penalties={"l2": [0.0, 50.0, 0.0]})
    with pytest.warns(RuntimeWarning, match="eps=1e-30"):
        flag_diverged([big], lr=0.1, optimizer="adam", eps=1e-30)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not flag_diverged([np.ones((2, 2))], [np.zeros(2)], lr=0.1).any()


def test_a_run_blowing_up_but_finite_is_diverged() -> None:
    # a huge l2 strength with SGD: each step multiplies W by (1 − lr·2λ/N²) ≈ −10: |W| ≥ 1e100
    # after 100 steps, still far from overflowing float64
    with pytest.warns(RuntimeWarning, match="penalty strength"):
        res = train(
            PAPER_X, init="ones", lr=1.0, steps=120, regularization={"l2": 50.0}, device="cpu"
        )
    assert res.diverged[0] and np.isnan(res.W[0]).all() and not res.converged[0]


def test_thread_policy_restores_and_honours_an_explicit_count() -> None:
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        with thread_policy(10, torch.device("cpu")):
            assert torch.get_num_threads() == 1
        with thread_policy(10**9, torch.device("cpu")):
            assert torch.get_num_threads() == 2
        with thread_policy(10, torch.device("cpu"), threads=2):
            assert torch.get_num_threads() == 2
        assert torch.get_num_threads() == 2
        with pytest.raises(ValueError, match="threads"), thread_policy(10, torch.device("cpu"), 0):
            pass
    finally:
        torch.set_num_threads(before)


def test_autograd_gradient_is_each_networks_own() -> None:
    W = torch.as_tensor(np.random.default_rng(0).normal(size=(4, 3, 3)))
    X = torch.as_tensor(PAPER_X, dtype=torch.float64)

    def loss(ps):
        return ((torch.tanh(ps[0] @ X.T) - X.T) ** 2).mean(dim=(1, 2))

    grads, value = autograd_gradient(loss, [W])
    for b in range(4):
        g1, v1 = autograd_gradient(lambda ps: loss([ps[0][None]])[0:1], [W[b]])
        np.testing.assert_allclose(grads[0][b].numpy(), g1[0].numpy(), rtol=1e-14)
        assert value[b].item() == pytest.approx(v1[0].item(), rel=1e-14)


def test_optimiser_sgd_with_decoupled_weight_decay() -> None:
    p = torch.ones(2, 2)
    opt = Optimiser([p], "sgd", lr=0.1, weight_decay=[0.0, 2.0])
    opt.step([torch.zeros(2, 2)])
    np.testing.assert_allclose(p.numpy(), [[1.0, 1.0], [0.8, 0.8]])
    with pytest.raises(ValueError, match="weight decay"):
        Optimiser([p], "sgd", lr=0.5, weight_decay=[0.0, 2.0])


# --- the model protocol: each model's closed form is autograd of its declared loss ---------------


def _auto_model(hidden: bool, minibatch: bool = False) -> AutoAssociator:
    rng = np.random.default_rng(0)
    X = torch.as_tensor(np.array([[1, 0, 1, 0], [1, 1, 0, 0], [0, 1, 1, 1]]), dtype=torch.float64)
    shapes = [(3, 2, 4), (3, 4, 2)] if hidden else [(3, 4, 4)]
    params = [torch.as_tensor(rng.normal(0, 0.5, s)) for s in shapes]
    pens = {"l1": np.array([0.0, 0.1, 0.2]), "l2": np.full(3, 0.05), "rate": np.full(3, 0.1)}
    pens["level"] = np.array([0.3, 0.0, 0.1])
    act = get_activation("sigmoid")
    return AutoAssociator(params, X, X, act, get_activation("tanh") if hidden else None, pens)


def _classifier_model() -> HiddenClassifier:
    W = torch.as_tensor(initial_hidden_weights(0, _H, 6, 1.0)[None].repeat(2, 0))
    A = torch.as_tensor(readout_weights(0, _H, "trainable")[None].repeat(2, 0))
    y = torch.as_tensor(np.stack([_TASK.labels[np.repeat(np.arange(4), 3)]] * 2), dtype=W.dtype)
    batches = NoisyBatches([_TASK] * 2, np.array([0, 1]), np.array([0.5, 1.0]), 3, 5, W.dtype, W.device)
    acts = [get_activation("tanh"), get_activation("relu")]
    return HiddenClassifier(W, A, acts, y, batches, trainable_readout=True)


def _word_model(activation: str) -> WordNetwork:
    tasks = [WordTask(cyclic(6), "x*y", 0.7, 1.0, 0), WordTask(dihedral(3), "x*y*x^-1", 0.5, 0.0, 3)]
    init = [_initial_weights(t, 16, 1.0) for t in tasks]
    E = torch.as_tensor(np.stack([e for e, _ in init]))
    U = torch.as_tensor(np.stack([u for _, u in init]))
    return WordNetwork(E, U, training_pairs(tasks), activation)


@pytest.mark.parametrize(
    "make",
    [
        lambda: _auto_model(hidden=False),
        lambda: _auto_model(hidden=True),
        _classifier_model,
        lambda: _word_model("relu"),
        lambda: _word_model("quadratic"),
    ],
    ids=["auto-associator", "auto-associator, hidden layer", "classifier", "words relu", "words z²"],
)
def test_closed_form_gradient_is_autograd_of_the_declared_loss(make) -> None:
    model = make()
    with torch.no_grad():
        closed, _ = model.gradient(0)
        closed = [g.clone() for g in closed]
    auto, _ = EngineModel.gradient(model, 0)  # the protocol's default: autograd of model.loss
    assert len(closed) == len(auto) == len(model.params)
    for c, a in zip(closed, auto, strict=True):
        assert c.shape == a.shape and float(a.abs().max()) > 1e-4
        np.testing.assert_allclose(c.numpy(), a.numpy(), rtol=1e-9, atol=1e-12)


def test_a_model_without_a_closed_form_trains_by_autograd() -> None:
    """A new model declares only its loss; the engine's default gradient trains it."""

    class Quadratic(EngineModel):
        def __init__(self) -> None:
            self.params = [torch.zeros(3, 2, dtype=torch.float64)]
            self.target = torch.as_tensor([[1.0, 2.0], [-1.0, 0.5], [0.0, 3.0]])

        def loss(self, params, step):
            return (params[0] - self.target).pow(2).sum(dim=1)

    model = Quadratic()
    steps = fit(model, Optimiser(model.params, "sgd", lr=0.25), 40)
    assert steps == 40
    np.testing.assert_allclose(model.params[0].numpy(), model.target.numpy(), atol=1e-10)


# --- the fast paths against the engine of commit 0d3c143 ----------------------------------------


def _reference_module() -> Any:
    """tests/unit/data/engine_reference.py (the grid, its runner and the deviation measure)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parent / "data" / "engine_reference.py"
    spec = importlib.util.spec_from_file_location("engine_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_REF = _reference_module()
_REFERENCE = __import__("json").loads(_REF.FIXTURE.read_text())


@pytest.mark.parametrize(
    "entry",
    _REFERENCE[::7] + [r for r in _REFERENCE if "steps" in r["case"] or "hidden" in r["case"]],
    ids=lambda r: ",".join(f"{k}={v}" for k, v in r["case"].items()),
)
def test_small_trainings_equal_the_reference_engine(entry: dict) -> None:
    """One network (N = 3) per call over activations × optimisers × penalties × batch modes ×
    seeds, early stopping and hidden layers: weights, history, final loss and stop step as
    the engine of commit 0d3c143 made them (tests/unit/data/engine_reference.json)."""
    assert _REF.deviation(entry["out"], _REF.run(entry["case"])) <= 1e-12


def test_reference_deviation_sees_a_change() -> None:
    """The measure the reference test relies on notices a changed weight and a changed stop."""
    out = _REFERENCE[0]["out"]
    moved = {**out, "W": [w * (1 + 1e-9) + 1e-9 for w in out["W"]]}
    assert _REF.deviation(out, out) == 0.0
    assert _REF.deviation(out, moved) > 1e-12
    assert _REF.deviation(out, {**out, "steps_run": out["steps_run"] + 1}) == float("inf")


@pytest.mark.parametrize(
    ("kind", "kwargs", "peer"),
    [
        ("sgd", {"lr": 0.1}, lambda ps: torch.optim.SGD(ps, lr=0.1, foreach=False)),
        (
            "sgd",
            {"lr": 0.05, "momentum": 0.9},
            lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, foreach=False),
        ),
        (
            "adam",
            {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6},
            lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.8, 0.99), eps=1e-6, foreach=False),
        ),
        (
            "adamw",
            {"lr": 0.01, "weight_decay": 0.3},
            lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.3, foreach=False),
        ),
    ],
)
def test_optimiser_updates_equal_torch_optim_bit_for_bit(
    kind: str, kwargs: dict, peer: Callable
) -> None:
    """The inlined updates are torch's single-tensor kernels' operations in their order."""
    rng = np.random.default_rng(5)
    start = [rng.normal(size=(2, 3, 3)), rng.normal(size=(2, 4))]
    ours = [torch.tensor(a) for a in start]
    theirs = [torch.nn.Parameter(torch.tensor(a)) for a in start]
    opt, ref = Optimiser(ours, kind, **kwargs), peer(theirs)
    for _ in range(60):
        grads = [torch.tensor(rng.normal(size=a.shape)) for a in start]
        opt.step([g.clone() for g in grads])
        for p, g in zip(theirs, grads, strict=True):
            p.grad = g.clone()
        ref.step()
    for a, b, s in zip(ours, theirs, start, strict=True):
        assert torch.equal(a, b.detach())
        assert not np.allclose(a.numpy(), s)  # the parameters did move
