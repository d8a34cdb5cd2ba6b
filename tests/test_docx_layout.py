"""The DOCX read back with python-docx shows the layout Nghị định 30/2020/NĐ-CP prescribes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from kh_gen.cli import main

from .conftest import build_docx


def _body_paragraphs(doc: docx.document.Document) -> list:
    return [p for p in doc.paragraphs if p.text.strip()]


def _find(doc: docx.document.Document, start: str):
    for p in doc.paragraphs:
        if p.text.startswith(start):
            return p
    raise AssertionError(f"no paragraph starts with {start!r}")


def test_page_is_a4_portrait_with_decree_margins(minimal_doc) -> None:
    first = minimal_doc.sections[0]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert Mm(20) <= first.top_margin <= Mm(25)
    assert Mm(20) <= first.bottom_margin <= Mm(25)
    assert Mm(30) <= first.left_margin <= Mm(35)
    assert Mm(15) <= first.right_margin <= Mm(20)


def test_every_run_is_times_new_roman_in_every_script_slot(minimal_doc) -> None:
    runs = [r for p in minimal_doc.paragraphs for r in p.runs]
    runs += [r for t in minimal_doc.tables for row in t.rows for c in row.cells
             for p in c.paragraphs for r in p.runs]
    assert len(runs) > 40
    for r in runs:
        fonts = r._r.rPr.find(qn("w:rFonts"))
        slots = {fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "cs", "eastAsia")}
        assert slots == {"Times New Roman"}, r.text


def test_header_table_is_borderless_two_columns(minimal_doc) -> None:
    header = minimal_doc.tables[0]
    assert len(header.columns) == 2
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == ["ỦY BAN NHÂN DÂN", "XÃ AN THỚI ĐÔNG"]
    assert all(r.bold and r.font.size == Pt(13) for p in left.paragraphs for r in p.runs)
    national, motto = [p for p in right.paragraphs if p.text]
    assert national.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert national.runs[0].bold and national.runs[0].font.size == Pt(13)
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"
    assert motto.runs[0].bold and motto.runs[0].font.size == Pt(14)
    assert motto._p.pPr.find(qn("w:pBdr")) is not None, "a rule under the Tiêu ngữ"
    assert any(p._p.pPr.find(qn("w:pBdr")) is not None for p in left.paragraphs), \
        "a rule under the issuer"


def test_number_and_date_share_a_row(minimal_doc) -> None:
    number_cell, date_cell = minimal_doc.tables[0].rows[1].cells
    assert number_cell.text == "Số: 05/KH-UBND"
    assert number_cell.paragraphs[0].runs[0].font.size == Pt(13)
    date = date_cell.paragraphs[0]
    assert date.text == "An Thới Đông, ngày 08 tháng 01 năm 2026"
    assert date.runs[0].italic and date.runs[0].font.size == Pt(14)
    assert date.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_title_block(minimal_doc) -> None:
    doctype = _find(minimal_doc, "KẾ HOẠCH")
    assert doctype.alignment == WD_ALIGN_PARAGRAPH.CENTER and doctype.runs[0].bold
    summary = _find(minimal_doc, "Tuyên truyền cải cách hành chính năm 2026")
    assert summary.alignment == WD_ALIGN_PARAGRAPH.CENTER and summary.runs[0].bold


def test_body_is_justified_indented_and_spaced(minimal_doc) -> None:
    para = _find(minimal_doc, "a) Nâng cao nhận thức.")
    assert para.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert Mm(10) <= para.paragraph_format.first_line_indent <= Mm(12.7)
    assert para.paragraph_format.space_before >= Pt(6)
    assert para.runs[0].font.size == Pt(14)
    assert not para.runs[0].bold and not para.runs[0].italic


def test_legal_bases_are_italic_and_punctuated(minimal_doc) -> None:
    bases = [p for p in minimal_doc.paragraphs if p.text.startswith("Căn cứ")]
    assert len(bases) == 2
    assert bases[0].text.endswith(";") and bases[1].text.endswith(".")
    assert all(p.runs[0].italic for p in bases)


def test_headings_are_bold_with_computed_labels(minimal_doc) -> None:
    texts = [p.text for p in minimal_doc.paragraphs]
    for heading in ("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "V. TỔ CHỨC THỰC HIỆN"):
        assert heading in texts
        assert _find(minimal_doc, heading).runs[0].bold
    assert texts.index("- Hai") < texts.index("+ Ba")
    assert "4. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam xã" in texts
    # one duty is written as a paragraph without a label
    assert "Phối hợp." in texts


def test_numbering_is_not_word_auto_numbering(minimal_form: Path) -> None:
    target = minimal_form.with_suffix(".docx")
    CliRunner().invoke(main, ["build", str(minimal_form)])
    with zipfile.ZipFile(target) as archive:
        assert "word/numbering.xml" not in archive.namelist()
        assert "<w:numPr>" not in archive.read("word/document.xml").decode()


def test_closing_ends_with_the_end_mark(minimal_doc) -> None:
    closing = _find(minimal_doc, "Trên đây là Kế hoạch")
    assert closing.text.endswith("xã./.")


def test_recipients_and_signature_table(minimal_doc) -> None:
    closing = minimal_doc.tables[1]
    assert len(closing.columns) == 2
    row = closing.rows[0]
    assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    left, right = row.cells
    label = left.paragraphs[0]
    assert label.text == "Nơi nhận:"
    assert label.runs[0].bold and label.runs[0].italic and label.runs[0].font.size == Pt(12)
    lines = [p for p in left.paragraphs[1:] if p.text]
    assert [p.text for p in lines] == ["- UBND tỉnh;", "- Thường trực Đảng ủy;",
                                       "- Các cơ quan, đơn vị liên quan;", "- Lưu: VT, VHXH."]
    assert all(p.runs[0].font.size == Pt(11) for p in lines)
    signed = [p for p in right.paragraphs if p.text]
    assert [p.text for p in signed] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
                                        "Trần Văn Bình"]
    assert all(p.runs[0].bold and p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in signed)
    blank_lines = len(right.paragraphs) - len(signed)
    assert blank_lines >= 3, "room for the signature and seal"


def test_appendix_is_a_landscape_section_with_repeating_header(minimal_doc) -> None:
    assert len(minimal_doc.sections) == 2
    appendix = minimal_doc.sections[1]
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert appendix.page_width > appendix.page_height
    sect = appendix._sectPr
    assert sect.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    table = minimal_doc.tables[2]
    header = table.rows[0]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in header.cells][:2] == ["TT", "Nhiệm vụ"]
    assert all(r.bold for c in header.cells for p in c.paragraphs for r in p.runs)
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"single"}
    assert table.rows[1].cells[0].text == "1"
    reference = _find(minimal_doc, "(Kèm theo Kế hoạch số 05/KH-UBND ngày 08 tháng 01 năm 2026")
    assert reference.runs[0].italic


def test_page_numbers_centred_in_header_from_page_two(minimal_doc) -> None:
    for section in minimal_doc.sections:
        assert section.different_first_page_header_footer
        assert section.first_page_header.paragraphs[0].text == ""
        number = section.header.paragraphs[0]
        assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert "PAGE" in number._p.xml


def test_draft_leaves_number_and_date_blank(minimal_form: Path, tmp_path: Path) -> None:
    text = minimal_form.read_text(encoding="utf-8").replace("number: 5\n", "")
    minimal_form.write_text(text.replace("date: 2026-01-08\n", ""), encoding="utf-8")
    doc = build_docx(minimal_form)
    number_cell, date_cell = doc.tables[0].rows[1].cells
    assert number_cell.text == "Số:      /KH-UBND"
    assert date_cell.text == "An Thới Đông, ngày    tháng    năm 2026"


def test_two_builds_are_byte_identical(minimal_form: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.docx", tmp_path / "b.docx"
    for out in (first, second):
        result = CliRunner().invoke(main, ["build", str(minimal_form), "-o", str(out)])
        assert result.exit_code == 0, result.output
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize(("authority", "title", "lines"), [
    ("TM", "Chủ tịch", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
    ("Q", "Chủ tịch", ["TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"]),
    ("TL", "Chánh Văn phòng", ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]),
])
def test_authority_lines_follow_the_signer(minimal_form: Path, authority: str, title: str,
                                           lines: list[str]) -> None:
    text = minimal_form.read_text(encoding="utf-8")
    text = text.replace("authority: KT", f"authority: {authority}")
    minimal_form.write_text(text.replace("title: Phó Chủ tịch", f"title: {title}"),
                            encoding="utf-8")
    doc = build_docx(minimal_form)
    right = doc.tables[1].rows[0].cells[1]
    assert [p.text for p in right.paragraphs if p.text][:-1] == lines
