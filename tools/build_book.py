"""Build the book with Jupyter Book 1, reading (= executing) the chapters in parallel processes.

Usage (from the repository root): python tools/build_book.py [jupyter-book build options ...]

``jupyter-book build`` has no ``-j`` option, but its ``build_sphinx`` takes ``jobs`` and passes it to
Sphinx, whose parallel read phase hands pages to worker processes; myst-nb executes a notebook
while reading it, so the chapters execute side by side. ``BOOK_JOBS`` sets the number of
processes (default: the number of CPU cores; 1 = the plain serial build). Everything else is the
``jupyter-book build`` command line.

Two extensions that Jupyter Book loads declare nothing about parallel builds, so Sphinx would
fall back to a serial read. Both are safe, and this script declares it for them:

* ``sphinx_multitoc_numbering`` only replaces the section-numbering method, which runs after
  reading, in the main process;
* ``sphinx_jupyterbook_latex`` adds per-document transforms (they see one doctree at a time) and
  LaTeX settings.

Sphinx would also split the pages into one contiguous chunk per process, which puts the heavy
chapters into one chunk; here every page is a chunk of its own and the notebooks go first, the
later (heavier) chapters first of all, so both processes stay busy until the end.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jupyter_book.sphinx
import sphinx.builders
from jupyter_book.cli.main import main

SOURCE = Path(__file__).resolve().parents[1]  # the book's source folder (the repository)
UNDECLARED = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")
PARALLEL_SAFE = {"parallel_read_safe": True, "parallel_write_safe": True}


def is_notebook(docname: str) -> bool:
    return (SOURCE / f"{docname}.ipynb").is_file()


def one_page_per_chunk(docnames: list[str], nproc: int, maxbatch: int = 10) -> list[list[str]]:
    """Sphinx's ``make_chunks`` replacement: ``[[page], ...]``, notebooks first, last chapter first."""
    chapters = sorted((d for d in docnames if is_notebook(d)), reverse=True)
    others = [d for d in docnames if not is_notebook(d)]
    return [[d] for d in chapters + others]


def declared_safe(setup: Callable[[Any], Any]) -> Callable[[Any], dict[str, Any]]:
    """An extension's ``setup``, returning its metadata with both parallel flags set."""

    @functools.wraps(setup)
    def wrapped(app: Any) -> dict[str, Any]:
        return {**(setup(app) or {}), **PARALLEL_SAFE}

    return wrapped


def jobs() -> int:
    """Processes for Sphinx's read phase: ``BOOK_JOBS`` or the number of CPU cores (≥ 1)."""
    value = os.environ.get("BOOK_JOBS", "")
    if value.strip():
        n = int(value)
        if n < 1:
            raise SystemExit(f"BOOK_JOBS must be a positive integer, got {value!r}")
        return n
    return max(1, len(os.sched_getaffinity(0)))


if __name__ == "__main__":
    sphinx.builders.make_chunks = one_page_per_chunk
    for name in UNDECLARED:
        module = importlib.import_module(name)
        module.setup = declared_safe(module.setup)
    # jupyter-book's CLI imports build_sphinx from this module when it runs, so the patch holds.
    jupyter_book.sphinx.build_sphinx = functools.partial(
        jupyter_book.sphinx.build_sphinx, jobs=jobs()
    )
    sys.exit(main(["build", *sys.argv[1:]]))
