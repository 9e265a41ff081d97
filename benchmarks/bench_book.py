"""Time each chapter's execution and the whole HTML build, on a cold and on a warm cache.

Cold: a fresh, empty ``ITEMSREL_CACHE_DIR`` (what a clean clone or CI sees). Warm: the same build
again with the cache the cold build filled (what a rebuild after editing prose sees). Chapters are
timed one by one on a cold cache of their own. The whole build is the README's ``make book`` command
(``tools/build_book.py``: one Sphinx process per core, so chapters execute side by side); its peer
is the same build in one process (``BOOK_JOBS=1``, what ``jupyter-book build`` does), on a cold
cache of its own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def _execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    t = time.perf_counter()
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    return time.perf_counter() - t


def _build(out: Path, jobs: int | None = None) -> float:
    """Seconds for ``tools/build_book.py`` into ``out`` (``jobs`` processes; default one per core)."""
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ)
    if jobs is not None:
        env["BOOK_JOBS"] = str(jobs)
    t = time.perf_counter()
    subprocess.run(
        [
            str(ROOT / ".venv/bin/python"),
            str(ROOT / "tools" / "build_book.py"),
            "--all",
            "-W",
            "-n",
            "--keep-going",
            "--path-output",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
        env=env,
    )
    return time.perf_counter() - t


def run(quick: bool = False) -> tuple[dict, str]:
    nbs = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")) + sorted(
        (ROOT / "book").glob("*.ipynb")
    )
    rows, chapters = [], []
    saved = os.environ.get("ITEMSREL_CACHE_DIR")
    try:
        for path in nbs:
            with tempfile.TemporaryDirectory() as cache:
                os.environ["ITEMSREL_CACHE_DIR"] = cache
                dt = _execute(path)
            chapters.append({"notebook": str(path.relative_to(ROOT)), "seconds": dt})
            rows.append(f"| {path.relative_to(ROOT)} | {dt:.1f} |")
        out = ROOT / "_build" / "bench"
        with tempfile.TemporaryDirectory() as cache:
            os.environ["ITEMSREL_CACHE_DIR"] = cache
            cold = _build(out)
            warm = _build(out)
        with tempfile.TemporaryDirectory() as cache:
            os.environ["ITEMSREL_CACHE_DIR"] = cache
            serial = _build(out, jobs=1)
    finally:
        if saved is None:
            os.environ.pop("ITEMSREL_CACHE_DIR", None)
        else:
            os.environ["ITEMSREL_CACHE_DIR"] = saved
    total = sum(c["seconds"] for c in chapters)
    md = [
        "## 4. Book: chapter execution and the whole HTML build\n",
        "Each notebook executed on its own with an empty cache (as on a clean clone):\n",
        "| notebook | execution, cold cache (s) |",
        "|---|---|",
        *rows,
        f"| **sum** | **{total:.0f}** |",
        f"\nWhole build, `make book` (`tools/build_book.py`: executes every chapter, one Sphinx "
        f"process per core, then writes the pages): **{cold:.0f} s** on an empty cache, "
        f"**{warm:.0f} s** when rebuilt with the cache that build filled (target ≤ 120 s). "
        f"The same build in one process (`BOOK_JOBS=1`, plain `jupyter-book build`), empty "
        f"cache: {serial:.0f} s.\n",
    ]
    result = {
        "chapters": chapters,
        "build_cold_s": cold,
        "build_warm_s": warm,
        "build_serial_cold_s": serial,
    }
    return result, "\n".join(md)
