"""Tests of itemsrel.grokking: closed-form training against autograd + AdamW, batching, analysis."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

from itemsrel.grokking import (
    HIDDEN_ACTIVATIONS,
    GrokResult,
    WordTask,
    _initial_weights,
    grid_tasks,
    n_train_pairs,
    neuron_irreps,
    power_over_training,
    predict,
    seen_answer_share,
    structure_over_training,
    train_split,
    train_words,
    triplet_summary,
)
from itemsrel.groups import cyclic, dihedral, symmetric, word_table
from itemsrel.irreps import real_irreps


def _reference(
    task: WordTask,
    *,
    width: int,
    lr: float,
    steps: int,
    activation: str,
    betas=(0.9, 0.98),
    eps=1e-8,
) -> tuple[np.ndarray, np.ndarray]:
    """The same network trained with autograd and torch.optim.AdamW(weight_decay=λ)."""
    n = task.group.order
    emb0, u0 = _initial_weights(task, width, 1.0)
    E = torch.tensor(emb0, requires_grad=True)
    U = torch.tensor(u0, requires_grad=True)
    mask = train_split(n, task.fraction, task.seed)
    x, y = np.nonzero(mask)
    z = torch.as_tensor(word_table(task.group, task.word)[x, y])
    x, y = torch.as_tensor(x), torch.as_tensor(y)
    opt = torch.optim.AdamW([E, U], lr=lr, betas=betas, eps=eps, weight_decay=task.weight_decay)
    act = {
        "relu": torch.relu,
        "tanh": torch.tanh,
        "quadratic": lambda t: t * t,
        "gelu": torch.nn.functional.gelu,
    }[activation]
    for _ in range(steps):
        logits = act(E[x] + E[n + y]) @ U
        loss = torch.nn.functional.cross_entropy(logits, z)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return E.detach().numpy(), U.detach().numpy()


@pytest.mark.parametrize("activation", sorted(HIDDEN_ACTIVATIONS))
def test_closed_form_training_equals_autograd_with_adamw(activation: str) -> None:
    task = WordTask(dihedral(3), "x*y*x^-1", 0.6, weight_decay=0.5, seed=3)
    res = train_words([task], width=16, lr=1e-2, steps=25, activation=activation)
    E, U = _reference(task, width=16, lr=1e-2, steps=25, activation=activation)
    np.testing.assert_allclose(res.emb[0], E, atol=1e-10)
    np.testing.assert_allclose(res.readout[0], U, atol=1e-10)


def test_a_batch_gives_the_same_networks_as_training_one_at_a_time() -> None:
    tasks = [
        WordTask(cyclic(6), "x*y", 0.7, 1.0, 0),
        WordTask(dihedral(3), "x*y*x^-1*y^-1", 0.4, 0.0, 1),
        WordTask(symmetric(3), "x*y*x^-1", 0.5, 2.0, 2),
    ]
    kw = {"width": 24, "lr": 2e-2, "steps": 40, "eval_every": 5}
    together = train_words(tasks, **kw)
    for m, t in enumerate(tasks):
        alone = train_words([t], **kw)
        np.testing.assert_allclose(together.emb[m], alone.emb[0], atol=1e-12)
        np.testing.assert_allclose(together.readout[m], alone.readout[0], atol=1e-12)
        np.testing.assert_allclose(together.test_acc[:, m], alone.test_acc[:, 0])


def test_result_does_not_depend_on_the_thread_count() -> None:
    tasks = grid_tasks([cyclic(8), dihedral(4)], weight_decays=[1.0, 0.0], seeds=[0, 1])
    one = train_words(tasks, width=32, steps=30, threads=1)
    two = train_words(tasks, width=32, steps=30, threads=2)
    np.testing.assert_array_equal(one.emb, two.emb)
    np.testing.assert_array_equal(one.readout, two.readout)


def test_training_fits_and_generalises_on_a_cyclic_group() -> None:
    res = train_words([WordTask(cyclic(24), "x*y", 0.8, 1.0, 0)], lr=2e-2, steps=400)
    assert res.train_acc[-1, 0] == 1.0
    assert res.test_acc[-1, 0] >= 0.95
    # ... but not without weight decay: it memorises and gets the unseen pairs wrong
    res0 = train_words([WordTask(cyclic(24), "x*y", 0.8, 0.0, 0)], lr=2e-2, steps=400)
    assert res0.train_acc[-1, 0] == 1.0 and res0.test_acc[-1, 0] < 0.2
    # the recorded accuracy is the accuracy of the returned weights
    pred = res.predictions(0)
    tab = word_table(cyclic(24), "x*y")
    test = ~res.train_masks[0]
    assert (pred == tab)[test].mean() == res.test_acc[-1, 0]
    assert res.eval_steps[0] == 0 and res.eval_steps[-1] == 400
    assert np.all(np.diff(res.eval_steps) == 10)
    assert res.diverged.tolist() == [False]


def test_split_sizes_and_determinism() -> None:
    m = train_split(24, 0.8, seed=5)
    assert m.shape == (24, 24) and m.sum() == n_train_pairs(24, 0.8) == 461
    np.testing.assert_array_equal(m, train_split(24, 0.8, seed=5))
    assert not np.array_equal(m, train_split(24, 0.8, seed=6))
    # the split depends on the order and the seed, not on which group: paired comparisons
    a = train_words([WordTask(cyclic(24), seed=1)], steps=1, width=4)
    b = train_words([WordTask(symmetric(4), seed=1)], steps=1, width=4)
    np.testing.assert_array_equal(a.train_masks, b.train_masks)


def test_snapshots_and_weights_at() -> None:
    tasks = [WordTask(cyclic(5), seed=s) for s in range(3)]
    res = train_words(tasks, width=8, steps=20, snapshot_steps=[0, 10, 20, 99], snapshot_tasks=[2])
    assert sorted(res.snapshots) == [0, 10, 20]
    Ex, Ey, U = res.weights_at(2, 20)
    np.testing.assert_allclose(Ex, res.weights(2)[0], atol=1e-6)
    np.testing.assert_allclose(Ey, res.weights(2)[1], atol=1e-6)
    np.testing.assert_allclose(U, res.readout[2], atol=1e-6)
    e0, u0 = _initial_weights(tasks[2], 8, 1.0)
    np.testing.assert_allclose(res.weights_at(2, 0)[0], e0[:5], atol=1e-6)
    np.testing.assert_allclose(res.weights_at(2, 0)[1], e0[5:], atol=1e-6)
    np.testing.assert_allclose(res.weights_at(2, 0)[2], u0, atol=1e-6)
    with pytest.raises(ValueError, match="no snapshots"):
        res.weights_at(0, 10)
    with pytest.raises(ValueError, match="no snapshot at step"):
        res.weights_at(2, 5)
    df = structure_over_training(res, 2)
    assert list(df["step"]) == [0, 10, 20]
    assert df["purity x"].between(0, 1).all()


def test_first_step() -> None:
    acc = np.array([[0.0, 0.0], [0.5, 0.96], [0.95, 0.2], [1.0, 0.99]])
    res = GrokResult(
        tasks=(WordTask(cyclic(3)), WordTask(cyclic(3))),
        eval_steps=np.array([0, 10, 20, 30]),
        train_acc=acc,
        test_acc=acc[:, ::-1],
        train_loss=acc,
        test_loss=acc,
        weight_norm=acc,
        emb=np.zeros((2, 6, 2)),
        readout=np.zeros((2, 2, 3)),
        train_masks=np.zeros((2, 3, 3), bool),
        diverged=np.zeros(2, bool),
    )
    np.testing.assert_array_equal(res.first_step("train", 0.95), [20, 10])
    np.testing.assert_array_equal(res.first_step("train", 1.0), [30, np.nan])
    np.testing.assert_array_equal(res.first_step("test", 0.99), [30, 30])
    np.testing.assert_array_equal(res.first_step("test", 0.96), [10, 30])
    assert res.select(group="Z_3") == [0, 1]
    assert isinstance(res.summary(), pd.DataFrame)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"width": 0}, "width"),
        ({"steps": 2.5}, "steps"),
        ({"lr": -1.0}, "learning rate"),
        ({"activation": "sigmoid"}, "unknown activation"),
        ({"init_scale": 0.0}, "init_scale"),
        ({"lr": 0.5}, "lr × weight decay"),
    ],
)
def test_bad_settings_raise(kwargs: dict, match: str) -> None:
    task = WordTask(cyclic(4), weight_decay=3.0)
    with pytest.raises(ValueError, match=match):
        train_words([task], **kwargs)


def test_bad_tasks_raise() -> None:
    with pytest.raises(ValueError, match="same group order"):
        train_words([WordTask(cyclic(6)), WordTask(symmetric(4))])
    with pytest.raises(ValueError, match="at least one task"):
        train_words([])
    for kw in (
        {"fraction": 0.0},
        {"fraction": 1.0},
        {"fraction": 0.01},
        {"weight_decay": -1.0},
        {"seed": -2},
        {"word": "x*q"},
    ):
        with pytest.raises(ValueError):
            WordTask(cyclic(4), **kw)


def _fourier_network(n: int, freqs: list[tuple[int, int, int]]):
    """Neurons whose x-, y- and read-out weights are single cosines of the given frequencies."""
    g = np.arange(n)
    rng = np.random.default_rng(0)
    cols = [[np.cos(2 * np.pi * k * g / n + rng.uniform(0, 6)) for k in trip] for trip in freqs]
    Ex = np.stack([c[0] for c in cols], axis=1)
    Ey = np.stack([c[1] for c in cols], axis=1)
    U = np.stack([c[2] for c in cols], axis=0)
    return Ex, Ey, U


def test_neuron_irreps_and_triplets_of_a_fourier_network() -> None:
    G = cyclic(12)
    trips = [(1, 1, 1), (1, 1, 1), (5, 5, 5), (3, 3, 3), (2, 4, 2)]
    ni = neuron_irreps(G, *_fourier_network(12, trips))
    names = ni.irrep_names
    assert [names[k] for k in ni.dominant("x")] == ["k=1", "k=1", "k=5", "k=3", "k=2"]
    assert [names[k] for k in ni.dominant("y")] == ["k=1", "k=1", "k=5", "k=3", "k=4"]
    np.testing.assert_allclose(ni.purity("x"), 1.0)
    assert ni.active.all()
    share = ni.share("x")
    assert share.sum() == pytest.approx(1.0)
    assert share[names.index("k=1")] == pytest.approx(2 / 5, abs=0.05)
    ts = triplet_summary(G, "x*y", ni)
    assert ts.n_active == 5
    assert ts.counts[("k=1", "k=1", "k=1")] == 2
    assert ts.allowed[("k=1", "k=1", "k=1")] and not ts.allowed[("k=2", "k=4", "k=2")]
    assert ts.allowed_share == pytest.approx(4 / 5)
    # chance: independent draws from the marginals (x: 1,1,5,3,2; y: 1,1,5,3,4; out: 1,1,5,3,2)
    px = {1: 0.4, 5: 0.2, 3: 0.2, 2: 0.2}
    py = {1: 0.4, 5: 0.2, 3: 0.2, 4: 0.2}
    expected = sum(px[k] * py.get(k, 0) * px[k] for k in px)
    assert ts.chance == pytest.approx(expected)


def test_trivial_component_is_ignored_for_dominance_and_purity() -> None:
    G = symmetric(3)
    reps = real_irreps(G)
    sign = reps[-1].character  # [1,1,1]: the sign
    Ex = np.stack([100 + sign, 5 * np.ones(6)], axis=1)
    ni = neuron_irreps(G, Ex, Ex, Ex.T)
    assert ni.irrep_names[ni.dominant("x")[0]] == "[1,1,1]"
    assert ni.purity("x")[0] == pytest.approx(1.0)
    assert np.isnan(ni.purity("x")[1])  # a constant neuron has no non-trivial part


def test_seen_answers_are_never_right() -> None:
    G = dihedral(6)
    tab = word_table(G, "x*y")
    mask = train_split(12, 0.6, seed=0)
    # the right answers: none of them occurs in its row or column of the training pairs
    share, chance = seen_answer_share(G, "x*y", mask, tab)
    assert share == 0.0 and 0 < chance < 1
    # answer with the element seen at the first training pair of the same row
    pred = tab.copy()
    for x in range(12):
        first = np.flatnonzero(mask[x])[0]
        pred[x, ~mask[x]] = tab[x, first]
    share, _ = seen_answer_share(G, "x*y", mask, pred)
    assert share == 1.0


def test_predict_shape_and_values() -> None:
    Ex = np.eye(3)
    Ey = np.zeros((3, 3))
    U = np.eye(3)
    np.testing.assert_array_equal(predict(Ex, Ey, U), np.repeat(np.arange(3)[:, None], 3, 1))


# --- the chapter's figures and explorer, on tiny runs ------------------------------------------


@pytest.fixture(scope="module")
def tiny() -> GrokResult:
    tasks = grid_tasks(
        [cyclic(6), dihedral(3), symmetric(3)], fractions=[0.7], weight_decays=[1.0, 0.0], seeds=[0]
    )
    return train_words(tasks, width=16, steps=40, snapshot_steps=[0, 20, 40])


def test_figures_have_one_trace_per_curve_and_panel(tiny: GrokResult) -> None:
    from itemsrel.figures.groups import (
        curves_figure,
        grokking_figure,
        neuron_irrep_figure,
        power_figure,
        structure_figure,
        table_figure,
        words_figure,
    )

    assert len(curves_figure(tiny, [0, 1]).data) == 4  # test and train per task
    fig = grokking_figure(tiny)
    assert len(fig.data) == 2 * tiny.M
    assert [a.text for a in fig.layout.annotations] == ["Z_6", "D_3", "S_3"]
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.title.text == "accuracy (%)"
    G = tiny.tasks[2].group
    panels = {
        "start": neuron_irreps(G, *tiny.weights_at(2, 0)),
        "end": neuron_irreps(G, *tiny.weights(2)),
    }
    heat = neuron_irrep_figure(panels)
    assert len(heat.data) == 2 and heat.data[0].z.shape == (len(real_irreps(G)) - 1, 16)
    np.testing.assert_allclose(np.asarray(heat.data[1].z).sum(axis=0), 1.0)
    power = power_over_training(tiny, 4)
    assert list(power.index) == [0, 20, 40]
    S3 = tiny.tasks[4].group
    assert list(power.columns) == [r.name for r in real_irreps(S3)][1:]  # trivial one left out
    np.testing.assert_allclose(power.sum(axis=1), 1.0)
    assert len(power_figure({"a": power, "b": power_over_training(tiny, 5)}).data) == 2
    frames = {"S_3, λ = 1": structure_over_training(tiny, 4)}
    assert len(structure_figure(frames).data) == 3
    tab = table_figure(S3, "x*y", tiny.train_masks[4], {"end": tiny.predictions(4)})
    legend = [t.name for t in tab.data if t.type == "scatter"]
    assert "training pair, right" in legend and len(legend) <= 4
    assert len(words_figure(tiny, {"x*y": 1 / 6}).data) == 3


def test_explorer_view_reports_and_refuses_bad_input() -> None:
    from itemsrel.widgets.groups import grokking_explorer, grokking_view

    view = grokking_view("Z_12", "x*y", 0.8, 1.0, 16, steps=60)
    assert view.result.config["steps"] == 60 and "test accuracy" in view.text()
    with pytest.raises(ValueError, match="unknown symbol 'z'"):
        grokking_view("Z_12", "x*z", steps=10)
    with pytest.raises(ValueError, match="unknown group"):
        grokking_view("Q_8", steps=10)
    with pytest.raises(ValueError, match="lr × weight decay"):
        grokking_view("Z_12", weight_decay=3.0, lr=0.5, steps=10)
    panel = grokking_explorer("Z_12", "x*y", width=16, steps=60)
    assert len(panel.children) == 2  # controls and output


def test_irrep_persistence_of_fourier_networks() -> None:
    from itemsrel.grokking import irrep_persistence

    G = cyclic(12)
    late = _fourier_network(12, [(1, 1, 1), (1, 1, 1), (5, 5, 5), (3, 3, 3), (2, 4, 2)])
    same, chance = irrep_persistence(G, late, late)
    assert same == 1.0
    assert chance == pytest.approx(0.4**2 + 3 * 0.2**2)  # dominant x-irreps 1, 1, 5, 3, 2
    early = _fourier_network(12, [(1, 1, 1), (2, 2, 2), (5, 5, 5), (4, 4, 4), (2, 4, 2)])
    same, _ = irrep_persistence(G, early, late)
    assert same == pytest.approx(3 / 5)  # neurons 1, 3 and 5 kept theirs
