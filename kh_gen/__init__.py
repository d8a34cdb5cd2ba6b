"""kh-gen: drafts Vietnamese government plans (Kế hoạch) from a YAML form.

The library and the `kh-gen` command are the same thing: each command is a thin layer over one
of the functions exported here.
"""

from .build import Checked, Sources, build_form, check_form, render
from .catalog import Catalog, load_catalog
from .errors import KhGenError, Location, Problem
from .form import Form, load_form

__all__ = ["Catalog", "Checked", "Form", "KhGenError", "Location", "Problem", "Sources",
           "build_form", "check_form", "load_catalog", "load_form", "render"]
