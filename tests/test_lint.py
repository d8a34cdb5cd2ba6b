"""The linter: one diagnostic per seeded mistake, at its line, with its rule id."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kh_gen import KhGenError, Sources, check_form
from kh_gen.cli import main

from .conftest import DATA

LINT = DATA / "lint"
SOURCES = Sources(catalog_dirs=(LINT / "catalog",))
_DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): "
                         r"(?P<severity>error|warning): (?P<message>.+) \[(?P<rule>[a-z-]+)\]$")


def _expected(form: Path) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(form.read_text(encoding="utf-8").splitlines(), 1):
        match = re.search(r"# expect: ([a-z-]+)", line)
        if match:
            found.append((number, match[1]))
    return sorted(found)


def test_each_seeded_mistake_gets_exactly_one_diagnostic_at_its_line() -> None:
    form = LINT / "mistakes.yaml"
    with pytest.raises(KhGenError) as caught:
        check_form(form, SOURCES)
    got = sorted((p.location.line, p.rule) for p in caught.value.problems)
    assert got == _expected(form)
    assert len(_expected(form)) == 17


def test_cli_prints_compiler_style_diagnostics() -> None:
    form = LINT / "mistakes.yaml"
    result = CliRunner().invoke(main, ["check", str(form), "--catalog", str(LINT / "catalog")])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == len(_expected(form))
    for line in lines:
        match = _DIAGNOSTIC.match(line)
        assert match, line
        assert match["file"] == str(form)


def test_successor_is_named_for_an_abolished_agency() -> None:
    with pytest.raises(KhGenError) as caught:
        check_form(LINT / "mistakes.yaml", SOURCES)
    (message,) = [p.message for p in caught.value.problems if p.rule == "agency-not-valid"]
    assert "ceased on 30/06/2025" in message and "Phòng Thử nghiệm xã" in message


def test_expired_basis_points_to_its_replacement() -> None:
    with pytest.raises(KhGenError) as caught:
        check_form(LINT / "mistakes.yaml", SOURCES)
    (message,) = [p.message for p in caught.value.problems if p.rule == "basis-expired"]
    assert "ref: basis.test-programme-2021-2030" in message


def test_warnings_print_but_do_not_stop_a_build(minimal_form: Path) -> None:
    text = minimal_form.read_text(encoding="utf-8")
    minimal_form.write_text(text.replace("  - Thường xuyên.", "  - Như năm 2020."),
                            encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(minimal_form)])
    assert result.exit_code == 0, result.output
    assert "[stale-year]" in result.output
    assert minimal_form.with_suffix(".docx").exists()


def test_strict_makes_warnings_fatal(minimal_form: Path) -> None:
    text = minimal_form.read_text(encoding="utf-8")
    minimal_form.write_text(text.replace("  - Thường xuyên.", "  - Như năm 2020."),
                            encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--strict", str(minimal_form)])
    assert result.exit_code == 1
    assert "warning:" in result.output and "[stale-year]" in result.output
    assert not minimal_form.with_suffix(".docx").exists()


def test_future_years_in_titles_are_not_stale(minimal_form: Path) -> None:
    text = minimal_form.read_text(encoding="utf-8")
    minimal_form.write_text(text.replace(
        "  - Thường xuyên.",
        "  - Thực hiện Đề án giai đoạn 2022 - 2025, tầm nhìn đến năm 2030."), encoding="utf-8")
    checked = check_form(minimal_form)
    assert not [p for p in checked.warnings if p.rule == "stale-year"]


def test_a_member_of_an_assigned_group_is_assigned(minimal_form: Path, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "groups.yaml").write_text(
        "- id: agency.test-press-group\n  name: Các cơ quan báo chí thử nghiệm\n  level: xa\n"
        "  source: test data\n"
        "- id: agency.test-newspaper\n  name: Báo Thử nghiệm\n  level: xa\n"
        "  part_of: [agency.test-press-group]\n  source: test data\n", encoding="utf-8")
    text = minimal_form.read_text(encoding="utf-8")
    text = text.replace("      lead: Văn phòng HĐND và UBND\n", "      lead: Báo Thử nghiệm\n")
    text = text.replace("  - agency: Công an xã\n",
                        "  - agency: Các cơ quan báo chí thử nghiệm\n"
                        "    duties: [Đưa tin.]\n  - agency: Công an xã\n")
    minimal_form.write_text(text, encoding="utf-8")
    checked = check_form(minimal_form, Sources(catalog_dirs=(catalog,)))
    assert not [p for p in checked.warnings if p.rule == "task-agency-unassigned"]
    text = text.replace("  - agency: Các cơ quan báo chí thử nghiệm\n    duties: [Đưa tin.]\n", "")
    minimal_form.write_text(text, encoding="utf-8")
    checked = check_form(minimal_form, Sources(catalog_dirs=(catalog,)))
    assert [p.rule for p in checked.warnings] == ["task-agency-unassigned"]


def test_an_agency_named_inside_a_group_heading_is_assigned(minimal_form: Path) -> None:
    text = minimal_form.read_text(encoding="utf-8")
    text = text.replace("  - agency: Công an xã\n",
                        "  - agency: Các phòng chuyên môn, Công an xã và các đoàn thể\n")
    minimal_form.write_text(text, encoding="utf-8")
    checked = check_form(minimal_form)
    assert not [p for p in checked.warnings if p.rule == "task-agency-unassigned"]


def test_an_abolished_agency_named_in_prose_is_an_error(minimal_form: Path) -> None:
    text = minimal_form.read_text(encoding="utf-8")
    minimal_form.write_text(text.replace("[Phối hợp tuyên truyền.]",
                                         "[Phối hợp với Sở Thông tin và Truyền thông.]"),
                            encoding="utf-8")
    with pytest.raises(KhGenError) as caught:
        check_form(minimal_form)
    (problem,) = caught.value.problems
    assert problem.rule == "agency-not-valid"
    assert "Sở Khoa học và Công nghệ" in problem.message


def test_a_requested_body_in_a_task_need_not_be_assigned(minimal_form: Path) -> None:
    text = minimal_form.read_text(encoding="utf-8")
    text = text.replace("      support: [Phòng Văn hóa - Xã hội, Công an xã]\n",
                        "      support: Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam xã phối hợp\n")
    text = text.replace("  - agency: Ủy ban Mặt trận Tổ quốc Việt Nam xã\n    request: true\n"
                        "    duties: [Phối hợp.]\n", "")
    minimal_form.write_text(text, encoding="utf-8")
    checked = check_form(minimal_form)
    assert not [p for p in checked.warnings if p.rule == "task-agency-unassigned"]


def test_own_level_group_name_is_not_taken_for_a_district_body(minimal_form: Path) -> None:
    text = minimal_form.read_text(encoding="utf-8")
    minimal_form.write_text(text.replace("  - agency: Công an xã\n",
                                         "  - agency: Các cơ quan, đơn vị trực thuộc xã\n"),
                            encoding="utf-8")
    checked = check_form(minimal_form)
    assert not [p for p in checked.warnings if p.rule.startswith("agency")]


def test_a_diagnostic_in_a_catalogue_sub_item_points_at_the_form(minimal_form: Path,
                                                                 tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "c.yaml").write_text(
        "- id: content.test-old\n  text: Tuyên truyền\n  items:\n    - Kết quả năm 2019.\n"
        "  source: test data\n", encoding="utf-8")
    text = minimal_form.read_text(encoding="utf-8")
    minimal_form.write_text(text.replace("  - Nội dung một.", "  - ref: content.test-old"),
                            encoding="utf-8")
    checked = check_form(minimal_form, Sources(catalog_dirs=(catalog,)))
    (stale,) = [p for p in checked.warnings if p.rule == "stale-year"]
    assert stale.location.path == str(minimal_form)
    assert minimal_form.read_text(encoding="utf-8").splitlines()[stale.location.line - 1] \
        .strip() == "- ref: content.test-old"
