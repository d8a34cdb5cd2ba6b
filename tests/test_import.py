"""Import: a plan's text or DOCX → a form that `check` accepts and `build` turns back into it."""

from __future__ import annotations

import difflib
import importlib.util
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kh_gen import build_form, check_form, load_form
from kh_gen.cli import main
from kh_gen.importing import import_plan

from .conftest import part_entries


def section_of(form, part):  # type: ignore[no-untyped-def]
    """The first section, at any depth, that plays `part`."""
    from kh_gen.form import Section

    stack = list(form.sections)
    while stack:
        section = stack.pop(0)
        if section.part == part:
            return section
        stack[0:0] = [b for b in section.items if isinstance(b, Section)]
    raise AssertionError(f"no section plays {part}")

IMPORT_DATA = Path(__file__).resolve().parent / "data" / "import"
SEEDS = ("duong-kinh-2023", "hong-ngu-2024", "hai-phong-2019")
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


def seed(name: str) -> Path:
    return IMPORT_DATA / "seeds" / f"{name}.txt"


def round_trip(plan: Path, tmp_path: Path) -> tuple[str, object]:
    result = import_plan(plan, tmp_path / "form.yaml")
    target, _ = build_form(result.form, tmp_path / "rebuilt.txt", "txt")
    return target.read_text(encoding="utf-8"), result


@pytest.mark.parametrize("name", SEEDS)
def test_seed_text_round_trip_gives_back_the_plan(name: str, tmp_path: Path) -> None:
    rebuilt, result = round_trip(seed(name), tmp_path)
    ratio = similarity(seed(name).read_text(encoding="utf-8"), rebuilt)
    assert ratio >= 0.98, (name, ratio)
    check_form(result.form)  # raises on any error


@pytest.mark.parametrize("variant", clerk.VARIANTS)
@pytest.mark.parametrize("name", SEEDS)
def test_clerk_docx_round_trip_gives_back_the_plan(name: str, variant: str,
                                                    tmp_path: Path) -> None:
    plan = clerk.make(seed(name).read_text(encoding="utf-8"), tmp_path / f"{name}.docx",
                      variant)
    rebuilt, result = round_trip(plan, tmp_path)
    ratio = similarity(seed(name).read_text(encoding="utf-8"), rebuilt)
    assert ratio >= 0.98, (name, variant, ratio)
    if variant == "auto":
        assert any("automatic numbering" in line for line in result.report.reading)


EXAMPLES = sorted((IMPORT_DATA.parent.parent.parent / "examples").glob("*.yaml"))


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_kh_gen_own_docx_imports_back_to_the_same_plan(example: Path, tmp_path: Path) -> None:
    """A plan kh-gen wrote (header and closing tables, landscape appendix) reads back whole."""
    plan, _ = build_form(example, tmp_path / "plan.docx")
    expected, _ = build_form(example, tmp_path / "expected.txt", "txt")
    rebuilt, result = round_trip(plan, tmp_path)
    assert similarity(expected.read_text("utf-8"), rebuilt) >= 0.99
    assert not result.report.of_kind("unclassified")


def test_import_recovers_the_header_and_the_parts(tmp_path: Path) -> None:
    result = import_plan(seed("hai-phong-2019"), tmp_path / "hp.yaml")
    form, _ = load_form(result.form)
    assert form.issuer.locality == "thành phố Hải Phòng"
    assert form.issuer.level == "tinh"
    assert form.number == "42"
    assert (form.date.year, form.date.month, form.date.day) == (2019, 2, 1)
    assert [x.part for x in form.sections] == ["purpose", "contents", "tasks", "implementation",
                                               "funding"]
    assert section_of(form, "objectives").style == "dashes"
    assert form.signer.authority == "KT" and form.signer.name == "Nguyễn Xuân Bình"
    assert form.archive == "VT"
    requested = [a.name for a in result.draft.implementation if a.request]
    assert len(part_entries(form, "implementation")) == 12
    assert requested == ["Ban Tuyên giáo Thành ủy", "Ban Dân vận Thành ủy", "Thành đoàn Hải Phòng"]
    assert len(form.appendices[0].tasks) == 17
    assert form.appendices[0].columns[-1].title == "Ghi chú"


def test_inline_tasks_and_unnumbered_paragraphs(tmp_path: Path) -> None:
    result = import_plan(seed("hong-ngu-2024"), tmp_path / "hn.yaml")
    form, _ = load_form(result.form)
    assert not form.appendices
    assert form.opening.style == "sentence" and form.opening.dates == "long"
    assert section_of(form, "objectives").style == "paragraphs"
    tasks = [t for t in part_entries(form, "tasks") if hasattr(t, "subtasks")]
    assert [len(t.subtasks) for t in tasks] == [0, 2, 0, 0, 0]
    assert form.date.month == 1 and form.date.day is None
    assert section_of(form, "tasks").heading == "Hoạt động tuyên truyền trọng tâm"
    assert form.signer.authority == "TM" and form.signer.name == "Phạm Tấn Đạt"


def test_numbering_slips_are_corrected_and_reported(tmp_path: Path) -> None:
    result = import_plan(seed("duong-kinh-2023"), tmp_path / "dk.yaml")
    slips = [str(n) for n in result.report.of_kind("slip")]
    assert any("was run into the paragraph before it" in s for s in slips), slips
    assert any("'đ)' repeats the label before it; kh-gen numbers it 'e)'" in s
               for s in slips), slips
    text = (tmp_path / "dk.yaml").read_text(encoding="utf-8")
    assert "đ) " not in text and "\n- a) " not in text  # no typed labels left in the form
    form, _ = load_form(result.form)
    assert len(part_entries(form, "contents")) == 7  # d) and the run-together đ) are two entries


def test_paragraphs_matching_the_catalogue_become_references(tmp_path: Path) -> None:
    result = import_plan(seed("duong-kinh-2023"), tmp_path / "dk.yaml")
    form, _ = load_form(result.form)
    listed = (*part_entries(form, "objectives"), *part_entries(form, "requirements"))
    refs = [e.ref for e in listed if e.ref]
    assert len(refs) >= 8, refs  # the catalogue holds this plan's objectives and requirements
    overrides = [e for e in listed if e.ref and e.text]
    assert len(refs) > len(overrides)  # most match word for word; local wording is kept


def test_another_commune_plan_in_another_style(tmp_path: Path) -> None:
    result = import_plan(IMPORT_DATA / "xa-2026.txt", tmp_path / "xa.yaml")
    form, _ = load_form(result.form)
    assert (form.issuer.locality, form.issuer.level, form.issuer.unit, form.issuer.place) == \
        ("xã An Thới Đông", "xa", "xã", "An Thới Đông")
    assert form.number == "15" and (form.date.month, form.date.day) == (1, 8)
    assert form.opening.style == "list" and len(form.opening.bases) == 3
    assert form.opening.bases[0].text == "Luật Tổ chức chính quyền địa phương ngày 16 " \
                                          "tháng 6 năm 2025"
    assert [e.text for e in part_entries(form, "audience")] == [
        "Cán bộ, công chức xã; Nhân dân trên địa bàn xã."]
    nested = part_entries(form, "contents")[0].items[0]
    assert nested.items[0].text.startswith("Chương trình tổng thể")  # the "+" level
    first = part_entries(form, "implementation")[0]
    assert first.name == "Văn phòng HĐND và UBND"  # "Name: duty" cut at the colon
    assert first.duties[0].text.startswith("Chủ trì, theo dõi")
    assert result.draft.implementation[2].request is True  # "Đề nghị …"
    groups = form.appendices[0].tasks
    assert [len(g.subtasks) for g in groups] == [2, 1]
    assert form.signer.name == "Trần Văn Bình" and form.archive == "VT, VHXH"
    notes = [str(n) for n in result.report.notes]
    assert any("'d)' where 'c)' was due" in n for n in notes), notes
    assert any("CHẾ ĐỘ BÁO CÁO" in n and "unclassified" in n for n in notes), notes
    rebuilt, _ = build_form(result.form, tmp_path / "xa.txt", "txt")
    assert "Các đơn vị báo cáo kết quả trước ngày 15/12/2026." in rebuilt.read_text("utf-8")


def test_footnotes_and_textboxes_are_kept(tmp_path: Path) -> None:
    body = "".join([
        clerk.para("KẾ HOẠCH"), clerk.para("Tuyên truyền cải cách hành chính năm 2026"),
        clerk.para("I. MỤC ĐÍCH, YÊU CẦU"), clerk.para("1. Mục đích"),
        clerk.para("a) Nâng cao nhận thức.", '<w:r><w:footnoteReference w:id="2"/></w:r>'),
        clerk.para("2. Yêu cầu"), clerk.para("a) Thường xuyên."),
    ])
    notes = (f'<w:footnotes xmlns:w="{clerk.W}"><w:footnote w:type="separator" w:id="0">'
             f'<w:p><w:r><w:t>—</w:t></w:r></w:p></w:footnote><w:footnote w:id="2">'
             f'<w:p><w:r><w:t>Theo Kế hoạch số 5/KH-UBND.</w:t></w:r></w:p></w:footnote>'
             f'</w:footnotes>')
    plan = clerk.raw_docx(tmp_path / "note.docx", body, {"word/footnotes.xml": notes})
    result = import_plan(plan, tmp_path / "note.yaml")
    form, _ = load_form(result.form)
    assert part_entries(form, "objectives")[0].text == \
        "Nâng cao nhận thức.\n\nTheo Kế hoạch số 5/KH-UBND."
    assert any("footnotes kept" in line for line in result.report.reading)


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
    form, _ = load_form(result.form)
    assert form.title == ("Tuyên truyền cải cách hành chính năm 2026",)
    assert [e.text for e in part_entries(form, "objectives")] == ["Nâng cao nhận thức."]
    assert section_of(form, "objectives").style == "dashes"
    assert [e.text for e in part_entries(form, "requirements")] == ["Thường xuyên."]
    assert [e.text for e in part_entries(form, "funding")] == ["Ngân sách xã."]
    assert [x.part for x in form.sections] == ["purpose", "contents", "tasks", "funding",
                                               "implementation"]
    assert (form.issuer.locality, form.issuer.level) == ("xã Tân Hội", "xa")


def test_merged_cells_and_page_broken_rows_are_mended(tmp_path: Path) -> None:
    plan = clerk.make(seed("hai-phong-2019").read_text("utf-8"), tmp_path / "hp.docx",
                      "merged")
    result = import_plan(plan, tmp_path / "hp.yaml")
    assert (plan.stat().st_size and
            b"vMerge" in __import__("zipfile").ZipFile(plan).read("word/document.xml"))
    tasks = result.draft.tasks
    assert len(tasks) == 17
    assert {t.time for t in tasks} == {"Cả năm 2019"}  # merged down, read into every row
    assert tasks[0].lead == ["Sở Thông tin và Truyền thông"] == tasks[1].lead
    text_result = import_plan(seed("hai-phong-2019"), tmp_path / "hp-text.yaml")
    assert any("broken by a page was joined" in str(n)
               for n in text_result.report.of_kind("mended"))


def test_cli_import_prints_the_report_and_writes_the_form(tmp_path: Path) -> None:
    target = tmp_path / "dk.yaml"
    result = CliRunner().invoke(main, ["import", str(seed("duong-kinh-2023")), "-o",
                                       str(target)])
    assert result.exit_code == 0, result.output
    assert f"imported into {target}" in result.output
    assert "numbering slips corrected: 3" in result.output
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
