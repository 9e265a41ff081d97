"""itemsrel: what do auto-associative networks learn, items or relations?

A small textbook in code, one module per job:

- :mod:`itemsrel.patterns` — training sets of binary patterns (validation, enumeration).
- :mod:`itemsrel.symmetry` — the symmetry group Σ_X, orbits, Σ_X-invariant weight matrices.
- :mod:`itemsrel.analytic` — solution families of the auto-association task (sympy).
- :mod:`itemsrel.activations` — φ for torch, numpy and sympy in one table.
- :mod:`itemsrel.training` — batched torch training of many networks at once.
- :mod:`itemsrel.dynamics` — iteration, fixed points, stability and basins.
- :mod:`itemsrel.report` — regenerated numbers beside the paper's, with verdicts.
- :mod:`itemsrel.figures` — plotly figures in one style; :mod:`itemsrel.widgets` — ipywidgets.

Conventions: a training set has shape (n_items, N) with 0/1 entries; permutations act by
(s·x)_i = x_{s(i)} and (s·W)_ij = W_{s(i)s(j)}; indices are 0-based in code and 1-based in
cycle notation on the page.
"""

__version__ = "0.1.0"
