"""Representational geometry: what a set of representations keeps of inputs and of targets.

Metrics (Alleman, Lindsey & Fusi 2024, §3). A *representation* ``Z`` is an array of shape
(n, d): one row per condition or per sample, one column per feature (unit). Rows are labelled by
binary ``factors`` (n, k) of 0/1 values, or by integer ``conditions`` (n,).

* :func:`kernel_alignment` — C(K1, K2) = Tr(K1 K2) / √(Tr(K1²) Tr(K2²)) with K = Zc Zcᵀ on the
  row-centred representation (:func:`kernel_alignments` for stacks of representations).
* :func:`parallelism_score` — per factor, the mean pairwise cosine between its coding vectors
  (condition-mean differences) taken at every setting of the other factors.
* :func:`ccgp` — per factor, cross-condition generalisation: a linear SVM trained at one setting of
  the other factors, tested at all other settings, averaged (every SVM here is
  :func:`centred_svm`: a scikit-learn pipeline, centring on the training rows, then ``LinearSVC``
  with C = 1).
* :func:`dichotomy_decoding` — held-out accuracy of a linear SVM for labellings (dichotomies) of
  the conditions, trained or not; :func:`balanced_dichotomies` lists the balanced ones.
* :func:`four_cluster_metrics` — all of the above for one hidden representation of a four-cluster
  task, as the chapter reports them (:data:`METRICS` names them).

Tasks. :class:`ClusterTask` holds P cluster centres in R^N with binary class labels and factors:

* :func:`random_cluster_task` — §4: four centres drawn from a unit normal, classes {1,2} | {3,4};
* :func:`xor_task` — §5.1: four centres interpolating from an XOR square (δ = 0) to four
  equidistant points (δ = 1), embedded isometrically in R^N;
* :func:`aligned_kernel_task` — §6: P centres whose centred kernel has alignment c with the kernel
  of k balanced binary targets (the maximal-dimensional geometry of the paper's Fig. 4 lines).

Conventions: clusters 0, 1 have class 0 and clusters 2, 3 class 1; the four-cluster factors are
(class, within-class) = (0,0), (0,1), (1,0), (1,1). Noise samples are ``centre + σ ξ`` with ξ a
standard normal vector in R^N.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

__all__ = [
    "DECODER_METRICS",
    "FOUR_CLUSTER_FACTORS",
    "METRICS",
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

#: Factors of the four-cluster tasks, one row per cluster: (class, within-class).
FOUR_CLUSTER_FACTORS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.int8)

#: Linear SVM settings of every decoder in this module (scikit-learn ``LinearSVC``).
SVM_C = 1.0
SVM_MAX_ITER = 20_000


# --- kernel alignment ------------------------------------------------------------------------


def _as_rep(Z: ArrayLike, name: str = "Z") -> NDArray[np.float64]:
    arr = np.asarray(Z, dtype=float)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] < 2 or arr.shape[1] < 1:
        raise ValueError(f"{name} must have shape (n_rows >= 2, n_features), got {np.shape(Z)}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def kernel_alignments(Z1: ArrayLike, Z2: ArrayLike) -> NDArray[np.float64]:
    """:func:`kernel_alignment` over leading batch dimensions: (..., n, d1), (..., n, d2) → (...).

    Uses Tr(K1 K2) = ‖Z1cᵀ Z2c‖²_F, so no n×n kernel is formed. Raises ``ValueError`` if any
    representation is constant over its rows (its centred kernel is zero: alignment undefined).
    """
    A = np.asarray(Z1, dtype=float)
    B = np.asarray(Z2, dtype=float)
    if A.ndim < 2 or B.ndim < 2 or A.shape[:-1] != B.shape[:-1]:
        raise ValueError(
            f"representations must share their batch and row dimensions (..., n, d); "
            f"got {A.shape} and {B.shape}"
        )
    if A.shape[-2] < 2:
        raise ValueError("kernel alignment needs at least two rows")
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(B))):
        raise ValueError("representations contain NaN or infinite values")
    A = A - A.mean(axis=-2, keepdims=True)
    B = B - B.mean(axis=-2, keepdims=True)
    AtB = np.einsum("...ni,...nj->...ij", A, B)
    AtA = np.einsum("...ni,...nj->...ij", A, A)
    BtB = np.einsum("...ni,...nj->...ij", B, B)
    num = (AtB**2).sum(axis=(-2, -1))
    na = np.sqrt((AtA**2).sum(axis=(-2, -1)))
    nb = np.sqrt((BtB**2).sum(axis=(-2, -1)))
    scale = np.maximum(np.abs(A).max(initial=0.0), np.abs(B).max(initial=0.0)) or 1.0
    tiny = (1e-12 * scale) ** 2
    if np.any(na <= tiny) or np.any(nb <= tiny):
        bad = np.argwhere(np.atleast_1d((na <= tiny) | (nb <= tiny))).ravel().tolist()
        raise ValueError(
            f"a representation is constant over its rows (batch index {bad[:5]}): its centred "
            "kernel is zero and the alignment is undefined"
        )
    return num / (na * nb)


def kernel_alignment(Z1: ArrayLike, Z2: ArrayLike) -> float:
    """The paper's C(K1, K2) between two representations of the same n rows.

    Z1 (n, d1), Z2 (n, d2): rows are conditions (or samples), columns features; 1-D arrays are one
    feature. Each is centred over its rows, K = Zc Zcᵀ (n×n), and
    C = Tr(K1 K2) / √(Tr(K1 K1) Tr(K2 K2)) ∈ [0, 1]: 1 for identical representations, for any
    rescaling, rotation or translation of one of them.
    """
    A, B = _as_rep(Z1, "Z1"), _as_rep(Z2, "Z2")
    if A.shape[0] != B.shape[0]:
        raise ValueError(
            f"Z1 and Z2 must have the same number of rows, got {A.shape[0]} and {B.shape[0]}"
        )
    return float(kernel_alignments(A, B))


# --- factors, parallelism and CCGP -----------------------------------------------------------


def _as_factors(factors: ArrayLike, n: int) -> NDArray[np.int8]:
    F = np.asarray(factors)
    if F.ndim == 1:
        F = F[:, None]
    if F.ndim != 2 or F.shape[0] != n:
        raise ValueError(f"factors must have shape (n_rows={n}, k), got {np.shape(factors)}")
    if not np.all((F == 0) | (F == 1)):
        raise ValueError("factors must contain only 0 and 1")
    k = F.shape[1]
    if k < 2:
        raise ValueError(
            "parallelism and CCGP need at least two factors (a factor is compared across the "
            "settings of the others)"
        )
    present = {tuple(r) for r in F.astype(int).tolist()}
    if len(present) != 2**k:
        missing = sorted(set(itertools.product((0, 1), repeat=k)) - present)
        raise ValueError(
            f"every combination of the {k} factors must occur at least once; missing {missing[:4]}"
        )
    return F.astype(np.int8)


def _others(F: NDArray[np.int8], i: int) -> tuple[list[tuple[int, ...]], NDArray[np.int64]]:
    """Settings of all factors but i (sorted) and, per row, the index of its setting."""
    rest = np.delete(F, i, axis=1).astype(int)
    settings = sorted({tuple(r) for r in rest.tolist()})
    index = {s: j for j, s in enumerate(settings)}
    return settings, np.array([index[tuple(r)] for r in rest.tolist()], dtype=np.int64)


def parallelism_score(Z: ArrayLike, factors: ArrayLike) -> NDArray[np.float64]:
    """Parallelism score of each binary factor, shape (k,).

    Z (n, d); factors (n, k) of 0/1, every one of the 2^k combinations present (rows may repeat:
    samples of a condition are averaged first). For factor i and each of the 2^(k-1) settings s of
    the other factors, the coding vector is mean(Z | f_i = 1, s) − mean(Z | f_i = 0, s); the score
    is the mean cosine similarity over all pairs of these vectors. A linear embedding of the
    factors scores 1; coding directions unrelated across settings score ≈ 0. A zero coding vector
    (the factor is not encoded at that setting, e.g. silent ReLU units) counts as cosine 0.
    """
    Zr = _as_rep(Z)
    F = _as_factors(factors, Zr.shape[0])
    k = F.shape[1]
    out = np.empty(k)
    for i in range(k):
        settings, idx = _others(F, i)
        vecs = []
        for j in range(len(settings)):
            on = (idx == j) & (F[:, i] == 1)
            off = (idx == j) & (F[:, i] == 0)
            vecs.append(Zr[on].mean(axis=0) - Zr[off].mean(axis=0))
        V = np.array(vecs)
        norms = np.linalg.norm(V, axis=1)
        live = norms > 1e-12 * max(1.0, float(np.abs(Zr).max()))
        U = np.zeros_like(V)
        U[live] = V[live] / norms[live, None]  # a zero coding vector is parallel to nothing
        cos = U @ U.T
        iu = np.triu_indices(len(U), k=1)
        out[i] = cos[iu].mean()
    return out


def centred_svm() -> Pipeline:
    """The linear decoder of every measure here: a scikit-learn pipeline that centres the features
    on the training rows (``StandardScaler(with_std=False)``) and fits ``LinearSVC`` (C =
    :data:`SVM_C`, seed 0).

    Centring makes the hyperplane pass through the training data's own centre: features that are
    constant on the training rows (e.g. the code of the other factors, in CCGP) cannot stand in
    for the (penalised) intercept and so cannot spoil the transfer to other conditions.
    """
    return make_pipeline(
        StandardScaler(with_std=False),
        LinearSVC(C=SVM_C, dual=True, max_iter=SVM_MAX_ITER, tol=1e-4, random_state=0),
    )


def _decoding_accuracy(
    X: np.ndarray, y: np.ndarray, X_test: np.ndarray, y_test: np.ndarray
) -> float:
    """Accuracy on (X_test, y_test) of :func:`centred_svm` fitted to (X, y)."""
    with warnings.catch_warnings():
        # liblinear's dual solver reports slow convergence on overlapping classes; the
        # accuracy of the nearly converged plane is what we use.
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = centred_svm().fit(X, y)
    return float(np.mean(clf.predict(X_test) == y_test))


def _ccgp_of_factor(Zr: NDArray[np.float64], F: NDArray[np.int8], i: int) -> float:
    settings, idx = _others(F, i)
    scores = []
    for j in range(len(settings)):
        scores += [
            _decoding_accuracy(Zr[idx == j], F[idx == j, i], Zr[idx == m], F[idx == m, i])
            for m in range(len(settings))
            if m != j
        ]
    return float(np.mean(scores))


def ccgp(Z: ArrayLike, factors: ArrayLike) -> NDArray[np.float64]:
    """Cross-condition generalisation performance of each binary factor, shape (k,).

    Z (n, d); factors (n, k) of 0/1 with all 2^k combinations present; rows may be conditions or
    samples. For factor i and each setting s of the other factors, a linear SVM (scikit-learn
    ``LinearSVC``, C = 1, on features centred on its training rows) is trained to read f_i from
    the rows with setting s and tested on the rows of each other setting; the accuracies are
    averaged over the test settings and then over s. 1 for a linear embedding of the factors
    along orthogonal directions (a generic, oblique embedding can score less: the other factors
    then move the test conditions along the decoder's normal); 0.5 when the factor's coding
    direction does not transfer.
    """
    Zr = _as_rep(Z)
    F = _as_factors(factors, Zr.shape[0])
    return np.array([_ccgp_of_factor(Zr, F, i) for i in range(F.shape[1])])


# --- dichotomies ------------------------------------------------------------------------------


def balanced_dichotomies(n_conditions: int) -> NDArray[np.int8]:
    """All balanced two-way splits of ``n_conditions`` (even) conditions, shape (m, n_conditions).

    Row r labels condition c with 0 or 1; condition 0 is always on side 0, so each split appears
    once: m = C(n, n/2) / 2, ordered with the later conditions on side 1 first (for four
    conditions: 0011, 0101, 0110 — for the four-cluster tasks the class, within-class and XOR
    dichotomies).
    """
    if int(n_conditions) != n_conditions or n_conditions < 2 or n_conditions % 2:
        raise ValueError(f"n_conditions must be an even integer >= 2, got {n_conditions}")
    n = int(n_conditions)
    if n > 16:
        raise ValueError("more than 16 conditions give too many dichotomies to enumerate")
    rows = []
    for ones in reversed(list(itertools.combinations(range(1, n), n // 2))):
        r = np.zeros(n, dtype=np.int8)
        r[list(ones)] = 1
        rows.append(r)
    return np.array(rows, dtype=np.int8)


def dichotomy_decoding(
    Z: ArrayLike, conditions: ArrayLike, dichotomies: ArrayLike
) -> NDArray[np.float64]:
    """Held-out accuracy of a linear SVM (centred ``LinearSVC``) for each dichotomy, shape (m,).

    Z (n, d) samples; ``conditions`` (n,) integer condition of each row, 0..P-1; ``dichotomies``
    (m, P) 0/1 label of each condition (e.g. from :func:`balanced_dichotomies`). Within every
    condition the rows alternate between a training half (even positions) and a test half (odd
    positions), so the split is deterministic and balanced. Each condition needs ≥ 2 rows.
    """
    Zr = _as_rep(Z)
    cond = np.asarray(conditions)
    if cond.shape != (Zr.shape[0],) or not np.issubdtype(cond.dtype, np.integer):
        raise ValueError(f"conditions must be integers of shape ({Zr.shape[0]},), got {cond.shape}")
    D = np.atleast_2d(np.asarray(dichotomies))
    P = D.shape[1]
    if cond.min() < 0 or cond.max() >= P:
        raise ValueError(f"conditions must lie in 0..{P - 1} (one column of dichotomies each)")
    if not np.all((D == 0) | (D == 1)) or np.any(D.min(axis=1) == D.max(axis=1)):
        raise ValueError("each dichotomy must label conditions 0/1 and use both labels")
    test = np.zeros(len(cond), dtype=bool)
    for c in range(P):
        rows = np.flatnonzero(cond == c)
        if len(rows) < 2:
            raise ValueError(f"condition {c} has {len(rows)} rows; decoding needs at least 2")
        test[rows[1::2]] = True
    train = ~test
    out = np.empty(len(D))
    for r, d in enumerate(D):
        y = d[cond]
        out[r] = _decoding_accuracy(Zr[train], y[train], Zr[test], y[test])
    return out


#: The measures of :func:`four_cluster_metrics`: key → label on the page.
METRICS = {
    "target_alignment": "target alignment C(K_Z, K_Y)",
    "input_alignment": "input alignment C(K_Z, K_X)",
    "parallelism": "parallelism score (class)",
    "ccgp": "CCGP (class)",
    "trained_decoding": "decoding, trained dichotomy",
    "untrained_decoding": "decoding, untrained dichotomies",
}
#: The measures that need linear classifiers (slower: several SVM fits each).
DECODER_METRICS = ("ccgp", "trained_decoding", "untrained_decoding")


def four_cluster_metrics(
    Z: ArrayLike,
    X: ArrayLike,
    clusters: ArrayLike,
    task: ClusterTask,
    *,
    decoders: bool = True,
) -> dict[str, float]:
    """The chapter's measures of one representation of the n samples of a four-cluster task.

    Z (n, H) hidden activity, X (n, N) the inputs, ``clusters`` (n,) their cluster ids 0..3.
    ``target_alignment`` C(K_Z, K_Y) with Y the samples' class labels; ``input_alignment``
    C(K_Z, K_X); ``parallelism`` and ``ccgp`` of the class factor; ``trained_decoding`` of the class
    dichotomy (0011) and ``untrained_decoding`` the mean over the within-class (0101) and XOR
    (0110) dichotomies. ``decoders=False`` leaves out the three SVM-based measures.
    """
    Zr, Xr = _as_rep(Z), _as_rep(X, "X")
    ids = np.asarray(clusters)
    if task.P != 4 or ids.shape != (Zr.shape[0],) or Xr.shape[0] != Zr.shape[0]:
        raise ValueError(
            "four_cluster_metrics needs a four-cluster task and one cluster id per row"
        )
    y = task.labels[ids].astype(float)
    F = task.factors[ids]
    out = {
        "target_alignment": kernel_alignment(Zr, y),
        "input_alignment": kernel_alignment(Zr, Xr),
        "parallelism": float(parallelism_score(Zr, F)[0]),
    }
    if decoders:
        Fc = _as_factors(F, Zr.shape[0])
        dec = dichotomy_decoding(Zr, ids, balanced_dichotomies(4))
        out["ccgp"] = _ccgp_of_factor(Zr, Fc, 0)
        out["trained_decoding"] = float(dec[0])
        out["untrained_decoding"] = float(dec[1:].mean())
    return out


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


def rise_points(
    grid: ArrayLike, curve: ArrayLike, fractions: Sequence[float] = (0.1, 0.5, 0.9)
) -> NDArray[np.float64]:
    """Where a rising curve first reaches each fraction of its rise from ``grid[0]`` to
    ``grid[-1]`` (linear interpolation between grid points), shape ``(len(fractions),)``.

    E.g. the δ at which target alignment has made 10 %, 50 % and 90 % of its rise: the 10–90 %
    distance is how sharp the switch is. A curve that does not rise (last value ≤ first) has no
    such points: NaN.
    """
    x = np.asarray(grid, dtype=float)
    y = np.asarray(curve, dtype=float)
    if x.ndim != 1 or x.shape != y.shape or x.size < 2 or np.any(np.diff(x) <= 0):
        raise ValueError("grid must be increasing and curve must have one value per grid point")
    if not np.all(np.isfinite(y)):
        raise ValueError("curve contains NaN or inf")
    out = np.full(len(fractions), np.nan)
    if y[-1] <= y[0]:
        return out
    for i, f in enumerate(fractions):
        level = y[0] + f * (y[-1] - y[0])
        k = int(np.argmax(y >= level))  # first point at or above the level (k ≥ 1 for f > 0)
        if k == 0:
            out[i] = x[0]
        else:
            out[i] = x[k - 1] + (level - y[k - 1]) / (y[k] - y[k - 1]) * (x[k] - x[k - 1])
    return out
