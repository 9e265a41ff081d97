"""Four-cluster and aligned-kernel tasks: cluster centres in R^N with binary targets and factors.

:class:`ClusterTask` holds P cluster centres in R^N with binary class labels and factors:

* :func:`random_cluster_task` — §4: four centres drawn from a unit normal, classes {1,2} | {3,4};
* :func:`xor_task` — §5.1: four centres interpolating from an XOR square (δ = 0) to four
  equidistant points (δ = 1), embedded isometrically in R^N;
* :func:`aligned_kernel_task` — §6: P centres whose centred kernel has alignment c with the kernel
  of k balanced binary targets (the maximal-dimensional geometry of the paper's Fig. 4 lines);
* :func:`class_axes` — a four-cluster task's unit inter- and intra-class axes.

Conventions: clusters 0, 1 have class 0 and clusters 2, 3 class 1; the four-cluster factors are
(class, within-class) = (0,0), (0,1), (1,0), (1,1). Noise samples are ``centre + σ ξ`` with ξ a
standard normal vector in R^N.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "FOUR_CLUSTER_FACTORS",
    "ClusterTask",
    "aligned_kernel_task",
    "class_axes",
    "random_cluster_task",
    "xor_task",
]

#: Factors of the four-cluster tasks, one row per cluster: (class, within-class).
FOUR_CLUSTER_FACTORS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.int8)


# --- tasks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterTask:
    """P cluster centres in R^N with binary targets.

    ``centers`` (P, N); ``targets`` (P, k) 0/1 target of each cluster (k = 1 for the four-cluster
    tasks); ``factors`` (P, f) the binary latent factors of each cluster (for the four-cluster tasks
    (class, within-class), see :data:`FOUR_CLUSTER_FACTORS`). ``name`` describes the task.
    ``class_direction`` (N,), optional: the unit direction along which the classes separate when
    δ > 0 (set by :func:`xor_task`, so the inter-class axis stays defined at δ = 0).
    """

    centers: NDArray[np.float64]
    targets: NDArray[np.int8]
    factors: NDArray[np.int8]
    name: str = ""
    class_direction: NDArray[np.float64] | None = None

    @property
    def P(self) -> int:
        return int(self.centers.shape[0])

    @property
    def N(self) -> int:
        return int(self.centers.shape[1])

    @property
    def labels(self) -> NDArray[np.int8]:
        """Class of each cluster, (P,) (the first target)."""
        return self.targets[:, 0]

    def sample(
        self, n_per_cluster: int, sigma: float, rng: np.random.Generator | int
    ) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
        """``n_per_cluster`` noisy samples of every cluster: inputs (P·n, N) and cluster ids (P·n,).

        Rows are grouped by cluster (cluster 0 first); sample = centre + σ·ξ, ξ ~ N(0, I_N).
        """
        if int(n_per_cluster) != n_per_cluster or n_per_cluster < 1:
            raise ValueError(f"n_per_cluster must be a positive integer, got {n_per_cluster}")
        if not (np.isfinite(sigma) and sigma >= 0):
            raise ValueError(f"sigma must be a finite number >= 0, got {sigma}")
        gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        ids = np.repeat(np.arange(self.P), int(n_per_cluster))
        X = self.centers[ids] + sigma * gen.standard_normal((len(ids), self.N))
        return X, ids


def _check_N(N: int, minimum: int) -> int:
    if int(N) != N or N < minimum:
        raise ValueError(f"input dimension N must be an integer >= {minimum}, got {N}")
    return int(N)


def random_cluster_task(N: int, seed: int) -> ClusterTask:
    """§4: four centres with i.i.d. standard normal entries in R^N (seeded); classes {0,1} | {2,3}."""
    N = _check_N(N, 2)
    rng = np.random.default_rng([int(seed), 0])
    return ClusterTask(
        centers=rng.standard_normal((4, N)),
        targets=np.array([[0], [0], [1], [1]], dtype=np.int8),
        factors=FOUR_CLUSTER_FACTORS.copy(),
        name=f"random centres, N={N}, seed {seed}",
    )


def xor_task(
    delta: float,
    N: int,
    seed: int,
    radius: float | None = None,
    offset: float | None = None,
) -> ClusterTask:
    """§5.1: the δ-separable XOR family, embedded isometrically in R^N by a seeded rotation.

    In three coordinates, cluster (class y, within-class s) with y' = 2y−1, s' = 2s−1 sits at
    ``radius·(s', y's', δ y')``. δ = 0: a square with same-class clusters on opposite corners (XOR);
    δ = 1: a regular tetrahedron (four equidistant clusters, as in the §4 task). The class axis is
    the third coordinate, so class separation grows linearly with δ. ``radius`` defaults to √N / 2,
    which makes the δ = 1 pairwise distances √(2N), the expected distance of the §4 random centres.
    All centres are then moved by ``offset`` (default √N / 2, the expected norm of the mean of
    four §4 centres) along a fourth random direction orthogonal to the three, so that, as in §4,
    the inputs are not centred on the origin (without it an odd activation such as tanh without
    bias cannot separate x from −x, i.e. cannot solve the δ = 0 XOR). Requires N ≥ 4.
    """
    if not (np.isfinite(delta) and 0 <= delta <= 1):
        raise ValueError(f"delta must lie in [0, 1], got {delta}")
    N = _check_N(N, 4)
    r = np.sqrt(N) / 2 if radius is None else float(radius)
    if not (np.isfinite(r) and r > 0):
        raise ValueError(f"radius must be a positive number, got {radius}")
    mu = np.sqrt(N) / 2 if offset is None else float(offset)
    if not (np.isfinite(mu) and mu >= 0):
        raise ValueError(f"offset must be a finite number >= 0, got {offset}")
    y = 2.0 * FOUR_CLUSTER_FACTORS[:, 0] - 1
    s = 2.0 * FOUR_CLUSTER_FACTORS[:, 1] - 1
    coords = np.stack([r * s, r * y * s, r * delta * y, np.full(4, mu)], axis=1)  # (4, 4)
    rng = np.random.default_rng([int(seed), 0])
    Q, _ = np.linalg.qr(rng.standard_normal((N, 4)))  # orthonormal columns
    return ClusterTask(
        centers=coords @ Q.T,
        targets=FOUR_CLUSTER_FACTORS[:, :1].copy(),
        factors=FOUR_CLUSTER_FACTORS.copy(),
        name=f"XOR family, δ={delta:g}, N={N}, seed {seed}",
        class_direction=Q[:, 2].copy(),
    )


def aligned_kernel_task(P: int, k: int, alignment: float, N: int, seed: int) -> ClusterTask:
    """§6: P centres whose centred kernel has alignment ``alignment`` with that of k targets.

    Targets Y (P, k): k random balanced binary labellings (seeded). The input kernel lies on the
    segment between K̂_Y (the unit-trace target kernel) and K_max, the unit-trace projector onto the
    centred directions orthogonal to K_Y (the flattest kernel with zero alignment); the point on
    the segment is solved in closed form for the requested alignment. Centres X = U Λ^½ Oᵀ · √P
    with K = U Λ Uᵀ and O a random N×P orthonormal matrix (N ≥ P), scaled so that the mean squared
    distance of a centre to the centroid is N (as for the §4 random centres). ``factors`` are the
    targets.
    """
    if int(P) != P or P < 4 or P % 2:
        raise ValueError(f"P must be an even integer >= 4, got {P}")
    if int(k) != k or not 1 <= k <= P - 2:
        raise ValueError(f"k must be an integer in 1..P-2, got {k}")
    if not (np.isfinite(alignment) and 0 <= alignment <= 1):
        raise ValueError(f"alignment must lie in [0, 1], got {alignment}")
    N = _check_N(N, P)
    rng = np.random.default_rng([int(seed), 0])
    P, k = int(P), int(k)
    while True:
        Y = np.stack([rng.permutation(np.repeat([0, 1], P // 2)) for _ in range(k)], axis=1)
        Yc = Y - Y.mean(axis=0)
        if np.linalg.matrix_rank(Yc) == k:
            break
    KY = Yc @ Yc.T
    KY_hat = KY / np.trace(KY)
    # orthonormal basis of centred space minus range(K_Y)
    J = np.eye(P) - np.ones((P, P)) / P
    U_y, _ = np.linalg.qr(Yc)
    R = J - U_y @ U_y.T
    Kmax = R / np.trace(R)
    a, b = np.linalg.norm(KY_hat), np.linalg.norm(Kmax)
    c = float(alignment)
    t = 1.0 if c == 0 else a * np.sqrt(1 - c**2) / (b * c + a * np.sqrt(1 - c**2))
    K = (1 - t) * KY_hat + t * Kmax
    lam, U = np.linalg.eigh(K)
    lam = np.clip(lam, 0.0, None)
    rot, _ = np.linalg.qr(rng.standard_normal((N, P)))
    X = (U * np.sqrt(lam)) @ rot.T * np.sqrt(P * N)
    return ClusterTask(
        centers=X,
        targets=Y.astype(np.int8),
        factors=Y.astype(np.int8),
        name=f"aligned kernel, P={P}, k={k}, c={c:g}, N={N}, seed {seed}",
    )


def class_axes(
    task: ClusterTask, preferred: int = 1
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Unit inter-class and intra-class axes of a four-cluster task, as seen by one neuron.

    ``preferred`` is the class the neuron is driven to respond to (1 for readout +1, 0 for −1).
    Inter-class axis: mean of the preferred class minus mean of the other (the paper's Σ_i y_i x_i
    with labels ±1); when the class means coincide (δ = 0) the task's ``class_direction`` signed
    the same way. Intra-class axis: difference of the two preferred-class centres (second minus
    first), made orthogonal to the inter-class axis. Both (N,), unit length.
    """
    C = task.centers
    y = task.labels
    if C.shape[0] != 4 or sorted(y.tolist()) != [0, 0, 1, 1]:
        raise ValueError("class_axes needs four clusters, two per class")
    if preferred not in (0, 1):
        raise ValueError(f"preferred must be 0 or 1, got {preferred}")
    pref, other = C[y == preferred], C[y != preferred]
    inter = pref.mean(axis=0) - other.mean(axis=0)
    scale = max(1.0, float(np.abs(C).max()))
    if np.linalg.norm(inter) <= 1e-9 * scale:
        if task.class_direction is None:
            raise ValueError("the class means coincide: the inter-class axis is undefined")
        inter = task.class_direction * (1.0 if preferred == 1 else -1.0)
    u = inter / np.linalg.norm(inter)
    intra = pref[1] - pref[0]
    v = intra - (intra @ u) * u
    if np.linalg.norm(v) <= 1e-9 * scale:
        raise ValueError("the preferred-class centres differ only along the inter-class axis")
    return u, v / np.linalg.norm(v)
