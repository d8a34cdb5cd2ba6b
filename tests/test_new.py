"""`kh-gen new` starts a form of each plan kind that checks clean and builds, with only valid
entries; `new --help` lists the kinds found in the template folders."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kh_gen import check_form, load_catalog, load_form
from kh_gen.catalog import Agency, LegalBasis
from kh_gen.cli import main

from .conftest import ROOT

KINDS = ("ke-hoach", "tuyen-truyen-cchc", "cai-cach-hanh-chinh")
PLACES = (("xa", "xã An Thới Đông"), ("xa", "phường Bến Nghé"), ("tinh", "tỉnh Đồng Tháp"))


@pytest.mark.parametrize("year", [2025, 2026])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("level", "locality"), PLACES)
def test_new_form_checks_and_builds(tmp_path: Path, kind: str, level: str,
                                    locality: str, year: int) -> None:
    """Also in 2025, the year communes of the two-level government began (1 July): their
    plan for 2025 is dated from July, when the offices it assigns exist."""
    form = tmp_path / "plan.yaml"
    result = CliRunner().invoke(main, ["new", "--kind", kind, "--level", level, "--locality",
                                       locality, "--year", str(year), "-o", str(form)])
    assert result.exit_code == 0, result.output
    checked = check_form(form)
    month = 7 if (level, year) == ("xa", 2025) else None
    assert load_form(form)[0].date == (year, month, None)
    assert load_form(form)[0].kind == kind
    # only what the clerk must fill in: the signer's name (and a commune's province)
    expected = ["signer-placeholder"] + (["issuer-province-empty"] if level == "xa" else [])
    assert sorted(w.rule for w in checked.warnings) == sorted(expected), \
        [str(w) for w in checked.warnings]
    text = re.sub(r"province: (''|\"\")", "province: Đồng Tháp", form.read_text(encoding="utf-8"))
    form.write_text(text.replace("name: Nguyễn Văn A", "name: Trần Văn Bình"), encoding="utf-8")
    checked = check_form(form)
    assert checked.warnings == (), [str(w) for w in checked.warnings]
    built = CliRunner().invoke(main, ["build", str(form)])
    assert built.exit_code == 0, built.output
    assert form.with_suffix(".docx").stat().st_size > 5000


def test_the_communication_plan_starts_clean(tmp_path: Path) -> None:
    form = tmp_path / "plan.yaml"
    CliRunner().invoke(main, ["new", "--kind", "tuyen-truyen-cchc", "--level", "xa",
                              "--locality", "xã An Thới Đông", "--year", "2026", "-o",
                              str(form)])
    checked = check_form(form)
    headings = [s.heading for s in load_form(form)[0].sections]
    assert headings == ["Mục đích, yêu cầu", "Nội dung, hình thức tuyên truyền",
                        "Nhiệm vụ cụ thể", "Kinh phí thực hiện", "Tổ chức thực hiện"]
    assert checked.plan.appendices and checked.plan.tasks


def test_new_form_uses_only_entries_valid_that_year(tmp_path: Path) -> None:
    form = tmp_path / "plan.yaml"
    CliRunner().invoke(main, ["new", "--kind", "tuyen-truyen-cchc", "--level", "xa",
                              "--locality", "xã An Thới Đông", "--year", "2026", "-o",
                              str(form)])
    text = form.read_text(encoding="utf-8")
    catalog = load_catalog()
    refs = [line.split("ref:", 1)[1].strip() for line in text.splitlines()
            if line.strip().startswith("- ref:")]
    assert refs
    for ref in refs:
        entry = catalog.get(ref)
        assert entry is not None, ref
        if isinstance(entry, LegalBasis | Agency):
            assert entry.valid_to is None or entry.valid_to.year >= 2026, ref
        assert not ref.startswith("agency.huyen"), ref
    assert text.startswith("# Kế hoạch tuyên truyền cải cách hành chính năm 2026"), \
        "the form opens with what to do, in Vietnamese"


def test_new_help_lists_the_kinds() -> None:
    result = CliRunner().invoke(main, ["new", "--help"])
    assert result.exit_code == 0
    for kind in KINDS:
        assert kind in result.output


def test_a_province_adds_its_own_kind_as_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "my-templates" / "thi-dua"
    folder.mkdir(parents=True)
    (folder / "kind.yaml").write_text(
        "name: Kế hoạch phát động phong trào thi đua\nbase: ke-hoach\n"
        "title: Phát động phong trào thi đua năm {{ year }}\n"
        "sections:\n  - heading: Mục đích, yêu cầu\n    part: purpose\n    text: [Mục đích.]\n"
        "  - heading: Tiêu chuẩn thi đua\n    part: criteria\n    text: [Tiêu chuẩn.]\n"
        "  - heading: Hình thức khen thưởng\n    part: rewards\n    text: [Khen thưởng.]\n",
        encoding="utf-8")
    form = tmp_path / "plan.yaml"
    result = CliRunner().invoke(main, ["new", "--kind", "thi-dua", "--templates",
                                       str(tmp_path / "my-templates"), "--level", "xa",
                                       "--locality", "xã An Thới Đông", "--year", "2026",
                                       "-o", str(form)])
    assert result.exit_code == 0, result.output
    built = CliRunner().invoke(main, ["build", str(form), "--format", "txt", "--templates",
                                      str(tmp_path / "my-templates")])
    assert built.exit_code == 0, built.output
    text = form.with_suffix(".txt").read_text(encoding="utf-8")
    assert "II. TIÊU CHUẨN THI ĐUA" in text and "III. HÌNH THỨC KHEN THƯỞNG" in text


def test_an_unknown_kind_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["new", "--kind", "kiem-tra", "--level", "xa",
                                       "--locality", "xã A", "--year", "2026"])
    assert result.exit_code == 1
    assert "unknown plan kind 'kiem-tra'" in result.output
    assert "tuyen-truyen-cchc" in result.output


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    form = tmp_path / "plan.yaml"
    shutil.copy(ROOT / "examples" / "xa-2026.yaml", form)
    before = form.read_bytes()
    result = CliRunner().invoke(main, ["new", "--level", "xa", "--locality", "xã A",
                                       "--year", "2026", "-o", str(form)])
    assert result.exit_code == 1
    assert form.read_bytes() == before


def _new_plan_text(tmp_path: Path, kind: str, level: str, locality: str) -> str:
    """The plan text of a fresh `new` form, as `build --format txt` writes it."""
    form = tmp_path / f"{kind}-{level}.yaml"
    made = CliRunner().invoke(main, ["new", "--kind", kind, "--level", level, "--locality",
                                     locality, "--year", "2026", "-o", str(form)])
    assert made.exit_code == 0, made.output
    out = form.with_suffix(".txt")
    built = CliRunner().invoke(main, ["build", str(form), "--format", "txt", "-o", str(out)])
    assert built.exit_code == 0, built.output
    return out.read_text(encoding="utf-8")


def _part(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


LEADS = {"xa": "Phòng Văn hóa - Xã hội", "tinh": "Sở Nội vụ"}
LOCALITIES = {"xa": "xã An Thới Đông", "tinh": "tỉnh Đồng Tháp"}


@pytest.mark.parametrize("level", ["xa", "tinh"])
def test_one_agency_leads_monitors_and_reports(tmp_path: Path, level: str) -> None:
    text = _new_plan_text(tmp_path, "tuyen-truyen-cchc", level, LOCALITIES[level])
    lead = LEADS[level]
    rows = [line.split("\t") for line in text.split("(Kèm theo", 1)[1].splitlines()
            if line[:1].isdigit()]
    assert rows and {row[2] for row in rows} == {lead}, "the lead unit leads every task"
    roles = _part(text, "TỔ CHỨC THỰC HIỆN", "Trên đây")
    first = roles.split("\n2. ", 1)[0]
    assert f"1. {lead}" in first
    assert "chủ trì" in first and "Theo dõi, đôn đốc" in first and "báo cáo" in first
    assert f"(qua {lead})" in _part(text, "Trên đây", "Nơi nhận")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("level", ["xa", "tinh"])
def test_an_abbreviation_is_spelt_out_before_it_is_used(tmp_path: Path, kind: str,
                                                        level: str) -> None:
    text = _new_plan_text(tmp_path, kind, level, LOCALITIES[level])
    if "CCHC" in text:
        assert text.index("cải cách hành chính (CCHC)") + len("cải cách hành chính (") == \
            text.index("CCHC")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("level", ["xa", "tinh"])
def test_new_plan_reads_as_one_locality_s_plan(tmp_path: Path, kind: str, level: str) -> None:
    """The appendix has one name; the Nơi nhận is real; no body of another locality; no duty
    paragraph twice; the issuer's own units are asked with "yêu cầu"."""
    text = _new_plan_text(tmp_path, kind, level, LOCALITIES[level])
    body = text[:text.index("Nơi nhận:")]
    assert "Danh mục nhiệm vụ cụ thể" not in body
    if "\nPhụ lục\n" in text:
        assert "Phụ lục kèm theo Kế hoạch này" in body
    for foreign in ("Báo An ninh", "Phụ trương", "Tờ tin Tuổi trẻ", "Hải Phòng",
                    "Sở Thông tin và Truyền thông", "Phòng Nội vụ"):
        assert foreign not in text, foreign
    paragraphs = [line.split(") ", 1)[-1] for line in body.splitlines() if len(line) > 60]
    assert len(paragraphs) == len(set(paragraphs)), "a paragraph written twice"
    closing = _part(text, "Trên đây", "Nơi nhận")
    assert "yêu cầu các cơ quan, đơn vị" in closing and "đề nghị" not in closing
    recipients = _part(text, "Nơi nhận:", "TM. ").split("\n- ")[1:]
    assert recipients[0] == ("UBND tỉnh;" if level == "xa" else
                             "Văn phòng Chính phủ;" if kind == "ke-hoach" else "Bộ Nội vụ;")
    assert recipients[-1].startswith("Lưu: VT, ") and len(recipients[-1]) > len("Lưu: VT.")
    if kind == "tuyen-truyen-cchc":
        roles = _part(text, "TỔ CHỨC THỰC HIỆN", "Trên đây")
        named = [line.split(". ", 1)[1].removeprefix("Đề nghị ")
                 for line in roles.splitlines() if line[:1].isdigit()]
        assert named and all(f"{name[:1].upper()}{name[1:]};" in recipients
                             for name in named), recipients
        assert f"Lưu: VT, {'VHXH' if level == 'xa' else 'SNV'}." in recipients[-1]


def test_a_ward_s_plan_names_its_own_units(tmp_path: Path) -> None:
    """A ward has khu phố and tổ dân phố, not the thôn and ấp of a commune."""
    text = _new_plan_text(tmp_path, "tuyen-truyen-cchc", "xa", "phường Bến Nghé")
    assert "các khu phố, tổ dân phố" in text
    assert not re.search(r"(?<!\w)(?:thôn|ấp)(?!\w)", text)
    form = load_form(tmp_path / "tuyen-truyen-cchc-xa.yaml")[0]
    assert form.issuer.subunits == "các khu phố, tổ dân phố"
