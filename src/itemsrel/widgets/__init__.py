"""ipywidgets panels for the chapters: shared controls plus one module per chapter's explorer."""

from .controls import TrainingControls, live_panel

__all__ = ["TrainingControls", "live_panel"]
