"""Import: any plan's text or DOCX → a form whose body is the plan's own tree of sections, that
`check` accepts and `build` turns back into the plan."""

from __future__ import annotations

import difflib
import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from kh_gen import build_form, check_form
from kh_gen.build import render
from kh_gen.cli import main
from kh_gen.importing import import_plan

IMPORT_DATA = Path(__file__).resolve().parent / "data" / "import"
SEEDS = ("duong-kinh-2023", "hong-ngu-2024", "hai-phong-2019")
REAL = ("lam-dong-cchc-2026", "lam-dong-pcmt-2025")
_spec = importlib.util.spec_from_file_location("make_clerk_docx",
                                               IMPORT_DATA / "make_clerk_docx.py")
assert _spec is not None and _spec.loader is not None
clerk = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(clerk)

_LABEL = re.compile(r"^\s*(?:[IVX]+\.|\d{1,2}\.(?:\d{1,2}\.?)?|[a-zđ]\)|[-+•])\s+")


def words(text: str) -> list[str]:
    """The words of a plan in order: converter markup and numbering labels left out (kh-gen
    computes labels, so a corrected label must not count as a difference)."""
    text = re.sub(r"<[^>]+>", " ", text).replace("*", "")
    lines = (_LABEL.sub("", re.sub(r"^\s*#+\s*", "", line.strip()))
             for line in text.splitlines())
    return re.findall(r"\w+", "\n".join(lines))


def similarity(original: str, rebuilt: str) -> float:
    return difflib.SequenceMatcher(None, words(original), words(rebuilt),
                                   autojunk=False).ratio()


def docx_text(path: Path) -> str:
    """A DOCX read back as a reader sees it: paragraphs and table cells, in document order
    (a cell merged across or down counted once)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    out: list[str] = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(child, document).text)
        elif tag == "tbl":
            seen: set[object] = set()  # the cell elements (held, so each keeps its proxy)
            for row in Table(child, document).rows:
                for cell in row.cells:
                    if cell._tc in seen:
                        continue
                    seen.add(cell._tc)
                    out.extend(p.text for p in cell.paragraphs)
    return "\n".join(out)


def form_of(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def seed(name: str) -> Path:
    return IMPORT_DATA / "seeds" / f"{name}.txt"


def real(name: str, suffix: str) -> Path:
    return IMPORT_DATA / "real" / f"{name}.{suffix}"


# Every plan of the genre at hand: the three seeds (text) and both real plans (DOCX and text).
PLANS = [(name, "txt", seed(name), seed(name)) for name in SEEDS] + [
    (name, suffix, real(name, suffix), real(name, "txt")) for name in REAL
    for suffix in ("docx", "txt")]
THRESHOLD = 0.97


def test_every_plan_goes_import_check_build_and_reads_back_as_it_was(tmp_path: Path) -> None:
    """import (exit 0) → check (no error) → build; the DOCX read back has the original's
    words. The figures are printed and, on failure, shown in the assertion message."""
    rows: list[tuple[str, str, float]] = []
    problems: list[str] = []
    runner = CliRunner()
    for name, suffix, plan, original in PLANS:
        form = tmp_path / f"{name}-{suffix}.yaml"
        imported = runner.invoke(main, ["import", str(plan), "-o", str(form)])
        if imported.exit_code != 0:
            problems.append(f"{name}.{suffix}: import exit {imported.exit_code}")
            continue
        checked = runner.invoke(main, ["check", str(form)])
        if checked.exit_code != 0:
            problems.append(f"{name}.{suffix}: check: {checked.output[-800:]}")
            continue
        built, _ = build_form(form, tmp_path / f"{name}-{suffix}.docx")
        rows.append((name, suffix, similarity(original.read_text("utf-8"), docx_text(built))))
    table = "\n".join(["plan                  from  similarity",
                       *(f"{n:<21} {s:<5} {r:.4f}" for n, s, r in rows)])
    print(f"\n{table}")
    assert not problems, "\n".join(problems)
    assert all(r >= THRESHOLD for _, _, r in rows), \
        f"word similarity of the rebuilt DOCX to the original below {THRESHOLD}:\n{table}"


# -- what the form holds --------------------------------------------------------------------


def test_an_annual_reform_plan_keeps_its_two_sections_and_its_seven_column_appendix(
        tmp_path: Path) -> None:
    for suffix in ("docx", "txt"):
        result = import_plan(real("lam-dong-cchc-2026", suffix), tmp_path / f"c-{suffix}.yaml")
        form = form_of(result.form)
        assert form["kind"] == "ke-hoach"
        assert [s["heading"] for s in form["sections"]] == ["Mục tiêu, nhiệm vụ",
                                                            "Tổ chức thực hiện"]
        first = form["sections"][0]
        topics = [i["heading"] for i in first["items"] if isinstance(i, dict) and "heading" in i]
        assert topics[0] == "Cải cách thể chế" and len(topics) == 7, topics
        goal = first["items"][0]["items"][0]
        assert goal["heading"] == "Mục tiêu" and "style" not in goal  # dashes at depth 3
        assert goal["items"][0].startswith("100% văn bản quy phạm pháp luật được cập nhật")
        assert "closing" not in form  # the plan has no "Trên đây là …"
        opening = form["opening"]
        assert len(opening["bases"]) == 3 and "style" not in opening and "lead" not in opening
        assert opening["enacting"].startswith("Chủ tịch Ủy ban nhân dân tỉnh Lâm Đồng ban hành")
        assert form["signer"]["collective"] is False  # KT. CHỦ TỊCH with no TM. line
        (appendix,) = form["appendices"]
        assert appendix["title"] == "Phân công thực hiện nhiệm vụ cải cách hành chính năm 2026"
        assert appendix["reference"].startswith("(Ban hành kèm theo Kế hoạch số")
        assert [c["field"] for c in appendix["columns"]] == [
            "number", "name", "product", "time", "lead", "support", "monitor"]
        assert appendix["columns"][6]["title"] == "Theo dõi, kiểm tra, đôn đốc"
        groups = appendix["tasks"]
        assert [g["group"] for g in groups][:2] == ["Cải cách thể chế",
                                                    "Cải cách thủ tục hành chính"]
        assert [len(g["tasks"]) for g in groups] == [4, 12, 5, 4, 6, 11, 7]
        second = groups[6]["tasks"][1]
        assert second["rows"][0]["product"].startswith("Kế hoạch tự kiểm tra")  # same task
        text = result.form.read_text("utf-8")
        assert "Kinh phí thực hiện" in text and "kh-gen still writes" not in text


def test_a_programme_plan_keeps_targets_inline_assignments_and_its_opening(
        tmp_path: Path) -> None:
    for suffix in ("docx", "txt"):
        result = import_plan(real("lam-dong-pcmt-2025", suffix), tmp_path / f"p-{suffix}.yaml")
        form = form_of(result.form)
        assert form["title"] == ["Triển khai thực hiện Chương trình mục tiêu quốc gia",
                                 "phòng, chống ma túy đến năm 2030"]
        assert form["year"] == 2025  # the date's year, not "đến năm 2030"
        headings = [s["heading"] for s in form["sections"]]
        assert headings == ["Mục đích, yêu cầu", "Chỉ tiêu chủ yếu thực hiện đến năm 2030",
                            "Nội dung, giải pháp trọng tâm và phân công nhiệm vụ",
                            "Tổ chức thực hiện"]
        purpose, targets, contents, implementation = form["sections"]
        assert purpose["part"] == "purpose" and purpose["style"] == "dashes"
        assert targets["part"] == "targets" and len(targets["items"]) == 9
        assert len(contents["items"]) == 10 and all("heading" in i for i in contents["items"])
        police = contents["items"][0]["items"][1]
        assert police["heading"] == "Công an tỉnh" and police["style"] == "paragraphs"
        finance = contents["items"][7]["items"][0]["items"][0]
        assert finance["text"].startswith("Tham mưu Ủy ban nhân dân tỉnh xây dựng")
        assert len(finance["items"]) == 3  # the "+" entries under the "-" entry
        assert implementation["style"] == "numbers" and len(implementation["items"]) == 3
        opening = form["opening"]
        assert (opening["lead"], opening["style"]) == ("Thực hiện", "sentence")
        assert opening["bases"][0].startswith("Quyết định số 7619/QĐ-BCA ngày 08/9/2025")
        assert opening["enacting"].startswith("Ủy ban nhân dân tỉnh Lâm Đồng xây dựng kế hoạch")
        assert "appendices" not in form and "closing" not in form
        recipients = form["recipients"]
        assert {"archive": "VT, NC.Châu"} in recipients and len(recipients) == 9
        slips = [str(n) for n in result.report.of_kind("slip")]
        assert any("'10.' where '9.' was due" in s for s in slips), slips


WEB_PLAN = """\
Kế hoạch tổ chức Hội thi tìm hiểu pháp luật năm 2025

Tiếp tục thực hiện Kế hoạch số 20/KH-UBND ngày 10/01/2025 của Ủy ban nhân dân huyện về phổ \
biến, giáo dục pháp luật năm 2025, Ủy ban nhân dân xã Tân Phú ban hành Kế hoạch tổ chức Hội thi \
tìm hiểu pháp luật năm 2025 như sau:

Mục đích, yêu cầu: Nâng cao hiểu biết pháp luật của cán bộ và Nhân dân.

Hội thi phải thiết thực, tiết kiệm.

Thời gian thực hiện: Tháng 9 năm 2025.

Lịch tổ chức:

TT\tNội dung\tThời gian
1\tSơ khảo\tNgày 05/9/2025
2\tChung khảo\tNgày 20/9/2025

Kinh phí thực hiện: Từ ngân sách xã năm 2025./.

Nơi nhận:
- UBND huyện;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lê Văn Tâm
"""


def test_a_plan_copied_from_a_web_page_keeps_its_label_headings_and_its_table(
        tmp_path: Path) -> None:
    plan = tmp_path / "web.txt"
    plan.write_text(WEB_PLAN, encoding="utf-8")
    result = import_plan(plan, tmp_path / "web.yaml")
    form = form_of(result.form)
    assert form["title"] == "Tổ chức Hội thi tìm hiểu pháp luật năm 2025"
    assert form["opening"]["lead"] == "Tiếp tục thực hiện"
    assert form["opening"]["enacting"].startswith("Ủy ban nhân dân xã Tân Phú ban hành")
    sections = form["sections"]
    assert [s["heading"] for s in sections] == ["Mục đích, yêu cầu", "Thời gian thực hiện",
                                                "Kinh phí thực hiện"]
    assert sections[0]["items"] == ["Nâng cao hiểu biết pháp luật của cán bộ và Nhân dân.",
                                    "Hội thi phải thiết thực, tiết kiệm."]
    schedule = sections[1]
    assert schedule["part"] == "schedule"
    table = schedule["items"][1]["items"][0]["table"] if "text" in schedule["items"][1] else \
        schedule["items"][2]["table"]
    assert table["columns"] == ["TT", "Nội dung", "Thời gian"]
    assert table["rows"][1] == ["2", "Chung khảo", "Ngày 20/9/2025"]
    assert sections[2]["items"] == ["Từ ngân sách xã năm 2025."]  # kh-gen writes "./."
    assert "closing" not in form
    assert form["signer"] == {"authority": "KT", "title": "Phó Chủ tịch",
                              "name": "Lê Văn Tâm", "collective": False}
    check_form(result.form)  # raises on any error


def test_a_label_heading_naming_two_parts_is_a_heading_of_no_part(tmp_path: Path) -> None:
    """'Nội dung hoạt động:' names the contents and the activities: a heading all the same,
    kept where it stands, with no part rather than a guessed one."""
    plan = tmp_path / "web.txt"
    plan.write_text(WEB_PLAN.replace("Kinh phí thực hiện:", "Nội dung hoạt động:\n"
                                     "1. Thi viết.\n2. Thi sân khấu hóa.\n\n"
                                     "Kinh phí thực hiện:", 1), encoding="utf-8")
    assert "Nội dung hoạt động:" in plan.read_text(encoding="utf-8")
    form = form_of(import_plan(plan, tmp_path / "web.yaml").form)
    activities = form["sections"][2]
    assert activities["heading"] == "Nội dung hoạt động" and "part" not in activities
    assert activities["items"] == ["Thi viết.", "Thi sân khấu hóa."]
    assert form["sections"][3]["heading"] == "Kinh phí thực hiện"


def test_sections_lettered_a_b_c_are_numbered_as_kh_gen_numbers_them(tmp_path: Path) -> None:
    text = (IMPORT_DATA / "xa-2026.txt").read_text("utf-8")
    assert "\nI. MỤC ĐÍCH, YÊU CẦU\n" in text and "\nII. " in text
    for roman, letter in (("I. ", "A. "), ("II. ", "B. "), ("III. ", "C. "), ("IV. ", "D. "),
                           ("V. ", "Đ. ")):
        text = text.replace(f"\n{roman}", f"\n{letter}")
    plan = tmp_path / "lettered.txt"
    plan.write_text(text, encoding="utf-8")
    result = import_plan(plan, tmp_path / "lettered.yaml")
    original = form_of(import_plan(IMPORT_DATA / "xa-2026.txt", tmp_path / "o.yaml").form)
    assert [s.get("heading") for s in form_of(result.form)["sections"]] == \
        [s.get("heading") for s in original["sections"]]
    assert any("'A.' before the section heading" in n.message
               for n in result.report.of_kind("guess"))


DEPARTMENT_PLAN = """UBND TỈNH ĐỒNG NAI
SỞ NỘI VỤ
Số: 210/KH-SNV
Đồng Nai, ngày 05 tháng 02 năm 2026

KẾ HOẠCH
Thi đua, khen thưởng năm 2026

Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;
Sở Nội vụ xây dựng Kế hoạch thi đua, khen thưởng năm 2026 như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Động viên công chức hoàn thành tốt nhiệm vụ.
2. Việc bình xét thi đua phải công khai, minh bạch.
II. TỔ CHỨC THỰC HIỆN
Văn phòng Sở tham mưu triển khai Kế hoạch này.

Nơi nhận:
- UBND tỉnh;
- Lưu: VT, VP.
GIÁM ĐỐC

Trần Văn Nam
"""


def test_a_department_s_plan_keeps_its_governing_body_and_its_director_signs(
        tmp_path: Path) -> None:
    """A body under its governing committee (a Sở under the UBND tỉnh): the header names the
    committee above the body, and the director signs in the body's own name, no "TM." line."""
    plan = tmp_path / "so-noi-vu.txt"
    plan.write_text(DEPARTMENT_PLAN, encoding="utf-8")
    result = import_plan(plan, tmp_path / "so-noi-vu.yaml")
    issuer = form_of(result.form)["issuer"]
    assert (issuer["name"], issuer["governing_body"], issuer["code"], issuer["collective"],
            issuer["locality"], issuer["level"]) == \
        ("Sở Nội vụ", "UBND TỈNH ĐỒNG NAI", "SNV", False, "tỉnh Đồng Nai", "tinh")
    assert form_of(result.form)["signer"] == {"authority": "TM", "title": "Giám đốc",
                                              "name": "Trần Văn Nam"}
    checked = check_form(result.form)
    assert not [p for p in checked.warnings if p.rule.startswith("signer")]
    built = render(checked, "txt").decode("utf-8").splitlines()
    assert built[:3] == ["UBND TỈNH ĐỒNG NAI", "SỞ NỘI VỤ", "Số: 210/KH-SNV"]
    signature = built[built.index("- Lưu: VT, VP.") + 1:]
    assert [line for line in signature if line] == ["GIÁM ĐỐC", "Trần Văn Nam"]


def _cell(text: str, span: int = 1, merge: str | None = None) -> str:
    props = (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + (
        f'<w:vMerge w:val="{merge}"/>' if merge == "restart" else
        "<w:vMerge/>" if merge else "")
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{clerk.para(text)}</w:tc>"


def _row(*cells: str) -> str:
    return f"<w:tr>{''.join(cells)}</w:tr>"


def test_footnotes_two_appendices_groups_and_merged_rows(tmp_path: Path) -> None:
    head = _row(*(_cell(t) for t in ("TT", "Nội dung công việc", "Đơn vị chủ trì",
                                      "Đơn vị phối hợp", "Thời gian", "Ghi chú")))
    rows = [
        _row(_cell("I", 1), _cell("Kiểm tra công tác cải cách hành chính", 5)),
        _row(_cell("1", merge="restart"), _cell("Kiểm tra các phòng", merge="restart"),
             _cell("Phòng Văn hóa - Xã hội"), _cell("Văn phòng"), _cell("Quý II"), _cell("")),
        _row(_cell("", merge="continue"), _cell("", merge="continue"),
             _cell("Văn phòng HĐND và UBND"), _cell(""), _cell("Quý III"), _cell("")),
        _row(_cell("2"), _cell("Kiểm tra các xã"), _cell("Phòng Văn hóa - Xã hội"), _cell(""),
             _cell("Quý IV"), _cell("Báo cáo")),
    ]
    table = f"<w:tbl>{head}{''.join(rows)}</w:tbl>"
    note = '<w:r><w:footnoteReference w:id="3"/></w:r>'
    body = "".join([
        clerk.para("KẾ HOẠCH"), clerk.para("Kiểm tra công tác cải cách hành chính năm 2026"),
        clerk.para("Căn cứ Kế hoạch số 5/KH-UBND ngày 05/01/2026 của Ủy ban nhân dân huyện;",
                   note),
        clerk.para("Ủy ban nhân dân xã Tân Hội ban hành Kế hoạch kiểm tra như sau:"),
        clerk.para("I. MỤC ĐÍCH, YÊU CẦU"), clerk.para("Đánh giá đúng kết quả cải cách."),
        clerk.para("II. TỔ CHỨC THỰC HIỆN"), clerk.para("Các phòng thực hiện theo Phụ lục I."),
        clerk.para("Trên đây là Kế hoạch kiểm tra công tác cải cách hành chính năm 2026."),
        clerk.para("Nơi nhận:"), clerk.para("- Lưu: VT."), clerk.para("TM. ỦY BAN NHÂN DÂN"),
        clerk.para("CHỦ TỊCH"), clerk.para("Trần Văn Bình"),
        clerk.para("PHỤ LỤC I"), clerk.para("LỊCH KIỂM TRA"),
        clerk.para("(Kèm theo Kế hoạch số 12/KH-UBND ngày 15/01/2026)"), table,
        clerk.para("PHỤ LỤC II"), clerk.para("ĐỀ CƯƠNG BÁO CÁO"),
        clerk.para("I. KẾT QUẢ ĐẠT ĐƯỢC"), clerk.para("1. Công tác chỉ đạo"),
        clerk.para("2. Cải cách thủ tục hành chính"), clerk.para("II. KIẾN NGHỊ"),
    ])
    notes = (f'<w:footnotes xmlns:w="{clerk.W}"><w:footnote w:type="separator" w:id="0">'
             f'<w:p><w:r><w:t>—</w:t></w:r></w:p></w:footnote><w:footnote w:id="3">'
             f'<w:p><w:r><w:t>Đã sửa đổi năm 2025.</w:t></w:r></w:p></w:footnote>'
             f'</w:footnotes>')
    plan = clerk.raw_docx(tmp_path / "kt.docx", body, {"word/footnotes.xml": notes})
    result = import_plan(plan, tmp_path / "kt.yaml")
    form = form_of(result.form)
    assert form["opening"]["bases"] == [
        "Kế hoạch số 5/KH-UBND ngày 05/01/2026 của Ủy ban nhân dân huyện[^1]"]
    assert form["footnotes"] == {1: "Đã sửa đổi năm 2025."}
    assert form["closing"] == ("Trên đây là Kế hoạch kiểm tra công tác cải cách hành chính "
                               "năm 2026")
    assert "collective" not in form["signer"]
    first, second = form["appendices"]
    assert first["heading"] == "PHỤ LỤC" and first["title"] == "Lịch kiểm tra"  # as written
    assert [c["title"] for c in first["columns"]] == ["TT", "Nội dung công việc",
                                                      "Đơn vị chủ trì", "Đơn vị phối hợp",
                                                      "Thời gian", "Ghi chú"]
    (group,) = first["tasks"]
    assert group["group"] == "Kiểm tra công tác cải cách hành chính"
    merged, other = group["tasks"]
    assert merged["task"] == "Kiểm tra các phòng" and merged["lead"] == "Phòng Văn hóa - Xã hội"
    assert merged["rows"] == [{"time": "Quý III", "lead": "Văn phòng HĐND và UBND"}]
    assert other["notes"] == "Báo cáo"
    assert second["title"] == "Đề cương báo cáo" and "columns" not in second
    assert [s["heading"] for s in second["sections"]] == ["Kết quả đạt được", "Kiến nghị"]
    assert second["sections"][0]["style"] == "numbers"
    assert any("1 footnote reference kept as a footnote" in line
               for line in result.report.reading)
    check_form(result.form)
    built, _ = build_form(result.form, tmp_path / "kt-built.docx")
    rebuilt = docx_text(built)
    assert "Đã sửa đổi năm 2025." not in rebuilt  # a footnote, not a paragraph
    import zipfile
    assert "Đã sửa đổi năm 2025." in zipfile.ZipFile(built).read(
        "word/footnotes.xml").decode("utf-8")
    for words_of in ("Kiểm tra các phòng", "Văn phòng HĐND và UBND", "Quý III", "Kiến nghị"):
        assert words_of.lower() in rebuilt.lower(), words_of


def test_no_heading_is_written_that_the_plan_does_not_have(tmp_path: Path) -> None:
    result = import_plan(seed("hong-ngu-2024"), tmp_path / "hn.yaml")
    form = form_of(result.form)
    headings = [s["heading"] for s in form["sections"]]
    assert headings == ["Mục đích, yêu cầu", "Nội dung, hình thức tuyên truyền",
                        "Hoạt động tuyên truyền trọng tâm", "Kinh phí thực hiện",
                        "Tổ chức thực hiện"]
    assert not [n for n in result.report.notes if "still writes" in n.message]
    tasks = form["sections"][2]["items"]  # five activities, written as kh-gen writes tasks
    assert [t["task"] for t in tasks][:2] == ["Tuyên truyền trực quan",
                                              "Tuyên truyền trên các kênh thông tin đại chúng"]
    assert tasks[0]["lead"] == "Phòng Nội vụ, Phòng Văn hóa và Thông tin"
    assert tasks[0]["content"].startswith("Thiết kế, xây dựng các panô")
    assert [len(t.get("subtasks", [])) for t in tasks] == [0, 2, 0, 0, 0]
    assert form["opening"]["style"] == "sentence" and form["opening"]["dates"] == "long"
    assert form["date"] == "2024-01"


def test_numbering_slips_are_corrected_and_reported(tmp_path: Path) -> None:
    result = import_plan(seed("duong-kinh-2023"), tmp_path / "dk.yaml")
    slips = [str(n) for n in result.report.of_kind("slip")]
    assert any("was run into the paragraph before it" in s for s in slips), slips
    assert any("'đ)' repeats the label before it; kh-gen numbers it 'e)'" in s
               for s in slips), slips
    text = (tmp_path / "dk.yaml").read_text(encoding="utf-8")
    assert "đ) " not in text and "\n- a) " not in text  # no typed labels left in the form
    form = form_of(result.form)
    contents = form["sections"][1]["items"][0]
    assert contents["heading"] == "Nội dung tuyên truyền"
    assert len(contents["items"]) == 7  # d) and the run-together đ) are two entries


def test_another_commune_plan_in_another_style(tmp_path: Path) -> None:
    result = import_plan(IMPORT_DATA / "xa-2026.txt", tmp_path / "xa.yaml")
    form = form_of(result.form)
    assert form["issuer"] == {"locality": "xã An Thới Đông", "level": "xa", "unit": "xã",
                              "place": "An Thới Đông"} | {k: form["issuer"][k] for k in
                                                          form["issuer"] if k not in (
                                                              "locality", "level", "unit",
                                                              "place")}
    assert form["number"] == 15
    assert len(form["opening"]["bases"]) == 3
    assert form["opening"]["bases"][0] == "Luật Tổ chức chính quyền địa phương ngày 16 " \
                                          "tháng 6 năm 2025"
    headings = [s["heading"] for s in form["sections"]]
    assert "Chế độ báo cáo" in headings  # a section no kind names is kept as it is
    reporting = form["sections"][headings.index("Chế độ báo cáo")]
    assert reporting["part"] == "reporting"
    implementation = form["sections"][headings.index("Tổ chức thực hiện")]["items"]
    assert implementation[0]["agency"] == "Văn phòng HĐND và UBND"  # "Name: duty" cut
    assert implementation[0]["duties"] == ["Chủ trì, theo dõi, tổng hợp kết quả thực hiện "
                                           "Kế hoạch."]
    assert result.draft.sections[4].items[2].request  # "Đề nghị …"
    assert form["signer"]["name"] == "Trần Văn Bình"
    assert {"archive": "VT, VHXH"} in form["recipients"]
    notes = [str(n) for n in result.report.notes]
    assert any("'d)' where 'c)' was due" in n for n in notes), notes
    (appendix,) = form["appendices"]
    assert appendix["numbering"] == "continue"  # TT 3 opens group II
    assert [len(g["tasks"]) for g in appendix["tasks"]] == [2, 1]


def test_a_header_whose_columns_a_pdf_ran_together_is_cut_apart(tmp_path: Path) -> None:
    lines = (IMPORT_DATA / "xa-2026.txt").read_text("utf-8").splitlines()
    plan = tmp_path / "pdf.txt"
    plan.write_text("\n".join([*(" ".join(x.split()) for x in lines[:3]), *lines[3:]]),
                    encoding="utf-8")
    form = form_of(import_plan(plan, tmp_path / "pdf.yaml").form)
    assert (form["issuer"]["locality"], form["number"], str(form["date"])) == \
        ("xã An Thới Đông", 15, "2026-01-08")


def test_a_closing_whose_columns_a_copy_ran_together_is_cut_apart(tmp_path: Path) -> None:
    """Recipients on the left, the signature on the right, run into single lines by a copy
    that lost the layout: each piece still goes to its column."""
    text = (IMPORT_DATA / "xa-2026.txt").read_text("utf-8")
    closing = ("Nơi nhận:\tTM. ỦY BAN NHÂN DÂN\n- UBND Thành phố;\tCHỦ TỊCH\n"
               "- Thường trực Đảng ủy xã;\n- Lưu: VT, VHXH.\n\tTrần Văn Bình\n")
    assert closing in text
    ran = ("Nơi nhận: TM. ỦY BAN NHÂN DÂN\n- UBND Thành phố; CHỦ TỊCH\n"
           "- Thường trực Đảng ủy xã;\n- Lưu: VT, VHXH. Trần Văn Bình\n")
    plan = tmp_path / "web.txt"
    plan.write_text(text.replace(closing, ran), encoding="utf-8")
    form = form_of(import_plan(plan, tmp_path / "web.yaml").form)
    original = form_of(import_plan(IMPORT_DATA / "xa-2026.txt", tmp_path / "o.yaml").form)
    assert form["recipients"] == original["recipients"]
    assert form["signer"] == original["signer"] == {"authority": "TM", "title": "Chủ tịch",
                                                     "name": "Trần Văn Bình"}


def test_word_heading_and_list_styles_give_the_levels(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Tuyên truyền cải cách hành chính năm 2026", style="Heading 1")
    document.add_paragraph("Ủy ban nhân dân xã Tân Hội ban hành Kế hoạch tuyên truyền cải "
                           "cách hành chính năm 2026 như sau:")
    document.add_paragraph("MỤC ĐÍCH, YÊU CẦU", style="Heading 1")
    document.add_paragraph("Mục đích", style="Heading 2")
    document.add_paragraph("Nâng cao nhận thức.", style="List Bullet")
    document.add_paragraph("Yêu cầu", style="Heading 2")
    document.add_paragraph("Thường xuyên.")
    document.add_paragraph("KINH PHÍ THỰC HIỆN", style="Heading 1")
    document.add_paragraph("Ngân sách xã.")
    document.save(str(tmp_path / "styled.docx"))
    result = import_plan(tmp_path / "styled.docx", tmp_path / "styled.yaml")
    form = form_of(result.form)
    assert form["title"] == "Tuyên truyền cải cách hành chính năm 2026"
    assert form["opening"] == {"bases": [], "enacting": "Ủy ban nhân dân xã Tân Hội ban hành "
                               "Kế hoạch tuyên truyền cải cách hành chính năm 2026 như sau:"}
    purpose, funding = form["sections"]
    assert purpose["items"][0] == {"heading": "Mục đích", "part": "objectives",
                                   "style": "dashes", "items": ["Nâng cao nhận thức."]}
    assert purpose["items"][1]["items"] == ["Thường xuyên."]
    assert purpose["items"][1]["style"] == "paragraphs"
    assert funding == {"heading": "Kinh phí thực hiện", "part": "funding",
                       "items": ["Ngân sách xã."]}
    assert (form["issuer"]["locality"], form["issuer"]["level"]) == ("xã Tân Hội", "xa")


def test_merged_cells_and_page_broken_rows_are_mended(tmp_path: Path) -> None:
    plan = clerk.make(seed("hai-phong-2019").read_text("utf-8"), tmp_path / "hp.docx",
                      "merged")
    result = import_plan(plan, tmp_path / "hp.yaml")
    (appendix,) = form_of(result.form)["appendices"]
    tasks = appendix["tasks"]
    assert len(tasks) == 17
    assert {t["time"] for t in tasks} == {"Cả năm 2019"}  # merged down, read into every row
    assert tasks[0]["lead"] == "Sở Thông tin và Truyền thông" == tasks[1]["lead"]
    text_result = import_plan(seed("hai-phong-2019"), tmp_path / "hp-text.yaml")
    assert any("broken by a page was joined" in str(n)
               for n in text_result.report.of_kind("mended"))


@pytest.mark.parametrize("variant", clerk.VARIANTS)
@pytest.mark.parametrize("name", SEEDS)
def test_clerk_docx_gives_the_same_form_as_the_text(name: str, variant: str,
                                                    tmp_path: Path) -> None:
    plan = clerk.make(seed(name).read_text(encoding="utf-8"), tmp_path / f"{name}.docx",
                      variant)
    from_docx = form_of(import_plan(plan, tmp_path / "d.yaml").form)
    from_text = form_of(import_plan(seed(name), tmp_path / "t.yaml").form)
    assert [s.get("heading") for s in from_docx["sections"]] == \
        [s.get("heading") for s in from_text["sections"]]
    assert similarity(yaml.safe_dump(from_text["sections"], allow_unicode=True),
                      yaml.safe_dump(from_docx["sections"], allow_unicode=True)) >= 0.98


def test_cli_import_prints_the_report_and_writes_the_form(tmp_path: Path) -> None:
    target = tmp_path / "dk.yaml"
    result = CliRunner().invoke(main, ["import", str(seed("duong-kinh-2023")), "-o",
                                       str(target)])
    assert result.exit_code == 0, result.output
    assert f"imported into {target}" in result.output
    assert "numbering slips corrected: 3" in result.output
    assert "section I:    'Mục đích, yêu cầu' (part purpose)" in result.output
    assert target.exists()


def test_import_does_not_replace_an_existing_form_unless_told(tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text(seed("hong-ngu-2024").read_text("utf-8"), encoding="utf-8")
    existing = tmp_path / "plan.yaml"
    existing.write_text("# edited by hand\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(plan)])
    assert result.exit_code == 1
    assert f"{existing}: error: exists and was not written by kh-gen" in result.output
    assert existing.read_text(encoding="utf-8") == "# edited by hand\n"
    result = CliRunner().invoke(main, ["import", str(plan), "-o", str(existing)])
    assert result.exit_code == 1  # naming it is not enough: it is not kh-gen's
    assert existing.read_text(encoding="utf-8") == "# edited by hand\n"
    result = CliRunner().invoke(main, ["import", str(plan), "--force"])
    assert result.exit_code == 0, result.output
    assert "year: 2024" in existing.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(plan)])  # its own form, unchanged
    assert result.exit_code == 0, result.output


def test_the_form_lists_its_keys_in_the_documented_order(tmp_path: Path) -> None:
    result = import_plan(real("lam-dong-cchc-2026", "txt"), tmp_path / "c.yaml")
    keys = list(form_of(result.form))
    order = ["kind", "year", "issuer", "number", "date", "title", "opening", "sections",
             "closing", "recipients", "signer", "appendices", "footnotes"]
    assert keys == [k for k in order if k in keys]
    section = form_of(result.form)["sections"][0]
    assert list(section) == [k for k in ("heading", "part", "style", "items") if k in section]


EXAMPLES = sorted((IMPORT_DATA.parent.parent.parent / "examples").glob("*.yaml"))


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_kh_gen_own_docx_imports_back_to_the_same_plan(example: Path, tmp_path: Path) -> None:
    """A plan kh-gen wrote (header and closing tables, landscape appendix) reads back whole."""
    plan, _ = build_form(example, tmp_path / "plan.docx")
    result = import_plan(plan, tmp_path / "back.yaml")
    check_form(result.form)
    rebuilt, _ = build_form(result.form, tmp_path / "back.docx")
    assert similarity(docx_text(plan), docx_text(rebuilt)) >= 0.99
    assert not result.report.of_kind("unclassified")


@pytest.mark.parametrize("kind", ["ke-hoach", "tuyen-truyen-cchc", "cai-cach-hanh-chinh"])
def test_a_new_plan_of_each_kind_imports_back(kind: str, tmp_path: Path) -> None:
    form = tmp_path / "new.yaml"
    made = CliRunner().invoke(main, ["new", "--kind", kind, "--level", "xa", "--locality",
                                     "xã Tân Hội", "--year", "2026", "-o", str(form)])
    assert made.exit_code == 0, made.output
    plan, _ = build_form(form, tmp_path / "new.docx")
    result = import_plan(plan, tmp_path / "back.yaml")
    check_form(result.form)
    rebuilt, _ = build_form(result.form, tmp_path / "back.docx")
    assert similarity(docx_text(plan), docx_text(rebuilt)) >= 0.99
    appendix = form_of(result.form)["appendices"][0]
    assert "heading" not in appendix and appendix["tasks"]  # "Phụ lục", then its title


def test_entries_of_known_parts_matching_the_catalogue_become_references(
        tmp_path: Path) -> None:
    result = import_plan(seed("duong-kinh-2023"), tmp_path / "dk.yaml")
    purpose = form_of(result.form)["sections"][0]
    listed = [e for s in purpose["items"] for e in s["items"]]
    refs = [e for e in listed if isinstance(e, dict) and "ref" in e]
    assert len(refs) >= 8, refs  # the catalogue holds this plan's objectives and requirements
    assert len(refs) > len([e for e in refs if "text" in e])  # most match word for word
    check_form(result.form)


def test_the_implementation_section_names_its_agencies(tmp_path: Path) -> None:
    result = import_plan(seed("hai-phong-2019"), tmp_path / "hp.yaml")
    form = form_of(result.form)
    (implementation,) = [s for s in form["sections"] if s.get("part") == "implementation"]
    agencies = implementation["items"]
    assert len(agencies) == 12 and all("duties" in a for a in agencies)
    assert agencies[0]["ref"] == "agency.tinh.so-thong-tin-truyen-thong"
    assert len(agencies[0]["duties"]) == 6
    requested = [a for a in result.draft.sections[3].items if getattr(a, "request", False)]
    assert [a.name for a in requested] == ["Ban Tuyên giáo Thành ủy", "Ban Dân vận Thành ủy",
                                           "Thành đoàn Hải Phòng"]
    check_form(result.form)


def test_labels_typed_with_a_slash_and_a_plan_numbered_from_1(tmp_path: Path) -> None:
    plan = tmp_path / "slash.txt"
    plan.write_text("KẾ HOẠCH\nPhát động phong trào thi đua năm 2026\n"
                    "I/ MỤC ĐÍCH, YÊU CẦU\n1/ Mục đích\na/ Động viên cán bộ.\nb/ Biểu dương.\n"
                    "II/ KHEN THƯỞNG\nTổng kết cuối năm.\n", encoding="utf-8")
    form = form_of(import_plan(plan, tmp_path / "slash.yaml").form)
    assert [s["heading"] for s in form["sections"]] == ["Mục đích, yêu cầu", "Khen thưởng"]
    assert form["sections"][0]["items"][0] == {"heading": "Mục đích", "part": "objectives",
                                               "items": ["Động viên cán bộ.", "Biểu dương."]}
    plan.write_text("KẾ HOẠCH\nPhát động phong trào thi đua năm 2026\n1. Mục đích, yêu cầu\n"
                    "- Động viên cán bộ.\n2. Khen thưởng\nTổng kết cuối năm.\n",
                    encoding="utf-8")
    result = import_plan(plan, tmp_path / "one.yaml")
    check_form(result.form)
    built, _ = build_form(result.form, tmp_path / "one.docx")
    rebuilt = docx_text(built)
    assert "1. Mục đích, yêu cầu\n- Động viên cán bộ.\n2. Khen thưởng" in rebuilt  # as written
    form = form_of(result.form)
    (text,) = form["sections"]  # unnumbered text holding sections 1. and 2., as written
    assert "heading" not in text
    assert [s["heading"] for s in text["items"]] == ["Mục đích, yêu cầu", "Khen thưởng"]


def test_tables_with_gaps_still_give_a_form_that_checks(tmp_path: Path) -> None:
    plan = tmp_path / "gaps.txt"
    plan.write_text("KẾ HOẠCH\nKiểm tra năm 2026\nI. LỊCH KIỂM TRA\n"
                    "TT\t\tThời gian\n1\tXã A\tQuý I\t(thêm)\nĐoàn kiểm tra theo lịch trên.\n"
                    "Nơi nhận:\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nTrần Văn Bình\n"
                    "PHỤ LỤC\nPHÂN CÔNG\nSTT\tNhiệm vụ\tChủ trì\n\t\tPhòng Văn hóa - Xã hội\n"
                    "1\tTuyên truyền\tVăn phòng HĐND và UBND\n", encoding="utf-8")
    result = import_plan(plan, tmp_path / "gaps.yaml")
    form = form_of(result.form)
    table = form["sections"][0]["items"][0]["table"]
    assert table["columns"] == ["TT", "…", "Thời gian", "…"]  # every column has a title
    assert form["appendices"][0]["tasks"][0]["task"] == "…"
    check_form(result.form)
