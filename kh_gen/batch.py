"""Batch builds: one base form issued to many localities, one plan each, in parallel.

A province drafts one plan and sends it to every commune. `run_batch` reads a list of
localities (CSV or YAML: locality, level, place, issuer, signer …), re-targets the form to each
row as `kh-gen rebase` does (issuer and signer replaced, the old locality, level and agencies
renamed in the clerk's free text, number and date cleared: every copy is a draft to be
numbered when signed) and writes one DOCX per row. Catalogue texts are templates filled from
the issuer, so they follow the new locality anyway; a form that names no locality in its free
text can skip the renaming (`rebase=False`, `--keep-text`), which halves the time.

Workers load the form, the catalogue and the templates once, then build plans from rows. One
bad row never stops the others: its problems are reported at its line in the localities file.
"""

from __future__ import annotations

import csv
import os
import re
import resource
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from . import i18n, spellings
from .build import Sources, build_loaded, check_loaded
from .errors import KhGenError, Location, Problem, Problems
from .form import Form, PlanDate, load_form, read_form
from .i18n import _
from .outputs import replacing_allowed, write_atomically
from .rebase import form_data
from .schema import Reader, clean_text
from .userfile import require_regular_file
from .yamlsource import Node, load_yaml_file

DEFAULT_ISSUER = "Ủy ban nhân dân"
REQUIRED = ("locality", "level", "signer")
OPTIONAL = ("place", "issuer", "signer_title", "signer_authority", "unit", "parent",
            "subunits", "province")
COLUMNS = (*REQUIRED, *OPTIONAL)
# The columns as an unknown one's message lists them, each with its Vietnamese name.
COLUMN_NAMES = ", ".join(f"{key} ({word})" for word, key in spellings.COLUMN_WORDS.items())

# How a locality names its own level, read from the front of its name ("xã An Phú" → "xã").
_UNITS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "tỉnh", "huyện", "quận", "phường", "xã")


class Locality(NamedTuple):
    """One row of the localities list: who issues the plan and who signs it."""

    location: Location
    locality: str
    level: str
    place: str
    unit: str
    signer: str
    issuer: str = DEFAULT_ISSUER
    signer_title: str | None = None
    signer_authority: str | None = None
    parent: str | None = None
    subunits: str | None = None
    province: str | None = None

    @property
    def file_name(self) -> str:
        return f"{slug(self.locality)}.docx"


class Outcome(NamedTuple):
    """What became of one row: the file written, or the problems that stopped it."""

    location: Location
    locality: str
    target: Path | None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.target is not None


class BatchReport(NamedTuple):
    output_dir: Path
    written: tuple[Outcome, ...]
    failed: tuple[Outcome, ...]
    warnings: tuple[Problem, ...]  # the base form's, once; then rows' own, at their lines
    jobs: int
    seconds: float
    peak_rss_kb: int  # the largest resident set of any process that built plans


def slug(text: str) -> str:
    """An ASCII file name stem: accents dropped, đ → d, words joined by '-'."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode()).strip("-")


def default_output_dir(form_path: Path) -> Path:
    """A folder named after the form, next to it (`plan.yaml` → `plan/`)."""
    return Path(form_path).with_suffix("")


# -- the localities list -------------------------------------------------------------------

def read_localities(path: Path, form: Form) -> tuple[list[Locality], list[Problem]]:
    """The rows of a CSV or YAML localities list, and the problems of the rows that cannot be
    used. A file that cannot be read at all (or has no row) raises KhGenError."""
    path = Path(path)
    problems = Problems()
    is_csv = path.suffix.lower() == ".csv"
    rows = list(_csv_rows(path, problems)) if is_csv else _yaml_rows(path)
    if not rows and not problems.items:
        raise KhGenError([Problem(Location(str(path)), _("no localities in this file; give "
                                                         "one row per locality"))])
    reader = Reader(problems)
    localities: list[Locality] = []
    seen: dict[str, Location] = {}
    for index, node in enumerate(rows, 1):
        before = len(problems.items)
        row = _locality(reader, node, "" if is_csv else f"[{index}]", form)
        if row is None or len(problems.items) > before:
            continue
        name = row.file_name
        if name == ".docx":
            problems.add(row.location, _("locality '{locality}' gives no file name; write it "
                                         "with letters").format(locality=row.locality))
        elif name in seen:
            problems.add(row.location, _("'{locality}' would be written to {file}, like the "
                                         "row at line {line}; give each locality once").format(
                                             locality=row.locality, file=name,
                                             line=seen[name].line))
        else:
            seen[name] = row.location
            localities.append(row)
    return localities, problems.items


def _csv_rows(path: Path, problems: Problems) -> Iterator[Node]:
    """CSV rows as located Nodes, so a CSV and a YAML list are read by the same code."""
    where = Location(str(path))
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise KhGenError([Problem(where, _("file not found; check the path"))]) from None
    except UnicodeDecodeError:
        raise KhGenError([Problem(where, _("is not UTF-8 text; save the file as UTF-8 "
                                           "(CSV UTF-8 in Excel)"))]) from None
    except OSError as exc:
        raise KhGenError([Problem(where, _("cannot be read: {reason}").format(
            reason=exc.strerror))]) from None
    lines = text.splitlines(keepends=True)
    separator = _delimiter(lines[0] if lines else "")
    reader = csv.reader(lines, delimiter=separator)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise KhGenError([Problem(Location(str(path), 1, 1),
                                  _("CSV error: {error}").format(error=exc))]) from None
    if header is None:
        return
    header = [spellings.column(h) or clean_text(h).lower() for h in header]
    wrong = [Problem(Location(str(path), 1, i), _("unknown column '{column}'; columns: "
                                                  "{columns}").format(column=h,
                                                                      columns=COLUMN_NAMES))
             for i, h in enumerate(header, 1) if h not in COLUMNS]
    wrong += [Problem(Location(str(path), 1, i), _("column '{column}' given twice (in English "
                                                   "or in Vietnamese); keep one").format(
                                                       column=h))
              for i, h in enumerate(header, 1) if h in COLUMNS and h in header[:i - 1]]
    wrong += [Problem(Location(str(path), 1, 1), _("column '{column}' missing; the header needs "
                                                   "at least {columns}").format(
                                                       column=c, columns=", ".join(REQUIRED)))
              for c in REQUIRED if c not in header]
    if wrong:
        raise KhGenError(wrong)
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise KhGenError([Problem(Location(str(path), line, 1),
                                      _("CSV error: {error}").format(error=exc))]) from None
        where = Location(str(path), line, 1)
        line = reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if any(c.strip() for c in cells[len(header):]):
            problems.add(where, _("this row has {cells} cells, the header {columns}; check "
                                  "for a '{separator}' that should be inside quotes").format(
                                      cells=len(cells), columns=len(header),
                                      separator=separator))
            continue
        values = {name: Node(cell, where) for name, cell in zip(header, cells, strict=False)
                  if cell.strip()}
        yield Node(values, where, dict.fromkeys(values, where))


def _delimiter(header: str) -> str:
    """`;` when the header reads as more known columns with it than with `,`: spreadsheet
    programs set to a Vietnamese (or any comma-decimal) locale save CSV that way. Only the
    header decides, so a `;` inside a cell of a comma-separated file changes nothing."""
    def known(delimiter: str) -> int:
        cells = next(csv.reader([header], delimiter=delimiter), [])
        return sum(spellings.column(c) is not None for c in cells)

    return ";" if ";" in header and known(";") > known(",") else ","


def _yaml_rows(path: Path) -> list[Node]:
    root = load_yaml_file(path)
    if not root.is_list:
        raise KhGenError([Problem(root.location, _("expected a list of localities (lines "
                                                   "starting with '- locality: …')"))])
    return [_canonical_keys(row) for row in root.value]


def _canonical_keys(row: Node) -> Node:
    """A YAML row with its Vietnamese keys (`địa phương:`) under kh-gen's names (`locality`);
    a key kh-gen does not know is kept, for the reader to report with a suggestion."""
    if not row.is_mapping:
        return row
    values: dict[str, Node] = {}
    keys: dict[str, Location] = {}
    for key, where in row.key_locations.items():
        name = spellings.column(str(key)) or key
        if name in values:
            name = key  # given twice: the reader reports the Vietnamese one as unknown
        values[name] = row.value[key]
        keys[name] = where
    return Node(values, row.location, keys)


def _locality(r: Reader, node: Node, path: str, form: Form) -> Locality | None:
    m = r.mapping(node, path, required=REQUIRED, optional=OPTIONAL)
    if m is None:
        return None

    def text(key: str) -> str | None:
        return r.text(m.get(key), _join(path, key), required=key in REQUIRED)

    locality = text("locality")
    level = spellings.read_level(r, m.get("level"), _join(path, "level"))
    authority = spellings.read_authority(r, m.get("signer_authority"),
                                         _join(path, "signer_authority"))
    values = {key: text(key) for key in ("signer", "place", "issuer", "signer_title", "unit",
                                         "parent", "subunits", "province")}
    if locality is None or level is None or values["signer"] is None:
        return None
    prefix = next((u for u in _UNITS if locality.lower().startswith(u + " ")), None)
    unit = values["unit"] or prefix or (form.issuer.unit if level == form.issuer.level
                                        else None)
    place = values["place"] or (locality[len(prefix):].strip() if prefix else None)
    if unit is None:
        r.error(node.location, _("{key}: missing; the name '{locality}' does not start with "
                                 "its level (xã, phường, …): add a unit column").format(
                                     key=_join(path, "unit"), locality=locality))
    if place is None:
        r.error(node.location, _("{key}: missing; write the place name that goes before the "
                                 "date").format(key=_join(path, "place")))
    if unit is None or place is None:
        return None
    return Locality(node.location, locality, level, place, unit, values["signer"],
                    issuer=values["issuer"] or DEFAULT_ISSUER,
                    signer_title=values["signer_title"], signer_authority=authority,
                    parent=values["parent"], subunits=values["subunits"],
                    province=values["province"])


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


# -- re-targeting and building --------------------------------------------------------------

def retarget(form: Form, row: Locality) -> Form:
    """The form issued by the row's locality and signed by its signer, as an unnumbered,
    undated draft."""
    changes = {"locality": row.locality, "level": row.level, "unit": row.unit,
               "place": row.place, "name": row.issuer}
    changes.update({k: v for k, v in (("parent", row.parent), ("subunits", row.subunits),
                                      ("province", row.province)) if v is not None})
    signer = form.signer._replace(name=row.signer,
                                 title=row.signer_title or form.signer.title,
                                 authority=row.signer_authority or form.signer.authority)
    return form._replace(issuer=form.issuer._replace(**changes),
                               signer=signer, number=None, date=PlanDate(form.year))


def _draft(form: Form) -> Form:
    return form._replace(number=None, date=PlanDate(form.year))


def _rebased(job: _Job, row: Locality) -> Form:
    """The form re-targeted by `kh-gen rebase` (which also renames the old locality, level and
    agencies in free text), with the row's signer, as an undated draft."""
    from .rebase import Target, rebase_loaded

    assert job.form is not None and job.data is not None
    target = Target(locality=row.locality, level=row.level, issuer=row.issuer, place=row.place,
                    unit=row.unit, parent=row.parent, subunits=row.subunits,
                    province=row.province, signer=row.signer)
    rebased = rebase_loaded(job.form_path, job.form, job.data, target, job.sources)
    # read as `kh-gen rebase` would write it, without writing it
    copy = _REBASED / f"{slug(row.locality)}.yaml"
    form = read_form(Node.of_plain(rebased.data, str(copy)), copy)[0]
    signer = form.signer._replace(title=row.signer_title or form.signer.title,
                                 authority=row.signer_authority or form.signer.authority)
    return form._replace(signer=signer, number=None, date=PlanDate(form.year))


class _Job(NamedTuple):
    """What a worker needs: the form (loaded once per worker), where to write, what the base
    form already warned about, and whether to re-target each plan with rebase."""

    form_path: Path
    output_dir: Path
    sources: Sources
    strict: bool
    base_warnings: frozenset[tuple[str, str]]
    rebase: bool = False
    zip_on_thread: bool = True  # false when there is a worker for every processor
    force: bool = False  # replace existing files kh-gen did not write
    language: str | None = None  # the language of messages (None: the environment's)
    form: Form | None = None
    data: dict[str, Any] | None = None  # with rebase: the form's YAML as plain values


_job: _Job | None = None
# Where a re-targeted form is said to stand in messages: it is read back in memory, never written.
_REBASED = Path("<rebased>")


def _start_worker(job: _Job) -> None:
    """Pool initialiser: load the form once per worker (the catalogue and the compiled
    templates come loaded from the parent, or are loaded on the first plan)."""
    global _job
    i18n.use_language(job.language)  # a spawned worker does not inherit the parent's --lang
    _job = _loaded(job)


def _loaded(job: _Job) -> _Job:
    """The job with its form read (and, to re-target it with rebase, its plain values)."""
    form = load_form(job.form_path)[0]
    data = form_data(load_yaml_file(job.form_path)) if job.rebase else None
    return job._replace(form=form, data=data)


def _build_row(row: Locality) -> tuple[Outcome, tuple[Problem, ...], int]:
    """Build and write one row's plan; never raises for a user mistake."""
    job = _job
    assert job is not None, "worker not started"
    outcome, warnings = _build(job, row)
    return outcome, warnings, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _build(job: _Job, row: Locality) -> tuple[Outcome, tuple[Problem, ...]]:
    assert job.form is not None
    try:
        form = _rebased(job, row) if job.rebase else retarget(job.form, row)
        data, checked = build_loaded(form, (), "docx", job.sources, strict=job.strict,
                                     zip_on_thread=job.zip_on_thread)
        target = job.output_dir / row.file_name
        with replacing_allowed(job.force):
            write_atomically(target, data, hint="-o (another folder)")
    except KhGenError as exc:
        return Outcome(row.location, row.locality, None,
                       tuple(_at_row(job, row, p) for p in exc.problems
                             if p.is_error or job.strict)), ()
    warnings = tuple(_at_row(job, row, p) for p in checked.warnings
                     if (p.message, p.rule) not in job.base_warnings)
    return Outcome(row.location, row.locality, target), warnings


def _at_row(job: _Job, row: Locality, problem: Problem) -> Problem:
    """A problem of one re-targeted plan, reported at its row; where it stands in the form or
    the catalogue is kept in the message (not in a rebased copy, which is gone)."""
    where = problem.location
    inside = job.rebase and Path(where.path).parent == _REBASED
    if inside:
        message = f"{row.locality}: {problem.message}"
    else:
        message = _("{locality}: {message} (at {where})").format(
            locality=row.locality, message=problem.message, where=where)
    return Problem(row.location, message, problem.severity, problem.rule)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_batch(form_path: Path, localities_path: Path, output_dir: Path | None = None, *,
              jobs: int | None = None, sources: Sources | None = None, strict: bool = False,
              rebase: bool = True, force: bool = False,
              progress: Callable[[Outcome], None] | None = None,
              on_start: Callable[[int], None] | None = None) -> BatchReport:
    """Write one plan per locality into `output_dir` (default: a folder named after the form).

    Each plan is the form re-targeted to the row by `kh-gen rebase`, which also renames the
    old locality, level and agencies in free text, with the row's signer, number and date
    cleared. Without `rebase`, only the issuer and signer are replaced and the free text is
    kept as written: about twice as fast, for a form written for no locality in particular.

    The base form is checked first (as an undated draft): a mistake in it would be in every
    plan, so it stops the batch with KhGenError, as does a localities file that cannot be read.
    After that nothing stops the batch: each row is written or reported in the result (a
    row whose file cannot be written, or would replace a file kh-gen did not write without
    `force`, fails alone). The form and the list must be regular files: a FIFO or a device
    would block or never end, and the form is read once per worker.
    `on_start` is told how many plans will be built; `progress` hears of each as it ends.
    """
    started = time.perf_counter()
    sources = sources or Sources()
    form_path = Path(form_path)
    require_regular_file(form_path, "a form")
    require_regular_file(Path(localities_path), "a list of localities")
    form, form_warnings = load_form(form_path)
    base = check_loaded(_draft(form), form_warnings, sources, strict=strict)
    rows, row_problems = read_localities(Path(localities_path), form)
    target_dir = Path(output_dir) if output_dir is not None else default_output_dir(form_path)
    _make_dir(target_dir)
    base_keys = frozenset((p.message, p.rule) for p in base.warnings)
    jobs = max(1, min(jobs or default_jobs(), len(rows) or 1))
    if on_start is not None:
        on_start(len(rows))
    outcomes: list[Outcome] = []
    warnings: list[Problem] = list(base.warnings)
    peak = 0
    job = _Job(form_path, target_dir, sources, strict, base_keys, rebase,
               zip_on_thread=jobs < default_jobs(), force=force, language=i18n.language())
    for outcome, row_warnings, rss in _results(rows, job, jobs):
        outcomes.append(outcome)
        warnings.extend(row_warnings)
        peak = max(peak, rss)
        if progress is not None:
            progress(outcome)
    unread: dict[Location, list[Problem]] = {}
    for problem in row_problems:
        unread.setdefault(problem.location, []).append(problem)
    failed = [Outcome(where, "", None, tuple(found)) for where, found in unread.items()]
    failed += [o for o in outcomes if not o.ok]
    return BatchReport(
        output_dir=target_dir,
        written=tuple(sorted((o for o in outcomes if o.ok), key=lambda o: o.location)),
        failed=tuple(sorted(failed, key=lambda o: o.location)),
        warnings=tuple(warnings), jobs=jobs, seconds=time.perf_counter() - started,
        peak_rss_kb=peak)


def _results(rows: Sequence[Locality], job: _Job,
             jobs: int) -> Iterator[tuple[Outcome, tuple[Problem, ...], int]]:
    if jobs == 1:
        job = _loaded(job)
        for row in rows:
            outcome, warnings = _build(job, row)
            yield outcome, warnings, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return
    import multiprocessing

    chunk = max(1, min(16, len(rows) // (jobs * 8)))
    with multiprocessing.Pool(jobs, _start_worker,
                              (job,)) as pool:
        yield from pool.imap_unordered(_build_row, rows, chunksize=chunk)


def _make_dir(folder: Path) -> None:
    where = Location(str(folder))
    if folder.exists() and not folder.is_dir():
        raise KhGenError([Problem(where, _("is a file; give a folder for the plans with -o"))])
    if not folder.parent.is_dir():
        raise KhGenError([Problem(where, _("folder {folder} does not exist; create it or choose "
                                           "another output").format(folder=folder.parent))])
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise KhGenError([Problem(where, _("cannot be created: {reason}").format(
            reason=exc.strerror))]) from None
