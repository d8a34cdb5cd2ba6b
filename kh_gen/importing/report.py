"""The import report: what went where, what could not be classified, which slips were corrected.

Located lines read like the problems kh-gen prints elsewhere (`FILE:LINE:COL: what: message`),
so an editor can jump to them; for a DOCX the "line" is the paragraph's number in the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Location


@dataclass(frozen=True)
class Note:
    where: Location | None
    kind: str  # slip | mended | unclassified | left-out | guess | check
    message: str

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        return f"{where}{self.kind}: {self.message}"


@dataclass
class Report:
    source: str
    output: str = ""
    reading: list[str] = field(default_factory=list)  # how the file was read
    placed: list[tuple[str, str]] = field(default_factory=list)  # part → what went there
    notes: list[Note] = field(default_factory=list)

    def add(self, where: Location | None, kind: str, message: str) -> None:
        self.notes.append(Note(where, kind, message))

    def of_kind(self, kind: str) -> list[Note]:
        return [n for n in self.notes if n.kind == kind]

    def lines(self) -> list[str]:
        out = [f"{self.source}: imported into {self.output}" if self.output else
               f"{self.source}: imported"]
        out += [f"  read: {line}" for line in self.reading]
        width = max((len(part) for part, _ in self.placed), default=0)
        out += [f"  {part + ':':<{width + 1}} {what}" for part, what in self.placed]
        sections = (("slip", "numbering slips corrected"),
                    ("mended", "text mended (paragraphs and rows broken by a page joined)"),
                    ("unclassified", "not classified, kept as free text"),
                    ("left-out", "left out (kh-gen writes these itself)"),
                    ("guess", "guessed, check these"),
                    ("check", "kh-gen check on the written form"))
        for kind, title in sections:
            notes = self.of_kind(kind)
            out.append(f"{title}: {len(notes) if notes else 'none'}")
            out += [f"  {note}" for note in notes]
        return out
