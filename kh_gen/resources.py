"""Where the built-in catalogue and templates are, installed or in a source checkout.

The top-level `catalog/` and `templates/` folders are installed as the data packages
`kh_gen.builtin_catalog` and `kh_gen.builtin_templates`, so kh-gen finds them from any working
directory; in a source checkout that is not installed they are found next to the package.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

_PACKAGES = {"catalog": "kh_gen.builtin_catalog", "templates": "kh_gen.builtin_templates"}


@cache
def builtin_folder(name: str) -> Path:
    """The built-in `catalog` or `templates` folder (looked up once: every build asks)."""
    try:
        spec = importlib.util.find_spec(_PACKAGES[name])
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parent.parent / name
