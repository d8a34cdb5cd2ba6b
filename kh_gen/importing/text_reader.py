"""Plain text of a plan, as it comes out of a PDF, a web page or "Save as text", into blocks.

What such text carries besides the plan, and what is done about it:
- an unknown encoding: UTF-8 (with or without BOM) or UTF-16 with a BOM, else Windows-1252;
  then TCVN3 or VNI text is recognised and converted (`legacy`); everything is made NFC;
- stray markup from converters: markdown headings and emphasis (`## **…**`, `***Nơi nhận:***`),
  HTML tags (`<ul><li>`) and entities, escaped characters, rules (`-----`);
- page artefacts: page numbers on a line of their own, form feeds;
- the appendix table as tab-separated rows, or cells separated by ` | ` (kept as a table;
  the recogniser mends rows split by a page break).
Input is bounded: more than `MAX_BYTES` is refused before anything else is done.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from pathlib import Path

from ..errors import KhGenError, Location, Problem
from ..i18n import _, language, ngettext, number
from ..userfile import read_at_most
from . import legacy
from .blocks import Block, Cell, Para, Source, Table

MAX_BYTES = 1_000_000  # a plan's text is 10–100 KB; the form written from it must stay < 2 MB

_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,500})?/?>")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_BULLET = re.compile(r"^(\s*)[*]\s+(?=\S)")
_EMPHASIS = re.compile(r"\*{1,3}|(?<!_)__(?!_)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_RULE = re.compile(r"^\s*[-_=*—–.]{3,}\s*$")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–]\s*)?\d{1,3}(?:\s*[-–])?\s*$|^\s*(?:Trang|Page)\s+\d+"
                          r"(?:\s*/\s*\d+)?\s*$", re.IGNORECASE)
_NBSP = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")


def read_text(path: Path) -> Source:
    """Read a plan's text into blocks; KhGenError when it cannot be read or is too large."""
    raw = read_bounded(path, MAX_BYTES)
    text, notes = decode(raw, str(path))
    return text_source(text, str(path), notes)


def read_bounded(path: Path, limit: int) -> bytes:
    """At most `limit` bytes of the file, or a located refusal when it holds more."""
    where = Location(str(path))
    raw = read_at_most(path, limit, "a plan")
    if len(raw) > limit:
        raise KhGenError([Problem(where, _too_large(path, len(raw), limit))])
    return raw


def _too_large(path: Path, read: int, limit: int) -> str:
    """The refusal, with the size on disk, or "more than …" for a device (/dev/zero is 0 bytes
    on disk) or a pipe."""
    try:
        size = path.stat().st_size
    except (OSError, ValueError):
        size = 0
    if size >= read:
        message = _("is {size} MB of text; a plan is 10–100 KB and import reads at most "
                    "{limit} KB: is this the right file?")
    else:
        message = _("is more than {size} MB of text; a plan is 10–100 KB and import reads at "
                    "most {limit} KB: is this the right file?")
        size = read - 1
    return message.format(size=_megabytes(size), limit=limit // 1000)


def _megabytes(size: int) -> str:
    """A size in MB with one decimal, as the language writes it (50,0 in Vietnamese)."""
    text = f"{size / 1_000_000:.1f}"
    return text.replace(".", ",") if language() == "vi" else text


def decode(raw: bytes, name: str) -> tuple[str, list[str]]:
    """Bytes to NFC text, with notes on the encoding found."""
    notes: list[str] = []
    if raw.startswith(codecs.BOM_UTF8):
        text = raw[3:].decode("utf-8", errors="replace")
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.decode("utf-16", errors="replace")
        notes.append(_("read as UTF-16 text"))
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
            notes.append(_("not UTF-8: read as Windows-1252 text"))
    if "\ufffd" in text:
        notes.append(_("some bytes could not be decoded and were replaced by '\ufffd'"))
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        notes.append(_("decomposed (NFD) letters made NFC"))
    code = legacy.detect(nfc)
    if code:
        nfc = legacy.to_unicode(nfc, code)
        notes.append(legacy.converted_note(code))
    text = nfc
    return text, notes


def clean_line(line: str) -> tuple[str, bool]:
    """A line without markup, spaces made single (tabs kept); True when markup was removed."""
    line = _spaces(_CONTROL.sub("", _NBSP.sub(" ", line)))
    plain = line
    if "<" in line:
        line = _TAG.sub(" ", line)
    if "&" in line:
        line = html.unescape(line)
    line = _HEADING.sub("", line)
    line = _BULLET.sub(r"\1- ", line)
    if "*" in line or "__" in line:
        line = _EMPHASIS.sub("", line.replace("(*)", "\x00")).replace("\x00", "(*)")
    if "\\" in line:
        line = _ESCAPE.sub(r"\1", line)
    line = _spaces(line)
    return line, line != plain


def _cells(line: str) -> list[str]:
    """A table row's cells: tab-separated, or " | "-separated as exports of Word tables write
    them (two bars at least, so a stray bar in a sentence does not make a row)."""
    if "\t" in line:
        return line.split("\t")
    if line.count("|") >= 2 and (" | " in line or line.startswith("|")):
        return line.split("|")
    return [line]


def _spaces(line: str) -> str:
    return "\t".join(" ".join(cell.split()) for cell in line.split("\t"))


def text_source(text: str, name: str, notes: list[str] | None = None) -> Source:
    """Blocks from decoded text: one paragraph per line, tab-separated rows as tables."""
    notes = list(notes or [])
    for mark in ("\r\n", "\r", "\f", "\v", "\u2028", "\u2029"):
        text = text.replace(mark, "\n")
    lines = text.split("\n")
    blocks: list[Block] = []
    table: Table | None = None
    gap = False
    marked = dropped = 0
    for line_number, raw in enumerate(lines, 1):
        line, changed = clean_line(raw)
        marked += changed
        where = Location(name, line_number, 1)
        if not line.strip() or _RULE.match(line):
            gap = True
            continue
        cells = _cells(line)
        if len(cells) >= 3 or (table is not None and len(cells) >= 2):
            if table is None:
                table = Table([], where)
                blocks.append(table)
            table.rows.append([Cell([c.strip()] if c.strip() else []) for c in cells])
            table.row_where.append(where)
            gap = False
            continue
        if _PAGE_NUMBER.match(line):
            dropped += 1
            gap = True
            continue
        table = None
        blocks.append(Para(line.strip(), where, gap=gap))
        gap = False
    if marked:
        notes.append(ngettext("stray markup (markdown, HTML) removed on {count} line",
                              "stray markup (markdown, HTML) removed on {count} lines",
                              marked).format(count=number(marked)))
    if dropped:
        notes.append(ngettext("{count} page-number line left out",
                              "{count} page-number lines left out",
                              dropped).format(count=number(dropped)))
    return Source(name, blocks, "text", notes)
