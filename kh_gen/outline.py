"""The outline: the plan as blocks and numbered paragraphs, ready for any writer.

Templates emit a small line-based markup, one `@role text` per line; `parse_outline` turns it
into an `Outline` and computes every numbering label (I. → 1. → a) → - → +) from position, so
writers only print and no label is ever typed or left to Word.
"""

from __future__ import annotations

from typing import NamedTuple

from .errors import KhGenError, Location, Problem
from .numbering import label

# Roles a body paragraph may have; the writers give each its layout.
NUMBERED = ("section", "item", "point", "subhead")
_LEVELS = ("section", "item", "point")
BODY_ROLES = (*NUMBERED, "dash", "plus", "para", "cont", "basis", "closing")
_BLOCK_ROLES = ("governing", "issuer", "number", "national", "motto", "dateline", "doctype",
                "summary", "recipients-label", "recipient", "authority", "signer",
                "appendix", "appendix-heading", "appendix-title", "appendix-ref", "column",
                "task-table")
# Written in capitals whatever the template or form typed (Phụ lục II of the decree).
_UPPER_ROLES = ("section", "governing", "issuer", "national", "doctype", "authority")


class Paragraph(NamedTuple):
    role: str
    text: str
    label: str = ""

    @property
    def full_text(self) -> str:
        return f"{self.label} {self.text}" if self.label else self.text


class Header(NamedTuple):
    governing: tuple[str, ...]
    issuer: tuple[str, ...]
    number: str
    national: str
    motto: str
    dateline: str


class Closing(NamedTuple):
    label: str
    recipients: tuple[str, ...]
    authority: tuple[str, ...]
    signer: str

    def recipient_lines(self) -> tuple[str, ...]:
        """`- UBND tỉnh;` … `- Lưu: VT.`: a dash first, `;` after each, `.` after the last."""
        last = len(self.recipients) - 1
        return tuple(f"- {line.rstrip(' ;.,')}{'.' if i == last else ';'}"
                     for i, line in enumerate(self.recipients))


class Row(NamedTuple):
    """An appendix table row: one tuple of lines per cell; a group row spans the columns."""

    cells: tuple[tuple[str, ...], ...]
    group: bool = False


class Appendix(NamedTuple):
    heading: str
    title: str
    reference: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


class Outline(NamedTuple):
    header: Header
    doctype: str
    summary: tuple[str, ...]
    body: tuple[Paragraph, ...]
    closing: Closing
    appendices: tuple[Appendix, ...] = ()


class _Builder:
    """The outline being parsed: blocks, body and appendices so far, and the counters."""

    def __init__(self, name: str):
        self.name = name
        self.blocks: dict[str, list[str]] = {}
        self.body: list[Paragraph] = []
        self.appendices: list[dict[str, object]] = []
        self.counters: dict[str, int] = dict.fromkeys(_LEVELS, 0)

    def number(self, role: str) -> str:
        """Count this paragraph at its level and restart the levels below it."""
        kind = "point" if role == "subhead" else role  # a sub-heading is a lettered point
        self.counters[kind] += 1
        for below in _LEVELS[_LEVELS.index(kind) + 1:]:
            self.counters[below] = 0
        return label(kind, self.counters[kind])


def parse_outline(markup: str, name: str, tables: dict[str, tuple[Row, ...]]) -> Outline:
    """Parse template output; `tables` holds the rows a `@task-table` line stands for."""
    b = _Builder(name)
    for number, line in enumerate(markup.splitlines(), 1):
        if not line.strip():
            continue
        role, _, text = line.strip().partition(" ")
        if not role.startswith("@"):
            raise _error(name, number, f"line does not start with a role (@para, @item, …): "
                                       f"'{line[:40]}'")
        role = role[1:]
        text = text.strip()
        if role in _UPPER_ROLES:
            text = text.upper()
        if role in BODY_ROLES:
            if not text:
                continue
            tag = b.number(role) if role in NUMBERED else label(role, 0)
            b.body.append(Paragraph(role, text, tag))
        elif role == "appendix":
            b.appendices.append({"columns": [], "rows": ()})
        elif role in ("appendix-heading", "appendix-title", "appendix-ref", "column",
                      "task-table"):
            if not b.appendices:
                raise _error(name, number, f"@{role} must follow an @appendix line")
            current = b.appendices[-1]
            if role == "column":
                current["columns"].append(text)  # type: ignore[union-attr]
            elif role == "task-table":
                current["rows"] = tables.get(text, ())
            else:
                current[role] = text
        elif role in _BLOCK_ROLES:
            b.blocks.setdefault(role, []).append(text)
        else:
            raise _error(name, number, f"unknown role '@{role}'")

    def one(role: str) -> str:
        return " ".join(b.blocks.get(role, []))

    header = Header(tuple(b.blocks.get("governing", [])), tuple(b.blocks.get("issuer", [])),
                    one("number"), one("national"), one("motto"), one("dateline"))
    closing = Closing(one("recipients-label"), tuple(b.blocks.get("recipient", [])),
                      tuple(b.blocks.get("authority", [])), one("signer"))
    appendices = tuple(
        Appendix(str(a.get("appendix-heading", "")), str(a.get("appendix-title", "")),
                 str(a.get("appendix-ref", "")), tuple(a["columns"]),  # type: ignore[arg-type]
                 a["rows"])  # type: ignore[arg-type]
        for a in b.appendices)
    return Outline(header, one("doctype"), tuple(b.blocks.get("summary", [])), tuple(b.body),
                   closing, appendices)


def _error(name: str, line: int, message: str) -> KhGenError:
    return KhGenError([Problem(Location(name, line, 1), f"template output: {message}")])
