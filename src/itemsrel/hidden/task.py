"""The data of the hidden-layer classifiers: noisy training batches and held-out samples.

The tasks themselves (cluster centres, labels) are :class:`~itemsrel.geometry.ClusterTask`. A
network's samples are ``centre + σ ξ``; ξ comes from its seed's own stream: training noise from
``default_rng([seed, 1])`` (:class:`NoisyBatches`), held-out samples from
``default_rng([seed, 4])`` (:func:`held_out_samples`). Networks that share a seed share their
noise (paired comparisons).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from numpy.typing import NDArray

from ..geometry import ClusterTask

__all__ = ["NOISE_CHUNK", "NoisyBatches", "held_out_samples"]

#: Steps of training noise drawn at once per seed.
NOISE_CHUNK = 64


def held_out_samples(
    task: ClusterTask, seed: int, n_per_cluster: int, sigma: float = 1.0
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Held-out analysis samples of ``task`` (σ_test = ``sigma``), from the seed's test stream.

    Returns inputs (P·n, N), grouped by cluster, and their cluster ids (P·n,).
    """
    return task.sample(n_per_cluster, sigma, np.random.default_rng([int(seed), 4]))


class NoisyBatches:
    """Every step's training inputs of B networks: ``batch_per_cluster`` samples per cluster,
    ``centre + σ_b ξ``, shape (B, S, N) with S = P · batch_per_cluster (grouped by cluster).

    ``tasks`` (B) and ``sigma`` (B,) per network; ξ is drawn in chunks of :data:`NOISE_CHUNK`
    steps from each distinct seed's stream ``default_rng([seed, 1])``; ``steps + 1`` batches exist
    (the training steps and a fresh one after training). ``ids`` (S,): each row's cluster.
    """

    def __init__(
        self,
        tasks: Sequence[ClusterTask],
        seeds: NDArray[np.integer],
        sigma: NDArray[np.float64],
        batch_per_cluster: int,
        steps: int,
        dtype: torch.dtype,
        device: torch.device,
    ) -> None:
        P, N = tasks[0].P, tasks[0].N
        B = len(tasks)
        self.ids = np.repeat(np.arange(P), batch_per_cluster)
        self.S, self.N, self.steps = len(self.ids), N, steps
        self.dtype, self.device = dtype, device
        centers = np.stack([t.centers for t in tasks])  # (B, P, N)
        self.Xc = torch.as_tensor(centers[:, self.ids], dtype=dtype, device=device)  # (B, S, N)
        self.sig = torch.as_tensor(sigma, dtype=dtype, device=device).view(B, 1, 1)
        uniq, inverse = np.unique(seeds, return_inverse=True)
        self.inv = torch.as_tensor(inverse, device=device)
        self.rngs = [np.random.default_rng([int(s), 1]) for s in uniq]
        self.start = -1  # first step of the chunk held
        self.chunk: torch.Tensor | None = None

    def __call__(self, step: int) -> torch.Tensor:
        """Step ``step``'s inputs (B, S, N); steps are asked for in order (any step of the chunk
        held may be asked for again)."""
        start = step - step % NOISE_CHUNK
        if start != self.start or self.chunk is None:
            n = min(NOISE_CHUNK, self.steps + 1 - start)
            raw = np.stack([g.standard_normal((n, self.S, self.N)) for g in self.rngs])
            self.chunk = torch.as_tensor(raw, dtype=self.dtype, device=self.device)
            self.start = start
        return self.Xc + self.sig * self.chunk[:, step - start][self.inv]
