"""The disk cache: same inputs load, changed inputs recompute, bad inputs are refused."""

from __future__ import annotations

import numpy as np
import pytest

from itemsrel import cache


def counter():
    calls = []

    def compute():
        calls.append(1)
        return {"value": np.arange(len(calls) + 2)}

    return calls, compute


def test_same_parameters_load_the_stored_value(tmp_cache):
    calls, compute = counter()
    first = cache.cached("demo", {"lr": 0.1, "seeds": [0, 1]}, compute)
    second = cache.cached("demo", {"seeds": [0, 1], "lr": 0.1}, compute)  # other dict order
    assert len(calls) == 1
    np.testing.assert_array_equal(first["value"], second["value"])
    assert len(list(tmp_cache.glob("demo-*.pkl"))) == 1


def test_changed_parameter_or_name_recomputes(tmp_cache):
    calls, compute = counter()
    cache.cached("demo", {"lr": 0.1}, compute)
    cache.cached("demo", {"lr": 0.2}, compute)
    cache.cached("other", {"lr": 0.1}, compute)
    cache.cached("demo", {"lr": np.array([0.1])}, compute)  # an array is not the scalar
    assert len(calls) == 4


def test_numpy_scalars_equal_python_numbers(tmp_cache):
    calls, compute = counter()
    cache.cached("demo", {"n": 3, "x": 0.5}, compute)
    cache.cached("demo", {"n": np.int64(3), "x": np.float64(0.5)}, compute)
    assert len(calls) == 1


def test_source_change_changes_the_key(monkeypatch):
    key = cache.cache_key("demo", {"a": 1})
    monkeypatch.setattr(cache, "source_hash", lambda: "0" * 64)
    assert cache.cache_key("demo", {"a": 1}) != key


def test_disabled_cache_always_computes_and_writes_nothing(tmp_cache, monkeypatch):
    monkeypatch.setenv("ITEMSREL_CACHE", "off")
    calls, compute = counter()
    cache.cached("demo", {}, compute)
    cache.cached("demo", {}, compute)
    assert len(calls) == 2
    assert not list(tmp_cache.iterdir())


def test_corrupt_file_is_recomputed(tmp_cache):
    calls, compute = counter()
    cache.cached("demo", {"a": 1}, compute)
    (path,) = tmp_cache.glob("demo-*.pkl")
    path.write_bytes(b"not a pickle")
    cache.cached("demo", {"a": 1}, compute)
    assert len(calls) == 2


def test_clear_cache(tmp_cache):
    _, compute = counter()
    cache.cached("demo", {"a": 1}, compute)
    cache.cached("other", {"a": 1}, compute)
    assert cache.clear_cache("demo") == 1
    assert cache.clear_cache() == 1


@pytest.mark.parametrize("bad", [{"f": lambda: 0}, {"s": {1, 2}}, {"o": object()}])
def test_unhashable_parameters_are_refused(tmp_cache, bad):
    with pytest.raises(TypeError, match="JSON-like"):
        cache.cached("demo", bad, lambda: 0)


@pytest.mark.parametrize("name", ["", "a/b", "x y", "../up"])
def test_bad_names_are_refused(tmp_cache, name):
    with pytest.raises(ValueError, match="cache name"):
        cache.cached(name, {}, lambda: 0)


def test_default_folder_is_inside_the_checkout(monkeypatch):
    monkeypatch.delenv("ITEMSREL_CACHE_DIR", raising=False)
    folder = cache.cache_dir()
    assert folder.parts[-2:] == (".cache", "itemsrel")


def test_entries_of_older_code_are_pruned(tmp_cache, monkeypatch):
    _, compute = counter()
    cache.cached("demo", {"a": 1}, compute)
    cache.cached("demo", {"a": 2}, compute)  # same code: both kept
    cache.cached("other", {"a": 1}, compute)
    cache.cached("demo-large", {"a": 1}, compute)  # a longer name with the same prefix
    assert len(list(tmp_cache.glob("demo-*.pkl"))) == 3
    monkeypatch.setattr(cache, "source_hash", lambda: "f" * 64)  # the code changed
    cache.cached("demo", {"a": 1}, compute)
    kept = sorted(p.name for p in tmp_cache.glob("demo-*.pkl"))
    assert len(kept) == 2 and kept[0].startswith("demo-ffffffffff-") and kept[1].startswith("demo-large-")
    assert len(list(tmp_cache.glob("other-*.pkl"))) == 1  # other names untouched


def test_library_versions_are_part_of_the_key(monkeypatch):
    key = cache.cache_key("demo", {"a": 1})
    assert set(cache.library_versions()) == {"torch", "numpy", "scipy", "sympy", "scikit-learn"}
    monkeypatch.setattr(cache, "library_versions", lambda: {"torch": "99.0"})
    assert cache.cache_key("demo", {"a": 1}) != key
