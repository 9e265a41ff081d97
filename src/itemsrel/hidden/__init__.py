"""One-hidden-layer classifiers ``x ↦ σ(aᵀ φ(W x) / √H)`` of chapter 6 (Alleman, Lindsey & Fusi 2024).

* :mod:`itemsrel.hidden.task` — the data: noisy training batches, held-out samples;
* :mod:`itemsrel.hidden.model` — the model (:class:`HiddenClassifier`: parameters, loss,
  closed-form gradient), its initialisation per seed, :func:`hidden_activity`;
* :mod:`itemsrel.hidden.train` — :func:`train_hidden` (argument translation onto the engine) and
  :class:`HiddenResult`;
* :mod:`itemsrel.hidden.analysis` — representation metrics, class-axis selectivity, the expected
  gradient field.

Every name is re-exported here (``from itemsrel.hidden import train_hidden``).
"""

from .analysis import (
    expected_gradient_field,
    intra_class_fraction,
    project_on_class_axes,
    representation_metrics,
)
from .model import (
    READOUTS,
    HiddenClassifier,
    hidden_activity,
    initial_hidden_weights,
    readout_weights,
)
from .task import NoisyBatches, held_out_samples
from .train import HiddenResult, train_hidden

__all__ = [
    "READOUTS",
    "HiddenClassifier",
    "HiddenResult",
    "NoisyBatches",
    "expected_gradient_field",
    "held_out_samples",
    "hidden_activity",
    "initial_hidden_weights",
    "intra_class_fraction",
    "project_on_class_axes",
    "readout_weights",
    "representation_metrics",
    "train_hidden",
]
