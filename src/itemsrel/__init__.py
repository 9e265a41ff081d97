"""itemsrel: what do auto-associative networks learn, items or relations?

A small textbook in code, one module per job:

- :mod:`itemsrel.patterns` — training sets of binary patterns (validation, enumeration).
- :mod:`itemsrel.symmetry` — the symmetry group Σ_X, orbits, Σ_X-invariant weight matrices.
- :mod:`itemsrel.analytic` — solution families of the auto-association task (sympy).
- :mod:`itemsrel.activations` — the one activation registry: φ for torch, numpy and sympy.
- :mod:`itemsrel.engine` — the one training engine: the model protocol (parameters, loss,
  optional closed-form gradient, autograd by default), the loop, optimisers (SGD, Adam, AdamW),
  mini-batch sampling, seeding, the thread policy, divergence; every model trains through it.
- :mod:`itemsrel.auto_associator` — the model y = φ(Wx) or y = φ(W₂ψ(W₁x)): initial weights per
  seed, loss, closed-form gradient; :mod:`itemsrel.training` — ``train``, which translates its
  arguments onto that model and the engine.
- :mod:`itemsrel.runs` — labelled runs: a design table beside stacked arrays, selection by label.
- :mod:`itemsrel.linear_theory` — closed-form limits of gradient descent on linear networks.
- :mod:`itemsrel.third_eigenvalue` — λ₃ of trained linear networks and averages over
  initialisations (chapter 2); :mod:`itemsrel.adam_protocols` — the paper's Adam runs under a grid
  of mini-batch protocols (chapter 2); :mod:`itemsrel.table_one` — Table 1 as an inverse problem
  (chapters 2 and 3).
- :mod:`itemsrel.dynamics` — iteration, fixed points, stability and basins.
- :mod:`itemsrel.verdicts` — one claim record, its verdict rules (against a printed number, paired
  over seeds, threshold, across settings) and one table, in the book's single vocabulary
  (:mod:`itemsrel.report` re-exports the names chapters 1–3 use).
- :mod:`itemsrel.paper` — every number and formula the paper prints, with its misprints.
- :mod:`itemsrel.cache` — the ``@cached`` disk cache for long computations (keyed on the bound
  arguments, the function's and the package's source and the library versions).
- :mod:`itemsrel.generalisation` — what a trained network does with unseen span and
  symmetry-consistent patterns, its operating regime and its symmetry (chapter 4).
- :mod:`itemsrel.plane_sweep` — the sweep's networks measured on continuous points of the plane
  (chapter 4).
- :mod:`itemsrel.sweep` — the batched, cached regularisation sweep and its benefit criterion (chapter 4).
- :mod:`itemsrel.gain` — the exact gain of penalised networks W = w·P (chapter 4).
- :mod:`itemsrel.arc` — ARC-style puzzles answered by Σ_X, and what networks answer (chapter 5).
- :mod:`itemsrel.no_rule` — Proposition 5.1's hypotheses measured on trained auto-associators:
  equivariance of the end state, stability of the answer (chapter 5).
- :mod:`itemsrel.generality` — training sets up to N = 10, the invariant weight space counted by
  linear algebra, the two readings of symmetry-consistent, hidden-layer auto-associators (chapter 6).
- :mod:`itemsrel.geometry` — ``task`` (the four-cluster, δ-XOR and aligned-kernel tasks) and
  ``analysis`` (kernel alignment, parallelism, CCGP, dichotomy decoding) (chapter 7).
- :mod:`itemsrel.hidden` — one-hidden-layer classifiers: ``task`` (noisy batches, held-out
  samples), ``model``, ``train`` (``train_hidden``), ``analysis`` (metrics, selectivity,
  expected-gradient fields) (chapter 7).
- :mod:`itemsrel.noise_shift` — where the tanh switch sits at each training noise (chapter 7).
- :mod:`itemsrel.groups` — finite groups (cyclic, dihedral, symmetric) as multiplication tables;
  words in x and y (chapter 8).
- :mod:`itemsrel.irreps` — irreducible representations, characters, isotypic projectors, fusion
  rules of words (chapter 8).
- :mod:`itemsrel.grokking` — two-layer networks learning group words: ``task`` (word tasks,
  training splits), ``model``, ``train`` (``train_words``, AdamW), ``analysis`` (irrep content of
  neurons) (chapter 8).
- :mod:`itemsrel.word_bottleneck` — the word network with an embedding bottleneck; irrep power
  shares against irrep sizes (chapter 8).
- :mod:`itemsrel.figures` — plotly figures in one style; :mod:`itemsrel.widgets` — ipywidgets;
  :mod:`itemsrel.live` — the static book's live panels (state for ``book/_static/live``);
  :mod:`itemsrel.tables` — printed tables in one house style.

Conventions: a training set has shape (n_items, N) with 0/1 entries; permutations act by
(s·x)_i = x_{s(i)} and (s·W)_ij = W_{s(i)s(j)}; indices are 0-based in code and 1-based in
cycle notation on the page.
"""

__version__ = "0.1.0"
