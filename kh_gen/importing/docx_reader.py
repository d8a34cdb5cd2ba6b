"""A DOCX made in Word, read safely into blocks: paragraphs, tables, numbering, footnotes.

The file is someone else's, so it is treated as hostile until read: its first bytes decide what
it is (an encrypted or old Word file, a PDF and an RTF are named as such), the zip is opened
with limits on every member's size and compression ratio before anything is decompressed, each
read is capped whatever the header claims, and the XML goes through `safexml` (no DTD, no
entities, bounded depth).

What is taken from the document:
- paragraphs in reading order, including those in tables (a header or closing block laid out as
  a table is read cell by cell), in content controls and in text boxes; deleted revisions,
  hidden text and field codes are left out; manual line breaks are kept as "\\n";
- Word's automatic numbering: `numPr` on the paragraph or its style, resolved through
  numbering.xml to the level's format (`upperRoman` → a section, `decimal` → an item,
  `lowerLetter` → a point, a bullet `-`/`+` → a dash/plus);
- tables with their merged cells (`gridSpan`, `vMerge`), for the appendix;
- footnotes, each a `[^id]` marker where the text refers to it, its text in `footnotes`.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import Element

from ..errors import KhGenError, Location, Problem
from ..i18n import _, ngettext, number
from . import legacy
from .blocks import Block, Cell, Para, Source, Table
from .safexml import parse_xml

MAX_FILE = 50_000_000
MAX_PART = {"word/document.xml": 60_000_000}
MAX_OTHER_PART = 10_000_000
MAX_RATIO = 200  # XML compresses 5–20 times; a zip bomb thousands of times
MAX_TEXT = 1_000_000  # characters of text, as for a text file
_SPAN = re.compile(r"[0-9]{1,4}")  # ASCII digits: "²" passes str.isdigit() but not int()

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PARTS = ("word/document.xml", "word/numbering.xml", "word/styles.xml", "word/footnotes.xml")
_KINDS = {"upperRoman": "section", "decimal": "item", "decimalZero": "item",
          "lowerLetter": "point", "upperLetter": "point", "lowerRoman": "point"}


def sniff(head: bytes) -> str:
    """What the first bytes say a file is: docx, ole, pdf, rtf or text."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "docx"
    if head.startswith(OLE):
        return "ole"
    if head.lstrip().startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    return "text"


def refuse_kind(kind: str, where: Location) -> KhGenError:
    messages = {
        "ole": _("is a password-protected (encrypted) Word file or an old Word 97-2003 .doc "
                 "file; open it in Word, remove the password (File > Info > Protect Document) "
                 "and save it as .docx, then import that"),
        "pdf": _("is a PDF; kh-gen cannot read PDF: copy its text into a .txt file (or export "
                 "it as text or .docx) and import that"),
        "rtf": _("is an RTF file; open it in Word and save it as .docx, then import that"),
    }
    return KhGenError([Problem(where, messages[kind])])


def read_docx(path: Path) -> Source:
    """Read a DOCX into blocks; KhGenError with a clear message when it cannot be read."""
    where = Location(str(path))
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            head = stream.read(8)
    except FileNotFoundError:
        raise KhGenError([Problem(where, _("file not found; check the path"))]) from None
    except OSError as exc:
        raise KhGenError([Problem(where, _("cannot be read: {reason}").format(
            reason=exc.strerror))]) from None
    kind = sniff(head)
    if kind != "docx":
        if kind in ("ole", "pdf", "rtf"):
            raise refuse_kind(kind, where)
        raise KhGenError([Problem(where, _("is not a DOCX file (a DOCX is a zip archive, "
                                           "and this file is not one); if it is text, give it "
                                           "a .txt name"))])
    if size > MAX_FILE:
        raise KhGenError([Problem(where, _("is {size} MB; import reads DOCX files up to "
                                           "{limit} MB").format(
            size=number(round(size / 1e6)), limit=MAX_FILE // 1_000_000))])
    parts = _read_parts(path, where)
    return _Document(path, parts).source()


def _read_parts(path: Path, where: Location) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = {i.filename: i for i in archive.infolist()}
            if "word/document.xml" not in infos:
                message = _("has no word/document.xml, so it is not a Word document (it "
                            "looks like an OpenDocument file: save it as .docx)") \
                    if "content.xml" in infos else \
                    _("has no word/document.xml, so it is not a Word document")
                raise KhGenError([Problem(where, message)])
            out = {}
            for name in _PARTS:
                info = infos.get(name)
                if info is not None:
                    out[name] = _read_member(archive, info, where)
            return out
    except KhGenError:
        raise
    except zipfile.BadZipFile as exc:
        raise KhGenError([Problem(where, _("is damaged or incomplete ({reason}); open it in "
                                           "Word and save it again, or ask for a new copy")
                                  .format(reason=exc))]) from None
    except (zlib.error, EOFError, ValueError, OSError) as exc:
        raise KhGenError([Problem(where, _("is damaged: its zip data cannot be read "
                                           "({reason})").format(reason=exc))]) from None
    except NotImplementedError as exc:
        raise KhGenError([Problem(where, _("uses a zip feature kh-gen does not read "
                                           "({reason}); save it again from Word")
                                  .format(reason=exc))]) from None
    except RuntimeError as exc:  # zipfile's message for an encrypted member
        raise KhGenError([Problem(where, _("is encrypted ({reason}); remove the password in "
                                           "Word and save it again").format(reason=exc))]
                         ) from None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: Location) -> bytes:
    """A member's bytes, refused before decompression when its size or ratio is abnormal, and
    read with a cap whatever its header claims."""
    limit = MAX_PART.get(info.filename, MAX_OTHER_PART)
    name = f"{where.path} ({info.filename})"
    if info.flag_bits & 0x1:
        raise KhGenError([Problem(Location(name), _("is encrypted; remove the password in "
                                                    "Word and save the file again"))])
    if info.file_size > limit:
        raise KhGenError([Problem(Location(name), _(
            "would unpack to {size} bytes (more than {limit}); refused as a possible zip bomb")
            .format(size=number(info.file_size), limit=number(limit)))])
    ratio = info.file_size // max(info.compress_size, 1)
    if info.file_size > 1_000_000 and ratio > MAX_RATIO:
        raise KhGenError([Problem(Location(name), _(
            "is compressed {ratio} times; refused as a possible zip bomb")
            .format(ratio=number(ratio)))])
    with archive.open(info) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise KhGenError([Problem(Location(name), _(
            "unpacks to more than {limit} bytes; refused as a possible zip bomb")
            .format(limit=number(limit)))])
    return data


class _Document:
    def __init__(self, path: Path, parts: dict[str, bytes]):
        self.path = path
        self.name = str(path)
        self.trees = {name: parse_xml(data, f"{path} ({name})") for name, data in parts.items()}
        root = self.trees["word/document.xml"]
        self.ns = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
        self.numbering = self._numbering()
        self.styles = self._styles()
        self.headings = self._heading_styles()
        self.chars = 0
        self.footnotes = self._footnotes()
        self.count = 0
        self.blocks: list[Block] = []
        self.auto = 0
        self.footnotes_used = 0
        self.textboxes = 0

    def w(self, local: str) -> str:
        return f"{{{self.ns}}}{local}" if self.ns else local

    def attr(self, element: Element | None, local: str) -> str | None:
        if element is None:
            return None
        return element.get(self.w(local))

    # -- side parts ------------------------------------------------------------------------

    def _numbering(self) -> dict[tuple[str, str], tuple[str, str]]:
        """(numId, ilvl) → (numFmt, lvlText)."""
        tree = self.trees.get("word/numbering.xml")
        if tree is None:
            return {}
        abstract: dict[str, dict[str, tuple[str, str]]] = {}
        for node in tree.iter(self.w("abstractNum")):
            levels = {}
            for lvl in node.iter(self.w("lvl")):
                fmt = self.attr(lvl.find(self.w("numFmt")), "val") or ""
                text = self.attr(lvl.find(self.w("lvlText")), "val") or ""
                levels[self.attr(lvl, "ilvl") or "0"] = (fmt, text)
            abstract[self.attr(node, "abstractNumId") or ""] = levels
        out: dict[tuple[str, str], tuple[str, str]] = {}
        for num in tree.iter(self.w("num")):
            num_id = self.attr(num, "numId") or ""
            ref = self.attr(num.find(self.w("abstractNumId")), "val") or ""
            for ilvl, value in abstract.get(ref, {}).items():
                out[(num_id, ilvl)] = value
            for override in num.iter(self.w("lvlOverride")):
                lvl = override.find(self.w("lvl"))
                if lvl is not None:
                    fmt = self.attr(lvl.find(self.w("numFmt")), "val") or ""
                    text = self.attr(lvl.find(self.w("lvlText")), "val") or ""
                    out[(num_id, self.attr(override, "ilvl") or "0")] = (fmt, text)
        return out

    def _styles(self) -> dict[str, tuple[str | None, str | None, str | None]]:
        """style id → (numId, ilvl, basedOn)."""
        tree = self.trees.get("word/styles.xml")
        if tree is None:
            return {}
        out = {}
        for style in tree.iter(self.w("style")):
            ppr = style.find(self.w("pPr"))
            num = ppr.find(self.w("numPr")) if ppr is not None else None
            num_id = self.attr(num.find(self.w("numId")), "val") if num is not None else None
            ilvl = self.attr(num.find(self.w("ilvl")), "val") if num is not None else None
            based = self.attr(style.find(self.w("basedOn")), "val")
            out[self.attr(style, "styleId") or ""] = (num_id, ilvl, based)
        return out

    def _heading_styles(self) -> dict[str, str]:
        """style id → the level a built-in heading style stands for (Heading 1 → section)."""
        tree = self.trees.get("word/styles.xml")
        out: dict[str, str] = {}
        if tree is None:
            return out
        levels = {"heading 1": "section", "heading 2": "item", "heading 3": "point"}
        for style in tree.iter(self.w("style")):
            name = (self.attr(style.find(self.w("name")), "val") or "").casefold()
            if name in levels:
                out[self.attr(style, "styleId") or ""] = levels[name]
        return out

    def _footnotes(self) -> dict[str, str]:
        tree = self.trees.get("word/footnotes.xml")
        if tree is None:
            return {}
        out = {}
        for note in tree.iter(self.w("footnote")):
            if self.attr(note, "type") in ("separator", "continuationSeparator",
                                           "continuationNotice"):
                continue
            texts = [self._text(p)[0] for p in note.iter(self.w("p"))]
            for text in texts:
                self._count(text)
            out[self.attr(note, "id") or ""] = " ".join(t.strip() for t in texts if t.strip())
        return out

    # -- body ------------------------------------------------------------------------------

    def source(self) -> Source:
        body = self.trees["word/document.xml"].find(self.w("body"))
        if body is None:
            raise KhGenError([Problem(Location(f"{self.name} (word/document.xml)"),
                                      _("has no document body"))])
        self._container(body, self.blocks)
        notes = []
        code = legacy.detect("\n".join(_texts(self.blocks)))
        if code:
            _convert(self.blocks, code)
            notes.append(legacy.converted_note(code))
        if self.auto:
            notes.append(ngettext("Word automatic numbering on {count} paragraph read as a "
                                  "label", "Word automatic numbering on {count} paragraphs "
                                  "read as labels", self.auto).format(count=number(self.auto)))
        if self.footnotes_used:
            notes.append(ngettext("{count} footnote reference kept as a footnote",
                                  "{count} footnote references kept as footnotes",
                                  self.footnotes_used).format(count=number(self.footnotes_used)))
        if self.textboxes:
            notes.append(ngettext("text of {count} text box read in place",
                                  "text of {count} text boxes read in place",
                                  self.textboxes).format(count=number(self.textboxes)))
        return Source(self.name, self.blocks, "docx", notes, footnotes=self.footnotes)

    def _container(self, element: Element, out: list[Block]) -> None:
        for child in element:
            if child.tag == self.w("p"):
                self._paragraph(child, out)
            elif child.tag == self.w("tbl"):
                out.append(self._table(child))
            elif child.tag in (self.w("sdt"), self.w("sdtContent"), self.w("customXml")):
                self._container(child, out)

    def _where(self) -> Location:
        self.count += 1
        return Location(self.name, self.count, 1)

    def _paragraph(self, p: Element, out: list[Block]) -> None:
        text, notes, boxes = self._text(p)
        for box in boxes:
            self.textboxes += 1
            self._container(box, out)
        self._count(text)
        where = self._where()
        kind, fmt = self._auto_kind(p)
        if kind and fmt != "heading":
            self.auto += 1
        ppr = p.find(self.w("pPr"))
        jc = self.attr(ppr.find(self.w("jc")), "val") if ppr is not None else None
        bold, italic = self._emphasis(p)
        if text.strip() or kind:
            out.append(Para(text.strip(), where, kind=kind, auto_format=fmt,
                            centered=jc == "center", bold=bold, italic=italic))
        for note_id in notes:
            note = self.footnotes.get(note_id, "").strip()
            if note:
                self.footnotes_used += 1
                out.append(Para(note, self._where(), footnote=True))

    def _count(self, text: str) -> None:
        """Add a text's length to the document's, wherever it stands (paragraph, table cell,
        footnote): the import limit holds for the whole document."""
        self.chars += len(text)
        if self.chars > MAX_TEXT:
            raise KhGenError([Problem(Location(self.name), _(
                "holds more than {limit} characters of text; a plan holds 10–100 thousand")
                .format(limit=number(MAX_TEXT)))])

    def _text(self, p: Element) -> tuple[str, list[str], list[Element]]:
        parts: list[str] = []
        notes: list[str] = []
        boxes: list[Element] = []
        skip = {self.w(n) for n in ("pPr", "rPr", "delText", "instrText", "del", "moveFrom",
                                    "fldData")}
        skip.add("{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback")

        def walk(element: Element) -> None:
            for child in element:
                tag = child.tag
                if tag in skip:
                    continue
                if tag == self.w("r"):
                    rpr = child.find(self.w("rPr"))
                    if rpr is not None and _on(rpr.find(self.w("vanish")), self):
                        continue
                    walk(child)
                elif tag == self.w("t"):
                    parts.append(child.text or "")
                elif tag in (self.w("tab"), self.w("ptab")):
                    parts.append("\t")
                elif tag in (self.w("br"), self.w("cr")):
                    parts.append("\n")
                elif tag == self.w("noBreakHyphen"):
                    parts.append("-")
                elif tag == self.w("footnoteReference"):
                    note_id = self.attr(child, "id") or ""
                    if getattr(self, "footnotes", {}).get(note_id, "").strip():
                        self.footnotes_used += 1
                        parts.append(f"[^{note_id}]")  # the form's footnote marker
                elif tag == self.w("txbxContent"):
                    boxes.append(child)
                else:
                    walk(child)

        walk(p)
        return "".join(parts), notes, boxes

    def _emphasis(self, p: Element) -> tuple[bool, bool]:
        runs = [r for r in p.iter(self.w("r")) if "".join(t.text or "" for t in
                                                           r.iter(self.w("t"))).strip()]
        if not runs:
            return False, False

        def share(local: str) -> bool:
            marked = 0
            for run in runs:
                rpr = run.find(self.w("rPr"))
                if rpr is not None and _on(rpr.find(self.w(local)), self):
                    marked += 1
            return marked * 2 > len(runs)

        return share("b"), share("i")

    def _auto_kind(self, p: Element) -> tuple[str | None, str]:
        ppr = p.find(self.w("pPr"))
        num_id = ilvl = None
        if ppr is not None:
            num = ppr.find(self.w("numPr"))
            if num is not None:
                num_id = self.attr(num.find(self.w("numId")), "val")
                ilvl = self.attr(num.find(self.w("ilvl")), "val")
            if num_id is None:
                style = self.attr(ppr.find(self.w("pStyle")), "val")
                for _hop in range(10):  # a style's numbering may come from the style it is based on
                    if not style or style not in self.styles:
                        break
                    s_num, s_ilvl, based = self.styles[style]
                    if s_num is not None:
                        num_id, ilvl = s_num, ilvl or s_ilvl
                        break
                    style = based
        if not num_id or num_id == "0":
            style = self.attr(ppr.find(self.w("pStyle")), "val") if ppr is not None else None
            if style in self.headings:  # an unnumbered heading still gives the level
                return self.headings[style], "heading"
            return None, ""
        fmt, text = self.numbering.get((num_id, ilvl or "0"), ("", ""))
        if fmt == "bullet":
            symbol = text.strip()
            return ("plus" if symbol == "+" else "dash"), fmt
        if fmt == "none" or not fmt:
            return None, fmt
        return _KINDS.get(fmt, "item"), fmt

    def _table(self, tbl: Element) -> Table:
        where = Location(self.name, self.count + 1, 1)
        table = Table([], where)
        for tr in self._children(tbl, "tr"):
            row: list[Cell] = []
            table.row_where.append(Location(self.name, self.count + 1, 1))
            for tc in self._children(tr, "tc"):
                tcpr = tc.find(self.w("tcPr"))
                span = 1
                continued = False
                if tcpr is not None:
                    span_text = self.attr(tcpr.find(self.w("gridSpan")), "val")
                    span = int(span_text) if span_text and _SPAN.fullmatch(span_text) else 1
                    merge = tcpr.find(self.w("vMerge"))
                    continued = merge is not None and self.attr(merge, "val") in (None,
                                                                                  "continue")
                lines: list[str] = []
                self._cell_lines(tc, lines)
                row.append(Cell(lines, max(1, min(span, 64)), continued))
            table.rows.append(row)
        return table

    def _children(self, element: Element, local: str) -> list[Element]:
        """Direct children with this name, looking through content controls."""
        out = []
        for child in element:
            if child.tag == self.w(local):
                out.append(child)
            elif child.tag in (self.w("sdt"), self.w("sdtContent"), self.w("customXml")):
                out.extend(self._children(child, local))
        return out

    def _cell_lines(self, element: Element, lines: list[str]) -> None:
        for child in element:
            if child.tag == self.w("p"):
                self.count += 1
                text, notes, _boxes = self._text(child)
                self._count(text)
                kind, _format = self._auto_kind(child)
                if text.strip():
                    prefix = "- " if kind in ("dash", "plus") and not text.lstrip().startswith(
                        ("-", "+", "–")) else ""
                    lines.append(prefix + " ".join(text.split()))
                for note_id in notes:
                    note = self.footnotes.get(note_id, "")
                    if note:
                        self.footnotes_used += 1
                        lines.append(note)
            elif child.tag == self.w("tbl"):
                for tr in self._children(child, "tr"):
                    for tc in self._children(tr, "tc"):
                        self._cell_lines(tc, lines)
            elif child.tag in (self.w("sdt"), self.w("sdtContent"), self.w("customXml")):
                self._cell_lines(child, lines)


def _on(element: Element | None, doc: _Document) -> bool:
    """A toggle property (<w:b/>, <w:b w:val="0"/>) is on?"""
    if element is None:
        return False
    return doc.attr(element, "val") not in ("0", "false", "off")


def _texts(blocks: list[Block]) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block, Para):
            out.append(block.text)
        else:
            out.extend(line for row in block.rows for cell in row for line in cell.lines)
    return out


def _convert(blocks: list[Block], code: str) -> None:
    """Text typed in .VnTime or VNI-Times fonts, converted to Unicode in place."""
    for block in blocks:
        if isinstance(block, Para):
            block.text = legacy.to_unicode(block.text, code)
        else:
            for row in block.rows:
                for cell in row:
                    cell.lines = [legacy.to_unicode(line, code) for line in cell.lines]
