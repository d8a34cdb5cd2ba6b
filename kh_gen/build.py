"""kh-gen's main job as library functions: check a form, render it, write it safely.

The CLI is a thin layer over `check_form` and `build_form`. Every stage runs before anything is
written, and the output file is replaced only by a complete new one (written beside it, then
renamed), so a failed build never leaves a half-written or clobbered file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from .catalog import Catalog
from .catalog_store import stored_catalog
from .compose import compose_outline, template_folders
from .errors import KhGenError, Location, Problem
from .form import Form, load_form
from .i18n import _
from .kinds import Kind, load_kind
from .lint import lint_plan
from .outline import Outline
from .outputs import check_output, check_suffix, write_atomically
from .plan import Plan, resolve_plan
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


# Per process, by folders; each entry with the state of the user's folders it was made from
# (see `_folders_state`), so that a long-running process (a preview server) sees an edit.
_catalog_cache: dict[tuple[Path, ...], tuple[tuple, Catalog]] = {}


def _folders_state(dirs: tuple[Path, ...], patterns: tuple[str, ...]) -> tuple:
    """What the user's folders hold now: each matching file's name, size and modification
    time. Empty for the built-in folders alone, which an installation does not change; a few
    `stat` calls otherwise."""
    state = []
    for folder in dirs:
        for pattern in patterns:
            for path in sorted(folder.glob(pattern)) if folder.is_dir() else ():
                try:
                    info = path.stat()
                except OSError:
                    continue
                state.append((str(path), info.st_size, info.st_mtime_ns))
    return tuple(state)


def catalog_for(dirs: Sequence[Path]) -> Catalog:
    """The catalogue for these folders, loaded once per process (batch builds reuse it) and
    again when a file in the user's folders changed."""
    key = tuple(Path(d).resolve() for d in dirs)
    state = _folders_state(key, ("*.yaml",))
    kept = _catalog_cache.get(key)
    if kept is None or kept[0] != state:
        _catalog_cache[key] = kept = (state, stored_catalog(key))
    return kept[1]


_TEMPLATE_FILES = ("*/*.j2", "*/kind.yaml")
_template_cache: dict[tuple[Path, ...], tuple[tuple, TemplateSet]] = {}


def templates_for(dirs: Sequence[Path]) -> TemplateSet:
    """The plan templates for these folders, once per process: each template is compiled on
    first use and reused by later builds (compiling costs far more than rendering). Compiled
    templates are never kept on disk: what Jinja would keep is code."""
    key = tuple(Path(d).resolve() for d in dirs)
    state = _folders_state(key, _TEMPLATE_FILES)
    kept = _template_cache.get(key)
    if kept is None or kept[0] != state:
        _template_cache[key] = kept = (state, TemplateSet(template_folders(key)))
    return kept[1]


_kind_cache: dict[tuple[str, tuple[Path, ...]], tuple[tuple, Kind]] = {}


def kind_for(kind: str, dirs: Sequence[Path], where: Location | None = None) -> Kind:
    """The plan kind's definition from these template folders, once per process."""
    key = (kind, tuple(Path(d).resolve() for d in dirs))
    state = _folders_state(key[1], _TEMPLATE_FILES)
    kept = _kind_cache.get(key)
    if kept is None or kept[0] != state:
        _kind_cache[key] = kept = (state, load_kind(kind, template_folders(key[1]), where))
    return kept[1]


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
    and the document deflated on another thread meanwhile: deflating is a third of a build
    and zlib lets the interpreter go while it works, so the zip costs next to nothing on a
    second processor.
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
           zip_docx: bool) -> tuple[Checked, _Zipping | None]:
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

            zipping = _Zipping(docx_files(outline, title=" ".join(form.title),
                                          timestamp=_timestamp(form)))
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


class _Zipping:
    """A DOCX package being zipped: its largest file (the document, most of the work) deflated
    on a thread, the rest when the result is asked for.

    Only that one call runs on the thread: zlib lets the interpreter go while it deflates,
    but anything after it on the thread would wait for the interpreter until the linter is
    done, so the few small files and the checksums are left to the caller.
    """

    def __init__(self, files: list[tuple[str, bytes]]):
        from .ooxml import deflate

        self._files = files
        self._largest = max(range(len(files)), key=lambda i: len(files[i][1]))
        self._deflating = _InBackground(deflate, files[self._largest][1])

    def result(self) -> bytes:
        from .ooxml import zip_archive

        return zip_archive(self._files, {self._largest: self._deflating.result()})


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
                                  _("unknown format '{format}'; use one of {formats}").format(
                                      format=fmt, formats=", ".join(FORMATS)))])
    target = Path(output) if output is not None else default_output(form_path, fmt)
    if output is not None:
        check_plan_suffix(target, fmt)
    check_output(form_path, target, owner=False)  # kh-gen's own, or these very bytes: later
    data, checked = build_bytes(form_path, fmt, sources, strict=strict)
    write_atomically(target, data)
    return target, checked


def check_plan_suffix(target: Path, fmt: str) -> None:
    """A plan's name must end in its format's suffix: `-o plan.pdf` would otherwise be a DOCX
    named .pdf (kh-gen writes no PDF), and `-o plan.txt` with `--format docx` a DOCX named
    .txt."""
    suffix = target.suffix.lower()
    if suffix in (f".{f}" for f in FORMATS) and suffix != f".{fmt}":
        raise KhGenError([Problem(Location(str(target)), _(
            "ends in {suffix} but the format is {format}; name it {stem}.{format}, or give "
            "--format {other}").format(suffix=target.suffix, format=fmt, stem=target.stem,
                                       other=suffix[1:]))])
    check_suffix(target, tuple(f".{f}" for f in FORMATS), "a plan")


def _timestamp(form: Form) -> str:
    """The document's created/modified time: the plan's date, so rebuilding changes nothing."""
    d = form.date
    return f"{d.year:04d}-{d.month or 1:02d}-{d.day or 1:02d}T00:00:00Z"
