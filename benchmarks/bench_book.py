"""Time each chapter's execution and the whole HTML build."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def run(quick: bool = False) -> tuple[dict, str]:
    nbs = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "book").glob("*.ipynb"))
    rows, chapters = [], []
    for path in nbs:
        nb = nbformat.read(path, as_version=4)
        t = time.perf_counter()
        NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
        dt = time.perf_counter() - t
        chapters.append({"notebook": str(path.relative_to(ROOT)), "seconds": dt})
        rows.append(f"| {path.relative_to(ROOT)} | {dt:.1f} |")
    out = ROOT / "_build" / "bench"
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    subprocess.run(
        [
            str(ROOT / ".venv/bin/jupyter-book"),
            "build",
            "-W",
            "-n",
            "--keep-going",
            "--path-output",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    total = time.perf_counter() - t
    md = [
        "## 4. Book: chapter execution and the whole HTML build (clean build)\n",
        "| notebook | execution (s) |",
        "|---|---|",
        *rows,
        f"\nWhole `jupyter-book build` (executes every chapter again): **{total:.0f} s** (target ≤ 120 s).\n",
    ]
    return {"chapters": chapters, "build_s": total}, "\n".join(md)
