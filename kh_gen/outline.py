"""The outline: the plan as blocks and numbered paragraphs, ready for any writer.

Templates emit a small line-based markup, one `@role text` per line; `parse_outline` turns it
into an `Outline` and computes every numbering label (I. → 1. → a) → - → +) from position, so
writers only print and no label is ever typed or left to Word.
"""

from __future__ import annotations

from typing import NamedTuple

from .errors import KhGenError, Location, Problem
from .i18n import _
from .numbering import label

# Roles a body paragraph may have; the writers give each its layout.
# `entry` is a numbered list entry (1., not a heading); `subhead` a lettered heading (a)).
# (Sets: `parse_outline` asks each line's role whether it is in them.)
NUMBERED = frozenset(("section", "item", "point", "subhead", "entry"))
_LEVELS = ("section", "item", "point")
_LEVEL_OF = {"subhead": "point", "entry": "item"}
BODY_ROLES = NUMBERED | {"dash", "plus", "para", "cont", "basis", "closing"}
_BLOCK_ROLES = frozenset(("governing", "issuer", "number", "national", "motto", "dateline",
                          "doctype", "summary", "recipients-label", "recipient", "authority",
                          "signer"))
_APPENDIX_ROLES = frozenset(("appendix-heading", "appendix-title", "appendix-subtitle",
                             "appendix-ref"))
# Written in capitals whatever the template or form typed (Phụ lục II of the decree).
_UPPER_ROLES = frozenset(("section", "governing", "issuer", "national", "doctype", "authority",
                          "appendix-title"))


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
    """A table row: one tuple of lines per cell.

    `bold` sets a group's row (or a task made of parts) in bold; `span` makes its last cell
    span the remaining columns; `merged` lists the columns whose cell continues the one above
    (a task of several rows keeps one number and one name)."""

    cells: tuple[tuple[str, ...], ...]
    bold: bool = False
    span: bool = False
    merged: tuple[int, ...] = ()


class Table(NamedTuple):
    """A bordered table: header cells, then rows. `fields` names what each column holds
    (`name`, `lead` …, or "" for a table written as it stands), for the writer's widths."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    fields: tuple[str, ...] = ()


Block = Paragraph | Table


class Appendix(NamedTuple):
    heading: str
    title: str
    subtitle: str
    reference: str
    landscape: bool
    body: tuple[Block, ...]


class Outline(NamedTuple):
    header: Header
    doctype: str
    summary: tuple[str, ...]
    body: tuple[Block, ...]
    closing: Closing
    appendices: tuple[Appendix, ...] = ()
    footnotes: tuple[str, ...] = ()


class _Builder:
    """The outline being parsed: blocks, body and appendices so far, and the counters."""

    def __init__(self, name: str):
        self.name = name
        self.blocks: dict[str, list[str]] = {}
        self.body: list[Block] = []
        self.appendices: list[dict[str, object]] = []
        self.counters: dict[str, int] = dict.fromkeys(_LEVELS, 0)

    def number(self, role: str) -> str:
        """Count this paragraph at its level and restart the levels below it."""
        kind = _LEVEL_OF.get(role, role)
        self.counters[kind] += 1
        for below in _LEVELS[_LEVELS.index(kind) + 1:]:
            self.counters[below] = 0
        return label(kind, self.counters[kind])


def parse_outline(markup: str, name: str, tables: dict[str, Table],
                  footnotes: tuple[str, ...] = ()) -> Outline:
    """Parse template output; `tables` holds the tables `@table NAME` lines stand for."""
    b = _Builder(name)
    body = b.body
    for number, line in enumerate(markup.splitlines(), 1):
        if not line.strip():
            continue
        role, _space, text = line.strip().partition(" ")
        if not role.startswith("@"):
            raise _error(name, number, _("template output: line does not start with a role "
                                         "(@para, @item, …): '{line}'").format(line=line[:40]))
        role = role[1:]
        text = text.strip()
        if role in _UPPER_ROLES:
            text = text.upper()
        if role in BODY_ROLES:
            if not text:
                continue
            tag = b.number(role) if role in NUMBERED else label(role, 0)
            body.append(Paragraph(role, text, tag))
        elif role == "table":
            if text not in tables:
                raise _error(name, number, _("template output: @table names no table: "
                                             "'{table}'").format(table=text[:40]))
            body.append(tables[text])
        elif role == "appendix":
            body = []
            b.counters = dict.fromkeys(_LEVELS, 0)  # an appendix numbers its own outline
            b.appendices.append({"landscape": text != "portrait", "body": body})
        elif role in _APPENDIX_ROLES:
            if not b.appendices:
                raise _error(name, number, _("template output: @{role} must follow an "
                                             "@appendix line").format(role=role))
            b.appendices[-1][role] = text
        elif role in _BLOCK_ROLES:
            b.blocks.setdefault(role, []).append(text)
        else:
            raise _error(name, number, _("template output: unknown role '@{role}'").format(
                role=role))

    def one(role: str) -> str:
        return " ".join(b.blocks.get(role, []))

    header = Header(tuple(b.blocks.get("governing", [])), tuple(b.blocks.get("issuer", [])),
                    one("number"), one("national"), one("motto"), one("dateline"))
    closing = Closing(one("recipients-label"), tuple(b.blocks.get("recipient", [])),
                      tuple(b.blocks.get("authority", [])), one("signer"))
    appendices = tuple(
        Appendix(str(a.get("appendix-heading", "")), str(a.get("appendix-title", "")),
                 str(a.get("appendix-subtitle", "")), str(a.get("appendix-ref", "")),
                 bool(a["landscape"]), tuple(a["body"]))  # type: ignore[call-overload]
        for a in b.appendices)
    return Outline(header, one("doctype"), tuple(b.blocks.get("summary", [])), tuple(b.body),
                   closing, appendices, footnotes)


def _error(name: str, line: int, message: str) -> KhGenError:
    return KhGenError([Problem(Location(name, line, 1), message)])
