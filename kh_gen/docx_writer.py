"""The DOCX writer: every layout rule of Nghị định 30/2020/NĐ-CP, applied to an outline.

Page, fonts, sizes, the header and closing tables, the rules under the Tiêu ngữ, the issuer and
the summary, the justified body, the landscape appendix and the page numbers are decided here
and nowhere else. The text comes from the outline unchanged (labels included).
"""

from __future__ import annotations

from collections.abc import Sequence

from .ooxml import (
    TEXT_PARAGRAPH_END,
    Cell,
    PageSetup,
    ParagraphFormat,
    escape,
    field_run,
    package_files,
    paragraph,
    run,
    section_properties,
    table,
    text_paragraph_start,
    twips,
    zip_archive,
)
from .outline import Appendix, Closing, Header, Outline, Paragraph

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

# The header and closing tables, after the decree's model 1.4 (67.5/100 mm, 53/111 mm),
# scaled to the text width.
HEADER_LEFT = twips(65)
HEADER_RIGHT = PORTRAIT.text_width - HEADER_LEFT
CLOSING_LEFT = twips(55)
CLOSING_RIGHT = PORTRAIT.text_width - CLOSING_LEFT

# Width of "Độc lập - Tự do - Hạnh phúc" in Times New Roman Bold 14 pt, in twips (measured
# with Liberation Serif Bold, which has Times New Roman's metrics). The rule under it is as
# long as the text.
MOTTO_WIDTH = 3428
# Average advance of a character, in twips at 1 pt, for estimating a line's length: bold upper
# case (issuer names) and bold sentence case (the summary), measured on typical lines.
_UPPER_BOLD_EM = 0.62
_LOWER_BOLD_EM = 0.47

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
}
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
    body.extend(_body(p) for p in outline.body)
    body.append(_closing_table(outline.closing))
    sections = [PORTRAIT, *(LANDSCAPE for _ in outline.appendices)]
    for index, appendix in enumerate(outline.appendices):
        # the previous section ends on a tiny paragraph that carries its page setup
        body.append(paragraph((), ParagraphFormat(size_pt=1, line=240),
                              section_properties(sections[index])))
        body.extend(_appendix(appendix, numbered=len(outline.appendices) > 1, index=index))
    body.append(section_properties(sections[-1]))
    page_number = paragraph([field_run("PAGE", BODY_PT)], ParagraphFormat(align="center"))
    return package_files("".join(body), page_number, title=title, timestamp=timestamp,
                         size_pt=BODY_PT)


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


def _body(p: Paragraph) -> str:
    start = _BODY_STARTS.get(p.role)
    if start is None:
        bold, italic = _STYLE.get(p.role, (False, False))
        fmt = _FORMATS.get(p.role, _BODY)
        if p.role == "closing":
            fmt = ParagraphFormat(align="both", first_line=FIRST_LINE, before=SPACING,
                                  after=SPACING)
        start = _BODY_STARTS[p.role] = text_paragraph_start(fmt, BODY_PT, bold=bold,
                                                            italic=italic)
    return f"{start}{escape(p.full_text)}{TEXT_PARAGRAPH_END}"


_BODY_STARTS: dict[str, str] = {}  # role → the markup before its text, built on first use


def _closing_table(closing: Closing) -> str:
    left = [paragraph([run(closing.label, RECIPIENTS_LABEL_PT, bold=True, italic=True)],
                      ParagraphFormat(align="left", before=SPACING))]
    left += [paragraph([run(line, RECIPIENTS_PT)], ParagraphFormat(align="left"))
             for line in closing.recipient_lines()]
    right = [paragraph([run(line, BODY_PT, bold=True)],
                       ParagraphFormat(align="center", before=SPACING if i == 0 else 0))
             for i, line in enumerate(closing.authority)]
    # room for the signature and the seal: five empty lines, about 30 mm
    right += [paragraph((), ParagraphFormat(align="center", size_pt=BODY_PT))] * 5
    right.append(paragraph([run(closing.signer, BODY_PT, bold=True)],
                           ParagraphFormat(align="center")))
    return table([((Cell(left, CLOSING_LEFT), Cell(right, CLOSING_RIGHT)), True)],
                 (CLOSING_LEFT, CLOSING_RIGHT), borders=False)


# Appendix columns: TT, task, lead, support, time, notes (mm, summing to the landscape width).
_APPENDIX_MM = (12, 90, 40, 47, 28, 35)


def _appendix(appendix: Appendix, *, numbered: bool, index: int) -> list[str]:
    width = LANDSCAPE.text_width
    widths = [twips(mm) for mm in _APPENDIX_MM]
    widths[1] += width - sum(widths)
    heading = appendix.heading
    if numbered:
        from .numbering import roman

        heading = f"{heading} {roman(index + 1)}"
    out = [_centered(heading, BODY_PT, bold=True),
           _centered(appendix.title, BODY_PT, bold=True),
           _centered(appendix.reference, BODY_PT, italic=True),
           _short_rule(width, round(width * 0.15)),
           paragraph((), ParagraphFormat(size_pt=6))]
    cell_fmt = ParagraphFormat(align="left", line=240, before=40, after=40)
    center_fmt = ParagraphFormat(align="center", line=240, before=40, after=40)

    def cell(lines: Sequence[str], w: int, *, bold: bool = False, center: bool = False) -> Cell:
        fmt = center_fmt if center else cell_fmt
        start = text_paragraph_start(fmt, APPENDIX_TABLE_PT, bold=bold)
        paras = [f"{start}{escape(line)}{TEXT_PARAGRAPH_END}" for line in lines]
        return Cell(paras or [paragraph((), fmt)], w)

    header = [cell([c], w, bold=True, center=True) for c, w in zip(appendix.columns, widths,
                                                                    strict=False)]
    rows: list[tuple[Sequence[Cell], bool]] = [(header, True)]
    for row in appendix.rows:
        cells = [cell(row.cells[0], widths[0], bold=row.group, center=True)]
        cells += [cell(lines, w, bold=row.group and i == 0)
                  for i, (lines, w) in enumerate(zip(row.cells[1:], widths[1:], strict=False))]
        rows.append((cells, False))
    out.append(table(rows, widths, borders=True, header_rows=1, cell_margin=85))
    return out
