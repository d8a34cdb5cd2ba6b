"""The DOCX writer: every layout rule of Nghị định 30/2020/NĐ-CP, applied to an outline.

Page, fonts, sizes, the header and closing tables, the rules under the Tiêu ngữ, the issuer and
the summary, the justified body, the landscape appendix and the page numbers are decided here
and nowhere else. The text comes from the outline unchanged (labels included).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .ooxml import (
    TEXT_PARAGRAPH_END,
    Cell,
    PageSetup,
    ParagraphFormat,
    escape,
    field_run,
    footnote_reference,
    footnotes_xml,
    package_files,
    paragraph,
    run,
    section_properties,
    table,
    text_paragraph_start,
    twips,
    zip_archive,
)
from .outline import Appendix, Closing, Header, Outline, Paragraph, Table

# Sizes (pt): the 13 / 14 / 14 pair for Quốc hiệu / Tiêu ngữ / place-date, body 14.
BODY_PT = 14
NATIONAL_PT = 13
MOTTO_PT = 14
ISSUER_PT = 13
NUMBER_PT = 13
DATELINE_PT = 14
RECIPIENTS_LABEL_PT = 12
RECIPIENTS_PT = 11
APPENDIX_TABLE_PT = 13

PORTRAIT = PageSetup(width=11906, height=16838, top=twips(20), bottom=twips(20),
                     left=twips(30), right=twips(15))
LANDSCAPE = PageSetup(width=16838, height=11906, top=twips(20), bottom=twips(20),
                      left=twips(30), right=twips(15), landscape=True, restart_numbering=True)
PORTRAIT_APPENDIX = PORTRAIT._replace(restart_numbering=True)
FOOTNOTE_PT = 12
TABLE_PT = 13  # tables in the body and in appendices

# The header and closing tables, after the decree's model 1.4 (67.5/100 mm, 53/111 mm),
# scaled to the text width.
HEADER_LEFT = twips(65)
HEADER_RIGHT = PORTRAIT.text_width - HEADER_LEFT
CLOSING_LEFT = twips(55)  # at least; wider when the recipients' lines need it
CLOSING_LEFT_MAX = twips(80)

# Width of "Độc lập - Tự do - Hạnh phúc" in Times New Roman Bold 14 pt, in twips (measured
# with Liberation Serif Bold, which has Times New Roman's metrics). The rule under it is as
# long as the text.
MOTTO_WIDTH = 3428
# Average advance of a character, in twips at 1 pt, for estimating a line's length: bold upper
# case (issuer names) and bold sentence case (the summary), measured on typical lines.
_UPPER_BOLD_EM = 0.62
_LOWER_BOLD_EM = 0.47
_LOWER_EM = 0.45  # regular sentence case (recipients, table cells)

FIRST_LINE = twips(12.7)
SPACING = 120  # 6 pt between body paragraphs

_BODY = ParagraphFormat(align="both", first_line=FIRST_LINE, before=SPACING, line=240)
_FORMATS = {
    "section": ParagraphFormat(align="both", first_line=FIRST_LINE, before=SPACING,
                               keep_next=True, outline_level=0),
    "item": ParagraphFormat(align="both", first_line=FIRST_LINE, before=SPACING,
                            keep_next=True, outline_level=1),
    "subhead": ParagraphFormat(align="both", first_line=FIRST_LINE, before=SPACING,
                               keep_next=True),
    # the closing sentence stays on the page of the signature block
    "closing": ParagraphFormat(align="both", first_line=FIRST_LINE, before=SPACING,
                               after=SPACING, keep_next=True, keep_lines=True),
}
_LAST = ParagraphFormat(align="both", first_line=FIRST_LINE, before=SPACING, keep_next=True,
                        keep_lines=True)  # the body's last paragraph when there is no closing
_FOOTNOTE_MARK = re.compile(r"\[\^(\d+)\]")
_STYLE = {  # role → (bold, italic)
    "section": (True, False), "item": (True, False), "subhead": (False, True),
    "basis": (False, True),
}


def write_docx(outline: Outline, *, title: str, timestamp: str) -> bytes:
    """The plan as .docx bytes; same outline, same bytes."""
    return zip_archive(docx_files(outline, title=title, timestamp=timestamp))


def docx_files(outline: Outline, *, title: str, timestamp: str) -> list[tuple[str, bytes]]:
    """The files of the plan's .docx package, before they are zipped."""
    body: list[str] = [_header_table(outline.header)]
    body.extend(_title(outline))
    last = len(outline.body) - 1
    has_closing = any(isinstance(p, Paragraph) and p.role == "closing" for p in outline.body)
    for index, block in enumerate(outline.body):
        if isinstance(block, Table):
            body.append(_table(block, PORTRAIT.text_width))
        else:
            body.append(_body(block, last=index == last and not has_closing))
    body.append(_closing_table(outline.closing))
    sections = [PORTRAIT, *(LANDSCAPE if a.landscape else PORTRAIT_APPENDIX
                            for a in outline.appendices)]
    for index, appendix in enumerate(outline.appendices):
        # the previous section ends on a tiny paragraph that carries its page setup
        body.append(paragraph((), ParagraphFormat(size_pt=1, line=240),
                              section_properties(sections[index])))
        body.extend(_appendix(appendix, sections[index + 1].text_width))
    body.append(section_properties(sections[-1]))
    page_number = paragraph([field_run("PAGE", BODY_PT)], ParagraphFormat(align="center"))
    notes = footnotes_xml(outline.footnotes, FOOTNOTE_PT) if outline.footnotes else ""
    return package_files("".join(body), page_number, title=title, timestamp=timestamp,
                         size_pt=BODY_PT, footnotes=notes)


def _centered(text: str, size: float, *, bold: bool = False, italic: bool = False,
              rule: bool = False, inset: int = 0, before: int = 0, after: int = 0) -> str:
    return paragraph([run(text, size, bold=bold, italic=italic)],
                     ParagraphFormat(align="center", left=inset, right=inset,
                                     rule_below=rule, before=before, after=after))


def _short_rule(width: int, line_width: int, *, size: float = 1) -> str:
    """An empty, hair-high paragraph whose bottom border is a centred rule `line_width` long."""
    inset = max(0, (width - line_width) // 2)
    return paragraph((), ParagraphFormat(align="center", left=inset, right=inset,
                                         rule_below=True, size_pt=size, line=240, before=60))


def _estimate(lines: Sequence[str], size: float, em: float, limit: int) -> int:
    longest = max((len(line) for line in lines), default=0)
    return min(limit, round(longest * size * 20 * em))


def _header_table(header: Header) -> str:
    left = [_centered(line, ISSUER_PT) for line in header.governing]
    left += [_centered(line, ISSUER_PT, bold=True) for line in header.issuer]
    # the rule under the issuer: about 40 % of its longest line (the decree asks 1/3 to 1/2)
    issuer_width = _estimate(header.issuer, ISSUER_PT, _UPPER_BOLD_EM, HEADER_LEFT)
    left.append(_short_rule(HEADER_LEFT, round(issuer_width * 0.4)))
    motto_inset = max(0, (HEADER_RIGHT - MOTTO_WIDTH) // 2 - 30)
    right = [_centered(header.national, NATIONAL_PT, bold=True),
             _centered(header.motto, MOTTO_PT, bold=True, rule=True, inset=motto_inset)]
    number = paragraph([run(header.number, NUMBER_PT)],
                       ParagraphFormat(align="center", before=SPACING))
    dateline = paragraph([run(header.dateline, DATELINE_PT, italic=True)],
                         ParagraphFormat(align="center", before=SPACING))
    widths = (HEADER_LEFT, HEADER_RIGHT)
    rows = [
        ((Cell(left, HEADER_LEFT), Cell(right, HEADER_RIGHT)), True),
        ((Cell([number], HEADER_LEFT), Cell([dateline], HEADER_RIGHT)), True),
    ]
    return table(rows, widths, borders=False)


def _title(outline: Outline) -> list[str]:
    out = [_centered(outline.doctype, BODY_PT, bold=True, before=2 * SPACING * 2)]
    out += [_centered(line, BODY_PT, bold=True) for line in outline.summary]
    summary_width = _estimate(outline.summary, BODY_PT, _LOWER_BOLD_EM, PORTRAIT.text_width)
    out.append(_short_rule(PORTRAIT.text_width, round(summary_width * 0.4)))
    return out


def _body(p: Paragraph, *, last: bool = False) -> str:
    bold, italic = _STYLE.get(p.role, (False, False))
    if "[^" in p.text:
        fmt = _LAST if last else _FORMATS.get(p.role, _BODY)
        return paragraph(_runs(p.full_text, BODY_PT, bold=bold, italic=italic), fmt)
    if last:
        start = text_paragraph_start(_LAST, BODY_PT, bold=bold, italic=italic)
        return f"{start}{escape(p.full_text)}{TEXT_PARAGRAPH_END}"
    start = _BODY_STARTS.get(p.role)
    if start is None:
        start = _BODY_STARTS[p.role] = text_paragraph_start(_FORMATS.get(p.role, _BODY),
                                                            BODY_PT, bold=bold, italic=italic)
    return f"{start}{escape(p.full_text)}{TEXT_PARAGRAPH_END}"


def _runs(text: str, size: float, *, bold: bool = False, italic: bool = False) -> list[str]:
    """A text's runs, each footnote marker `[^n]` made a reference to footnote n."""
    out = []
    for index, piece in enumerate(_FOOTNOTE_MARK.split(text)):
        if index % 2:
            out.append(footnote_reference(int(piece), size))
        elif piece:
            out.append(run(piece, size, bold=bold, italic=italic))
    return out


_BODY_STARTS: dict[str, str] = {}  # role → the markup before its text, built on first use


def _closing_table(closing: Closing) -> str:
    lines = closing.recipient_lines()
    # the recipients' column is as wide as its longest line needs, between 55 and 80 mm, so
    # that no line ends on a lone word ("phố;")
    needed = _estimate(lines, RECIPIENTS_PT, _LOWER_EM, CLOSING_LEFT_MAX) + 120
    left_width = max(CLOSING_LEFT, min(CLOSING_LEFT_MAX, needed))
    right_width = PORTRAIT.text_width - left_width
    left = [paragraph([run(closing.label, RECIPIENTS_LABEL_PT, bold=True, italic=True)],
                      ParagraphFormat(align="left", before=SPACING))]
    left += [paragraph([run(line, RECIPIENTS_PT)], ParagraphFormat(align="left"))
             for line in lines]
    right = [paragraph([run(line, BODY_PT, bold=True)],
                       ParagraphFormat(align="center", before=SPACING if i == 0 else 0))
             for i, line in enumerate(closing.authority)]
    # room for the signature and the seal: five empty lines, about 30 mm
    right += [paragraph((), ParagraphFormat(align="center", size_pt=BODY_PT))] * 5
    right.append(paragraph([run(closing.signer, BODY_PT, bold=True)],
                           ParagraphFormat(align="center")))
    return table([((Cell(left, left_width), Cell(right, right_width)), True)],
                 (left_width, right_width), borders=False)


def _appendix(appendix: Appendix, width: int) -> list[str]:
    out = [_centered(appendix.heading, BODY_PT, bold=True),
           _centered(appendix.title, BODY_PT, bold=True)]
    if appendix.subtitle:
        out.append(_centered(appendix.subtitle, BODY_PT, bold=True))
    if appendix.reference:
        out.append(_centered(appendix.reference, BODY_PT, italic=True))
    out += [_short_rule(width, round(width * 0.15)), paragraph((), ParagraphFormat(size_pt=6))]
    for block in appendix.body:
        out.append(_table(block, width) if isinstance(block, Table) else _body(block))
    return out


_CELL = ParagraphFormat(align="left", line=240, before=40, after=40)
_CELL_CENTER = ParagraphFormat(align="center", line=240, before=40, after=40)
_CELL_MARGIN = 85


def _table(data: Table, width: int) -> str:
    """A bordered table: the header row repeated on every page and centred in its cells, no
    data row split across pages (only one taller than a page can split), columns sized from
    their content."""
    widths = column_widths(data, width)
    columns = len(widths)
    fields = data.fields or ("",) * columns

    def cell(lines: Sequence[str], w: int, *, bold: bool = False, center: bool = False,
             span: int = 1, merge: str = "", valign: str = "") -> Cell:
        fmt = _CELL_CENTER if center else _CELL
        if not lines:
            return Cell([paragraph((), fmt)], w, span, merge, valign)
        start = _cell_start(center, bold)
        return Cell([f"{start}{escape(line)}{TEXT_PARAGRAPH_END}" if "[^" not in line else
                     paragraph(_runs(line, TABLE_PT, bold=bold), fmt) for line in lines],
                    w, span, merge, valign)

    header = [cell([c], w, bold=True, center=True, valign="center")
              for c, w in zip(data.columns, widths, strict=False)]
    rows: list[tuple[Sequence[Cell], bool]] = [(header, True)] if data.columns else []
    for index, row in enumerate(data.rows):
        following = data.rows[index + 1] if index + 1 < len(data.rows) else None
        cells = []
        at = 0
        for k, lines in enumerate(row.cells):
            if at >= columns:
                break
            span = columns - at if row.span and k == len(row.cells) - 1 else 1
            w = sum(widths[at:at + span])
            merge = ""
            if k in row.merged:
                merge = "continue"
            elif following is not None and k in following.merged:
                merge = "restart"
            center = fields[at] == "number" or (row.span and k == 0 and len(row.cells) > 1)
            cells.append(cell(lines, w, bold=row.bold, center=center, span=span,
                              merge=merge))
            at += span
        while at < columns:  # a short row: empty cells to the table's width
            cells.append(cell((), widths[at]))
            at += 1
        rows.append((cells, True))
    return table(rows, widths, borders=True, header_rows=1 if data.columns else 0,
                 cell_margin=_CELL_MARGIN)


_CELL_STARTS: dict[tuple[bool, bool], str] = {}  # (centred, bold) → a cell line's markup


def _cell_start(center: bool, bold: bool) -> str:
    """The markup before a table cell's line of text: four variants, each built once per
    process (a table has a hundred lines, and hashing a format per line cost more than
    writing it)."""
    start = _CELL_STARTS.get((center, bold))
    if start is None:
        start = _CELL_STARTS[center, bold] = text_paragraph_start(
            _CELL_CENTER if center else _CELL, TABLE_PT, bold=bold)
    return start


def column_widths(data: Table, width: int) -> list[int]:
    """Each column's width, in twips, from what it holds.

    Every column is at least as wide as its longest word, and its header's (names, dates and
    short notes: their whole line, up to a limit, so "Phòng Văn hóa - Xã hội" is not broken
    while the task column has room). The rest of the width goes to the columns in proportion
    to how much text they hold, none wider than its longest line: the table is as short as
    it can be, so fewer rows reach the foot of a page."""
    count = max([len(data.columns), *(len(r.cells) for r in data.rows if not r.span)],
                default=1)
    fields = (*data.fields, *("",) * count)[:count]
    char = TABLE_PT * 20 * 0.47
    bold_char = TABLE_PT * 20 * 0.62
    pad = 2 * _CELL_MARGIN + 80
    least: list[float] = []
    most: list[float] = []
    volume: list[float] = []
    cells = [row.cells for row in data.rows if not row.span]
    for k in range(count):
        header = data.columns[k] if k < len(data.columns) else ""
        # the column's lines, measured by C loops: a table has hundreds
        lines = [line for row in cells if k < len(row) for line in row[k]]
        sizes = [*map(len, lines)]
        longest = max([1, *sizes])
        total = 1 + sum(sizes)
        word = max(map(len, " ".join(lines).split()), default=1)
        keep = min(longest, _KEEP.get(fields[k], 0))
        head = max((len(w) for w in header.split()), default=1) * bold_char
        least.append(max(word * char, keep * char, head, 2 * char) + pad)
        most.append(max(longest * char + pad, least[-1]))
        # the task's own column is where the reader reads: it takes the larger share
        volume.append(total * (2 if fields[k] == "name" else 1))
    if "name" in fields:
        # the task column is never squeezed by the others' whole names: it keeps at least
        # a third of the width, and the other columns give up their share of the rest
        name = fields.index("name")
        least[name] = max(least[name], min(most[name], width * _NAME_SHARE))
        others = sum(least) - least[name]
        if others > width - least[name]:
            scale = (width - least[name]) / others
            least = [w if k == name else w * scale for k, w in enumerate(least)]
    widths = list(least)
    if sum(least) < width:
        open_columns = set(range(count))
        spare = width - sum(least)
        while spare > 1 and open_columns:
            total = sum(volume[k] for k in open_columns)
            given = 0.0
            for k in sorted(open_columns):
                share = spare * volume[k] / total
                room = most[k] - widths[k]
                if share >= room:
                    widths[k] = most[k]
                    given += room
                    open_columns.discard(k)
                else:
                    widths[k] += share
                    given += share
            spare -= given
            if not open_columns and spare > 1:  # every line fits: widen them all alike
                widths = [w + spare * w / sum(widths) for w in widths]
                spare = 0
    scale = width / sum(widths)
    out = [int(w * scale) for w in widths]
    out[out.index(max(out))] += width - sum(out)
    return out


_NAME_SHARE = 0.34
# Columns whose lines should stay whole up to this many characters.
_KEEP = {"number": 6, "lead": 20, "support": 12, "time": 10, "monitor": 12, "product": 12,
         "notes": 12}
