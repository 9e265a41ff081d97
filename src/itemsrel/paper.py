"""Every number and formula Krause & Reimann (arXiv 2404.12401) print, written once.

Chapters and the errata page import these instead of typing the paper's values again. Values are
as printed (4 decimals, the paper's signs and its ``-0.0000``); where the book reads a value
differently, :data:`MISPRINTS` says where and why, and :data:`W_READ` holds the reading.

Numbers
-------
* :data:`X`, :data:`X_PRIME` — the training sets of eq. 4, X = {101, 110}, X' = {010, 001}.
* :data:`SIGMA_X_ORDER` — |Σ_X| = |Σ_X'| = 2 ({e, (2 3)}, §2); :data:`EQ5_FREE_PARAMETERS` — 5,
  :data:`EQ6_FREE_PARAMETERS` — 2.
* :data:`W_PRINTED` — the trained matrices of §3.1.1 (W₀^SGD, W₁^SGD, W₀^ADAM, W₁^ADAM,
  the two W_rnd^SGD examples, EW_rnd^SGD, EW₀^SGD), keys ``"W_0^SGD"`` …; the paper spells SGD
  "SDG" in the matrix names (read as SGD); :data:`PRINTED_ADAM` — the two Adam matrices as
  read, by initialisation.
* :data:`QUOTED_AB` — the parameters the text quotes for the four trained W ("b = 1/3 and
  c = b", …), read as the (a, b) of eq. 6 (the text calls them (b, c)).
* :data:`TABLE1_PATTERNS`, :data:`TABLE1` — Table 1: loss (eq. 7) per pattern for the linear
  (``"id"``), tanh and sigmoid networks trained on X'.
* :data:`TANH_ORIGIN_EIGENVALUES` — §3.2: λ₁ = λ₂ = 2.43 in the plane of X' at the origin.
* :data:`INITS` — the initialisations of §3.1.1; :data:`FLOW_STARTS`, :data:`FLOW_SHOWN` — Fig. 1.

Formulas
--------
* :func:`spectrum_printed` — σ_W = {1 − a − 2b, 1, 1}, σ_W' = {a, 1, 1} as printed (§3.1);
* :data:`STABLE_RANGE_PRINTED` — |a − 2b| < 1 (X) and |a| < 1 (X') as printed;
* eq. 5, eq. 6 and W_c (eq. 8, tanh and sigmoid): :func:`paper_eq5`, :func:`paper_eq6`,
  :func:`paper_Wc` (sympy, from :mod:`itemsrel.analytic`, re-exported here).
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from .analytic import PAPER_X, PAPER_X_PRIME, paper_eq5, paper_eq6, paper_Wc

__all__ = [
    "EQ5_FREE_PARAMETERS",
    "EQ6_FREE_PARAMETERS",
    "FLOW_SHOWN",
    "FLOW_STARTS",
    "INITS",
    "MISPRINTS",
    "PRINTED_ADAM",
    "QUOTED_AB",
    "SIGMA_X_ORDER",
    "STABLE_RANGE_PRINTED",
    "TABLE1",
    "TABLE1_PATTERNS",
    "TANH_ORIGIN_EIGENVALUES",
    "W_PRINTED",
    "W_READ",
    "X_PRIME",
    "X",
    "paper_Wc",
    "paper_eq5",
    "paper_eq6",
    "spectrum_printed",
]

X = PAPER_X
X_PRIME = PAPER_X_PRIME

#: |Σ_X| = |Σ_X'| = 2: both training sets have the symmetry group {e, (2 3)}.
SIGMA_X_ORDER = 2
#: Free parameters of a Σ_X-invariant 3×3 matrix (eq. 5).
EQ5_FREE_PARAMETERS = 5
#: Free parameters (a, b) of the invariant linear solutions W_ab and W'_ab (eq. 6).
EQ6_FREE_PARAMETERS = 2

#: §3.1.1, as printed (rows of W; ``-0.0`` is the paper's ``-0.0000``).
W_PRINTED: dict[str, list[list[float]]] = {
    "W_0^SGD": [[0.6667, 0.333, 0.333], [0.3333, 0.6667, -0.3333], [0.3333, -0.3333, 0.6667]],
    "W_1^SGD": [[0.3333, 0.6667, 0.6667], [0.0, 1.0, 0.0], [0.0, -0.0, 1.0]],
    "W_0^ADAM": [[0.5496, 0.45004, 0.4504], [0.4995, 0.5005, -0.4996], [0.4996, -0.4996, 0.5004]],
    "W_1^ADAM": [[0.4504, 0.5496, 0.5496], [0.0522, 0.9478, -0.0522], [0.0489, -0.0489, 0.9511]],
    "W_rnd^SGD (a)": [
        [0.6367, 0.3633, 0.3633],
        [0.3659, 0.6341, -0.3659],
        [0.3194, -0.3194, 0.6806],
    ],
    "W_rnd^SGD (b)": [
        [0.5068, 0.4932, 0.4932],
        [0.1697, 0.8303, -0.1697],
        [0.2098, -0.2098, 0.7902],
    ],
    "EW_rnd^SGD": [[0.6668, 0.3328, 0.3329], [0.3332, 0.6672, -0.3328], [0.3332, -0.3328, 0.6671]],
    "EW_0^SGD": [[0.6667, 0.3333, 0.3333], [0.3333, 0.6667, -0.3333], [0.3333, -0.3333, 0.6667]],
}

#: Where the book reads a printed value otherwise, and why.
MISPRINTS: dict[str, str] = {
    "W_0^ADAM[0][1]": "printed 0.45004; read as 0.4504 (a digit too many: the entry equals "
    "W_0^ADAM[0][2] = 0.4504 by the Σ_X symmetry of the trained matrix)",
    "W_0^SGD[0][1:]": "printed 0.333 (3 decimals) where every other entry has 4; kept as printed",
    "SDG": "matrix names spell SGD as 'SDG'; read as SGD",
    "QUOTED_AB": "the text quotes 'b' and 'c' of the 3-parameter form; they agree with eq. 6's "
    "a and -b of the printed matrices (W_1^ADAM's only to 2e-3: that matrix is not invariant)",
    "sigma_W": "printed {1 - a - 2b, 1, 1}; the third eigenvalue of W_ab is 1 - a + 2b",
    "stable range X": "printed |a - 2b| < 1; with the true eigenvalue 1 - a + 2b the plane of X "
    "is stable for 0 < a - 2b < 2",
}

#: The matrices as the book reads them: :data:`W_PRINTED` with :data:`MISPRINTS` applied
#: (W_0^ADAM[0][1] = 0.4504); the same keys in the same order, without ``EW_0^SGD``.
W_READ: dict[str, list[list[float]]] = {
    k: [row[:] for row in v] for k, v in W_PRINTED.items() if k != "EW_0^SGD"
}
W_READ["W_0^ADAM"][0][1] = 0.4504

#: The two Adam matrices by initialisation (``"zeros"``: W₀^ADAM, ``"ones"``: W₁^ADAM), as read
#: (:data:`W_READ`), as arrays (chapter 2's protocol study, :mod:`itemsrel.adam_protocols`).
PRINTED_ADAM: dict[str, np.ndarray] = {
    "zeros": np.array(W_READ["W_0^ADAM"]),
    "ones": np.array(W_READ["W_1^ADAM"]),
}

#: §3.1.1: the text's parameters of the four trained W, read as (a, b) of eq. 6.
QUOTED_AB: dict[str, tuple[float, float]] = {
    "W_0^SGD": (1 / 3, 1 / 3),
    "W_1^SGD": (2 / 3, 0.0),
    "W_0^ADAM": (0.4504, 0.4995),
    "W_1^ADAM": (0.5496, 0.0489),
}

#: Table 1, row order as printed (patterns as 0/1 rows).
TABLE1_PATTERNS = np.array(
    [[0, 1, 0], [0, 0, 1], [0, 0, 0], [0, 1, 1], [1, 1, 0], [1, 0, 1], [1, 1, 1], [1, 0, 0]],
    dtype=np.int8,
)
#: Table 1: loss (eq. 7) of each pattern of :data:`TABLE1_PATTERNS`, per activation.
TABLE1: dict[str, list[float]] = {
    "id": [0, 0, 0, 0, 0.4251, 0.4251, 0.4251, 0.4251],
    "tanh": [0.0001, 0.0001, 0, 0.0002, 0.3008, 0.2459, 0.1751, 0.3716],
    "sigmoid": [0.0003, 0.0003, 0.25, 0.1663, 0.3099, 0.3100, 0.4043, 0.3330],
}

#: §3.2: the two eigenvalues at the origin, in the plane of X', of the trained tanh network.
TANH_ORIGIN_EIGENVALUES = (2.43, 2.43)

#: §3.1.1 initialisations: constant 0 and 1, U(0, 1), N(0, 0.05) (the σ printed as 0.05), and
#: N(0, 1) for the random examples W_rnd^SGD.
INITS = {"zeros": 0.0, "ones": 1.0, "uniform": (0.0, 1.0), "normal_sigma": 0.05, "rnd_sigma": 1.0}
#: Fig. 1: 125 starts on an equally spaced mesh of the cube, 18 trajectories drawn.
FLOW_STARTS = 125
FLOW_SHOWN = 18

#: As printed: the plane of X is stable when |a − 2b| < 1, that of X' when |a| < 1 (open ranges).
STABLE_RANGE_PRINTED = {"X": ("a - 2b", (-1.0, 1.0)), "X'": ("a", (-1.0, 1.0))}


def spectrum_printed(which: str, a: float | sp.Expr, b: float | sp.Expr) -> list:
    """The spectrum the paper prints for eq. 6: ``"X"`` → [1 − a − 2b, 1, 1], ``"X'"`` →
    [a, 1, 1] (see :data:`MISPRINTS`: for X the third eigenvalue is 1 − a + 2b)."""
    if which == "X":
        return [1 - a - 2 * b, 1, 1]
    if which == "X'":
        return [a, 1, 1]
    raise ValueError(f"which must be 'X' or \"X'\", got {which!r}")
