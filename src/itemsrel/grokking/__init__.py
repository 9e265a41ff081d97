"""Learning a group word with a two-layer network (chapter 7): task, model, training, analysis.

* :mod:`itemsrel.grokking.task` — :class:`WordTask` (group, word, training fraction, weight decay,
  seed) and the training split;
* :mod:`itemsrel.grokking.model` — the network ``logits = φ(E[x] + E[n + y]) U``
  (:class:`WordNetwork`: parameters, loss, closed-form gradient), its initialisation, :func:`predict`;
* :mod:`itemsrel.grokking.train` — :func:`train_words` (argument translation onto the engine)
  and :class:`GrokResult`;
* :mod:`itemsrel.grokking.analysis` — the irreducible representations in the trained weights.

Every name is re-exported here (``from itemsrel.grokking import train_words``).
"""

from .analysis import (
    NeuronIrreps,
    TripletSummary,
    irrep_persistence,
    neuron_irreps,
    power_over_training,
    seen_answer_share,
    structure_over_training,
    triplet_summary,
)
from .model import HIDDEN_ACTIVATIONS, WordNetwork, _initial_weights, initial_weights, predict
from .task import TrainingPairs, WordTask, grid_tasks, n_train_pairs, train_split, training_pairs
from .train import GrokResult, train_words

__all__ = [
    "HIDDEN_ACTIVATIONS",
    "GrokResult",
    "NeuronIrreps",
    "TrainingPairs",
    "TripletSummary",
    "WordNetwork",
    "WordTask",
    "_initial_weights",
    "grid_tasks",
    "initial_weights",
    "irrep_persistence",
    "n_train_pairs",
    "neuron_irreps",
    "power_over_training",
    "predict",
    "seen_answer_share",
    "structure_over_training",
    "train_split",
    "train_words",
    "training_pairs",
    "triplet_summary",
]
