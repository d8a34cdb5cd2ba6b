"""What a reader hands the recogniser: the document as paragraphs and tables, in reading order.

Both readers (DOCX and text) produce the same blocks, so the recognition of a plan's parts does
not care where the text came from. A paragraph keeps where it stands in the source (for the
report) and what the source said about it beyond its text: Word's automatic numbering, a blank
line before it, centring, emphasis.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Location


@dataclass
class Para:
    """One paragraph; `text` may hold "\\n" where Word had a manual line break."""

    text: str
    where: Location
    kind: str | None = None  # from Word's automatic numbering: section item point dash plus
    auto_format: str = ""  # that numbering's format (lowerLetter, decimal …)
    gap: bool = False  # a blank line before it (text input)
    centered: bool = False
    bold: bool = False
    italic: bool = False
    in_table: bool = False
    footnote: bool = False


@dataclass
class Cell:
    lines: list[str]
    span: int = 1  # columns this cell covers
    continued: bool = False  # the lower part of a vertically merged cell (Word's vMerge)


@dataclass
class Table:
    rows: list[list[Cell]]
    where: Location
    row_where: list[Location] = field(default_factory=list)


Block = Para | Table


@dataclass
class Source:
    """A read document: its blocks and what reading it involved (for the report)."""

    path: str
    blocks: list[Block]
    kind: str  # "docx" or "text"
    notes: list[str] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)  # id → text, for `[^id]` markers
