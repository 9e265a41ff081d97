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
  task (:mod:`itemsrel.geometry.task`), as the chapter reports them (:data:`METRICS` names them).
* :func:`rise_points` — where a rising curve makes 10 %, 50 %, 90 % of its rise.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from .task import ClusterTask

__all__ = [
    "DECODER_METRICS",
    "METRICS",
    "SVM_C",
    "SVM_MAX_ITER",
    "balanced_dichotomies",
    "ccgp",
    "centred_svm",
    "dichotomy_decoding",
    "four_cluster_metrics",
    "kernel_alignment",
    "kernel_alignments",
    "parallelism_score",
    "rise_points",
]

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
