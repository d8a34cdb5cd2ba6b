"""The catalogue through a kept copy: loading and checking it is most of a cold build.

`stored_catalog` is `load_catalog` through `cache.stored`: the built-in catalogue comes from the
copy compiled into the package when it was built or installed (`python -m kh_gen.compile`), a
province's own folders from a copy in the user's cache folder; both are plain data, checked on
reading. Only a catalogue without errors is kept, so its problems are reported on every run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .cache import digest_of, stored
from .catalog import Agency, Catalog, Duty, LegalBasis, TaskDef, TextEntry, TextItem, load_catalog
from .resources import builtin_folder

# The records a kept catalogue is made of (anything else in a copy makes it unusable).
CATALOG_RECORDS = {kind.__name__: kind for kind in (Agency, Duty, LegalBasis, TaskDef, TextEntry,
                                                    TextItem)}
# The code that reads and checks the catalogue: a change to it makes every stored copy stale.
CATALOG_CODE = ("cache.py", "catalog.py", "catalog_store.py", "errors.py", "resources.py",
                "schema.py", "textrender.py", "yamlsource.py")


def catalog_key(dirs: Sequence[Path]) -> str | None:
    """What a kept copy of the catalogue for these folders is made from: the bytes of every
    catalogue file and of the code that reads them (None when a file cannot be read)."""
    here = Path(__file__).parent
    files = [here / name for name in CATALOG_CODE]
    layout = []
    for source in (*dirs, builtin_folder("catalog")):
        found = sorted(source.glob("*.yaml")) if source.is_dir() else []
        layout.append(f"{source.is_dir()}:{len(found)}")
        files.extend(found)
    try:
        return digest_of(files, f"{len(dirs)}\0{','.join(layout)}")
    except OSError:
        return None


def stored_catalog(dirs: tuple[Path, ...]) -> Catalog:
    """`load_catalog`, through a copy kept as plain data (see `cache`).

    Parsing and checking the catalogue is most of a cold `kh-gen build`; the copy loads in a
    few milliseconds. Only a catalogue without errors is kept, so its problems are reported on
    every run; any trouble with a copy falls back to loading the files.
    """
    key = catalog_key(dirs)
    if key is None:  # an unreadable file: load_catalog says which
        return load_catalog(dirs)
    folders = (*dirs, builtin_folder("catalog"))
    entries = stored("catalog", key, lambda: load_catalog(dirs).entries, CATALOG_RECORDS,
                     folders, compiled=not dirs, valid=_entries)
    return Catalog(entries, folders)


def _entries(value: object) -> bool:
    """A kept catalogue is a mapping of each entry's id to the entry."""
    kinds = tuple(CATALOG_RECORDS.values())
    return isinstance(value, dict) and all(
        isinstance(entry, kinds) and not isinstance(entry, TextItem) and entry.id == key
        for key, entry in value.items())
