"""The body as data: sections in any order, appendices of every shape, openings, footnotes.

Each test writes a form, builds it through the CLI or the library, and reads the DOCX back.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.section import WD_ORIENT

from kh_gen import build_form, check_form
from kh_gen.cli import main
from kh_gen.errors import KhGenError

from .conftest import DATA, ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEAD = """year: 2026
issuer: {locality: xã An Thới Đông, level: xa, unit: xã, place: An Thới Đông}
title: Kiểm tra công tác văn thư năm 2026
recipients: [UBND tỉnh, {archive: VT}]
signer: {authority: TM, title: Chủ tịch, name: Nguyễn Văn C}
"""


def _form(tmp_path: Path, body: str, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def _texts(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def _example_in_docs() -> str:
    text = (ROOT / "docs" / "form.md").read_text(encoding="utf-8")
    after = text.split("## A complete example", 1)[1]
    return after.split("```yaml\n", 1)[1].split("```", 1)[0]


def test_the_complete_example_of_the_docs_is_the_example_and_builds(tmp_path: Path) -> None:
    example = ROOT / "examples" / "thi-dua-2026.yaml"
    assert _example_in_docs() == example.read_text(encoding="utf-8")
    target, checked = build_form(example, tmp_path / "plan.docx")
    assert checked.warnings == ()
    document = docx.Document(str(target))
    texts = _texts(document)
    sections = [t for t in texts if re.match(r"^[IVX]+\. [A-ZÀ-Ỹ]", t)]
    assert sections[:7] == ["I. MỤC ĐÍCH, YÊU CẦU", "II. ĐỐI TƯỢNG THI ĐUA",
                            "III. NỘI DUNG THI ĐUA", "IV. TIÊU CHUẨN THI ĐUA",
                            "V. HÌNH THỨC KHEN THƯỞNG", "VI. HỒ SƠ, THỦ TỤC KHEN THƯỞNG",
                            "VII. TỔ CHỨC THỰC HIỆN"]
    assert "Phụ lục I" in texts and "Phụ lục II" in texts
    assert "DANH MỤC NHIỆM VỤ THI ĐUA NĂM 2026" in texts, "the appendix title in capitals"
    # the prose appendix numbers its own outline, on a portrait page
    outline = texts[texts.index("Phụ lục II"):]
    assert [t for t in outline if re.match(r"^[IVX]+\. ", t)] == [
        "I. ĐẶC ĐIỂM TÌNH HÌNH", "II. KẾT QUẢ THỰC HIỆN", "III. ĐỀ XUẤT, KIẾN NGHỊ"]
    orientations = [s.orientation for s in document.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    # entries nested a) → - → +
    assert "- Tăng tỷ lệ hồ sơ trực tuyến toàn trình:" in texts
    assert "+ Hướng dẫn người dân nộp hồ sơ trực tuyến." in texts
    assert "1. Hoàn thành xuất sắc nhiệm vụ được giao trong năm." in texts
    # a real footnote, referred to where the form puts it
    with zipfile.ZipFile(target) as package:
        notes = package.read("word/footnotes.xml").decode("utf-8")
        body = package.read("word/document.xml").decode("utf-8")
    assert "Ban hành kèm theo Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ." in notes
    assert body.count('<w:footnoteReference w:id="1"/>') == 1
    # the schedule in the body, and the task table with its groups
    schedule, closing, tasks = document.tables[1], document.tables[2], document.tables[3]
    assert [c.text for c in schedule.rows[0].cells] == ["Đợt", "Thời gian", "Nội dung chính"]
    assert "Nơi nhận:" in closing.rows[0].cells[0].text
    rows = [[c.text for c in r.cells] for r in tasks.rows]
    assert rows[1][0] == "I" and rows[1][1] == "Đợt 1" and rows[1][-1] == "Đợt 1", \
        "a group row spans the table"
    assert rows[2][0] == "1" and rows[4][0] == "1", "TT starts again under each group"


def test_sections_come_in_the_order_and_with_the_headings_the_form_gives(tmp_path: Path
                                                                         ) -> None:
    form = _form(tmp_path, """sections:
  - heading: Kết quả kiểm tra năm trước
    items: [Đã kiểm tra 5 cơ quan.]
  - heading: Nội dung kiểm tra
    part: contents
    style: numbers
    items: [Việc lập hồ sơ., Việc lưu trữ.]
  - items: [Một đoạn không có tiêu đề.]
""")
    target, _ = build_form(form, tmp_path / "plan.docx")
    texts = _texts(docx.Document(str(target)))
    start = texts.index("I. KẾT QUẢ KIỂM TRA NĂM TRƯỚC")
    assert texts[start:start + 6] == [
        "I. KẾT QUẢ KIỂM TRA NĂM TRƯỚC", "Đã kiểm tra 5 cơ quan.", "II. NỘI DUNG KIỂM TRA",
        "1. Việc lập hồ sơ.", "2. Việc lưu trữ.", "Một đoạn không có tiêu đề./."]


@pytest.mark.parametrize(("opening", "expected"), [
    ("", None),
    ("opening:\n  lead: Tiếp tục thực hiện\n  style: sentence\n  bases: [Kế hoạch số …/KH-UBND "
     "của Ủy ban nhân dân tỉnh]\n",
     "Tiếp tục thực hiện Kế hoạch số …/KH-UBND của Ủy ban nhân dân tỉnh, Ủy ban nhân dân xã An "
     "Thới Đông ban hành Kế hoạch kiểm tra công tác văn thư năm 2026 như sau:"),
    ("opening:\n  bases: [{ref: basis.nq-76-2021-cp}, {text: Kế hoạch số …/KH-UBND của Ủy ban "
     "nhân dân tỉnh, lead: Thực hiện}]\n  enacting: ''\n",
     "Thực hiện Kế hoạch số …/KH-UBND của Ủy ban nhân dân tỉnh."),
])
def test_every_opening(tmp_path: Path, opening: str, expected: str | None) -> None:
    form = _form(tmp_path, opening + "sections:\n  - heading: Nội dung\n    items: [Một.]\n")
    target, _ = build_form(form, tmp_path / "plan.docx")
    texts = _texts(docx.Document(str(target)))
    after_title = texts[texts.index("Kiểm tra công tác văn thư năm 2026") + 1]
    if expected is None:
        assert after_title == "I. NỘI DUNG", "no opening at all"
    else:
        assert expected in texts
        if "Thực hiện Kế" in expected:
            assert texts[texts.index(expected) - 1].startswith("Căn cứ Nghị quyết số 76/NQ-CP")


def test_a_plan_issued_by_the_chairman_is_signed_without_tm(tmp_path: Path) -> None:
    form = _form(tmp_path, "sections:\n  - heading: Nội dung\n    items: [Một.]\n")
    form.write_text(form.read_text(encoding="utf-8").replace(
        "signer: {authority: TM, title: Chủ tịch, name: Nguyễn Văn C}",
        "signer: {authority: KT, title: Phó Chủ tịch, name: Nguyễn Văn C, collective: false}"),
        encoding="utf-8")
    target, _ = build_form(form, tmp_path / "plan.txt", "txt")
    text = target.read_text(encoding="utf-8")
    assert "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" in text and "TM." not in text


def test_task_rows_groups_and_merged_rows(tmp_path: Path) -> None:
    form = _form(tmp_path, """sections:
  - heading: Nhiệm vụ
    items: [Theo Phụ lục.]
appendices:
  - title: Phân công nhiệm vụ
    columns: [number, name, {field: product, title: Sản phẩm}, time, lead, monitor]
    numbering: continue
    tasks:
      - group: Cải cách thể chế
        tasks:
          - task: Rà soát văn bản
            product: Danh mục
            time: Quý I
            lead: Văn phòng HĐND và UBND
            rows:
              - {product: Báo cáo, time: Quý IV, lead: Văn phòng HĐND và UBND}
      - group: Chính quyền số
        tasks:
          - {task: Ký số văn bản, lead: Văn phòng HĐND và UBND}
""")
    target, _ = build_form(form, tmp_path / "plan.docx")
    document = docx.Document(str(target))
    table = document.tables[-1]
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == ["TT", "Nhiệm vụ", "Sản phẩm", "Thời gian thực hiện/hoàn thành",
                       "Cơ quan chủ trì", "Theo dõi, đôn đốc"]
    assert rows[2][:3] == ["1", "Rà soát văn bản", "Danh mục"]
    assert rows[3][:3] == ["1", "Rà soát văn bản", "Báo cáo"], "number and name merged down"
    assert rows[5][0] == "2", "numbering: continue goes on across groups"
    merges = [tc.find(f"{W}tcPr/{W}vMerge") is not None for tc in
              table.rows[3]._tr.findall(f"{W}tc")]
    assert merges[:2] == [True, True] and not any(merges[2:])


def test_data_rows_never_split_and_the_header_repeats_centred(tmp_path: Path) -> None:
    target, _ = build_form(ROOT / "examples" / "hai-phong-2019.yaml", tmp_path / "p.docx")
    table = docx.Document(str(target)).tables[-1]
    header, *data = table.rows
    assert header._tr.find(f"{W}trPr/{W}tblHeader") is not None
    for tc in header._tr.findall(f"{W}tc"):
        assert tc.find(f"{W}tcPr/{W}vAlign").get(f"{W}val") == "center"
    for row in data:
        assert row._tr.find(f"{W}trPr/{W}cantSplit") is not None


def test_the_closing_sentence_keeps_with_the_signature(tmp_path: Path) -> None:
    target, _ = build_form(ROOT / "examples" / "xa-2026.yaml", tmp_path / "p.docx")
    closing = next(p for p in docx.Document(str(target)).paragraphs
                   if p.text.startswith("Trên đây là"))
    assert closing.paragraph_format.keep_with_next
    assert closing.paragraph_format.keep_together
    # without a closing sentence, the body's last paragraph keeps with the signature instead
    form = _form(tmp_path, "sections:\n  - heading: Nội dung\n    items: [Một., Hai.]\n")
    target, _ = build_form(form, tmp_path / "plan.docx")
    last = [p for p in docx.Document(str(target)).paragraphs if p.text.strip()][-1]
    assert last.text == "Hai./." and last.paragraph_format.keep_with_next


@pytest.mark.parametrize(("body", "message"), [
    ("sections:\n  - heading: A\n    items:\n      - Có chú thích[^x].\n",
     r"plan\.yaml:9:9: error: footnote \[\^x\]: no text for it under 'footnotes:'"),
    ("sections:\n  - heading: A\n    part: mục-đích\n    items: [Một.]\n",
     r"plan\.yaml:8:11: error: sections\[1\]\.part: expected one of purpose, "),
    ("sections:\n  - heading: A\n    items:\n      - heading: B\n        items:\n"
     "          - heading: C\n            items:\n              - heading: D\n"
     "                items: [Một.]\n",
     r"plan\.yaml:13:17: error: .*sections nest at most 3 levels"),
    ("sections: []\n", r"plan\.yaml:6:11: error: sections: list at least one section"),
])
def test_mistakes_in_sections_are_located(tmp_path: Path, body: str, message: str) -> None:
    form = _form(tmp_path, body)
    with pytest.raises(KhGenError, match=message):
        check_form(form)
    result = CliRunner().invoke(main, ["check", str(form)])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_upgrade_writes_an_old_form_as_sections_that_build_the_same_plan(tmp_path: Path
                                                                         ) -> None:
    old = DATA / "minimal.yaml"  # a form of the first layout, as many clerks have
    new = tmp_path / "hn.yaml"
    result = CliRunner().invoke(main, ["upgrade", str(old), "-o", str(new)])
    assert result.exit_code == 0, result.output
    assert "sections:" in new.read_text(encoding="utf-8")
    assert "objectives:" not in new.read_text(encoding="utf-8")
    before, _ = build_form(old, tmp_path / "before.txt", "txt")
    after, _ = build_form(new, tmp_path / "after.txt", "txt")
    assert after.read_text(encoding="utf-8") == before.read_text(encoding="utf-8")
    again = CliRunner().invoke(main, ["upgrade", str(new)])
    assert again.exit_code == 0 and "already written as sections" in again.output


def test_the_form_of_the_readme_builds(tmp_path: Path) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    form = tmp_path / "readme.yaml"
    form.write_text(text.split("```yaml\n", 1)[1].split("```", 1)[0], encoding="utf-8")
    target, checked = build_form(form, tmp_path / "readme.txt", "txt")
    built = target.read_text(encoding="utf-8")
    assert "V. TỔ CHỨC THỰC HIỆN" in built and "Phụ lục" in built
    assert all(not p.is_error for p in checked.warnings)


def test_rebase_re_targets_every_section_appendix_table_and_footnote(tmp_path: Path) -> None:
    example = tmp_path / "td.yaml"
    example.write_text((ROOT / "examples" / "thi-dua-2026.yaml").read_text(encoding="utf-8")
                       .replace("Ủy ban nhân dân xã.", "Ủy ban nhân dân xã An Thới Đông.")
                       .replace("Ban hành kèm theo", "Xã An Thới Đông ghi chú, ban hành kèm theo")
                       .replace("Đợt 1, Quý I", "Đợt 1 xã An Thới Đông, Quý I"),
                       encoding="utf-8")
    result = CliRunner().invoke(main, ["rebase", str(example), "--locality", "xã Phú Mỹ",
                                       "--year", "2027", "-o", str(tmp_path / "pm.yaml")])
    assert result.exit_code == 0, result.output
    target, _ = build_form(tmp_path / "pm.yaml", tmp_path / "pm.txt", "txt")
    text = target.read_text(encoding="utf-8")
    assert "An Thới Đông" not in text
    assert "Đợt 1 xã Phú Mỹ\tQuý I và quý II năm 2027" in text, "a table in the body"
    assert "DANH MỤC NHIỆM VỤ THI ĐUA NĂM 2027" in text, "an appendix title"
    assert "[^1] Xã Phú Mỹ ghi chú, ban hành" in text, "a footnote"
    assert "Cán bộ, công chức, người lao động làm việc tại Ủy ban nhân dân xã Phú Mỹ." in text


def test_a_body_that_ends_on_a_table_without_a_closing_builds(tmp_path: Path) -> None:
    form = _form(tmp_path, "sections:\n  - heading: Lịch\n    items:\n      - table:\n"
                           "          columns: [Đợt, Thời gian]\n          rows: [[1, Quý I]]\n")
    target, _ = build_form(form, tmp_path / "plan.docx")
    document = docx.Document(str(target))
    assert [c.text for c in document.tables[1].rows[1].cells] == ["1", "Quý I"]
