"""Work kept between runs, as plain data only: nothing read back can run code.

Loading and checking the catalogue is most of a cold `kh-gen build`, so its result is kept.
It is kept as JSON made of strings, numbers, lists and a fixed set of kh-gen's own records,
never as pickle or compiled code: a file planted in a shared or loosely permitted cache folder
can at worst be wrong data, and every copy is checked on reading (format, the digest of the
sources it was made from, record names and field counts), so a damaged, truncated, stale or
foreign copy is ignored and made again. Writing a copy is best effort: an unwritable folder
or a full disk costs speed, never a run.

Two places hold copies, looked in first to last:

- `kh_gen/_compiled/NAME.json` inside the installed package, written when the package is built
  or installed (`python -m kh_gen.compile`, run by the build hook in `setup.py`). It is as
  trusted as the package's code, so the first run of a fresh install is as fast as a warm one;
- the user's cache folder (`cache_folder()`), for what a package build cannot know (a
  province's own catalogue folder) or a source checkout where nothing was compiled.

Any other data read from YAML and checked (a plan kind's settings, say) is kept the same way:
give `stored` a name, a key from `digest_of(its files and the code that reads them)`, the
function that reads and checks it, the record types its value holds and the folders its
locations lie in; for built-in data add it to `compile._BUILTIN` and pass `compiled=True`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .errors import Location

FORMAT = 1
COMPILED = Path(__file__).resolve().parent / "_compiled"
_MAX_BYTES = 64_000_000  # far above any catalogue; a larger file is not one kh-gen wrote
_KEPT_COPIES = 16

T = TypeVar("T")


def cache_folder() -> Path | None:
    """Where kh-gen keeps work it can reuse between runs: $KH_GEN_CACHE_DIR, else the user's
    cache folder; none when KH_GEN_CACHE_DIR is set empty. Everything in it can be deleted at
    any time."""
    chosen = os.environ.get("KH_GEN_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    try:
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kh-gen"
    except RuntimeError:  # no home folder
        return None


def writable_cache() -> Path | None:
    """The cache folder, created if need be; None when there is none or it cannot be used."""
    folder = cache_folder()
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        usable = folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)
    except (OSError, ValueError):
        return None
    return folder if usable else None


def digest_of(files: Iterable[Path], extra: str = "") -> str:
    """A key for data made from these files: their names and bytes (OSError when one cannot
    be read; the caller then makes the data without a cache)."""
    digest = hashlib.sha256(f"{FORMAT}\0{extra}".encode())
    for path in files:
        digest.update(f"\0{path.name}\0".encode() + Path(path).read_bytes())
    return digest.hexdigest()[:40]


def stored(name: str, key: str, make: Callable[[], T], records: Mapping[str, type],
           roots: Sequence[Path] = (), *, compiled: bool = False,
           valid: Callable[[Any], bool] = lambda value: True) -> T:
    """The value `make()` returns, through a copy kept as JSON.

    `key` names the sources and code the value comes from (`digest_of`); a copy with another
    key is never used. `records` are the record types (NamedTuples of plain data) the value
    may hold, by name; `roots` are folders whose files' locations are kept relative, so a copy
    made where the package was built is right where it is installed. `compiled`: look in the
    package's own compiled copies first (for built-in data only). `valid`: a last check of a
    copy's value as a whole (its records' fields are checked against their types already).
    """
    codec = _Codec(records, roots)
    if compiled:
        value = _read(COMPILED / f"{name}.json", key, codec)
        if value is not None and valid(value):
            return value
    folder = writable_cache()
    copy = folder / f"{name}-{key}.json" if folder is not None else None
    if copy is not None:
        value = _read(copy, key, codec)
        if value is not None and valid(value):
            return value
    value = make()
    if copy is not None:
        _keep(copy, dump(key, value, codec))
    return value


def dump(key: str, value: Any, codec: _Codec) -> bytes:
    return json.dumps({"format": FORMAT, "key": key, "value": codec.encode(value)},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _read(path: Path, key: str, codec: _Codec) -> Any:
    """The value kept in `path`, or None when it is missing, unreadable or not right."""
    try:
        with open(path, "rb") as stream:
            data = stream.read(_MAX_BYTES + 1)
        if len(data) > _MAX_BYTES:
            return None
        kept = json.loads(data)
        if not isinstance(kept, dict) or kept.get("format") != FORMAT or \
                kept.get("key") != key:
            return None
        return codec.decode(kept["value"])
    except (OSError, ValueError, KeyError, TypeError, RecursionError, _Invalid):
        return None


def _keep(copy: Path, data: bytes) -> None:
    """Store a copy (complete or not at all) and drop the oldest beyond _KEPT_COPIES."""
    try:
        handle, temp = tempfile.mkstemp(prefix=".kh-gen-", suffix=".tmp", dir=copy.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, copy)
        stem = copy.name.rsplit("-", 1)[0]
        copies = sorted(copy.parent.glob(f"{stem}-*.json"), key=_mtime)
        for old in copies[:-_KEPT_COPIES]:
            old.unlink(missing_ok=True)
    except OSError:
        Path(temp).unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


class _Invalid(Exception):
    """A kept copy that does not decode to what kh-gen writes."""


class _Codec:
    """Plain values ⇄ JSON. Strings, numbers, booleans and None are themselves; anything else
    is a list whose first item says what it is: tuple, list, dict, date, location, or a record
    named in `records` with exactly its fields. Nothing else decodes."""

    def __init__(self, records: Mapping[str, type], roots: Sequence[Path]):
        self.records = dict(records)
        self.names = {kind: name for name, kind in self.records.items()}
        self._checks: dict[type, tuple[Callable[[Any], bool], ...]] = {}
        self.roots = [str(r) for r in roots]

    def encode(self, value: Any) -> Any:
        if value is None or isinstance(value, bool | int | float | str):
            return value
        if isinstance(value, Location):
            return ["P", *self._path(value.path), value.line, value.column]
        kind = type(value)
        if kind in self.names:
            return ["R", self.names[kind], *(self.encode(v) for v in value)]
        if isinstance(value, tuple):
            return ["T", *(self.encode(v) for v in value)]
        if isinstance(value, list):
            return ["L", *(self.encode(v) for v in value)]
        if isinstance(value, dict):
            return ["M", *([self.encode(k), self.encode(v)] for k, v in value.items())]
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return ["D", value.isoformat()]
        raise TypeError(f"cannot keep a {kind.__name__} in the cache")

    def _path(self, path: str) -> tuple[int, str]:
        for index, root in enumerate(self.roots):
            if path.startswith(root + os.sep):
                return index, path[len(root) + 1:]
        return -1, path

    def decode(self, data: Any) -> Any:
        kind = type(data)
        if kind is str or data is None or kind is int or kind is bool or kind is float:
            return data
        if kind is not list or not data:
            raise _Invalid
        tag = data[0]
        decode = self.decode
        if tag == "R" and len(data) > 1 and type(data[1]) is str:
            record = self.records.get(data[1])
            if record is None:
                raise _Invalid
            fields = list(map(decode, data[2:]))
            checks = self._checks.get(record)
            if checks is None:
                checks = self._checks[record] = self._field_checks(record)
            if len(fields) != len(checks):
                raise _Invalid
            for check, value in zip(checks, fields, strict=True):
                if not check(value):
                    raise _Invalid
            return record(*fields)
        if tag == "T":
            return tuple(map(decode, data[1:]))
        if tag == "P" and len(data) == 5:
            return self._location(*data[1:])
        if tag == "L":
            return list(map(decode, data[1:]))
        if tag == "M":
            out = {}
            for pair in data[1:]:
                if type(pair) is not list or len(pair) != 2:
                    raise _Invalid
                out[decode(pair[0])] = decode(pair[1])
            return out
        if tag == "D" and len(data) == 2 and type(data[1]) is str:
            return dt.date.fromisoformat(data[1])
        raise _Invalid

    def _field_checks(self, kind: type) -> tuple[Callable[[Any], bool], ...]:
        """For each field of a record type, a test that a value is of its declared type."""
        declared = getattr(kind, "__annotations__", {})
        return tuple(self._check(getattr(declared.get(name), "__forward_arg__",
                                         str(declared.get(name, ""))))
                     for name in kind._fields)

    def _check(self, annotation: str) -> Callable[[Any], bool]:
        """A test for `annotation`: `str`, `int`, `bool`, `float`, `dt.date`, `Location`, a
        record's name, `tuple[X, ...]`, and unions of these with `None`; so a copy with a
        field of another type is refused rather than crashing kh-gen later. An annotation not
        listed here refuses every value: such a copy is made again, never trusted."""
        options: list[Callable[[Any], bool]] = []
        for option in _union(annotation):
            exact = _SCALARS.get(option) or self.records.get(option) or \
                (Location if option == "Location" else None)
            if option == "None":
                options.append(lambda value: value is None)
            elif exact is not None:
                options.append(lambda value, exact=exact: type(value) is exact)
            elif option.startswith("tuple[") and option.endswith(", ...]"):
                inner = self._check(option[len("tuple["):-len(", ...]")])
                options.append(lambda value, inner=inner: type(value) is tuple and
                               all(map(inner, value)))
            else:
                options.append(lambda value: False)
        if len(options) == 1:
            return options[0]
        return lambda value: any(test(value) for test in options)

    def _location(self, root: Any, path: Any, line: Any, column: Any) -> Location:
        if not (isinstance(root, int) and isinstance(path, str) and isinstance(line, int)
                and isinstance(column, int)) or root >= len(self.roots):
            raise _Invalid
        full = path if root < 0 else os.path.join(self.roots[root], path)
        return Location(full, line, column)


_SCALARS: dict[str, type] = {"str": str, "int": int, "bool": bool, "float": float,
                             "dt.date": dt.date}


def _union(annotation: str) -> list[str]:
    """`a | tuple[b | c, ...] | None` → its options, split only outside brackets."""
    options, depth, start = [], 0, 0
    for index, char in enumerate(annotation):
        depth += (char == "[") - (char == "]")
        if char == "|" and depth == 0:
            options.append(annotation[start:index].strip())
            start = index + 1
    options.append(annotation[start:].strip())
    return options
