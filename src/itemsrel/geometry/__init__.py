"""Representational geometry of chapter 6: the tasks (:mod:`.task`) and the measures
(:mod:`.analysis`).

* :mod:`itemsrel.geometry.task` — :class:`ClusterTask` and the paper's task families
  (:func:`random_cluster_task`, :func:`xor_task`, :func:`aligned_kernel_task`), :func:`class_axes`;
* :mod:`itemsrel.geometry.analysis` — kernel alignment, parallelism, CCGP, dichotomy decoding,
  :func:`four_cluster_metrics`, :func:`rise_points`.

Every name is re-exported here (``from itemsrel.geometry import xor_task``).
"""

from .analysis import (
    DECODER_METRICS,
    METRICS,
    SVM_C,
    SVM_MAX_ITER,
    balanced_dichotomies,
    ccgp,
    centred_svm,
    dichotomy_decoding,
    four_cluster_metrics,
    kernel_alignment,
    kernel_alignments,
    parallelism_score,
    rise_points,
)
from .task import (
    FOUR_CLUSTER_FACTORS,
    ClusterTask,
    aligned_kernel_task,
    class_axes,
    random_cluster_task,
    xor_task,
)

__all__ = [
    "DECODER_METRICS",
    "FOUR_CLUSTER_FACTORS",
    "METRICS",
    "SVM_C",
    "SVM_MAX_ITER",
    "ClusterTask",
    "aligned_kernel_task",
    "balanced_dichotomies",
    "ccgp",
    "centred_svm",
    "class_axes",
    "dichotomy_decoding",
    "four_cluster_metrics",
    "kernel_alignment",
    "kernel_alignments",
    "parallelism_score",
    "random_cluster_task",
    "rise_points",
    "xor_task",
]
