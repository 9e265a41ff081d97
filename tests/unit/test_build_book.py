"""tools/build_book.py: the page order of the parallel read, the parallel flags, the job count."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "build_book.py"
spec = importlib.util.spec_from_file_location("build_book", TOOL)
build_book = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_book)


def test_one_page_per_chunk_puts_notebooks_first_last_chapter_first() -> None:
    docs = ["book/intro", "book/errata", "notebooks/01_symmetry", "notebooks/08_group_words"]
    chunks = build_book.one_page_per_chunk(docs, 2)
    assert chunks == [
        ["notebooks/08_group_words"],
        ["notebooks/01_symmetry"],
        ["book/errata"],
        ["book/intro"],
    ]
    assert sorted(d for [d] in chunks) == sorted(docs)


def test_declared_safe_keeps_metadata_and_sets_both_flags() -> None:
    calls = []

    def setup(app):
        calls.append(app)
        return {"version": "1"}

    meta = build_book.declared_safe(setup)("app")
    assert calls == ["app"]
    assert meta == {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
    assert build_book.declared_safe(lambda app: None)("app")["parallel_read_safe"] is True


def test_jobs_reads_book_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOK_JOBS", "3")
    assert build_book.jobs() == 3
    monkeypatch.setenv("BOOK_JOBS", "0")
    with pytest.raises(SystemExit, match="positive integer"):
        build_book.jobs()
    monkeypatch.delenv("BOOK_JOBS")
    assert build_book.jobs() >= 1
