"""WordprocessingML building blocks: paragraphs, runs, tables and the package around them.

The only module that knows XML. Elements are written as strings with every text escaped, so
output is fast and identical from run to run; the DOCX writer composes these blocks and owns the
layout decisions. Units: twips (1/20 pt) for lengths, half-points for font sizes.
"""

from __future__ import annotations

import math
import re
import struct
import zlib
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

FONT = "Times New Roman"
MM = 1440 / 25.4  # twips per millimetre

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def twips(mm: float) -> int:
    """Whole twips, rounded up so a margin is never a hair short of its minimum."""
    return math.ceil(mm * MM - 1e-9)


def escape(text: str) -> str:
    """Text as XML character data: characters XML 1.0 cannot hold dropped, markup escaped.

    Most texts need neither: `isprintable` and `in` (single C scans) rule that out several
    times faster than a regular expression search and a chain of `str.replace`.
    """
    if not text.isprintable() and _NOT_XML.search(text):
        text = _NOT_XML.sub("", text)
    for char, entity in _ENTITIES:
        if char in text:
            text = text.replace(char, entity)
    return text


_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"))  # & first


_RUN_FONTS = (f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" '
              f'w:eastAsia="{FONT}"/>')


def run(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> str:
    """A run with the font named for every script slot, so Vietnamese never falls back."""
    return f'{_run_start(size_pt, bold, italic)}{escape(text)}</w:t></w:r>'


@lru_cache(maxsize=64)
def _run_start(size_pt: float, bold: bool, italic: bool) -> str:
    """A run's opening up to its text: a handful of variants, each built once per process."""
    half = round(size_pt * 2)
    props = [_RUN_FONTS]
    if bold:
        props.append("<w:b/><w:bCs/>")
    if italic:
        props.append("<w:i/><w:iCs/>")
    props.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    return f'<w:r><w:rPr>{"".join(props)}</w:rPr><w:t xml:space="preserve">'


def footnote_reference(number: int, size_pt: float) -> str:
    """The superscript mark in the text that refers to footnote `number`."""
    half = round(size_pt * 2)
    return (f'<w:r><w:rPr>{_RUN_FONTS}<w:vertAlign w:val="superscript"/><w:sz w:val="{half}"/>'
            f'<w:szCs w:val="{half}"/></w:rPr><w:footnoteReference w:id="{number}"/></w:r>')


def footnotes_xml(texts: Sequence[str], size_pt: float) -> str:
    """The footnotes part: Word's two separators, then each note numbered from 1."""
    half = round(size_pt * 2)
    props = f'<w:rPr>{_RUN_FONTS}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'
    notes = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
        'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
        'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/>'
        '</w:r></w:p></w:footnote>']
    for number, text in enumerate(texts, 1):
        mark = (f'<w:r><w:rPr>{_RUN_FONTS}<w:vertAlign w:val="superscript"/>'
                f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr><w:footnoteRef/></w:r>')
        notes.append(f'<w:footnote w:id="{number}"><w:p><w:pPr><w:spacing w:after="0" '
                     f'w:line="240" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr>{mark}'
                     f'<w:r>{props}<w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p>'
                     f'</w:footnote>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:footnotes xmlns:w="{_W}" xmlns:r="{_R}">{"".join(notes)}</w:footnotes>')


def field_run(instruction: str, size_pt: float) -> str:
    """A simple field (e.g. PAGE) whose result Word and LibreOffice compute."""
    half = round(size_pt * 2)
    rpr = f'<w:rPr>{_RUN_FONTS}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'
    return (f'<w:fldSimple w:instr=" {instruction} "><w:r>{rpr}<w:t>1</w:t></w:r>'
            f'</w:fldSimple>')


class ParagraphFormat(NamedTuple):
    align: str = "both"  # left, center, right, both (justified)
    first_line: int = 0
    left: int = 0
    right: int = 0
    before: int = 0
    after: int = 0
    line: int = 240  # 240 = single, in 240ths of a line
    keep_next: bool = False
    keep_lines: bool = False
    outline_level: int | None = None
    rule_below: bool = False  # a solid bottom border across the paragraph's width
    size_pt: float | None = None  # the paragraph mark's size (matters for empty paragraphs)


def paragraph(runs: Iterable[str], fmt: ParagraphFormat, section: str = "") -> str:
    return f"<w:p><w:pPr>{_paragraph_props(fmt)}{section}</w:pPr>{''.join(runs)}</w:p>"


@lru_cache(maxsize=256)
def text_paragraph_start(fmt: ParagraphFormat, size_pt: float, *, bold: bool = False,
                         italic: bool = False) -> str:
    """A one-run paragraph up to its text, to be followed by the escaped text and
    TEXT_PARAGRAPH_END: most paragraphs of a plan are one run in one of a dozen looks, so the
    markup around their text is built once per look, not once per paragraph."""
    return f"<w:p><w:pPr>{_paragraph_props(fmt)}</w:pPr>{_run_start(size_pt, bold, italic)}"


TEXT_PARAGRAPH_END = "</w:t></w:r></w:p>"


@lru_cache(maxsize=256)
def _paragraph_props(fmt: ParagraphFormat) -> str:
    """The inside of `<w:pPr>` for a format; a plan uses a few dozen formats, built once."""
    props = []
    if fmt.keep_next:
        props.append("<w:keepNext/>")
    if fmt.keep_lines:
        props.append("<w:keepLines/>")
    if fmt.rule_below:
        props.append('<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" '
                     'w:color="000000"/></w:pBdr>')
    props.append(f'<w:spacing w:before="{fmt.before}" w:after="{fmt.after}" '
                 f'w:line="{fmt.line}" w:lineRule="auto"/>')
    ind = [f'w:left="{fmt.left}"', f'w:right="{fmt.right}"']
    if fmt.first_line:
        ind.append(f'w:firstLine="{fmt.first_line}"')
    props.append(f"<w:ind {' '.join(ind)}/>")
    props.append(f'<w:jc w:val="{fmt.align}"/>')
    if fmt.outline_level is not None:
        props.append(f'<w:outlineLvl w:val="{fmt.outline_level}"/>')
    if fmt.size_pt is not None:
        half = round(fmt.size_pt * 2)
        props.append(f'<w:rPr>{_RUN_FONTS}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
                     f'</w:rPr>')
    return "".join(props)


class Cell(NamedTuple):
    """A table cell: its paragraphs (XML), width, how many columns it spans, whether it
    starts ("restart") or continues ("continue") a vertical merge, and its vertical alignment."""

    paragraphs: Sequence[str]
    width: int
    span: int = 1
    merge: str = ""
    valign: str = ""


def table(rows: Sequence[tuple[Sequence[Cell], bool]], widths: Sequence[int], *,
          borders: bool, header_rows: int = 0, cell_margin: int = 0,
          keep_rows_whole: bool = True) -> str:
    """A fixed-layout table; `rows` pairs the cells with whether the row may not split."""
    total = sum(widths)
    edge = "single" if borders else "nil"
    sides = "".join(f'<w:{s} w:val="{edge}"' + (' w:sz="4" w:space="0" w:color="000000"/>'
                                                  if borders else "/>")
                    for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    props = (f'<w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
             f'<w:tblBorders>{sides}</w:tblBorders><w:tblLayout w:type="fixed"/>'
             f'<w:tblCellMar><w:left w:w="{cell_margin}" w:type="dxa"/>'
             f'<w:right w:w="{cell_margin}" w:type="dxa"/></w:tblCellMar>'
             f'<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
             f'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>')
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [f"<w:tbl>{props}<w:tblGrid>{grid}</w:tblGrid>"]
    for index, (cells, whole) in enumerate(rows):
        trpr = []
        if whole and keep_rows_whole:
            trpr.append("<w:cantSplit/>")
        if index < header_rows:
            trpr.append("<w:tblHeader/>")
        out.append(f"<w:tr><w:trPr>{''.join(trpr)}</w:trPr>" if trpr else "<w:tr>")
        for cell in cells:
            span = f'<w:gridSpan w:val="{cell.span}"/>' if cell.span > 1 else ""
            if cell.merge:
                span += '<w:vMerge w:val="restart"/>' if cell.merge == "restart" \
                    else "<w:vMerge/>"
            if cell.valign:
                span += f'<w:vAlign w:val="{cell.valign}"/>'
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{cell.width}" w:type="dxa"/>{span}'
                       f"</w:tcPr>{''.join(cell.paragraphs)}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


class PageSetup(NamedTuple):
    width: int
    height: int
    top: int
    bottom: int
    left: int
    right: int
    landscape: bool = False
    restart_numbering: bool = False

    @property
    def text_width(self) -> int:
        return self.width - self.left - self.right


def section_properties(page: PageSetup) -> str:
    """Page size, margins, and page numbers in the header from the section's second page."""
    orient = ' w:orient="landscape"' if page.landscape else ""
    restart = '<w:pgNumType w:start="1"/>' if page.restart_numbering else "<w:pgNumType/>"
    return (f'<w:sectPr><w:headerReference w:type="default" r:id="rIdHeaderNumber"/>'
            f'<w:headerReference w:type="first" r:id="rIdHeaderFirst"/>'
            f'<w:pgSz w:w="{page.width}" w:h="{page.height}"{orient}/>'
            f'<w:pgMar w:top="{page.top}" w:right="{page.right}" w:bottom="{page.bottom}" '
            f'w:left="{page.left}" w:header="567" w:footer="567" w:gutter="0"/>'
            f"{restart}<w:titlePg/></w:sectPr>")


def _document(body: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>{body}</w:body></w:document>')


def _header(paragraph_xml: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:hdr xmlns:w="{_W}" xmlns:r="{_R}">{paragraph_xml}</w:hdr>')


def _styles(size_pt: float) -> str:
    half = round(size_pt * 2)
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:styles xmlns:w="{_W}"><w:docDefaults><w:rPrDefault><w:rPr>{_RUN_FONTS}'
        f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
        f'<w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        f'<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        f'</w:pPr></w:pPrDefault></w:docDefaults>'
        f'<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        f'<w:qFormat/></w:style>'
        f'<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        f'<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        f'</w:style>'
        f'<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        f'<w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
        f'</w:tblPr></w:style></w:styles>')


_SETTINGS = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:settings xmlns:w="{_W}"><w:defaultTabStop w:val="720"/>'
    f'<w:characterSpacingControl w:val="doNotCompress"/><w:compat>'
    f'<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/'
    f'word" w:val="15"/></w:compat></w:settings>')

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.header+xml"/>'
    '<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.header+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
    'package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.extended-properties+xml"/></Types>')

_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/></Relationships>')

_DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rIdHeaderNumber" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/header" Target="header1.xml"/>'
    '<Relationship Id="rIdHeaderFirst" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/header" Target="header2.xml"/></Relationships>')

_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
    'properties"><Application>kh-gen</Application></Properties>')


def _core(title: str, timestamp: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://'
        'purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>kh-gen</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{timestamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{timestamp}</dcterms:modified>'
        "</cp:coreProperties>")


# Every zip entry gets this time: the same input gives the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


_FOOTNOTE_TYPE = ('<Override PartName="/word/footnotes.xml" ContentType="application/vnd.'
                  'openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>')
_FOOTNOTE_REL = ('<Relationship Id="rIdFootnotes" Type="http://schemas.openxmlformats.org/'
                 'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>')
_FOOTNOTE_SETTINGS = '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'


def package_files(body: str, header_xml: str, *, title: str, timestamp: str,
                  size_pt: float, footnotes: str = "") -> list[tuple[str, bytes]]:
    """The files of the .docx package, encoded, in a fixed order and with nothing random in
    them: what `zip_archive` makes the .docx of (with fixed timestamps). `footnotes` is the
    footnotes part, when the plan has any."""
    types, rels, settings = _CONTENT_TYPES, _DOCUMENT_RELS, _SETTINGS
    if footnotes:
        types = types.replace("</Types>", f"{_FOOTNOTE_TYPE}</Types>")
        rels = rels.replace("</Relationships>", f"{_FOOTNOTE_REL}</Relationships>")
        settings = settings.replace("<w:compat>", f"{_FOOTNOTE_SETTINGS}<w:compat>")
    parts = [
        ("[Content_Types].xml", types),
        ("_rels/.rels", _PACKAGE_RELS),
        ("docProps/core.xml", _core(title, timestamp)),
        ("docProps/app.xml", _APP),
        ("word/document.xml", _document(body)),
        ("word/_rels/document.xml.rels", rels),
        ("word/styles.xml", _styles(size_pt)),
        ("word/settings.xml", settings),
        ("word/header1.xml", _header(header_xml)),
        ("word/header2.xml", _header(paragraph((), ParagraphFormat()))),
    ]
    if footnotes:
        parts.append(("word/footnotes.xml", footnotes))
    return [(name, xml.encode("utf-8")) for name, xml in parts]


# The zip records, as the zip format (APPNOTE) lays them out: local file header, central
# directory entry, end of central directory.
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_DOS_TIME = ZIP_TIME[3] << 11 | ZIP_TIME[4] << 5 | ZIP_TIME[5] // 2
_DOS_DATE = (ZIP_TIME[0] - 1980) << 9 | ZIP_TIME[1] << 5 | ZIP_TIME[2]
_DEFLATED, _VERSION, _UNIX, _MODE = 8, 20, 3, 0o644 << 16


def deflate(data: bytes) -> bytes:
    """A file's data as the archive stores it: raw deflate at level 6, in one call, during
    which zlib lets the interpreter go (so it can run on another thread meanwhile)."""
    return zlib.compress(data, 6, wbits=-15)


def zip_archive(files: Iterable[tuple[str, bytes]],
                deflated: Mapping[int, bytes] | None = None) -> bytes:
    """A zip of these files, deflated at level 6 and all dated ZIP_TIME. `deflated` holds
    files already deflated by `deflate`, by their index (a build deflates its largest on a
    thread of its own while it lints).

    The bytes are those `zipfile` writes for the same files and settings (a test compares
    them), built directly: the archive is small and always the same shape (ASCII names, no
    extra fields, far below the zip64 limits), so `zipfile`'s per-entry bookkeeping and its
    import are work a cold build can skip.
    """
    out = bytearray()
    central = bytearray()
    count = 0
    for index, (name, data) in enumerate(files):
        packed = deflated[index] if deflated and index in deflated else deflate(data)
        crc = zlib.crc32(data)
        raw_name = name.encode("ascii")
        fields = (_DEFLATED, _DOS_TIME, _DOS_DATE, crc, len(packed), len(data), len(raw_name))
        central += _CENTRAL.pack(b"PK\x01\x02", _VERSION, _UNIX, _VERSION, 0, 0, *fields, 0, 0,
                                 0, 0, _MODE, len(out))
        central += raw_name
        out += _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, 0, *fields, 0)
        out += raw_name
        out += packed
        count += 1
    end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(central), len(out), 0)
    return bytes(out + central + end)
