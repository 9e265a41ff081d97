"""Tests of itemsrel.activations: one activation, three implementations that must agree."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
import torch

from itemsrel.activations import ACTIVATIONS, Activation, get_activation

Z = np.array([-3.0, -1.2, -0.4, 0.1, 0.7, 1.5, 4.0])
CASES = [
    ("linear", None, 1.0),
    ("linear", 0.5, 2.0),
    ("tanh", None, 1.0),
    ("tanh", 0.5, 1.0),
    ("tanh", -0.3, 2.5),
    ("shifted_tanh", None, 1.0),
    ("sigmoid", None, 1.0),
    ("sigmoid", 0.25, 3.0),
    ("relu", None, 1.0),
    ("relu", 0.3, 2.0),
    ("clip", None, 1.0),
    ("clip", -0.4, 2.0),
    ("gelu", None, 1.0),
    ("gelu", 0.2, 1.5),
    ("quadratic", None, 1.0),
    ("quadratic", -0.5, 2.0),
]
REFERENCE = {
    "linear": lambda a: a,
    "tanh": np.tanh,
    "sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a)),
    "relu": lambda a: np.maximum(a, 0.0),
    "clip": lambda a: np.minimum(np.maximum(a, 0.0), 1.0),
    "gelu": lambda a: a * 0.5 * (1.0 + np.array([math.erf(v / math.sqrt(2.0)) for v in a])),
    "quadratic": lambda a: a * a,
}


def _act(name: str, shift: float | None, gain: float) -> Activation:
    return get_activation(name, shift=shift, gain=gain)


@pytest.mark.parametrize(("name", "shift", "gain"), CASES)
def test_numpy_torch_sympy_agree_with_the_formula(
    name: str, shift: float | None, gain: float
) -> None:
    phi = _act(name, shift, gain)
    c = 0.5 if name == "shifted_tanh" and shift is None else (shift or 0.0)
    expected = REFERENCE[phi.name](gain * (Z - c))
    np.testing.assert_allclose(phi(Z), expected, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(
        phi.torch(torch.as_tensor(Z, dtype=torch.float64)).numpy(), expected, rtol=1e-12, atol=1e-14
    )
    z = sp.Symbol("z", real=True)
    expr = phi.sympy(z)
    values = [float(expr.subs(z, sp.Float(v, 30)).evalf(20)) for v in Z]
    np.testing.assert_allclose(values, expected, rtol=1e-12, atol=1e-14)
    y, dy = phi.torch_value_and_grad(torch.as_tensor(Z, dtype=torch.float64))
    np.testing.assert_allclose(y.numpy(), expected, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(dy.numpy(), phi.derivative(Z), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(("name", "shift", "gain"), CASES)
def test_derivative_matches_finite_differences(name: str, shift: float | None, gain: float) -> None:
    phi = _act(name, shift, gain)
    h = 1e-6
    kinks = [phi.shift, phi.shift + 1.0 / phi.gain] if phi.name == "clip" else [phi.shift]
    z = Z[np.all([np.abs(Z - k) > 1e-3 for k in kinks], axis=0)]  # away from the kinks
    fd = (phi(z + h) - phi(z - h)) / (2 * h)
    np.testing.assert_allclose(phi.derivative(z), fd, rtol=1e-6, atol=1e-8)


def test_known_values() -> None:
    assert get_activation("sigmoid")(0.0) == 0.5
    assert get_activation("tanh")(0.0) == 0.0
    assert get_activation("tanh", shift=0.5)(0.5) == 0.0
    assert get_activation("shifted_tanh").shift == 0.5
    assert get_activation("sigmoid").derivative(0.0) == 0.25
    assert get_activation("tanh").derivative(0.0) == 1.0
    assert get_activation("sigmoid", gain=2.0).derivative(0.0) == 0.5
    assert get_activation("id").name == "linear"


@pytest.mark.parametrize(
    ("name", "shift", "gain"),
    [c for c in CASES if c[0] not in ("relu", "clip", "gelu", "quadratic")],
)
def test_inverse_round_trips_inside_the_range(name: str, shift: float | None, gain: float) -> None:
    phi = _act(name, shift, gain)
    lo, hi = phi.output_range
    t = np.linspace(max(lo, -5.0), min(hi, 5.0), 9)[1:-1]
    np.testing.assert_allclose(phi(phi.inverse(t)), t, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(phi.inverse(phi(Z[np.abs(Z) < 2])), Z[np.abs(Z) < 2], atol=1e-8)


def test_relu_inverse_on_positive_targets() -> None:
    phi = get_activation("relu", shift=0.3, gain=2.0)
    np.testing.assert_allclose(phi.inverse([0.4, 2.0]), [0.5, 1.3])
    with pytest.raises(ValueError):
        phi.inverse([0.0])


@pytest.mark.parametrize(
    ("name", "bad"),
    [("tanh", 1.0), ("tanh", -1.0), ("sigmoid", 0.0), ("sigmoid", 1.0), ("shifted_tanh", 1.2)],
)
def test_inverse_raises_outside_the_open_range(name: str, bad: float) -> None:
    with pytest.raises(ValueError, match="finite weights"):
        get_activation(name).inverse([0.5 if name != "tanh" else 0.0, bad])


def test_unknown_names_and_bad_gains_raise() -> None:
    with pytest.raises(ValueError, match="unknown activation"):
        get_activation("softplus")
    with pytest.raises(ValueError, match="gain"):
        get_activation("tanh", gain=0.0)
    with pytest.raises(ValueError, match="gain"):
        get_activation("sigmoid", gain=-1.0)
    assert set(ACTIVATIONS) == {
        "linear", "tanh", "sigmoid", "relu", "shifted_tanh", "clip", "gelu", "quadratic"
    }  # fmt: skip


def test_labels() -> None:
    assert get_activation("tanh", shift=0.5).label == "tanh(z − 0.5)"
    assert get_activation("sigmoid", gain=2.0).label == "σ(2·z)"
    assert get_activation("linear").label == "z (linear)"


def test_clip_saturates_on_both_sides() -> None:
    phi = get_activation("clip")
    z = np.array([-5.0, -1e-9, 0.25, 0.999, 1.0 + 1e-9, 7.0])
    np.testing.assert_array_equal(phi(z), [0.0, 0.0, 0.25, 0.999, 1.0, 1.0])
    np.testing.assert_array_equal(phi.derivative(z), [0.0, 0.0, 1.0, 1.0, 0.0, 0.0])
    assert phi.output_range == (0.0, 1.0)
    # shift and gain act on the argument: clip(2 (z + 0.4)) has its ramp on (-0.4, 0.1)
    moved = get_activation("clip", shift=-0.4, gain=2.0)
    np.testing.assert_allclose(moved([-0.4, -0.15, 0.1, 0.3]), [0.0, 0.5, 1.0, 1.0])
    np.testing.assert_allclose(moved.derivative([-0.5, -0.15, 0.2]), [0.0, 2.0, 0.0])


def test_clip_inverse_on_the_open_range_only() -> None:
    phi = get_activation("clip", shift=0.5, gain=2.0)
    np.testing.assert_allclose(phi.inverse([0.2, 0.8]), [0.6, 0.9])
    np.testing.assert_allclose(phi(phi.inverse([0.2, 0.8])), [0.2, 0.8])
    for bad in (0.0, 1.0, 1.5):
        with pytest.raises(ValueError, match="clip is flat"):
            phi.inverse([0.5, bad])


def test_clip_label() -> None:
    assert get_activation("clip").label == "min(max(0, z), 1)"
    assert get_activation("clip", shift=-0.4, gain=2.0).label == "min(max(0, 2·(z + 0.4)), 1)"


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        (("Tanh",), {}, "unknown activation 'Tanh'; choose one of linear, tanh"),
        (("shifted_tanh",), {}, "unknown activation"),
        (("tanh",), {"gain": float("inf")}, "gain must be"),
        (("tanh",), {"gain": 0.0}, "gain must be"),
        (("tanh",), {"shift": float("nan")}, "shift must be finite"),
        (("tanh",), {"shift": "0.5"}, "shift must be a real number"),
    ],
)
def test_activation_itself_validates_name_gain_and_shift(args, kwargs, match) -> None:
    with pytest.raises(ValueError, match=match):
        Activation(*args, **kwargs)


def test_get_activation_rejects_non_finite_parameters() -> None:
    with pytest.raises(ValueError, match="shift"):
        get_activation("tanh", shift=float("inf"))
    with pytest.raises(ValueError, match="gain"):
        get_activation("relu", gain=float("nan"))


@pytest.mark.parametrize(("name", "shift", "gain"), CASES)
def test_torch_forward_backward_equals_autograd(
    name: str, shift: float | None, gain: float
) -> None:
    phi = _act(name, shift, gain)
    kinks = [phi.shift, phi.shift + 1.0 / phi.gain] if phi.name == "clip" else [phi.shift]
    z = Z[np.all([np.abs(Z - k) > 1e-3 for k in kinks], axis=0)]
    g = np.linspace(-1.0, 2.0, z.size)
    leaf = torch.as_tensor(z, dtype=torch.float64).requires_grad_(True)
    phi.torch(leaf).backward(torch.as_tensor(g))
    h, backward = phi.torch_forward(torch.as_tensor(z, dtype=torch.float64).clone())
    np.testing.assert_allclose(h.numpy(), phi(z), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(
        backward(torch.as_tensor(g)).numpy(), leaf.grad.numpy(), rtol=1e-12, atol=1e-14
    )


@pytest.mark.parametrize("name", ["gelu", "quadratic"])
def test_non_monotone_activations_have_no_inverse(name: str) -> None:
    with pytest.raises(ValueError, match="not monotone"):
        get_activation(name).inverse(0.5)


@pytest.mark.parametrize(("name", "shift", "gain"), CASES)
def test_in_place_value_and_grad_equals_the_plain_one_bit_for_bit(
    name: str, shift: float | None, gain: float
) -> None:
    phi = _act(name, shift, gain)
    z = torch.as_tensor(np.linspace(-4.0, 4.0, 37), dtype=torch.float64).view(1, 37)
    y, dy = phi.torch_value_and_grad(z.clone())
    for one in (None, torch.ones((), dtype=torch.float64)):
        y1, dy1 = phi.torch_value_and_grad_(z.clone(), one)
        assert torch.equal(y1, y) and torch.equal(dy1, dy)
    work = z.clone()
    y_, dy_ = phi.torch_value_and_grad_(work)
    assert dy_.data_ptr() != work.data_ptr()  # φ' is a new tensor: the caller may overwrite it
    if name in ("tanh", "sigmoid") and shift is None:
        assert y_.data_ptr() == work.data_ptr()  # acted in place
