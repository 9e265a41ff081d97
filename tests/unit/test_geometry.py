"""Tests of itemsrel.geometry: each measure on representations with known answers, and the tasks'
geometry (distances, alignments and parallelism that follow from their construction)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from itemsrel.geometry import (
    FOUR_CLUSTER_FACTORS,
    aligned_kernel_task,
    balanced_dichotomies,
    ccgp,
    class_axes,
    dichotomy_decoding,
    four_cluster_metrics,
    kernel_alignment,
    kernel_alignments,
    parallelism_score,
    random_cluster_task,
    xor_task,
)

FACTORS3 = np.array(list(itertools.product((0, 1), repeat=3)))  # 8 conditions, 3 factors


def _linear_embedding(
    F: np.ndarray, d: int = 40, seed: int = 0, oblique: bool = False
) -> np.ndarray:
    """Z = F A + b: the factors embedded in R^d along orthogonal directions of different lengths
    (``oblique``: along generic random directions), shifted away from the origin."""
    rng = np.random.default_rng(seed)
    if oblique:
        A = rng.standard_normal((F.shape[1], d))
    else:
        Q, _ = np.linalg.qr(rng.standard_normal((d, F.shape[1])))
        A = (Q * np.linspace(1.0, 3.0, F.shape[1])).T
    return F @ A + 5.0 * rng.standard_normal(d)


def _samples(Z: np.ndarray, F: np.ndarray, n: int, noise: float, seed: int = 1):
    """n noisy samples of every condition row of Z, with their factor rows and condition ids."""
    rng = np.random.default_rng(seed)
    ids = np.repeat(np.arange(len(Z)), n)
    return Z[ids] + noise * rng.standard_normal((len(ids), Z.shape[1])), F[ids], ids


# --- kernel alignment ---------------------------------------------------------------------------


def test_alignment_is_one_for_identical_rescaled_rotated_and_translated() -> None:
    rng = np.random.default_rng(3)
    Z = rng.standard_normal((12, 5))
    Q, _ = np.linalg.qr(rng.standard_normal((5, 5)))
    assert kernel_alignment(Z, Z) == pytest.approx(1.0, abs=1e-12)
    assert kernel_alignment(Z, 3.7 * Z) == pytest.approx(1.0, abs=1e-12)
    assert kernel_alignment(Z, Z @ Q) == pytest.approx(1.0, abs=1e-12)
    assert kernel_alignment(Z, Z + 5.0) == pytest.approx(1.0, abs=1e-12)
    # an extra feature that is a copy of an existing one changes the kernel
    assert kernel_alignment(Z, np.hstack([Z, Z[:, :1]])) < 1.0


def test_alignment_known_value() -> None:
    # four points on the axes of a square; the target is the first coordinate only:
    # Tr(KxKy) = |Xᵀy|² = 4, Tr(Kx²) = |XᵀX|² = 8, Tr(Ky²) = 4  →  C = 4 / √32 = 1/√2
    X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    y = np.array([1.0, 0.0, -1.0, 0.0])
    assert kernel_alignment(X, y) == pytest.approx(1 / np.sqrt(2), abs=1e-12)
    # orthogonal codes: alignment 0
    assert kernel_alignment(X[:, :1], X[:, 1:]) == pytest.approx(0.0, abs=1e-12)


def test_batched_alignment_equals_the_scalar_one() -> None:
    rng = np.random.default_rng(4)
    A = rng.standard_normal((3, 2, 10, 6))
    B = rng.standard_normal((3, 2, 10, 4))
    batch = kernel_alignments(A, B)
    assert batch.shape == (3, 2)
    for i, j in itertools.product(range(3), range(2)):
        assert batch[i, j] == pytest.approx(kernel_alignment(A[i, j], B[i, j]), abs=1e-12)


def test_alignment_rejects_bad_input() -> None:
    Z = np.arange(12.0).reshape(6, 2)
    with pytest.raises(ValueError, match="same number of rows"):
        kernel_alignment(Z, Z[:5])
    with pytest.raises(ValueError, match="constant"):
        kernel_alignment(Z, np.ones((6, 3)))
    with pytest.raises(ValueError, match="NaN"):
        kernel_alignment(Z, np.where(Z > 3, np.nan, Z))
    with pytest.raises(ValueError, match="n_rows"):
        kernel_alignment(Z[:1], Z[:1])


# --- parallelism and CCGP --------------------------------------------------------------------------


@pytest.mark.parametrize("factors", [FOUR_CLUSTER_FACTORS, FACTORS3])
def test_linear_embedding_scores_one(factors: np.ndarray) -> None:
    Z = _linear_embedding(factors)
    np.testing.assert_allclose(parallelism_score(Z, factors), 1.0, atol=1e-12)
    np.testing.assert_allclose(ccgp(Z, factors), 1.0)


def test_oblique_linear_embedding_is_parallel_but_may_not_generalise() -> None:
    # every coding vector of factor i is the row A_i: parallelism 1 whatever the directions
    Z = _linear_embedding(FACTORS3, oblique=True)
    np.testing.assert_allclose(parallelism_score(Z, FACTORS3), 1.0, atol=1e-12)
    # f0 along e0, f1 along e0 + e1: the f1 = 1 conditions sit one unit further along the decoder's
    # normal than the f1 = 0 ones, beyond the midpoint between f0 = 0 and f0 = 1 (at 1/2)
    F = FOUR_CLUSTER_FACTORS
    Z2 = np.stack([F[:, 0] + F[:, 1], F[:, 1]], axis=1).astype(float)
    assert parallelism_score(Z2, F)[0] == pytest.approx(1.0)
    assert ccgp(Z2, F)[0] == pytest.approx(0.5)


def test_linear_embedding_from_noisy_samples() -> None:
    Z = _linear_embedding(FACTORS3, d=30)
    S, F, _ = _samples(Z, FACTORS3, n=40, noise=0.05)
    assert np.all(parallelism_score(S, F) > 0.99)
    np.testing.assert_allclose(ccgp(S, F), 1.0)


def _scrambled() -> np.ndarray:
    """Factor 1 linear along e0; factor 0 coded along e1 at f1 = 0 but along e2 at f1 = 1."""
    rows = []
    for f0, f1 in FOUR_CLUSTER_FACTORS:
        z = np.zeros(3)
        z[0] = f1
        z[1 + f1] += f0
        rows.append(z)
    return np.array(rows)


def test_scrambled_factor_is_at_chance() -> None:
    Z = _scrambled()
    # its two coding vectors are e1 and e2: cosine 0
    assert parallelism_score(Z, FOUR_CLUSTER_FACTORS)[0] == pytest.approx(0.0, abs=1e-12)
    # a decoder trained at f1 = 0 reads e1, which is 0 at both f1 = 1 conditions: one right, one wrong
    assert ccgp(Z, FOUR_CLUSTER_FACTORS)[0] == pytest.approx(0.5)
    # also with samples around the conditions
    S, F, _ = _samples(Z, FOUR_CLUSTER_FACTORS, n=30, noise=0.02)
    assert abs(parallelism_score(S, F)[0]) < 0.05
    assert ccgp(S, F)[0] == pytest.approx(0.5, abs=0.05)


def test_flipped_factor_is_antiparallel_and_generalises_wrongly() -> None:
    # coordinate 0 = f0 XOR f1, coordinate 1 = f1: f0's coding direction reverses with f1
    F = FOUR_CLUSTER_FACTORS
    Z = np.stack([F[:, 0] ^ F[:, 1], F[:, 1]], axis=1).astype(float)
    assert parallelism_score(Z, F)[0] == pytest.approx(-1.0)
    assert ccgp(Z, F)[0] == pytest.approx(0.0)
    # f1's coding vectors: (1, 1) at f0 = 0 and (−1, 1) at f0 = 1, orthogonal
    assert parallelism_score(Z, F)[1] == pytest.approx(0.0, abs=1e-12)


def test_unencoded_setting_counts_as_cosine_zero() -> None:
    F = FOUR_CLUSTER_FACTORS
    Z = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.0, 0.0]])  # f0 coded only at f1 = 0
    assert parallelism_score(Z, F)[0] == pytest.approx(0.0)


def test_factor_validation() -> None:
    Z = np.zeros((4, 2)) + np.arange(4)[:, None]
    with pytest.raises(ValueError, match="at least two factors"):
        parallelism_score(Z, FOUR_CLUSTER_FACTORS[:, :1])
    with pytest.raises(ValueError, match="only 0 and 1"):
        ccgp(Z, FOUR_CLUSTER_FACTORS * 2)
    with pytest.raises(ValueError, match="missing"):
        ccgp(Z[:3], FOUR_CLUSTER_FACTORS[:3])
    with pytest.raises(ValueError, match="shape"):
        parallelism_score(Z, FACTORS3)


# --- dichotomies ---------------------------------------------------------------------------------


def test_balanced_dichotomies() -> None:
    np.testing.assert_array_equal(
        balanced_dichotomies(4), [[0, 0, 1, 1], [0, 1, 0, 1], [0, 1, 1, 0]]
    )
    for n, m in ((2, 1), (6, 10), (8, 35)):
        D = balanced_dichotomies(n)
        assert D.shape == (m, n)
        assert np.all(D.sum(axis=1) == n // 2) and np.all(D[:, 0] == 0)
        assert len({tuple(r) for r in D}) == m
    with pytest.raises(ValueError):
        balanced_dichotomies(5)


def test_dichotomy_decoding_of_a_square() -> None:
    # four conditions on the corners of a square (a linear embedding of two factors): the two
    # factor dichotomies are decodable, the XOR dichotomy is not (a line gets at most 3 corners)
    Z = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    ids = np.repeat(np.arange(4), 2)
    acc = dichotomy_decoding(Z[ids], ids, balanced_dichotomies(4))
    np.testing.assert_allclose(acc[:2], 1.0)
    assert acc[2] <= 0.75
    # lifted to 3-D with the product f0·f1 the XOR becomes decodable too
    Z3 = np.hstack([Z, (Z[:, 0] * Z[:, 1])[:, None]])
    np.testing.assert_allclose(dichotomy_decoding(Z3[ids], ids, balanced_dichotomies(4)), 1.0)


def test_dichotomy_decoding_validation() -> None:
    Z = np.arange(8.0)[:, None]
    ids = np.repeat(np.arange(4), 2)
    with pytest.raises(ValueError, match="at least 2"):
        dichotomy_decoding(Z[:7], ids[:7], balanced_dichotomies(4))
    with pytest.raises(ValueError, match="both labels"):
        dichotomy_decoding(Z, ids, [[1, 1, 1, 1]])
    with pytest.raises(ValueError, match="lie in"):
        dichotomy_decoding(Z, ids + 1, balanced_dichotomies(4))


def test_four_cluster_metrics_of_a_pure_class_code() -> None:
    task = random_cluster_task(6, seed=0)
    X, ids = task.sample(10, 1.0, 0)
    Z = np.stack([task.labels[ids], -task.labels[ids]], axis=1).astype(float)  # class only
    m = four_cluster_metrics(Z, X, ids, task)
    assert m["target_alignment"] == pytest.approx(1.0)
    assert m["parallelism"] == pytest.approx(1.0)
    assert m["ccgp"] == pytest.approx(1.0)
    assert m["trained_decoding"] == pytest.approx(1.0)
    # within a class every sample looks the same: each untrained dichotomy is at chance
    assert m["untrained_decoding"] == pytest.approx(0.5)
    assert four_cluster_metrics(X, X, ids, task, decoders=False)[
        "input_alignment"
    ] == pytest.approx(1.0)
    assert set(four_cluster_metrics(X, X, ids, task, decoders=False)) == {
        "target_alignment",
        "input_alignment",
        "parallelism",
    }


# --- tasks --------------------------------------------------------------------------------------


def _dist(C: np.ndarray) -> np.ndarray:
    return np.linalg.norm(C[:, None] - C[None], axis=-1)


def test_random_cluster_task() -> None:
    t = random_cluster_task(20, seed=5)
    assert t.centers.shape == (4, 20)
    np.testing.assert_array_equal(t.labels, [0, 0, 1, 1])
    np.testing.assert_array_equal(t.factors, FOUR_CLUSTER_FACTORS)
    np.testing.assert_array_equal(random_cluster_task(20, seed=5).centers, t.centers)
    assert not np.allclose(random_cluster_task(20, seed=6).centers, t.centers)


@pytest.mark.parametrize("N", [4, 50])
def test_xor_task_extremes(N: int) -> None:
    r = np.sqrt(N) / 2
    square = xor_task(0.0, N, seed=1).centers
    D = _dist(square)
    # same-class clusters sit on opposite corners (diagonal r√8), other pairs on the edges (2r)
    assert D[0, 1] == pytest.approx(r * np.sqrt(8)) and D[2, 3] == pytest.approx(r * np.sqrt(8))
    for i, j in ((0, 2), (0, 3), (1, 2), (1, 3)):
        assert D[i, j] == pytest.approx(2 * r)
    np.testing.assert_allclose(square[:2].mean(axis=0), square[2:].mean(axis=0), atol=1e-12)
    tetra = xor_task(1.0, N, seed=1).centers
    iu = np.triu_indices(4, 1)
    np.testing.assert_allclose(_dist(tetra)[iu], np.sqrt(2 * N))  # equidistant, the §4 scale
    # the centres' mean sits at the offset distance √N / 2 from the origin
    assert np.linalg.norm(tetra.mean(axis=0)) == pytest.approx(np.sqrt(N) / 2)


@pytest.mark.parametrize("delta", [0.0, 0.3, 0.7, 1.0])
def test_xor_task_geometry_follows_delta(delta: float) -> None:
    N = 12
    t = xor_task(delta, N, seed=2)
    r = np.sqrt(N) / 2
    sep = t.centers[2:].mean(axis=0) - t.centers[:2].mean(axis=0)
    assert np.linalg.norm(sep) == pytest.approx(2 * delta * r, abs=1e-12)
    # input–target alignment of the centres: δ² / √(2 + δ⁴)
    assert kernel_alignment(t.centers, t.labels) == pytest.approx(
        delta**2 / np.sqrt(2 + delta**4), abs=1e-12
    )
    # parallelism of the class in the input: (δ² − 1)/(δ² + 1); of the within-class factor: 0
    np.testing.assert_allclose(
        parallelism_score(t.centers, t.factors), [(delta**2 - 1) / (delta**2 + 1), 0.0], atol=1e-12
    )
    # the embedding is an isometry: distances do not depend on the seed
    np.testing.assert_allclose(
        _dist(xor_task(delta, N, seed=9).centers), _dist(t.centers), atol=1e-12
    )


def test_xor_task_validation() -> None:
    with pytest.raises(ValueError, match="delta"):
        xor_task(1.5, 10, 0)
    with pytest.raises(ValueError, match="N"):
        xor_task(0.5, 3, 0)
    assert np.linalg.norm(xor_task(0.5, 10, 0, offset=0.0).centers.mean(axis=0)) < 1e-12


def test_samples_are_centres_plus_noise() -> None:
    t = xor_task(0.5, 8, seed=0)
    X, ids = t.sample(3, 0.0, 0)
    np.testing.assert_array_equal(ids, np.repeat(np.arange(4), 3))
    np.testing.assert_allclose(X, t.centers[ids])
    Xn, _ = t.sample(2000, 2.0, 1)
    assert (Xn - t.centers[np.repeat(np.arange(4), 2000)]).std() == pytest.approx(2.0, rel=0.02)
    with pytest.raises(ValueError):
        t.sample(0, 1.0, 0)


@pytest.mark.parametrize(("P", "k"), [(8, 1), (8, 3), (16, 2)])
@pytest.mark.parametrize("c", [0.0, 0.35, 0.8, 1.0])
def test_aligned_kernel_task_has_the_requested_alignment(P: int, k: int, c: float) -> None:
    N = 40
    t = aligned_kernel_task(P, k, c, N, seed=3)
    assert t.centers.shape == (P, N) and t.targets.shape == (P, k)
    np.testing.assert_array_equal(t.targets.sum(axis=0), P // 2)  # balanced labels
    assert kernel_alignment(t.centers, t.targets) == pytest.approx(c, abs=1e-9)
    Xc = t.centers - t.centers.mean(axis=0)
    assert (Xc**2).sum(axis=1).mean() == pytest.approx(N, rel=1e-9)
    if c == 0.0:  # the flattest kernel: participation ratio P − 1 − k
        lam = np.linalg.eigvalsh(Xc @ Xc.T)
        assert lam.sum() ** 2 / (lam**2).sum() == pytest.approx(P - 1 - k, rel=1e-9)


def test_class_axes() -> None:
    t = xor_task(0.6, 10, seed=4)
    u, v = class_axes(t, preferred=1)
    assert (
        u @ u == pytest.approx(1.0)
        and v @ v == pytest.approx(1.0)
        and u @ v == pytest.approx(0.0, abs=1e-12)
    )
    np.testing.assert_allclose(u, t.class_direction, atol=1e-12)
    u0, _ = class_axes(t, preferred=0)
    np.testing.assert_allclose(u0, -u, atol=1e-12)
    # at δ = 0 the class means coincide; the task's class direction still defines the axis
    t0 = xor_task(0.0, 10, seed=4)
    np.testing.assert_allclose(class_axes(t0, 1)[0], t0.class_direction, atol=1e-12)
    r = random_cluster_task(10, 0)
    u, v = class_axes(r, 1)
    inter = r.centers[2:].mean(axis=0) - r.centers[:2].mean(axis=0)
    np.testing.assert_allclose(u, inter / np.linalg.norm(inter))
    assert u @ v == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError, match="preferred"):
        class_axes(r, 2)


def test_rise_points_of_a_linear_and_a_stepped_curve():
    from itemsrel.geometry import rise_points

    grid = np.linspace(0.0, 1.0, 11)
    np.testing.assert_allclose(rise_points(grid, 2 * grid + 1), [0.1, 0.5, 0.9])
    step = np.where(grid < 0.45, 0.0, 1.0)  # jumps between 0.4 and 0.5
    np.testing.assert_allclose(rise_points(grid, step), [0.41, 0.45, 0.49])


def test_rise_points_of_a_curve_that_does_not_rise_are_nan():
    from itemsrel.geometry import rise_points

    grid = np.linspace(0.0, 1.0, 5)
    assert np.isnan(rise_points(grid, 1 - grid)).all()
    assert np.isnan(rise_points(grid, np.ones(5))).all()
    with pytest.raises(ValueError, match="increasing"):
        rise_points(grid[::-1], grid)


def test_centred_svm_is_the_hand_centred_linear_svc() -> None:
    """The pipeline equals centring by hand and fitting ``LinearSVC`` (same planes, bit for bit),
    and a constant feature offset does not move its decisions."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.svm import LinearSVC

    from itemsrel.geometry import SVM_C, SVM_MAX_ITER, centred_svm

    rng = np.random.default_rng(3)
    X = rng.standard_normal((30, 6)) + 4.0
    y = (X[:, 0] + 0.3 * rng.standard_normal(30) > 4.0).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = X.mean(axis=0)
        by_hand = LinearSVC(C=SVM_C, dual=True, max_iter=SVM_MAX_ITER, tol=1e-4, random_state=0)
        by_hand.fit(X - m, y)
        pipe = centred_svm().fit(X, y)
        shifted = centred_svm().fit(X + 100.0, y)
    assert np.array_equal(pipe[-1].coef_, by_hand.coef_)
    assert np.array_equal(pipe[0].mean_, m)
    assert np.array_equal(pipe.predict(X), by_hand.predict(X - m))
    assert np.array_equal(shifted.predict(X + 100.0), pipe.predict(X))
