"""ipywidgets panels for the chapters: shared controls plus one module per chapter's explorer.

- :mod:`.controls` — training controls and :func:`live_panel`; :mod:`.patterns` — an editor for
  lists of binary patterns.
- :mod:`.explorer` (chapter 1), :mod:`.network` (chapters 2–4), :mod:`.arc` (chapter 5),
  :mod:`.geometry` (chapter 7), :mod:`.groups` (chapter 8).
"""

from .controls import TrainingControls, live_panel

__all__ = ["TrainingControls", "live_panel"]
