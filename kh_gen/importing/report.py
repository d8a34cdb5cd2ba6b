"""The import report: what went where, what could not be classified, which slips were corrected.

Located lines read like the problems kh-gen prints elsewhere (`FILE:LINE:COL: what: message`),
so an editor can jump to them; for a DOCX the "line" is the paragraph's number in the document.

A note keeps its kind (and, for kh-gen check's findings, the severity) as data: code compares
those, never the words shown, which are in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import SEVERITY_WORDS, Location
from ..i18n import N_, _, ngettext

# the kinds of note as shown; the words are translated, the kinds compared in code are not
KIND_WORDS = {"slip": N_("slip"), "mended": N_("mended"), "unclassified": N_("unclassified"),
              "left-out": N_("left-out"), "guess": N_("guess"), "check": N_("check")}


@dataclass(frozen=True)
class Note:
    where: Location | None
    kind: str  # slip | mended | unclassified | left-out | guess | check
    message: str
    severity: str = ""  # of a "check" note: error | warning, as kh-gen check found it

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        kind = _(KIND_WORDS.get(self.kind, self.kind))
        if self.severity:
            severity = _(SEVERITY_WORDS.get(self.severity, self.severity))
            return f"{where}{kind}: {severity}: {self.message}"
        return f"{where}{kind}: {self.message}"


def _section_titles() -> tuple[tuple[str, Callable[[int], str]], ...]:
    """Each kind of note with the title of its part of the report, for a count of notes."""
    return (
        ("slip", lambda n: ngettext("numbering slips corrected: {count}",
                                    "numbering slips corrected: {count}", n) if n else
         _("numbering slips corrected: none")),
        ("mended", lambda n: ngettext(
            "text mended (paragraphs and rows broken by a page joined): {count}",
            "text mended (paragraphs and rows broken by a page joined): {count}", n) if n else
         _("text mended (paragraphs and rows broken by a page joined): none")),
        ("unclassified", lambda n: ngettext("not classified, kept as free text: {count}",
                                            "not classified, kept as free text: {count}", n)
         if n else _("not classified, kept as free text: none")),
        ("left-out", lambda n: ngettext("left out (kh-gen writes these itself): {count}",
                                        "left out (kh-gen writes these itself): {count}", n)
         if n else _("left out (kh-gen writes these itself): none")),
        ("guess", lambda n: ngettext("guessed, check these: {count}",
                                     "guessed, check these: {count}", n) if n else
         _("guessed, check these: none")),
        ("check", lambda n: ngettext("kh-gen check on the written form: {count}",
                                     "kh-gen check on the written form: {count}", n) if n else
         _("kh-gen check on the written form: none")),
    )


@dataclass
class Report:
    source: str
    output: str = ""
    reading: list[str] = field(default_factory=list)  # how the file was read
    placed: list[tuple[str, str]] = field(default_factory=list)  # part → what went there
    notes: list[Note] = field(default_factory=list)

    def add(self, where: Location | None, kind: str, message: str, severity: str = "") -> None:
        self.notes.append(Note(where, kind, message, severity))

    def of_kind(self, kind: str) -> list[Note]:
        return [n for n in self.notes if n.kind == kind]

    @property
    def check_failed(self) -> bool:
        """kh-gen check found errors in the written form (warnings alone do not count)."""
        return any(n.severity == "error" for n in self.of_kind("check"))

    def lines(self) -> list[str]:
        out = [_("{source}: imported into {output}").format(source=self.source,
                                                            output=self.output)
               if self.output else _("{source}: imported").format(source=self.source)]
        out += ["  " + _("read: {what}").format(what=line) for line in self.reading]
        width = max((len(part) for part, _what in self.placed), default=0)
        out += [f"  {part + ':':<{width + 1}} {what}" for part, what in self.placed]
        for kind, title in _section_titles():
            notes = self.of_kind(kind)
            out.append(title(len(notes)).format(count=len(notes)))
            out += [f"  {note}" for note in notes]
        return out
