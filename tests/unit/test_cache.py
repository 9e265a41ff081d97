"""The disk cache: same arguments load, changed ones recompute, bad entries and folders never
reach the caller, bad inputs are refused."""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass

import numpy as np
import pytest

from itemsrel import cache


def _counter():
    calls = []

    def f(lr, seeds=(0, 1), flag=False):
        calls.append(1)
        return {"lr": lr, "seeds": list(seeds), "flag": flag, "n": len(calls)}

    return f, calls


def test_bound_arguments_make_the_key(tmp_cache):
    f, calls = _counter()
    g = cache.cached("demo")(f)
    first = g(0.1)
    assert g(lr=0.1) == first  # keyword or positional: one call
    assert g(0.1, (0, 1), False) == first  # defaults applied: one call
    assert g(0.1, seeds=(0, 1)) == first
    assert len(calls) == 1
    assert len(list(tmp_cache.glob("demo-*.pkl"))) == 1
    g(0.2)
    g(0.1, flag=True)
    g(np.array([0.1]))  # an array is not the scalar
    assert len(calls) == 4
    assert g.uncached is f


@pytest.mark.parametrize(
    "values",
    [
        [1, "1", 1.0, True],
        [float("nan"), "nan"],
        [0, False, None, "None", 0.0],
        [(1, 2), [1, 2], "[1, 2]"],
        [{"a": 1}, {"a": "1"}, {"a": 1.0}],
        [np.array([1, 2]), np.array([1.0, 2.0]), np.array([[1, 2]])],
    ],
)
def test_keys_distinguish_types(tmp_cache, values):
    keys = {cache.cache_key("demo", {"x": v}) for v in values}
    assert len(keys) == len(values)


def test_numpy_scalars_equal_python_numbers_of_the_same_type(tmp_cache):
    assert cache.cache_key("d", {"n": 3, "x": 0.5, "b": True}) == cache.cache_key(
        "d", {"n": np.int64(3), "x": np.float64(0.5), "b": np.bool_(True)}
    )
    assert cache.cache_key("d", {"x": -0.0}) == cache.cache_key("d", {"x": 0.0})
    assert cache.cache_key("d", {"a": 1, "b": 2}) == cache.cache_key("d", {"b": 2, "a": 1})


def test_dataclasses_and_sympy_objects_are_keys(tmp_cache):
    import sympy as sp

    @dataclass(frozen=True)
    class Cfg:
        steps: int
        W: np.ndarray

    a = cache.cache_key("d", {"c": Cfg(1, np.eye(2))})
    assert a == cache.cache_key("d", {"c": Cfg(1, np.eye(2))})
    assert a != cache.cache_key("d", {"c": Cfg(2, np.eye(2))})
    assert a != cache.cache_key("d", {"c": Cfg(1, 2 * np.eye(2))})
    x = sp.Symbol("x")
    assert cache.cache_key("d", {"e": x + 1}) != cache.cache_key("d", {"e": x + 2})


def test_source_code_and_libraries_are_in_the_key(tmp_cache, monkeypatch):
    key = cache.cache_key("demo", {"a": 1})
    assert cache.cache_key("demo", {"a": 1}, code="def f(): pass") != key
    with monkeypatch.context() as m:
        m.setattr(cache, "source_hash", lambda: "0" * 64)
        assert cache.cache_key("demo", {"a": 1}) != key
    assert set(cache.library_versions()) == {"torch", "numpy", "scipy", "sympy", "scikit-learn"}
    monkeypatch.setattr(cache, "library_versions", lambda: {"torch": "99.0"})
    assert cache.cache_key("demo", {"a": 1}) != key


def test_disabled_cache_always_computes_and_writes_nothing(tmp_cache, monkeypatch):
    monkeypatch.setenv("ITEMSREL_CACHE", "off")
    f, calls = _counter()
    g = cache.cached("demo")(f)
    g(1)
    g(1)
    assert len(calls) == 2
    assert not list(tmp_cache.iterdir())


def test_ignored_arguments(tmp_cache):
    calls = []

    @cache.cached("demo", ignore=("progress",))
    def f(x, progress=True):
        calls.append(x)
        return x

    f(1, progress=True)
    f(1, progress=False)
    assert calls == [1]
    with pytest.raises(ValueError, match="not parameters"):
        cache.cached("demo", ignore=("nope",))(lambda x: x)


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[:-1] + bytes([b[-1] ^ 1]),  # one bit flipped: checksum fails
        lambda b: b"not a cache file at all",
        lambda b: pickle.dumps("an old-format entry"),  # foreign format
        lambda b: b"",
    ],
)
def test_corrupt_entries_are_recomputed_never_returned(tmp_cache, damage):
    f, calls = _counter()
    g = cache.cached("demo")(f)
    good = g(1)
    (path,) = tmp_cache.glob("demo-*.pkl")
    path.write_bytes(damage(path.read_bytes()))
    again = g(1)
    assert len(calls) == 2 and again["n"] == 2 and again["lr"] == good["lr"]
    assert g(1)["n"] == 2  # the recomputed entry was stored soundly


def test_foreign_entry_under_the_same_name_is_recomputed(tmp_cache):
    f, calls = _counter()
    g = cache.cached("demo")(f)
    g(1)
    g(2)
    p1, p2 = sorted(tmp_cache.glob("demo-*.pkl"), key=os.path.getmtime)
    p1.write_bytes(p2.read_bytes())  # a sound entry, but of the other call
    assert g(1)["lr"] == 1
    assert len(calls) == 3


def test_unwritable_folder_warns_and_returns_the_value(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ITEMSREL_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.delenv("ITEMSREL_CACHE", raising=False)
    f, calls = _counter()
    with pytest.warns(RuntimeWarning, match="not writable"):
        assert cache.cached("demo")(f)(1)["lr"] == 1
    assert len(calls) == 1


def test_unpicklable_value_warns_and_is_returned(tmp_cache):
    with pytest.warns(RuntimeWarning, match="cannot be pickled"):
        value = cache.cached("demo")(lambda x: lambda: x)(1)
    assert value() == 1
    assert not list(tmp_cache.glob("*.pkl"))


def test_interrupted_write_leaves_nothing_clear_cache_misses(tmp_cache, monkeypatch):
    f, _ = _counter()
    g = cache.cached("demo")(f)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(cache.os, "replace", interrupted)
        with pytest.raises(KeyboardInterrupt):
            g(1)
    assert not list(tmp_cache.iterdir())  # the temporary file was removed
    # a process killed mid-write leaves its temporary file: clear_cache removes it too
    g(1)
    (entry,) = tmp_cache.glob("demo-*.pkl")
    (tmp_cache / f".{entry.stem}.abc123.tmp").write_bytes(b"partial")
    (tmp_cache / "unrelated.txt").write_text("keep")
    assert cache.clear_cache("other") == 0
    assert cache.clear_cache("demo") == 2
    assert [p.name for p in tmp_cache.iterdir()] == ["unrelated.txt"]


def test_clear_cache(tmp_cache):
    cache.cached("demo")(lambda a: a)(1)
    cache.cached("other")(lambda a: a)(1)
    assert cache.clear_cache("demo") == 1
    assert cache.clear_cache() == 1
    assert cache.clear_cache() == 0


@pytest.mark.parametrize("bad", [object(), {1, object()}, lambda: 0])
def test_unhashable_parameters_are_refused(tmp_cache, bad):
    with pytest.raises(TypeError, match="cache parameters"):
        cache.cached("demo")(lambda a: 0)(bad)


@pytest.mark.parametrize("name", ["", "a/b", "x y", "../up", 3])
def test_bad_names_are_refused(name):
    with pytest.raises(ValueError, match="cache name"):
        cache.cached(name)


def test_default_folder_is_inside_the_checkout(monkeypatch):
    monkeypatch.delenv("ITEMSREL_CACHE_DIR", raising=False)
    folder = cache.cache_dir()
    assert folder.parts[-2:] == (".cache", "itemsrel")


def test_entries_of_older_code_are_pruned(tmp_cache, monkeypatch):
    f = cache.cached("demo")(lambda a: a)
    f(1)
    f(2)  # same code: both kept
    cache.cached("other")(lambda a: a)(1)
    cache.cached("demo-large")(lambda a: a)(1)  # a longer name with the same prefix
    assert len(list(tmp_cache.glob("demo-*.pkl"))) == 3
    monkeypatch.setattr(cache, "source_hash", lambda: "f" * 64)  # the code changed
    f(1)
    kept = sorted(p.name for p in tmp_cache.glob("demo-*.pkl"))
    assert len(kept) == 2 and any(k.startswith("demo-ffffffffff-") for k in kept)
    assert len(list(tmp_cache.glob("other-*.pkl"))) == 1  # other names untouched
