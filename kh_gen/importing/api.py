"""`import_plan`: a plan kh-gen did not write (DOCX or text) → a form, with a report.

The steps, each its own module: read the file safely (`docx_reader`, `text_reader`, with
`legacy` for old encodings), recognise the plan's parts (`recognise` cuts the zones, with
`header`, `citations`; the body and any text appendix become the plan's own tree of sections
through `tree` and `sections`; task tables are read by `tasks`), link what the catalogue
already knows (`matching`), write the form (`form_writer`), then run kh-gen's own check on it
so the report says whether it builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..build import Sources, catalog_for, check_form, check_output, write_atomically
from ..errors import KhGenError, Location, Problem
from ..i18n import _
from ..userfile import read_at_most, require_regular_file
from .blocks import Block, Para, Source
from .docx_reader import read_docx, refuse_kind, sniff
from .draft import Draft
from .form_writer import form_text
from .matching import match_catalogue
from .recognise import Recogniser
from .report import Report
from .text_reader import read_text

DOCX_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm")


@dataclass(frozen=True)
class ImportResult:
    form: Path
    report: Report
    draft: Draft


def read_source(path: Path) -> Source:
    """The file's blocks, read as DOCX or as text according to what the file is."""
    path = Path(path)
    where = Location(str(path))
    if path.suffix.lower() in (".yaml", ".yml"):  # a clerk's form, given where a plan goes
        raise KhGenError([Problem(where, _("is a form (.yaml), not a plan to import; check or "
                                           "build it with kh-gen check or kh-gen build, or "
                                           "re-target it with kh-gen rebase"))])
    head = read_at_most(path, 4095, "a plan")
    kind = sniff(head)
    if kind == "docx" or path.suffix.lower() in DOCX_SUFFIXES:
        return read_docx(path)
    if kind != "text":
        raise refuse_kind(kind, where)
    if _binary(head):
        raise KhGenError([Problem(where, _("is not text (it holds binary data); import reads "
                                           "a DOCX or a plain-text copy of a plan"))])
    return read_text(path)


def _binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 11))
    return controls > max(8, len(head) // 20)


def _has_text(block: Block) -> bool:
    if isinstance(block, Para):
        return bool(block.text.strip())
    return any(line.strip() for row in block.rows for cell in row for line in cell.lines)


def default_output(path: Path) -> Path:
    return Path(path).with_suffix(".yaml")


def import_plan(path: Path, output: Path | None = None,
                sources: Sources | None = None) -> ImportResult:
    """Read a plan, write its form (to `output`, default: the plan's name with .yaml), return
    where it went and the report. KhGenError when the plan cannot be read or the form cannot be
    written; a form that kh-gen check does not accept is still written, its problems reported."""
    path = Path(path)
    sources = sources or Sources()
    require_regular_file(path, "a plan")  # a pipe could be read only once, a device forever
    target = Path(output) if output is not None else default_output(path)
    check_output(path, target, keep_existing=output is None)
    report = Report(str(path), str(target))
    source = read_source(path)
    if not any(_has_text(b) for b in source.blocks):
        raise KhGenError([Problem(Location(str(path)), _("holds no text; nothing to import"))])
    report.reading.extend(source.notes)
    draft = Recogniser(source, report).run()
    catalog = catalog_for(sources.catalog_dirs)
    placed = match_catalogue(draft, catalog, report)
    report.placed.extend(placed)
    comment = (f"Nhập từ {path.name} bằng kh-gen import. Đọc lại trước khi dùng: báo cáo của "
               f"lệnh import ghi\nnhững chỗ đã sửa số thứ tự, những đoạn chưa xếp được và "
               f"những chỗ phải kiểm tra.")
    write_atomically(target, form_text(draft, comment).encode("utf-8"))
    try:
        checked = check_form(target, sources)
    except KhGenError as exc:
        for problem in exc.problems:
            report.add(problem.location, "check", problem.message, problem.severity)
    else:
        for problem in checked.warnings:
            report.add(problem.location, "check", problem.message, problem.severity)
    return ImportResult(target, report, draft)
