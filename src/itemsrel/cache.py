"""A disk cache for long computations: rebuilt books reuse results, changed inputs recompute.

:func:`cached` stores the value a function returns under a key made of

* a ``name`` (what is computed, e.g. ``"regularisation-sweep"``),
* the ``params`` the computation depends on (any JSON-able mix of dicts, lists, strings, numbers,
  numpy arrays and scalars; dict order does not matter),
* a hash of the source of the whole ``itemsrel`` package, so that *any* code change recomputes,
  and the versions of the numerical libraries (torch, numpy, scipy, sympy, scikit-learn).

Same name, same parameters, same code → the stored value is loaded; anything else → computed
and stored. Entries of the same name written by an older version of the code can never be read
again and are deleted when a new entry is stored. Files live in :func:`cache_dir` (``<repository>/.cache/itemsrel`` in a source
checkout, else ``~/.cache/itemsrel``; override with ``ITEMSREL_CACHE_DIR``). Set
``ITEMSREL_CACHE=off`` to always recompute (nothing is read or written). Writes are atomic, so
two processes computing the same entry at once do not corrupt it.

Values are pickled: only load caches this project wrote itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import tempfile
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

__all__ = ["cache_dir", "cache_key", "cached", "clear_cache", "library_versions", "source_hash"]

T = TypeVar("T")
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    """Folder of the cache files (created on first write)."""
    env = os.environ.get("ITEMSREL_CACHE_DIR")
    if env:
        return Path(env).expanduser().resolve()
    repo = _PACKAGE.parents[1]  # src/itemsrel -> repository root in a source checkout
    if (repo / "pyproject.toml").is_file() and _PACKAGE.parent.name == "src":
        return repo / ".cache" / "itemsrel"
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "itemsrel"


@lru_cache(maxsize=1)
def source_hash() -> str:
    """SHA-256 over the package's ``.py`` files (paths and contents), hex, computed once."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(path.relative_to(_PACKAGE).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _canonical(obj: Any) -> Any:
    """A JSON-able, order-independent form of ``obj`` (raises ``TypeError`` for other types)."""
    if isinstance(obj, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0]))}
    if isinstance(obj, list | tuple):
        return [_canonical(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return {"__ndarray__": obj.tolist(), "dtype": str(obj.dtype), "shape": list(obj.shape)}
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, float):
        if not np.isfinite(obj):
            return repr(obj)
        return float(repr(obj)) if obj != 0 else 0.0  # -0.0 and 0.0 are the same parameter
    if obj is None or isinstance(obj, bool | int | str):
        return obj
    raise TypeError(
        f"cache parameters must be JSON-like (dict, list, str, number, numpy array); got "
        f"{type(obj).__name__}: {obj!r}"
    )


@lru_cache(maxsize=1)
def library_versions() -> dict[str, str]:
    """Versions of the libraries whose arithmetic a cached result depends on."""
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for lib in ("torch", "numpy", "scipy", "sympy", "scikit-learn"):
        try:
            out[lib] = version(lib)
        except PackageNotFoundError:
            out[lib] = "absent"
    return out


def cache_key(name: str, params: Mapping[str, Any]) -> str:
    """Hex key of an entry: name, canonical parameters, :func:`source_hash` and
    :func:`library_versions`."""
    payload = json.dumps(
        {
            "name": name,
            "params": _canonical(params),
            "source": source_hash(),
            "libraries": library_versions(),
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _enabled() -> bool:
    return os.environ.get("ITEMSREL_CACHE", "on").strip().lower() not in ("off", "0", "no", "false")


def cached(name: str, params: Mapping[str, Any], compute: Callable[[], T]) -> T:
    """``compute()``, or its stored value for the same ``name``, ``params`` and package source.

    ``name`` becomes part of the file name: letters, digits, ``-`` and ``_`` only.
    """
    if not name or not all(c.isalnum() or c in "-_" for c in name):
        raise ValueError(
            f"cache name must be non-empty and use only letters, digits, - and _: {name!r}"
        )
    if not _enabled():
        return compute()
    source = source_hash()[:10]
    path = cache_dir() / f"{name}-{source}-{cache_key(name, params)[:20]}.pkl"
    if path.is_file():
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            path.unlink(missing_ok=True)  # unreadable (e.g. from an interrupted old version)
    value = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    for old in _entries(path.parent, name):
        if not old.name.startswith(f"{name}-{source}-"):
            old.unlink(missing_ok=True)  # written by other code: unreachable
    return value


def _entries(folder: Path, name: str | None) -> list[Path]:
    """Cache files of ``name`` (all names if None): ``<name>-<10 hex>-<20 hex>.pkl`` exactly."""
    stem = re.escape(name) if name else r".+"
    pattern = re.compile(rf"{stem}-[0-9a-f]{{10}}-[0-9a-f]{{20}}\.pkl")
    return [p for p in folder.glob("*.pkl") if pattern.fullmatch(p.name)]


def clear_cache(name: str | None = None) -> int:
    """Delete the cache files (of one ``name``, or all); returns how many were removed."""
    folder = cache_dir()
    if not folder.is_dir():
        return 0
    removed = 0
    for path in _entries(folder, name):
        path.unlink(missing_ok=True)
        removed += 1
    return removed
