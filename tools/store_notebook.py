"""Execute chapter notebooks and store them with only their checked outputs.

Usage: python tools/store_notebook.py NOTEBOOK [NOTEBOOK ...]

Each notebook is executed top to bottom with the project's kernel; the outputs of checked cells
(tag ``nbval-check-output``, or a legacy first line ``# NBVAL_CHECK_OUTPUT``) are kept (nbval
compares them), all other outputs are
cleared, so stored notebooks stay small and free of figure payloads; execution timestamps are
dropped, so a re-stored notebook differs from the old one only where its checked outputs do.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

MARKER = "# NBVAL_CHECK_OUTPUT"
TAG = "nbval-check-output"


def is_checked(cell) -> bool:
    return TAG in cell.metadata.get("tags", []) or cell.source.lstrip().startswith(MARKER)


def store(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)  # timestamps: noise in every diff
        if not is_checked(cell):
            cell.outputs = []
            cell.execution_count = None
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    print(f"stored {path} ({path.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for arg in sys.argv[1:]:
        store(Path(arg))
