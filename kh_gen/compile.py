"""Compile kh-gen's built-in data when the package is built or installed.

    python -m kh_gen.compile [PACKAGE_FOLDER]

writes `PACKAGE_FOLDER/_compiled/` (default: this package's own folder): the built-in
catalogue, loaded and checked, as the plain data `cache.stored` reads, and the built-in plan
templates compiled to Python modules (`compiled_templates`); and the message translations,
each `locale/LANG/LC_MESSAGES/DOMAIN.po` as the `.mo` beside it that `i18n` reads. The build hook in
`setup.py` runs it for every wheel and install, so a fresh install starts as fast as a warm
one without reading anything from a user's cache. A copy that does not match the sources it
claims to come from is ignored, so a stale one costs speed, never correctness.

Further built-in data files (one per plan kind, say) join by adding an entry to `_BUILTIN`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cache import COMPILED, _Codec, dump
from .catalog import load_catalog
from .catalog_store import CATALOG_RECORDS, catalog_key
from .resources import builtin_folder


def _catalog() -> tuple[str | None, Any, dict[str, type], tuple[Path, ...]]:
    return (catalog_key(()), load_catalog(()).entries, CATALOG_RECORDS,
            (builtin_folder("catalog"),))


# name → what to compile: its key, its value, the record types it holds, its roots
_BUILTIN: dict[str, Callable[[], tuple[str | None, Any, dict[str, type], tuple[Path, ...]]]] = {
    "catalog": _catalog,
}


def compile_builtin(package: Path | None = None) -> list[Path]:
    """Write every built-in copy into `package/_compiled` and return the files written."""
    folder = (Path(package) / "_compiled") if package is not None else COMPILED
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    from .compiled_templates import compile_templates
    from .textrender import TemplateSet

    templates = TemplateSet([builtin_folder("templates")])
    written += compile_templates(templates.env, folder.parent)
    written += compile_messages(folder.parent)
    for name, make in _BUILTIN.items():
        key, value, records, roots = make()
        if key is None:
            continue
        path = folder / f"{name}.json"
        path.write_bytes(dump(key, value, _Codec(records, roots)))
        written.append(path)
    return written


def compile_messages(package: Path) -> list[Path]:
    """Compile every translation of the source tree into `package/locale` (the wheel's copy)."""
    from .i18n import LOCALE_DIR, compiled_po

    written = []
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        mo = package / po.relative_to(LOCALE_DIR.parent).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        mo.write_bytes(compiled_po(po))
        written.append(mo)
    return written


if __name__ == "__main__":
    for path in compile_builtin(Path(sys.argv[1]) if len(sys.argv) > 1 else None):
        print(f"compiled {path}")
