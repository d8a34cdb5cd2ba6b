"""The catalogue validates itself on load; the shipped one passes; browsing works."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kh_gen import KhGenError, load_catalog
from kh_gen.browse import fold, summary_text
from kh_gen.catalog import Agency, LegalBasis
from kh_gen.cli import main

from .conftest import ROOT


def test_shipped_catalogue_is_valid_and_every_entry_has_a_source() -> None:
    catalog = load_catalog()
    assert len(catalog.entries) > 100
    for entry in catalog.entries.values():
        assert entry.source.strip(), entry.id
    kinds = {e.kind for e in catalog.entries.values()}
    assert {"basis", "agency", "duty", "objective", "requirement", "content", "channel",
            "task", "recipient"} <= kinds


def test_no_district_body_outlives_the_two_level_reform() -> None:
    for entry in load_catalog().of_kind("agency"):
        assert isinstance(entry, Agency)
        if entry.level == "huyen":
            assert entry.valid_to is not None and entry.valid_to.isoformat() <= "2025-06-30", \
                entry.id


def test_legal_bases_have_number_issuer_and_date_or_a_note() -> None:
    notes = {}
    for folder_file in (ROOT / "catalog").glob("*.yaml"):
        for raw in yaml.safe_load(folder_file.read_text(encoding="utf-8")) or []:
            notes[raw["id"]] = raw.get("note", "")
    for entry in load_catalog().of_kind("basis"):
        assert isinstance(entry, LegalBasis)
        assert entry.number and entry.issuer, entry.id
        if entry.date is None or not entry.summary:
            assert notes.get(entry.id), f"{entry.id}: say in a note why date/summary is absent"


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(folder: Path) -> list[str]:
    with pytest.raises(KhGenError) as caught:
        load_catalog([folder])
    return [str(p) for p in caught.value.problems]


def test_duplicate_ids_in_one_folder_are_located(tmp_path: Path) -> None:
    path = _write(tmp_path / "c", "- id: objective.mine\n  text: Một.\n  source: x\n"
                                  "- id: objective.mine\n  text: Hai.\n  source: x\n")
    (message,) = _problems(tmp_path / "c")
    assert message.startswith(f"{path}:4:3: error: duplicate id 'objective.mine'")


def test_missing_source_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "c", "- id: objective.mine\n  text: Một.\n")
    (message,) = _problems(tmp_path / "c")
    assert message.startswith(f"{path}:1:3:") and "objective.mine.source: missing" in message


def test_dangling_successor_is_located_with_a_suggestion(tmp_path: Path) -> None:
    path = _write(tmp_path / "c", "- id: agency.mine\n  name: Phòng Của Tôi\n  level: xa\n"
                                  "  successor: agency.tinh.so-noi-vuu\n  source: x\n")
    (message,) = _problems(tmp_path / "c")
    assert message.startswith(f"{path}:1:3:")
    assert "no agency 'agency.tinh.so-noi-vuu'" in message and "agency.tinh.so-noi-vu" in message


def test_overlapping_periods_are_refused(tmp_path: Path) -> None:
    _write(tmp_path / "c", "- id: agency.mine-a\n  name: Phòng Của Tôi\n  level: xa\n"
                           "  valid_to: 2025-12-31\n  source: x\n"
                           "- id: agency.mine-b\n  name: Phòng Của Tôi\n  level: xa\n"
                           "  valid_from: 2025-07-01\n  source: x\n")
    (message,) = _problems(tmp_path / "c")
    assert "agency.mine-b: overlaps agency.mine-a" in message


def test_broken_template_in_an_entry_is_located(tmp_path: Path) -> None:
    path = _write(tmp_path / "c", "- id: objective.mine\n  text: Năm {{ year \n  source: x\n")
    (message,) = _problems(tmp_path / "c")
    assert message.startswith(f"{path}:2:") and "template error" in message


def test_user_folder_entry_replaces_the_builtin_one(tmp_path: Path) -> None:
    builtin = load_catalog()
    some_id = next(e.id for e in builtin.of_kind("objective"))
    _write(tmp_path / "c", f"- id: {some_id}\n  text: Lời của tỉnh.\n  source: tỉnh\n")
    mine = load_catalog([tmp_path / "c"])
    assert mine.get(some_id).text == "Lời của tỉnh."


def test_catalog_search_ignores_accents() -> None:
    result = CliRunner().invoke(main, ["catalog", "search", "tuyen truyen", "chinh quyen so"])
    assert result.exit_code == 0
    ids = [line.split()[0] for line in result.stdout.splitlines()]
    assert ids
    catalog = load_catalog()
    for entry_id in ids:
        text = summary_text(catalog.get(entry_id))
        assert "tuyên truyền" in text.lower() and "chính quyền số" in text.lower()
    accented = CliRunner().invoke(main, ["catalog", "search", "tuyên truyền", "chính quyền số"])
    assert accented.output == result.output


def test_fold_maps_d_bar_and_drops_marks() -> None:
    assert fold("Đảng ủy Phường") == "dang uy phuong"


def test_catalog_list_by_kind_and_show() -> None:
    listed = CliRunner().invoke(main, ["catalog", "list", "agency"])
    assert listed.exit_code == 0
    ids = [line.split()[0] for line in listed.stdout.splitlines()]
    assert ids and all(i.startswith("agency.") for i in ids)
    shown = CliRunner().invoke(main, ["catalog", "show", ids[0]])
    assert shown.exit_code == 0
    assert "source:" in shown.output and "level:" in shown.output
    assert "fits:        sections with part: implementation" in shown.output
    duty = CliRunner().invoke(main, ["catalog", "show", "objective.hn.awareness"])
    assert "fits:        sections with part: objectives or purpose" in duty.output


def test_catalog_show_unknown_id_suggests() -> None:
    result = CliRunner().invoke(main, ["catalog", "show", "agency.tinh.so-noi-vuu"])
    assert result.exit_code == 1
    assert "did you mean 'agency.tinh.so-noi-vu'" in result.output


def test_the_one_stop_shop_decrees_end_where_118_2025_begins() -> None:
    catalog = load_catalog()
    for old in ("basis.nd-61-2018-cp", "basis.nd-107-2021-cp"):
        entry = catalog.get(old)
        assert isinstance(entry, LegalBasis)
        assert (str(entry.valid_to), entry.replaced_by) == ("2025-06-30",
                                                            "basis.nd-118-2025-cp"), old
    new = catalog.get("basis.nd-118-2025-cp")
    assert isinstance(new, LegalBasis) and str(new.valid_from) == "2025-07-01"
    for added in ("basis.tt-10-2025-bnv", "basis.nd-370-2025-cp"):
        assert isinstance(catalog.get(added), LegalBasis), added


def test_press_duties_follow_the_press_to_the_culture_department() -> None:
    """Only the IT work of the former Sở Thông tin và Truyền thông went to the Sở Khoa học và
    Công nghệ; press and grassroots information went to the Sở Văn hóa, Thể thao và Du lịch."""
    catalog = load_catalog()
    science = [d.text for d in catalog.duties_of("agency.tinh.so-khoa-hoc-cong-nghe",
                                                 "tuyen-truyen-cchc")]
    culture = [d.text for d in catalog.duties_of("agency.tinh.so-van-hoa-the-thao-du-lich",
                                                 "tuyen-truyen-cchc")]
    assert science and not any("báo chí" in text for text in science), science
    assert any("cơ quan báo chí Trung ương" in text for text in culture), culture


def test_the_district_home_affairs_office_is_followed_by_the_commune_culture_office() -> None:
    entry = load_catalog().get("agency.huyen.phong-noi-vu")
    assert isinstance(entry, Agency)
    assert entry.successor == "agency.xa.phong-van-hoa-xa-hoi"
