"""A disk cache for long computations: rebuilt books reuse results, changed inputs recompute.

Decorate a function with :func:`cached` and every call is keyed on

* the entry's ``name`` (what is computed, e.g. ``"regularisation-sweep"``),
* the call's arguments, bound to the function's signature with the defaults applied
  (``f(1)``, ``f(x=1)`` and ``f(1, flag=False)`` with default ``flag=False`` are one entry), in a
  canonical form that keeps types apart (``1``, ``1.0``, ``True`` and ``"1"`` are four entries,
  ``nan`` and ``"nan"`` two; numpy scalars equal the Python numbers of the same type),
* the function's own source (so a function defined in a notebook recomputes when its cell
  changes), a hash of the source of the whole ``itemsrel`` package (any code change recomputes)
  and the versions of the numerical libraries (torch, numpy, scipy, sympy, scikit-learn).

Same key → the stored value is loaded; anything else → computed and stored. Files live in
:func:`cache_dir` (``<repository>/.cache/itemsrel`` in a source checkout, else
``~/.cache/itemsrel``; override with ``ITEMSREL_CACHE_DIR``). Set ``ITEMSREL_CACHE=off`` to always
recompute (nothing is read or written).

Robustness. Each file holds a header (format tag, the full key, the SHA-256 of the payload) and
the pickled value: a file that is truncated, corrupt, or written for another key (a foreign file
under the same name) is deleted and recomputed, never returned and never raised to the caller.
Writes go to a temporary file that is renamed into place (atomic: two processes computing the
same entry do not corrupt it); an interrupted write leaves at most a temporary file that
:func:`clear_cache` removes. A cache folder that cannot be written to gives a warning and the
computed value. Entries of the same name written by an older version of the package can never be
read again and are deleted when a new entry is stored.

Values are pickled: only load caches this project wrote itself.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
import json
import math
import os
import pickle
import re
import tempfile
import warnings
from collections.abc import Callable, Mapping, Set
from functools import lru_cache
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import numpy as np

__all__ = ["cache_dir", "cache_key", "cached", "clear_cache", "library_versions", "source_hash"]

T = TypeVar("T")
P = ParamSpec("P")
_PACKAGE = Path(__file__).resolve().parent
_MAGIC = b"itemsrel-cache-v2\n"


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


def _float(x: float) -> Any:
    if math.isnan(x):
        return ["float", "nan"]
    if math.isinf(x):
        return ["float", "inf" if x > 0 else "-inf"]
    return ["float", repr(x) if x != 0 else "0.0"]  # -0.0 and 0.0 are the same parameter


def _canonical(obj: Any) -> Any:
    """A JSON-able, order-independent, type-tagged form of ``obj`` (``TypeError`` for other types).

    Every scalar carries its type (``["int", 1]``, ``["float", "1.0"]``, ``["bool", true]``,
    ``["str", "1"]``), so values that compare equal across types are different parameters.
    """
    if obj is None:
        return ["none"]
    if isinstance(obj, bool | np.bool_):
        return ["bool", bool(obj)]
    if isinstance(obj, int | np.integer):
        return ["int", int(obj)]
    if isinstance(obj, float | np.floating):
        return _float(float(obj))
    if isinstance(obj, complex | np.complexfloating):
        return ["complex", _float(obj.real), _float(obj.imag)]
    if isinstance(obj, str):
        return ["str", obj]
    if isinstance(obj, bytes):
        return ["bytes", obj.hex()]
    if isinstance(obj, Mapping):
        items = [(_canonical(k), _canonical(v)) for k, v in obj.items()]
        return ["dict", sorted(items, key=lambda kv: json.dumps(kv[0], sort_keys=True))]
    if isinstance(obj, Set):
        return ["set", sorted((_canonical(v) for v in obj), key=json.dumps)]
    if isinstance(obj, list | tuple | range):
        return [type(obj).__name__, [_canonical(v) for v in obj]]
    if isinstance(obj, np.ndarray):
        if obj.dtype == object:
            return ["object-array", list(obj.shape), [_canonical(v) for v in obj.ravel()]]
        return [
            "ndarray",
            str(obj.dtype),
            list(obj.shape),
            hashlib.sha256(np.ascontiguousarray(obj).tobytes()).hexdigest(),
        ]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        fields = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
        return ["dataclass", f"{type(obj).__module__}.{type(obj).__qualname__}", _canonical(fields)]
    if type(obj).__module__ == "torch" and type(obj).__name__ in ("dtype", "device"):
        return ["torch." + type(obj).__name__, str(obj)]
    try:
        import sympy

        if isinstance(obj, sympy.Basic):
            return ["sympy", sympy.srepr(obj)]
    except ImportError:  # pragma: no cover - sympy is a dependency
        pass
    raise TypeError(
        f"cache parameters must be numbers, strings, None, containers of them, numpy arrays, "
        f"dataclasses, sympy objects or torch dtypes and devices; got {type(obj).__name__}: {obj!r}"
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


def cache_key(name: str, params: Mapping[str, Any], code: str = "") -> str:
    """Hex key of an entry: name, canonical parameters, the function's ``code``,
    :func:`source_hash` and :func:`library_versions`."""
    payload = json.dumps(
        {
            "name": name,
            "params": _canonical(dict(params)),
            "code": code,
            "source": source_hash(),
            "libraries": library_versions(),
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _enabled() -> bool:
    return os.environ.get("ITEMSREL_CACHE", "on").strip().lower() not in ("off", "0", "no", "false")


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not name or not all(c.isalnum() or c in "-_" for c in name):
        raise ValueError(
            f"cache name must be non-empty and use only letters, digits, - and _: {name!r}"
        )


def _code_of(fn: Callable[..., Any]) -> str:
    """The function's source text (its bytecode where the source is unavailable)."""
    try:
        return inspect.getsource(fn)
    except (OSError, TypeError):
        code = getattr(fn, "__code__", None)
        return code.co_code.hex() if code is not None else repr(fn)


def _read(path: Path, key: str) -> tuple[bool, Any]:
    """(True, value) when ``path`` is a sound entry for ``key``, else (False, None); never raises."""
    try:
        blob = path.read_bytes()
        if not blob.startswith(_MAGIC):
            return False, None
        rest = blob[len(_MAGIC) :]
        stored_key, digest, payload = rest[:64], rest[65:129], rest[130:]
        if stored_key.decode() != key or digest.decode() != hashlib.sha256(payload).hexdigest():
            return False, None
        return True, pickle.loads(payload)
    except Exception:
        return False, None


def _write(path: Path, key: str, value: Any, name: str, source: str) -> None:
    """Store ``value`` atomically; warns (and stores nothing) when that is impossible."""
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:
        warnings.warn(
            f"cache entry {name!r} not stored: the value cannot be pickled ({exc})",
            RuntimeWarning,
            stacklevel=3,
        )
        return
    blob = _MAGIC + key.encode() + b"\n" + hashlib.sha256(payload).hexdigest().encode() + b"\n"
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob + payload)
        os.replace(tmp, path)
        tmp = None
        for old in _entries(path.parent, name):
            if not old.name.startswith(f"{name}-{source}-"):
                old.unlink(missing_ok=True)  # written by other code: unreachable
    except OSError as exc:
        warnings.warn(
            f"cache folder {path.parent} is not writable ({exc}); the value of "
            f"{name!r} is computed but not stored",
            RuntimeWarning,
            stacklevel=3,
        )
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def _load_or_compute(name: str, key: str, compute: Callable[[], T]) -> T:
    source = source_hash()[:10]
    path = cache_dir() / f"{name}-{source}-{key[:20]}.pkl"
    if path.is_file():
        ok, value = _read(path, key)
        if ok:
            return value
        try:
            path.unlink(missing_ok=True)  # corrupt, truncated or foreign: recompute
        except OSError:
            pass
    value = compute()
    _write(path, key, value, name, source)
    return value


def cached(
    name: str, *, ignore: tuple[str, ...] = ()
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Decorator: store the function's value on disk under ``name`` and its bound arguments.

    ``ignore`` names arguments that do not change the value (e.g. ``progress``). The wrapped
    function keeps its signature; ``wrapper.uncached`` is the original function and
    ``wrapper.key(*args, **kwargs)`` the key of a call. Arguments must be numbers, strings, None,
    containers of them, numpy arrays, dataclasses or sympy objects (else ``TypeError``).
    """
    _check_name(name)

    def decorate(fn: Callable[P, T]) -> Callable[P, T]:
        sig = inspect.signature(fn)
        unknown = [a for a in ignore if a not in sig.parameters]
        if unknown:
            raise ValueError(f"ignore names {unknown}, which are not parameters of {fn.__name__}")
        code = _code_of(fn)

        def key(*args: P.args, **kwargs: P.kwargs) -> str:
            bound = sig.bind(*args, **kwargs)
            bound.apply_defaults()
            params = {k: v for k, v in bound.arguments.items() if k not in ignore}
            return cache_key(name, params, code)

        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            k = key(*args, **kwargs)  # validates the arguments even when the cache is off
            if not _enabled():
                return fn(*args, **kwargs)
            return _load_or_compute(name, k, lambda: fn(*args, **kwargs))

        wrapper.uncached = fn  # type: ignore[attr-defined]
        wrapper.key = key  # type: ignore[attr-defined]
        return wrapper

    return decorate


def _entries(folder: Path, name: str | None) -> list[Path]:
    """Cache files of ``name`` (all names if None): ``<name>-<10 hex>-<20 hex>.pkl`` exactly."""
    stem = re.escape(name) if name else r".+"
    pattern = re.compile(rf"{stem}-[0-9a-f]{{10}}-[0-9a-f]{{20}}\.pkl")
    return [p for p in folder.glob("*.pkl") if pattern.fullmatch(p.name)]


def _leftovers(folder: Path, name: str | None) -> list[Path]:
    """Temporary files of interrupted writes: ``.<entry file stem>.<random>.tmp``."""
    stem = re.escape(name) if name else r".+"
    pattern = re.compile(rf"\.{stem}-[0-9a-f]{{10}}-[0-9a-f]{{20}}\..+\.tmp")
    return [p for p in folder.glob(".*.tmp") if pattern.fullmatch(p.name)]


def clear_cache(name: str | None = None) -> int:
    """Delete the cache files (of one ``name``, or all) and the temporary files of interrupted
    writes; returns how many files were removed."""
    folder = cache_dir()
    if not folder.is_dir():
        return 0
    removed = 0
    for path in _entries(folder, name) + _leftovers(folder, name):
        path.unlink(missing_ok=True)
        removed += 1
    return removed
