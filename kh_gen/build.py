"""kh-gen's main job as library functions: check a form, render it, write it safely.

The CLI is a thin layer over `check_form` and `build_form`. Every stage runs before anything is
written, and the output file is replaced only by a complete new one (written beside it, then
renamed), so a failed build never leaves a half-written or clobbered file.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from .catalog import Catalog, load_catalog
from .compose import compose_outline, template_folders
from .errors import KhGenError, Location, Problem
from .form import Form, load_form
from .kinds import Kind, load_kind
from .lint import lint_plan
from .outline import Outline
from .plan import Plan, resolve_plan
from .resources import builtin_folder
from .textrender import TemplateSet

FORMATS = ("docx", "txt")


class Sources(NamedTuple):
    """Where catalogue and templates come from: the user's folders first, then the built-in."""

    catalog_dirs: tuple[Path, ...] = ()
    template_dirs: tuple[Path, ...] = ()


BUILTIN_ONLY = Sources()  # no user folders: the built-in catalogue and templates alone


class Checked(NamedTuple):
    """A form that passed every check, with what it became and the warnings on the way."""

    form: Form
    plan: Plan
    outline: Outline
    warnings: tuple[Problem, ...] = ()


def cache_folder() -> Path | None:
    """Where kh-gen keeps work it can reuse between runs (the checked catalogue, compiled
    templates): $KH_GEN_CACHE_DIR, else the user's cache folder; none when KH_GEN_CACHE_DIR
    is set empty. Everything in it can be deleted at any time."""
    chosen = os.environ.get("KH_GEN_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    try:
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kh-gen"
    except RuntimeError:  # no home folder
        return None


def _writable_cache() -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK | os.X_OK) else None


_catalog_cache: dict[tuple[Path, ...], Catalog] = {}


def catalog_for(dirs: Sequence[Path]) -> Catalog:
    """The catalogue for these folders, loaded once per process (batch builds reuse it)."""
    key = tuple(Path(d).resolve() for d in dirs)
    if key not in _catalog_cache:
        _catalog_cache[key] = _stored_catalog(key)
    return _catalog_cache[key]


# The code that reads and checks the catalogue: a change to it makes every stored copy stale.
_CATALOG_CODE = ("catalog.py", "errors.py", "resources.py", "schema.py", "textrender.py",
                 "yamlsource.py")
_KEPT_COPIES = 16


def _stored_catalog(dirs: tuple[Path, ...]) -> Catalog:
    """`load_catalog`, through a copy kept in the cache folder.

    Parsing and checking the catalogue is most of a cold `kh-gen build`; the copy, keyed by
    the bytes of every catalogue file and of the code that reads them, loads in a few
    milliseconds. Only a catalogue without errors is kept, so its problems are reported on
    every run; any trouble with the copy falls back to loading the files.
    """
    folder = _writable_cache()
    if folder is None:
        return load_catalog(dirs)
    digest = hashlib.sha256(sys.version.encode())
    try:
        here = Path(__file__).parent
        for name in _CATALOG_CODE:
            digest.update((here / name).read_bytes())
        for source in (*dirs, builtin_folder("catalog")):
            digest.update(f"\0{source}\0{source.is_dir()}\0".encode())
            for path in sorted(source.glob("*.yaml")) if source.is_dir() else ():
                digest.update(f"\0{path.name}\0".encode() + path.read_bytes())
    except OSError:  # an unreadable file: load_catalog says which
        return load_catalog(dirs)
    copy = folder / f"catalog-{digest.hexdigest()[:40]}.pickle"
    try:
        return pickle.loads(copy.read_bytes())
    except Exception:  # missing, truncated, or written by other code: load the files
        pass
    catalog = load_catalog(dirs)
    _keep(copy, pickle.dumps(catalog, protocol=pickle.HIGHEST_PROTOCOL))
    return catalog


def _keep(copy: Path, data: bytes) -> None:
    """Store a copy (complete or not at all) and drop the oldest beyond _KEPT_COPIES."""
    try:
        handle, temp = tempfile.mkstemp(prefix=".catalog-", dir=copy.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, copy)
        copies = sorted(copy.parent.glob("catalog-*.pickle"), key=lambda p: p.stat().st_mtime)
        for old in copies[:-_KEPT_COPIES]:
            old.unlink(missing_ok=True)
    except OSError:
        Path(temp).unlink(missing_ok=True)


_template_cache: dict[tuple[Path, ...], TemplateSet] = {}


def templates_for(dirs: Sequence[Path]) -> TemplateSet:
    """The plan templates for these folders, once per process: each template is compiled on
    first use and reused by later builds (compiling costs far more than rendering), and the
    compiled code is kept in the cache folder for the next process."""
    key = tuple(Path(d).resolve() for d in dirs)
    if key not in _template_cache:
        _template_cache[key] = TemplateSet(template_folders(key),
                                           bytecode_folder=_writable_cache())
    return _template_cache[key]


_kind_cache: dict[tuple[str, tuple[Path, ...]], Kind] = {}


def kind_for(kind: str, dirs: Sequence[Path], where: Location | None = None) -> Kind:
    """The plan kind's definition from these template folders, once per process."""
    key = (kind, tuple(Path(d).resolve() for d in dirs))
    if key not in _kind_cache:
        _kind_cache[key] = load_kind(kind, template_folders(key[1]), where)
    return _kind_cache[key]


def check_form(form_path: Path, sources: Sources = BUILTIN_ONLY, *,
               strict: bool = False) -> Checked:
    """Run every stage and every lint rule short of writing; raise KhGenError with located
    problems (warnings included) when there is an error, or any warning under `strict`."""
    form, form_warnings = load_form(Path(form_path))
    return check_loaded(form, form_warnings, sources, strict=strict)


def check_loaded(form: Form, form_warnings: Sequence[Problem] = (),
                 sources: Sources = BUILTIN_ONLY, *, strict: bool = False) -> Checked:
    """`check_form` for a form already loaded (a batch re-targets one form many times)."""
    return _check(form, form_warnings, sources, strict=strict, zip_docx=False)[0]


def build_bytes(form_path: Path, fmt: str = "docx", sources: Sources = BUILTIN_ONLY, *,
                strict: bool = False) -> tuple[bytes, Checked]:
    """`render(check_form(...), fmt)`, what `build_form` writes, in less time (see
    `build_loaded`)."""
    form, form_warnings = load_form(Path(form_path))
    return build_loaded(form, form_warnings, fmt, sources, strict=strict)


def build_loaded(form: Form, form_warnings: Sequence[Problem] = (), fmt: str = "docx",
                 sources: Sources = BUILTIN_ONLY, *, strict: bool = False,
                 zip_on_thread: bool = True) -> tuple[bytes, Checked]:
    """`build_bytes` for a form already loaded.

    For a DOCX the plan is composed and its package files written before the linter runs,
    and zipped on another thread meanwhile: deflating is a third of a build and zlib lets the
    interpreter go while it works, so the zip costs next to nothing on a second processor.
    Without `zip_on_thread` all is done in turn, for when every processor is busy already (a
    batch with a worker per processor), where the thread would only slow the other workers.
    The problems, their order and the bytes are those of `check_loaded` then `render`.
    """
    if fmt != "docx" or not zip_on_thread:
        checked = check_loaded(form, form_warnings, sources, strict=strict)
        return render(checked, fmt), checked
    checked, zipping = _check(form, form_warnings, sources, strict=strict, zip_docx=True)
    return (zipping.result() if zipping else render(checked, fmt)), checked


def _check(form: Form, form_warnings: Sequence[Problem], sources: Sources, *, strict: bool,
           zip_docx: bool) -> tuple[Checked, _InBackground | None]:
    catalog = catalog_for(sources.catalog_dirs)
    templates = templates_for(sources.template_dirs)
    kind = kind_for(form.kind, sources.template_dirs,
                    form.where.get("kind", Location(str(form.path))))
    plan, plan_problems = resolve_plan(form, catalog, kind)
    outline = zipping = None
    if zip_docx and not any(p.is_error for p in plan_problems):
        try:
            outline = compose_outline(plan, templates)
        except KhGenError:
            pass  # composed again after the linter, whose errors are reported first
        else:
            from .docx_writer import docx_files
            from .ooxml import zip_archive

            zipping = _InBackground(zip_archive, docx_files(
                outline, title=" ".join(form.title), timestamp=_timestamp(form)))
    problems = [*form_warnings, *plan_problems, *lint_plan(plan, catalog)]
    if any(p.is_error for p in problems) or (strict and problems):
        raise KhGenError(problems)
    if outline is None:
        outline = compose_outline(plan, templates)
    return Checked(form, plan, outline, tuple(problems)), zipping


class _InBackground:
    """A function run on a thread of its own; `result()` waits for it (and raises what it
    raised). Nothing waits for a result no one asks for: the thread just ends."""

    def __init__(self, function: Callable[..., bytes], *args: object):
        self._result: bytes | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(function, args), daemon=True)
        self._thread.start()

    def _run(self, function: Callable[..., bytes], args: tuple[object, ...]) -> None:
        try:
            self._result = function(*args)
        except BaseException as exc:  # handed to whoever asks for the result
            self._error = exc

    def result(self) -> bytes:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result


def render(checked: Checked, fmt: str) -> bytes:
    """The document in the given format, as bytes."""
    if fmt == "txt":
        from .txt_writer import write_text

        return write_text(checked.outline).encode("utf-8")
    from .docx_writer import write_docx

    return write_docx(checked.outline, title=" ".join(checked.form.title),
                      timestamp=_timestamp(checked.form))


def default_output(form_path: Path, fmt: str) -> Path:
    """The form's name with the format's suffix, next to the form."""
    return Path(form_path).with_suffix(f".{fmt}")


def build_form(form_path: Path, output: Path | None = None, fmt: str = "docx",
               sources: Sources = BUILTIN_ONLY, *, strict: bool = False) -> tuple[Path, Checked]:
    """Check, render and write; the output appears only when complete."""
    form_path = Path(form_path)
    if fmt not in FORMATS:
        raise KhGenError([Problem(Location(str(form_path)),
                                  f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}")])
    target = Path(output) if output is not None else default_output(form_path, fmt)
    check_output(form_path, target)
    data, checked = build_bytes(form_path, fmt, sources, strict=strict)
    write_atomically(target, data)
    return target, checked


def check_output(source: Path, target: Path, *, keep_existing: bool = False) -> None:
    """Refuse an output that would overwrite its own input, is a folder, or has no folder;
    with `keep_existing`, also one that exists (a form the clerk may have edited)."""
    where = Location(str(target))
    if target.exists() and Path(source).exists() and target.resolve() == Path(source).resolve():
        raise KhGenError([Problem(where, "the output would overwrite its own input; choose "
                                         "another name with -o")])
    if target.is_dir():
        raise KhGenError([Problem(where, "is a folder; give a file name with -o")])
    if not target.parent.is_dir():
        raise KhGenError([Problem(where, f"folder {target.parent} does not exist; create it "
                                         f"or choose another output")])
    if keep_existing and target.exists():
        raise KhGenError([Problem(where, "exists already (maybe a form you have edited); give "
                                         "-o to write elsewhere, or -o with this name to "
                                         "replace it")])


def write_atomically(target: Path, data: bytes) -> None:
    """Write to a temporary file beside `target`, then rename it over `target`."""
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                         dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, target)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise KhGenError([Problem(Location(str(target)),
                                  f"cannot be written: {exc.strerror}")]) from None
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _timestamp(form: Form) -> str:
    """The document's created/modified time: the plan's date, so rebuilding changes nothing."""
    d = form.date
    return f"{d.year:04d}-{d.month or 1:02d}-{d.day or 1:02d}T00:00:00Z"
