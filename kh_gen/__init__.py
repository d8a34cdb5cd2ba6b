"""kh-gen: drafts Vietnamese government plans (Kế hoạch) from a YAML form.

The library and the `kh-gen` command are the same thing: each command is a thin layer over one
of the functions exported here. They are imported on first use, so that `kh-gen --help` and
the modules that need none of them (errors, cli) do not pay for YAML, Jinja and the catalogue.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .build import Checked, Sources, build_bytes, build_form, check_form, render
    from .catalog import Catalog, load_catalog
    from .errors import KhGenError, Location, Problem
    from .form import Form, load_form

_EXPORTS = {
    "Checked": "build", "Sources": "build", "build_bytes": "build", "build_form": "build",
    "check_form": "build",
    "render": "build", "Catalog": "catalog", "load_catalog": "catalog", "KhGenError": "errors",
    "Location": "errors", "Problem": "errors", "Form": "form", "load_form": "form",
}

__all__ = ["Catalog", "Checked", "Form", "KhGenError", "Location", "Problem", "Sources",
           "build_bytes", "build_form", "check_form", "load_catalog", "load_form", "render"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'kh_gen' has no attribute '{name}'")
    value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
