"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "pending_merge: bad-input rows fixed on another branch (issue 18)"
    )


@pytest.fixture
def tmp_cache(tmp_path, monkeypatch):
    """An empty cache folder of its own for the test (``itemsrel.cache`` writes there)."""
    monkeypatch.setenv("ITEMSREL_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("ITEMSREL_CACHE", raising=False)
    return tmp_path
