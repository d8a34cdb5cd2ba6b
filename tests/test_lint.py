"""The linter: one diagnostic per seeded mistake, at its line, with its rule id."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from kh_gen import KhGenError, Sources, check_form
from kh_gen.build import catalog_for, kind_for
from kh_gen.cli import main
from kh_gen.form import load_form
from kh_gen.lint import _names_for
from kh_gen.plan import resolve_plan

from .conftest import DATA, ROOT

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
    assert len(_expected(form)) == 19


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


def _with_catalog(tmp_path: Path, entries: str) -> Sources:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "agencies.yaml").write_text(entries, encoding="utf-8")
    return Sources(catalog_dirs=(catalog,))


def _rules(form: Path, sources: Sources | None = None) -> list[str]:
    try:
        checked = check_form(form, sources or Sources())
    except KhGenError as caught:
        return [p.rule for p in caught.problems]
    return [p.rule for p in checked.warnings]


_LONG_AND_SHORT = (
    "- id: agency.test-board\n  name: Ban Thử nghiệm Dài\n  level: xa\n  source: test data\n"
    "- id: agency.test-unit\n  name: Thử nghiệm Dài\n  level: xa\n{validity}"
    "  source: test data\n")


@pytest.mark.parametrize(("prose", "rules"), [
    ("Phối hợp với Ban Thử nghiệm Dài.", []),  # the longer name holds the shorter one
    ("Phối hợp với Thử nghiệm Dài.", ["agency-not-valid"]),
    ("Phối hợp với Ban Thử nghiệm Dài và Thử nghiệm Dài.", ["agency-not-valid"]),
])
def test_prose_takes_the_longest_name_first(minimal_form: Path, tmp_path: Path, prose: str,
                                            rules: list[str]) -> None:
    sources = _with_catalog(tmp_path, _LONG_AND_SHORT.format(validity="  valid_to: 2020\n"))
    text = minimal_form.read_text(encoding="utf-8")
    minimal_form.write_text(text.replace("[Phối hợp tuyên truyền.]", f"[{prose}]"),
                            encoding="utf-8")
    assert _rules(minimal_form, sources) == rules


def test_a_heading_assigns_the_names_inside_it_but_a_lead_names_one(minimal_form: Path,
                                                                     tmp_path: Path) -> None:
    sources = _with_catalog(tmp_path, _LONG_AND_SHORT.format(validity=""))
    text = minimal_form.read_text(encoding="utf-8")
    added = "  - agency: {}\n    duties: [Chủ trì.]\n  - agency: Công an xã\n"
    minimal_form.write_text(
        text.replace("  - agency: Công an xã\n", added.format("Ban Thử nghiệm Dài"))
        .replace("lead: Văn phòng HĐND và UBND", "lead: Thử nghiệm Dài"), encoding="utf-8")
    assert _rules(minimal_form, sources) == []
    minimal_form.write_text(
        text.replace("  - agency: Công an xã\n", added.format("Thử nghiệm Dài"))
        .replace("lead: Văn phòng HĐND và UBND", "lead: Ban Thử nghiệm Dài"), encoding="utf-8")
    assert _rules(minimal_form, sources) == ["task-agency-unassigned"]


@pytest.mark.parametrize(("name", "found"), [
    ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", True),
    (unicodedata.normalize("NFD", "Sở Thông tin và Truyền thông"), True),
    ("Sở Thông tin & Truyền thông", True),
    ("Sở Thông tin và  Truyền thông", True),
    ("Sở Thông tin và\\nTruyền thông", True),
    ("Sở Thông tin và Truyền thôngx", False),  # whole words only
])
def test_prose_names_are_found_whatever_their_case_and_spacing(minimal_form: Path, name: str,
                                                               found: bool) -> None:
    text = minimal_form.read_text(encoding="utf-8")
    minimal_form.write_text(text.replace("[Phối hợp tuyên truyền.]",
                                         f'["Phối hợp với {name}."]'), encoding="utf-8")
    assert _rules(minimal_form) == (["agency-not-valid"] if found else [])


def test_a_name_that_appears_once_a_longer_one_is_taken_out_is_found(minimal_form: Path,
                                                                     tmp_path: Path) -> None:
    # taking out "Ban Thử nghiệm" leaves "(A) - B" in the text
    sources = _with_catalog(
        tmp_path, "- id: agency.test-board\n  name: Ban Thử nghiệm\n  level: xa\n"
                  "  source: test data\n"
                  "- id: agency.test-odd\n  name: (A) - B\n  level: xa\n  valid_to: 2020\n"
                  "  source: test data\n")
    text = minimal_form.read_text(encoding="utf-8")
    minimal_form.write_text(text.replace("[Phối hợp tuyên truyền.]",
                                         "[Phối hợp (A)Ban Thử nghiệm- B.]"), encoding="utf-8")
    assert _rules(minimal_form, sources) == ["agency-not-valid"]


def test_names_are_filled_for_each_plan_s_own_unit(minimal_form: Path, tmp_path: Path) -> None:
    assert _rules(minimal_form) == []  # "Công an {{ unit }}" filled as "Công an xã"
    ward = tmp_path / "ward.yaml"
    text = minimal_form.read_text(encoding="utf-8")
    ward.write_text(text.replace("unit: xã", "unit: phường")
                    .replace("lead: Văn phòng HĐND và UBND", "lead: Công an phường"),
                    encoding="utf-8")
    warnings = check_form(ward).warnings
    assert [p.message.split("'")[1] for p in warnings if p.rule == "task-agency-unassigned"] \
        == ["Công an phường"]


def test_communes_filling_the_names_alike_share_them(minimal_form: Path) -> None:
    """The agency names are rendered once for all the communes of a batch (a speed matter:
    each plan is still searched in full)."""
    catalog = catalog_for(())
    text = minimal_form.read_text(encoding="utf-8")

    def names(**changes: str) -> object:
        changed = text
        for old, new in changes.items():
            changed = changed.replace(old, new)
        minimal_form.write_text(changed, encoding="utf-8")
        form = load_form(minimal_form)[0]
        plan, _ = resolve_plan(form, catalog, kind_for(form.kind, ()))
        return _names_for(plan, catalog)

    first = names()
    assert names(**{"An Thới Đông": "Tân Phú", "2026": "2027"}) is first
    assert names(**{"unit: xã": "unit: phường"}) is not first


def _line_of(form: Path, start: str) -> int:
    """The number of the first line of the form that starts (after its indent) with `start`."""
    lines = form.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.strip().startswith(start))


def _check_cli(form: Path, *options: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", str(form), *options])
    return result.exit_code, result.output.splitlines()


def test_a_fresh_new_form_names_its_placeholders(tmp_path: Path) -> None:
    form = tmp_path / "plan.yaml"
    result = CliRunner().invoke(main, ["new", "--level", "xa", "--locality", "xã An Thới Đông",
                                       "--year", "2026", "-o", str(form)])
    assert result.exit_code == 0, result.output
    code, lines = _check_cli(form, "--strict")
    assert code == 1
    found = {m["rule"]: m for line in lines if (m := _DIAGNOSTIC.match(line))}
    assert set(found) == {"signer-placeholder", "issuer-province-empty"}, lines
    signer = found["signer-placeholder"]
    assert "'Nguyễn Văn A' is a model name" in signer["message"]
    assert (signer["file"], int(signer["line"]), int(signer["col"])) == \
        (str(form), _line_of(form, "authority:"), 3)
    province = found["issuer-province-empty"]
    assert "issuer.province is empty" in province["message"]
    assert (province["file"], int(province["line"]), int(province["col"])) == \
        (str(form), _line_of(form, "issuer:"), 1)


@pytest.mark.parametrize(("name", "placeholder"), [
    ("Nguyễn Văn A", True), ("Trần Thị B", True), ("Lê Văn X.", True), ("…", True),
    ("Họ và tên", True), ('"[Họ tên]"', True), ("Nguyen Van A", True),
    ("Nguyễn Văn An", False), ("Hà Thị Ánh", False)])
def test_model_signer_names_are_told_from_real_ones(minimal_form: Path, name: str,
                                                    placeholder: bool) -> None:
    text = minimal_form.read_text(encoding="utf-8")
    minimal_form.write_text(text.replace("name: Trần Văn Bình", f"name: {name}"),
                            encoding="utf-8")
    assert _rules(minimal_form) == (["signer-placeholder"] if placeholder else [])


def test_check_prints_ok_only_when_there_is_nothing_to_say(minimal_form: Path) -> None:
    code, lines = _check_cli(minimal_form)
    assert (code, lines) == (0, [f"{minimal_form}: ok"])
    text = minimal_form.read_text(encoding="utf-8")
    minimal_form.write_text(text.replace("  - Thường xuyên.", "  - Như năm 2020."),
                            encoding="utf-8")
    code, lines = _check_cli(minimal_form)  # both streams, as a terminal shows them
    assert code == 0
    (line,) = lines
    assert _DIAGNOSTIC.match(line) and line.endswith("[stale-year]"), line
    assert not line.startswith(f"{minimal_form}: ok")


def test_a_2026_plan_citing_the_old_one_stop_shop_decree_is_sent_to_118_2025(
        minimal_form: Path) -> None:
    text = minimal_form.read_text(encoding="utf-8")
    minimal_form.write_text(text.replace("    - Chỉ thị số 23/CT-TTg ngày 02/9/2021 của Thủ "
                                         "tướng Chính phủ\n",
                                         "    - ref: basis.nd-61-2018-cp\n"), encoding="utf-8")
    with pytest.raises(KhGenError) as caught:
        check_form(minimal_form)
    (problem,) = caught.value.problems
    assert problem.rule == "basis-expired"
    assert "valid until 30/06/2025" in problem.message
    assert "ref: basis.nd-118-2025-cp" in problem.message
    assert problem.location.line == _line_of(minimal_form, "- ref: basis.nd-61-2018-cp")


def test_a_plan_written_before_a_replacement_may_cite_what_it_replaced(tmp_path: Path) -> None:
    checked = check_form(ROOT / "examples" / "hai-phong-2019.yaml")  # cites 61/2018 in 2019
    assert not [p for p in checked.warnings if p.rule == "basis-replaced"]


def _with_lead(form: Path, lead: str) -> int:
    """Make the minimal form's task led by `lead`; the task's line, where lint points."""
    text = form.read_text(encoding="utf-8")
    form.write_text(text.replace("      lead: Văn phòng HĐND và UBND\n", f"      lead: {lead}\n"),
                    encoding="utf-8")
    return _line_of(form, "- name: Tuyên truyền trên Cổng thông tin")


def _diagnostics(form: Path) -> list[re.Match[str]]:
    code, lines = _check_cli(form, "--strict")
    assert code == 1, lines
    found = [_DIAGNOSTIC.match(line) for line in lines]
    assert all(found), lines
    return [m for m in found if m]


@pytest.mark.parametrize("lead", ["Phòng Van hoa Xa hoi", "Phòng Văn hóa - Xã hộii",
                                  "Phong Van hoa - Xa hoi", "Phòng Văn hoá - Xã hội",
                                  "Phòng Văn hóa Xã hội", "Phòng Văn hóa - Xã hội, Cong an xa"])
def test_an_agency_typed_without_accents_or_with_a_slip_is_named_right(minimal_form: Path,
                                                                       lead: str) -> None:
    line = _with_lead(minimal_form, lead)
    (found,) = _diagnostics(minimal_form)
    assert found["rule"] == "agency-spelling"
    assert (found["file"], int(found["line"]), int(found["col"])) == (str(minimal_form), line, 7)
    right = "Công an xã" if "Cong an" in lead else "Phòng Văn hóa - Xã hội"
    assert f"looks like a misspelling of '{right}'" in found["message"], found["message"]


def test_a_misspelt_implementing_agency_is_named_right(minimal_form: Path) -> None:
    text = minimal_form.read_text(encoding="utf-8")
    minimal_form.write_text(text.replace("  - agency: Công an xã\n", "  - agency: Cong an xa\n"),
                            encoding="utf-8")
    (found,) = _diagnostics(minimal_form)
    assert (found["rule"], int(found["line"]), int(found["col"])) == \
        ("agency-spelling", _line_of(minimal_form, "- agency: Cong an xa"), 5)
    assert "'Cong an xa' looks like a misspelling of 'Công an xã'" in found["message"]


def test_a_near_miss_is_judged_as_the_name_it_stands_for(minimal_form: Path) -> None:
    line = _with_lead(minimal_form, "Phong Noi vu")
    rules = {(m["rule"], int(m["line"])) for m in _diagnostics(minimal_form)}
    assert rules == {("agency-spelling", line), ("agency-not-valid", line)}


def test_an_office_a_commune_does_not_have_is_reported_with_what_it_has(
        minimal_form: Path) -> None:
    line = _with_lead(minimal_form, "Phòng Tư pháp")
    (found,) = _diagnostics(minimal_form)
    assert (found["rule"], int(found["line"]), int(found["col"])) == \
        ("agency-not-at-level", line, 7)
    message = found["message"]
    assert message.startswith("'Phòng Tư pháp' is not a commune body")
    for office in ("Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã", "Phòng Kinh tế",
                   "Phòng Văn hóa - Xã hội"):
        assert f"'{office}'" in message
    assert "(ref: agency.xa.van-phong-hdnd-ubnd) gives it 'tư pháp'" in message


def test_a_district_body_in_a_commune_plan_says_what_a_commune_has(minimal_form: Path) -> None:
    line = _with_lead(minimal_form, "Phòng Nội vụ")
    (found,) = [m for m in _diagnostics(minimal_form) if m["rule"] != "task-agency-unassigned"]
    assert (found["rule"], int(found["line"])) == ("agency-not-valid", line)
    assert "it is a district body, not a commune one" in found["message"]
    assert "its successor is 'Phòng Văn hóa - Xã hội'" in found["message"]


def test_a_district_plan_may_name_its_own_offices(minimal_form: Path) -> None:
    text = minimal_form.read_text(encoding="utf-8")
    for old, new in (("locality: xã An Thới Đông", "locality: huyện Cần Giờ"),
                     ("level: xa", "level: huyen"), ("unit: xã", "unit: huyện"),
                     ("year: 2026", "year: 2024"), ("date: 2026-01-08", "date: 2024-01-08"),
                     ("năm 2026", "năm 2024"), ("Năm 2026", "Năm 2024")):
        text = text.replace(old, new)
    minimal_form.write_text(text, encoding="utf-8")
    _with_lead(minimal_form, "Phòng Tư pháp")
    assert "agency-not-at-level" not in _rules(minimal_form)


def test_a_text_cut_by_a_yaml_comment_is_reported_at_the_hash(minimal_form: Path) -> None:
    text = minimal_form.read_text(encoding="utf-8")
    minimal_form.write_text(text.replace("  - Ngân sách xã.\n",
                                         "  - Nguồn kinh phí #2: xã hội hóa\n"),
                            encoding="utf-8")
    line = _line_of(minimal_form, "- Nguồn kinh phí #2")
    (found,) = _diagnostics(minimal_form)
    assert (found["file"], int(found["line"]), int(found["col"]), found["severity"],
            found["rule"]) == (str(minimal_form), line, 20, "warning", "yaml-comment-cuts-text")
    assert "so the text is 'Nguồn kinh phí'" in found["message"]
    assert 'put the whole text in quotes: "Nguồn kinh phí #2: xã hội hóa"' in found["message"]
    minimal_form.write_text(text.replace("  - Ngân sách xã.\n",
                                         '  - "Nguồn kinh phí #2: xã hội hóa"\n'),
                            encoding="utf-8")
    assert _rules(minimal_form) == []


def test_recipients_are_judged_like_the_bodies_given_roles(minimal_form: Path) -> None:
    text = minimal_form.read_text(encoding="utf-8")
    minimal_form.write_text(text.replace("  - UBND tỉnh\n",
                                         "  - UBND tỉnh\n  - Phòng Nội vụ\n  - Phong Kinh te\n"),
                            encoding="utf-8")
    found = {(m["rule"], int(m["line"])) for m in _diagnostics(minimal_form)}
    assert found == {("agency-not-valid", _line_of(minimal_form, "- Phòng Nội vụ")),
                     ("agency-spelling", _line_of(minimal_form, "- Phong Kinh te"))}


@pytest.mark.parametrize("name", ["Thường trực Đảng ủy", "Đảng ủy xã", "Văn phòng Đảng ủy",
                                  "Bộ Nội vụ"])
def test_another_word_is_not_a_slip(minimal_form: Path, name: str) -> None:
    """'Đảng ủy' differs from 'Quận ủy' by a whole word: a body of its own, not a slip."""
    text = minimal_form.read_text(encoding="utf-8")
    minimal_form.write_text(text.replace("  - UBND tỉnh\n", f"  - UBND tỉnh\n  - {name}\n"),
                            encoding="utf-8")
    assert _rules(minimal_form) == []


@pytest.mark.parametrize("lead", ["Phòng chuyên môn liên quan", "Phòng, ban liên quan"])
def test_offices_in_general_are_not_an_office_a_commune_lacks(minimal_form: Path,
                                                               lead: str) -> None:
    _with_lead(minimal_form, lead)
    assert "agency-not-at-level" not in _rules(minimal_form)


@pytest.mark.parametrize("province", ['""', "' '", "…", "null"])
def test_a_province_left_to_fill_in_is_reported_at_the_issuer(minimal_form: Path,
                                                               province: str) -> None:
    text = minimal_form.read_text(encoding="utf-8")
    minimal_form.write_text(text.replace("province: Thành phố Hồ Chí Minh",
                                         f"province: {province}"), encoding="utf-8")
    (found,) = _diagnostics(minimal_form)
    assert (found["rule"], int(found["line"]), int(found["col"])) == \
        ("issuer-province-empty", _line_of(minimal_form, "issuer:"), 1)


def test_a_department_the_catalogue_lacks_is_still_a_province_s(minimal_form: Path) -> None:
    line = _with_lead(minimal_form, "Sở Y tế")
    (found,) = [m for m in _diagnostics(minimal_form) if m["rule"] != "task-agency-unassigned"]
    assert (found["rule"], int(found["line"])) == ("agency-level", line)
    assert found["message"].startswith("'Sở Y tế' is a provincial body")


def test_a_ceased_agency_whose_name_needs_an_empty_value_is_named_with_its_id(
        tmp_path: Path) -> None:
    """'Đài Truyền thanh {{ subunits }}' in a plan naming no units would read 'Đài Truyền
    thanh ' in the message; the clerk is shown the name and the catalogue id instead."""
    form = tmp_path / "plan.yaml"
    text = (ROOT / "examples" / "xa-2026.yaml").read_text(encoding="utf-8")
    text = text.replace("  subunits: các ấp\n", "  subunits: ''\n", 1).replace(
        "  - ref: agency.xa.phong-van-hoa-xa-hoi\n",
        "  - ref: agency.huyen.dai-truyen-thanh\n    duties: [Đưa tin.]\n"
        "  - ref: agency.xa.phong-van-hoa-xa-hoi\n", 1)
    form.write_text(text, encoding="utf-8")
    with pytest.raises(KhGenError) as raised:
        check_form(form)
    (ceased,) = [p for p in raised.value.problems if p.rule == "agency-not-valid"]
    assert ceased.message.startswith(
        "'Đài Truyền thanh (agency.huyen.dai-truyen-thanh)' ceased on 30/06/2025")
