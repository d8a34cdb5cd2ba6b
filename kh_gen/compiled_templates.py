"""The built-in plan templates, compiled to Python when the package is built or installed.

Compiling a template (Jinja's parse and code generation) was a sixth of a cold `kh-gen build`.
Jinja's own bytecode cache kept the result in the user's cache folder as marshalled code, which
a planted file would have run; so templates are compiled instead into modules inside the
package (`kh_gen/_compiled/templates/`, by `python -m kh_gen.compile`, which the build hook
runs), as trusted as kh-gen's own modules and byte-compiled like them. `templates.json` lists,
for each template, the SHA-256 of the source it was compiled from; a module is used only when
the template being loaded is the built-in one with exactly that source, and the list's key
(the Jinja version and the code that sets up the environment) matches. Anything else (a
province's own template, a source checkout where nothing was compiled, a stale or damaged
copy) is compiled from source, as before.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from collections.abc import MutableMapping
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from .cache import COMPILED, FORMAT, digest_of
from .resources import builtin_folder

FOLDER = "templates"
MANIFEST = "templates.json"
_MODULE = re.compile(r"t_[0-9a-f]{16}\.py")


def templates_key() -> str:
    """What compiled templates depend on besides their sources."""
    here = Path(__file__).parent
    return digest_of([here / n for n in ("sandbox.py", "textrender.py", "compiled_templates.py")],
                     f"jinja2 {jinja2.__version__}")


def compile_templates(environment: jinja2.Environment, package: Path) -> list[Path]:
    """Compile every built-in template into `package/_compiled/templates`."""
    source_dir = builtin_folder("templates")
    out = package / "_compiled" / FOLDER
    out.mkdir(parents=True, exist_ok=True)
    listed: dict[str, list[str]] = {}
    written = []
    for path in sorted(source_dir.glob("*/*.j2")):
        name = path.relative_to(source_dir).as_posix()
        source = path.read_bytes()
        code = environment.compile(source.decode("utf-8"), name, str(path), raw=True,
                                   defer_init=True)
        module = f"t_{hashlib.sha256(name.encode()).hexdigest()[:16]}.py"
        (out / module).write_text(code, encoding="utf-8")
        listed[name] = [hashlib.sha256(source).hexdigest(), module]
        written.append(out / module)
    manifest = package / "_compiled" / MANIFEST
    manifest.write_text(json.dumps({"format": FORMAT, "key": templates_key(), "value": listed}),
                        encoding="utf-8")
    return [*written, manifest]


@cache
def _listed() -> dict[str, tuple[str, str]]:
    """The compiled templates of this package, by name: (source digest, module file)."""
    try:
        data = json.loads((COMPILED / MANIFEST).read_bytes()[:1_000_000])
        if data.get("format") != FORMAT or data.get("key") != templates_key():
            return {}
        return {name: (digest, module) for name, (digest, module) in data["value"].items()
                if isinstance(name, str) and isinstance(digest, str)
                and isinstance(module, str) and _MODULE.fullmatch(module)}
    except Exception:  # missing, stale or damaged: compile from source
        return {}


class CompiledFirstLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that takes a built-in template from its compiled module when the
    template found is the built-in one, with the source the module was compiled from."""

    def __init__(self, folders: list[str]):
        super().__init__(folders)
        self.builtin = str(builtin_folder("templates"))

    def load(self, environment: jinja2.Environment, name: str,
             globals: MutableMapping[str, Any] | None = None) -> jinja2.Template:
        listed = _listed().get(name)
        if listed is not None:
            source, filename, _ = self.get_source(environment, name)
            digest, module = listed
            if str(Path(filename).parent.parent) == self.builtin and \
                    hashlib.sha256(source.encode("utf-8")).hexdigest() == digest:
                namespace = _module(module)
                if namespace is not None:
                    template = environment.template_class.from_module_dict(
                        environment, namespace, globals or {})
                    template.filename = filename  # messages point at the template itself
                    return template
        return super().load(environment, name, globals)


def _module(module: str) -> dict[str, Any] | None:
    """The namespace of a compiled template module, loaded anew for each environment (its
    functions find `environment` among the module's globals), or None when it cannot be
    loaded."""
    path = COMPILED / FOLDER / module
    try:
        spec = importlib.util.spec_from_file_location(f"kh_gen._compiled_{path.stem}", path)
        if spec is None or spec.loader is None:
            return None
        loaded = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(loaded)
    except Exception:  # damaged: compile from source
        return None
    return loaded.__dict__
