"""Write a plan's text into a DOCX the way clerks make them in Word (test inputs for import).

    python tests/data/import/make_clerk_docx.py SEED.txt OUT.docx [typed|auto|tables|merged]

Variants, each a way real plans are typed:
- typed:  labels typed as text ("I.", "1.", "a)", "-"), everything as paragraphs, the header and
          closing lines one under the other;
- auto:   labels made by Word's automatic numbering (numbering.xml, numPr on each paragraph:
          upperRoman, decimal, lowerLetter, bullets "-" and "+");
- tables: typed labels, the header and the closing block laid out as borderless two-column
          tables (issuer and number left, national motto and date right; recipients left,
          signature right);
- merged: as tables, and the appendix table with cells merged down (vMerge) where a column
          repeats the row above, and the header row repeated (tblHeader).
The text is the seed's, with converter markup (markdown, HTML) removed; a table row broken by a
page in the seed is one row here, as it is in Word.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

LABEL = re.compile(r"^(?P<label>[IVX]{1,5}\.|\d{1,2}\.|[a-zđ]\)|[-+])\s+(?P<rest>.*)$")
LEVEL = {"roman": 0, "num": 1, "letter": 2, "dash": 3, "plus": 4}
VARIANTS = ("typed", "auto", "tables", "merged")


def clean(line: str) -> str:
    line = re.sub(r"<[^>]+>", " ", line)
    line = re.sub(r"^\s*#{1,6}\s*", "", line)
    line = line.replace("*", "")
    return " ".join(line.split())


def blocks(text: str) -> list[tuple[str, object]]:
    """("para", text) and ("table", rows) in reading order."""
    out: list[tuple[str, object]] = []
    rows: list[list[str]] | None = None
    for raw in text.splitlines():
        if "\t" in raw and (raw.count("\t") >= 2 or rows is not None):
            cells = [clean(c) for c in raw.split("\t")]
            if rows is None:
                rows = []
                out.append(("table", rows))
            if rows and not cells[0] and len(rows) > 1:
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=False)]
            else:
                rows.append(cells)
            continue
        line = clean(raw)
        if not line:
            continue
        rows = None
        out.append(("para", line))
    return out


def _kind(label: str) -> str:
    if re.fullmatch(r"[IVX]+\.", label):
        return "roman"
    if re.fullmatch(r"\d+\.", label):
        return "num"
    if label in ("-", "+"):
        return "dash" if label == "-" else "plus"
    return "letter"


def _numbering(document: docx.document.Document) -> str:
    """Add an abstract list (I. / 1. / a) / - / +) and its instance; return the numId."""
    numbering = document.part.numbering_part.element
    levels = (("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)"),
              ("bullet", "-"), ("bullet", "+"))
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels))
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
                                  f'<w:multiLevelType w:val="multilevel"/>{lvls}'
                                  f'</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId '
                               f'w:val="90"/></w:num>'))
    return "90"


def _number(paragraph: docx.text.paragraph.Paragraph, num_id: str, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
                         f'<w:numId w:val="{num_id}"/></w:numPr>'))


def _borderless(table: docx.table.Table) -> None:
    tblpr = table._tbl.tblPr
    tblpr.append(parse_xml(f'<w:tblBorders {nsdecls("w")}><w:top w:val="nil"/>'
                           f'<w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/>'
                           f'<w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>'))


def _cell_lines(cell: docx.table._Cell, lines: list[str], bold: bool = False) -> None:
    first = True
    for line in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        run = paragraph.add_run(line)
        run.bold = bold


def make(text: str, target: Path, variant: str = "typed") -> Path:
    if variant not in VARIANTS:
        raise ValueError(variant)
    document = docx.Document()
    num_id = _numbering(document) if variant == "auto" else ""
    items = blocks(text)
    doctype = next(i for i, (kind, value) in enumerate(items)
                   if kind == "para" and str(value).upper().startswith("KẾ HOẠCH"))
    closing = next((i for i, (kind, value) in enumerate(items)
                    if kind == "para" and str(value).startswith("Nơi nhận")), len(items))
    appendix = next((i for i in range(closing, len(items)) if items[i][0] == "para" and
                     str(items[i][1]).startswith(("DANH MỤC", "PHỤ LỤC"))), len(items))
    as_tables = variant in ("tables", "merged")
    head = [str(v) for _, v in items[:doctype]]
    if as_tables and head:
        left = [line for line in head if line.startswith("Số") or line.isupper()]
        right = [line for line in head if line not in left]
        table = document.add_table(rows=1, cols=2)
        _borderless(table)
        _cell_lines(table.cell(0, 0), left or [""])
        _cell_lines(table.cell(0, 1), right or [""])
    else:
        for line in head:
            document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_end = doctype + 1
    while items[title_end][0] == "para" and len(str(items[title_end][1]).split()) < 20 and \
            not LABEL.match(str(items[title_end][1])) and not str(
                items[title_end][1]).startswith(("Căn cứ", "Thực hiện")):
        title_end += 1
    for _, value in items[doctype:title_end]:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(str(value)).bold = True
    for kind, value in items[title_end:closing]:
        if kind == "table":
            _task_table(document, value, variant)  # type: ignore[arg-type]
            continue
        _body_paragraph(document, str(value), variant, num_id)
    signature = [str(v) for k, v in items[closing:appendix] if k == "para"]
    recipients = [line for line in signature if line.startswith(("Nơi nhận", "-"))]
    signing = [line for line in signature if line not in recipients]
    if as_tables:
        table = document.add_table(rows=1, cols=2)
        _borderless(table)
        _cell_lines(table.cell(0, 0), recipients)
        _cell_lines(table.cell(0, 1), signing, bold=True)
    else:
        for line in signature:
            document.add_paragraph(line)
    for kind, value in items[appendix:]:
        if kind == "table":
            _task_table(document, value, variant)  # type: ignore[arg-type]
        else:
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(str(value)).bold = True
    document.save(str(target))
    return target


def _body_paragraph(document: docx.document.Document, line: str, variant: str,
                    num_id: str) -> None:
    match = LABEL.match(line)
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if match and variant == "auto":
        kind = _kind(match["label"])
        _number(paragraph, num_id, LEVEL[kind])
        run = paragraph.add_run(match["rest"])
    else:
        run = paragraph.add_run(line)
        kind = _kind(match["label"]) if match else ""
    run.bold = kind in ("roman", "num") and len(line.split()) < 14


def _task_table(document: docx.document.Document, rows: list[list[str]], variant: str) -> None:
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c in range(width):
            text = row[c] if c < len(row) else ""
            cell = table.cell(r, c)
            lines = [p.strip() for p in re.split(r"\s(?=- )", text) if p.strip()] \
                if text.startswith("- ") else [text]
            _cell_lines(cell, lines, bold=r == 0)
    if variant == "merged":
        trpr = table.rows[0]._tr.get_or_add_trPr()
        trpr.append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        for c in range(2, width):
            for r in range(2, len(rows)):
                above = rows[r - 1][c] if c < len(rows[r - 1]) else ""
                here = rows[r][c] if c < len(rows[r]) else ""
                if here and here == above:
                    tcpr = table.cell(r, c)._tc.get_or_add_tcPr()
                    for paragraph in table.cell(r, c).paragraphs:
                        for run in paragraph.runs:
                            run.text = ""
                    tcpr.append(parse_xml(f'<w:vMerge {nsdecls("w")}/>'))
                    top = table.cell(r - 1, c)._tc.get_or_add_tcPr()
                    if top.find(qn("w:vMerge")) is None:
                        top.append(parse_xml(f'<w:vMerge {nsdecls("w")} w:val="restart"/>'))


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def raw_docx(target: Path, body: str, parts: dict[str, str | bytes] | None = None,
             document: str | None = None) -> Path:
    """A DOCX written part by part, for what python-docx cannot make: footnotes, broken or
    hostile XML. `body` is the inside of <w:body>; `document` replaces the whole part."""
    import zipfile

    xml = document if document is not None else (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}'
        f'</w:body></w:document>')
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml",
                         '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Default Extension="xml" ContentType='
                         '"application/xml"/></Types>')
        archive.writestr("word/document.xml", xml)
        for name, data in (parts or {}).items():
            archive.writestr(name, data)
    return target


def para(text: str, extra: str = "") -> str:
    """A <w:p> holding `text` in one run, `extra` placed after the run."""
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r>{extra}</w:p>'


if __name__ == "__main__":
    seed, out = Path(sys.argv[1]), Path(sys.argv[2])
    make(seed.read_text(encoding="utf-8"), out, sys.argv[3] if len(sys.argv) > 3 else "typed")
    print(f"wrote {out}")
