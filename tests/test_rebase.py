"""Rebase: the same plan for another locality, level or year, with a list of every change."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kh_gen import build_form, check_form, load_form
from kh_gen.build import Sources, check_loaded, render
from kh_gen.cli import main
from kh_gen.errors import KhGenError
from kh_gen.form import Form, read_form
from kh_gen.importing import import_plan
from kh_gen.rebase import Target, rebase_form, rebase_loaded
from kh_gen.yamlsource import Node, dump_yaml, load_yaml_file, load_yaml_text

from .conftest import part_entries

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEEDS = DATA / "import" / "seeds"
WARD = Target(locality="phường Hưng Đạo", level="xa", year=2026, signer="Nguyễn Văn B")


def _counterparts(changes: list[str]) -> tuple[tuple[str, str], ...]:
    """The --map a clerk gives for agencies the catalogue has no successor for: each goes to
    a body a ward has (the test only needs valid names; a clerk chooses the right ones)."""
    pairs = []
    for line in changes:
        match = re.match(r"no counterpart for '(.+?)' \(", line)
        if match:
            pairs.append((match[1], "Văn phòng HĐND và UBND"))
    return tuple(pairs)


def _rebase_until_valid(form: Path, target: Target, out: Path) -> tuple[list[str], Path]:
    first = rebase_form(form, target, out)
    pairs = _counterparts(first.changes)
    if first.ok:
        return first.changes, first.form
    assert pairs, [str(p) for p in first.problems]  # every error comes with a --map hint
    second = rebase_form(form, target._replace(agency_map=pairs), out)
    assert second.ok, [str(p) for p in second.problems if p.is_error]
    return first.changes + second.changes, second.form


# What a ward's clerk answers for the district bodies the catalogue gives no counterpart.
# (The district Phòng Nội vụ needs none: its work went to the commune Phòng Văn hóa - Xã hội.)
CLERK_MAP = (("Trung tâm VH TT & TT quận", "agency.xa.phong-van-hoa-xa-hoi"),
             ("Thường trực Quận ủy", "Thường trực Đảng ủy phường"),
             ("Ban Tuyên giáo Quận ủy", "Đảng ủy phường"),
             ("Thường trực HĐND quận", "Thường trực HĐND phường"))


def test_duong_kinh_example_rebased_to_a_ward_in_2026(tmp_path: Path) -> None:
    example = ROOT / "examples" / "duong-kinh-2023.yaml"
    first = rebase_form(example, WARD, tmp_path / "first.yaml")
    asked = {line.split("'")[1] for line in first.changes if line.startswith("no counterpart")}
    assert asked == {old for old, _ in CLERK_MAP}  # the catalogue answers for the others
    result = rebase_form(example, WARD._replace(agency_map=CLERK_MAP),
                         tmp_path / "hung-dao.yaml")
    assert result.ok, [str(p) for p in result.problems if p.is_error]
    changes, form_path = first.changes + result.changes, result.form
    assert any("'Phòng Văn hóa và Thông tin' → 'Phòng Văn hóa - Xã hội'" in c for c in changes)
    assert any("'Phòng Nội vụ' → 'Phòng Văn hóa - Xã hội'" in c for c in changes), changes
    check_form(form_path)
    form, _ = load_form(form_path)
    assert (form.issuer.locality, form.issuer.level, form.issuer.unit, form.year) == \
        ("phường Hưng Đạo", "xa", "phường", 2026)
    assert form.number is None and form.date.month is None
    assert form.signer.name == "Nguyễn Văn B"
    assert "year: 2023 → 2026" in changes
    assert any("replaced by a placeholder for 2026's" in c for c in changes), changes
    docx_path, _ = build_form(form_path, tmp_path / "hung-dao.docx")
    assert docx_path.stat().st_size > 10_000
    text_path, _ = build_form(form_path, tmp_path / "hung-dao.txt", "txt")
    plan = text_path.read_text(encoding="utf-8")
    assert "phường Hưng Đạo năm 2026" in plan
    for line in plan.splitlines():  # the old locality survives only inside cited documents
        if "Dương Kinh" in line or "Quận ủy" in line:
            assert re.search(r"số \d+/", line), line


def test_imported_plan_rebased_to_a_ward(tmp_path: Path) -> None:
    imported = import_plan(SEEDS / "duong-kinh-2023.txt", tmp_path / "dk.yaml")
    changes, form_path = _rebase_until_valid(imported.form, WARD, tmp_path / "ward.yaml")
    text = form_path.read_text(encoding="utf-8")
    form, _ = load_form(form_path)
    assert form.title == ("Tuyên truyền cải cách hành chính nhà nước", "phường Hưng Đạo năm 2026")
    assert form.opening.enacting == ("Ủy ban nhân dân phường Hưng Đạo ban hành Kế hoạch Tuyên "
                                      "truyền cải cách hành chính nhà nước phường Hưng Đạo năm "
                                      "2026, cụ thể như sau:")
    assert "Quận ủy" not in text.split("recipients:")[1]  # no district Party body is sent it
    assert any("'năm 2023' → 'năm 2026'" in c for c in changes), changes
    assert any("Sở TTTT" in c and "Sở Khoa học và Công nghệ" in c for c in changes), changes
    assert not any(c.startswith("review: signer") for c in changes)  # --signer was given
    build_form(form_path, tmp_path / "ward.docx")


def test_party_committee_follows_the_level(tmp_path: Path) -> None:
    form = tmp_path / "plan.yaml"
    shutil.copy(DATA / "minimal.yaml", form)
    text = form.read_text(encoding="utf-8")
    text = text.replace("locality: xã An Thới Đông", "locality: huyện Cao Lãnh")
    text = text.replace("level: xa", "level: huyen").replace("unit: xã", "unit: huyện")
    text = text.replace("place: An Thới Đông", "place: Cao Lãnh")
    text = text.replace("year: 2026", "year: 2024")
    text = text.replace("date: 2026-01-08", "date: 2024-01-08")
    text = text.replace("năm 2026", "năm 2024").replace("Năm 2026", "Năm 2024")
    text = text.replace("Thường trực Đảng ủy", "Thường trực Huyện ủy")
    form.write_text(text, encoding="utf-8")
    result = rebase_form(form, Target(locality="xã Mỹ Long", year=2026), tmp_path / "new.yaml")
    new, _ = load_form(result.form)
    assert (new.issuer.level, new.issuer.unit, new.issuer.place) == ("xa", "xã", "Mỹ Long")
    recipients = [r.text for r in new.recipients]
    assert "Thường trực Đảng ủy xã" in recipients
    assert not any("Huyện ủy" in (r or "") for r in recipients)
    assert new.closing.text.endswith("của Ủy ban nhân dân xã.")
    assert "renamed 'Huyện ủy' → 'Đảng ủy xã': 1 time" in result.changes


def test_next_year_moves_this_and_last_year_and_cites_this_year_s_local_plan(
        tmp_path: Path) -> None:
    form = tmp_path / "plan.yaml"
    shutil.copy(DATA / "minimal.yaml", form)
    source = form.read_text(encoding="utf-8").replace(
        "  - Nội dung một.",
        "  - Tuyên truyền kết quả năm 2025 và nhiệm vụ năm 2026 theo Kế hoạch số 5/KH-UBND "
        "ngày 02/01/2026 của Ủy ban nhân dân tỉnh về cải cách hành chính năm 2026.\n"
        "  - Số liệu năm 2019 giữ nguyên.")
    form.write_text(source, encoding="utf-8")
    result = rebase_form(form, Target(year=2027), tmp_path / "next.yaml")
    new, _ = load_form(result.form)
    content = part_entries(new, "contents")[0].text
    # the province's plan of the old year is cited by a placeholder for the new year's
    assert content == ("Tuyên truyền kết quả năm 2026 và nhiệm vụ năm 2027 theo Kế hoạch số "
                       "…/KH-UBND ngày … của Ủy ban nhân dân tỉnh về cải cách hành chính năm "
                       "2027.")
    assert part_entries(new, "contents")[1].text == "Số liệu năm 2019 giữ nguyên."
    assert new.title == ("Tuyên truyền cải cách hành chính năm 2027",)
    assert new.number is None and new.date.day is None
    assert any("'Kế hoạch số 5/KH-UBND ngày 02/01/2026 của Ủy ban n…' was a local document of "
               "2026; replaced by a placeholder" in c for c in result.changes)
    assert result.ok, [str(p) for p in result.problems]


def test_expired_bases_are_dropped_and_merged_agencies_follow_their_successor(
        tmp_path: Path) -> None:
    imported = import_plan(SEEDS / "hai-phong-2019.txt", tmp_path / "hp.yaml")
    result = rebase_form(imported.form, Target(year=2026), tmp_path / "hp-2026.yaml")
    changes = "\n".join(result.changes)
    assert re.search(r"opening.bases\[1\]: dropped Quyết định số 225/QĐ-TTg: valid until "
                     r"31/12/2020, before 2026", changes), changes
    assert "opening.bases[2]: Quyết định số 3472/QĐ-UBND was for 2019; replaced by a " \
           "placeholder" in changes
    assert "'Sở Thông tin và Truyền thông' → 'Sở Khoa học và Công nghệ'" in changes
    form, _ = load_form(result.form)
    assert next(b.text for b in form.opening.bases if b.text).startswith(
        "Quyết định số …/QĐ-UBND ngày … của Ủy ban nhân dân thành phố")
    assert form.issuer.level == "tinh" and form.year == 2026


def test_a_district_cannot_be_the_issuer_after_the_reform(tmp_path: Path) -> None:
    imported = import_plan(SEEDS / "hong-ngu-2024.txt", tmp_path / "hn.yaml")
    with pytest.raises(KhGenError) as caught:
        rebase_form(imported.form, Target(year=2026), tmp_path / "hn-2026.yaml")
    assert "districts (huyen) issue no plans from 1 July 2025" in str(caught.value)
    assert not (tmp_path / "hn-2026.yaml").exists()


def test_cli_rebase_lists_its_changes(tmp_path: Path) -> None:
    imported = import_plan(SEEDS / "hong-ngu-2024.txt", tmp_path / "hn.yaml")
    result = CliRunner().invoke(main, ["rebase", str(imported.form), "--year", "2025"])
    target = tmp_path / "thanh-pho-hong-ngu-2025.yaml"
    assert f"wrote {target}" in result.output, result.output
    assert "year: 2024 → 2025" in result.output
    assert "renamed 'năm 2024' → 'năm 2025'" in result.output
    assert result.exit_code == (0 if "check finds errors" not in result.output else 1)
    bad = CliRunner().invoke(main, ["rebase", str(imported.form), "--map", "Phòng Nội vụ"])
    assert bad.exit_code == 1
    assert "--map: error: 'Phòng Nội vụ': write OLD=NEW" in bad.output


@pytest.mark.parametrize("example", ["duong-kinh-2023", "hai-phong-2019", "hong-ngu-2024",
                                     "xa-2026"])
@pytest.mark.parametrize("target", [WARD, Target(locality="xã An Phú", level="xa",
                                                 place="Hải Phòng", unit="xã", signer="A")])
def test_a_rebased_form_read_in_memory_builds_what_its_yaml_builds(example: str,
                                                                   target: Target) -> None:
    """batch --rebase reads the re-targeted values without writing them: the plan, its
    warnings and its errors must be those of the YAML `kh-gen rebase` writes."""
    path = ROOT / "examples" / f"{example}.yaml"
    rebased = rebase_loaded(path, load_form(path)[0], load_yaml_file(path).plain(), target,
                            Sources())
    copy = Path("copy.yaml")

    def outcome(root: Node) -> object:
        try:
            checked = check_loaded(read_form(root, copy)[0])
        except KhGenError as exc:
            return sorted((p.message, p.rule, p.location.line > 0) for p in exc.problems)
        return render(checked, "docx"), sorted((p.message, p.rule) for p in checked.warnings)

    assert outcome(Node.of_plain(rebased.data, str(copy))) == \
        outcome(load_yaml_text(dump_yaml(rebased.data), str(copy)))


def _minimal_rebased(tmp_path: Path, content: str, target: Target) -> Form:
    """The minimal form with `content` as its first content item, rebased to `target`."""
    form = tmp_path / "plan.yaml"
    shutil.copy(DATA / "minimal.yaml", form)
    form.write_text(form.read_text(encoding="utf-8").replace(
        "  - Nội dung một.", f"  - '{content}'"), encoding="utf-8")
    result = rebase_form(form, target, tmp_path / "rebased.yaml")
    return load_form(result.form)[0]


def test_names_are_renamed_as_whole_words_only(tmp_path: Path) -> None:
    new = _minimal_rebased(tmp_path, "xã An Thới Đông, (Xã An Thới Đông) và XÃ AN THỚI ĐÔNG; "
                                     "giữ: xã An Thới Đôngg, Axã An Thới Đông, xã An Thới Đông2.",
                           Target(locality="xã Phú Mỹ"))
    # "Axã" is not the word "xã", but the place name after it is a word of its own
    assert part_entries(new, "contents")[0].text == (
        "xã Phú Mỹ, (Xã Phú Mỹ) và XÃ PHÚ MỸ; giữ: xã An Thới Đôngg, Axã Phú Mỹ, xã An Thới "
        "Đông2.")


def test_the_quick_test_of_renaming_agrees_with_the_regex_engine() -> None:
    """Rebase skips a name in any case that is not in a text's lower case, for texts made of
    the characters `_SIMPLE_CASE` accepts: there the engine's case pairs must be str.lower()'s."""
    from kh_gen.rebase import _SIMPLE_CASE

    simple = [chr(c) for c in range(0x2100) if _SIMPLE_CASE.fullmatch(chr(c))]
    assert {"a", "Đ", "đ", "Ư", "ở", "Ỹ", "\u0301", "-", "9"} <= set(simple)
    assert not {"ı", "ſ", "µ", "İ", "ẛ", "σ", "ς"} & set(simple)
    for char in simple:
        assert len(char.lower()) == 1, char
        pattern = re.compile(re.escape(char), re.IGNORECASE)
        engine = {other for other in simple if pattern.fullmatch(other)}
        assert engine == {other for other in simple if other.lower() == char.lower()}, char


def test_the_unit_word_inside_another_word_is_not_renamed(tmp_path: Path) -> None:
    new = _minimal_rebased(tmp_path, "Các tổ chức chính trị - xã hội, hợp tác xã, các thị xã, "
                                     "xã viên; Xã hội hóa và phát triển kinh tế - xã hội của "
                                     "xã; Ủy ban nhân dân xã, trên địa bàn xã.",
                           Target(locality="phường Mỹ Phước"))
    assert part_entries(new, "contents")[0].text == (
        "Các tổ chức chính trị - xã hội, hợp tác xã, các thị xã, xã viên; Xã hội hóa và phát "
        "triển kinh tế - xã hội của phường; Ủy ban nhân dân phường, trên địa bàn phường.")
    assert part_entries(new, "implementation")[0].name == "Phòng Văn hóa - Xã hội"


def test_catalogue_duties_that_name_a_ceased_agency_are_written_out_renamed(
        tmp_path: Path) -> None:
    result = rebase_form(ROOT / "examples" / "hai-phong-2019.yaml", Target(year=2027),
                         tmp_path / "hp-2027.yaml")
    ceased = [str(p) for p in result.problems if "Sở Thông tin và Truyền thông" in p.message]
    assert not ceased, ceased
    form, _ = load_form(result.form)
    roles = part_entries(form, "implementation")
    noi_vu = next(a for a in roles if a.ref == "agency.tinh.so-noi-vu")
    assert noi_vu.duties is not None, "its catalogue duties are written out"
    assert [d.ref for d in noi_vu.duties][:1] == ["duty.tinh.so-noi-vu.results"]
    assert "Sở Khoa học và Công nghệ" in noi_vu.duties[0].text
    assert "sections[4].items[3].duties[1]: duty.tinh.so-noi-vu.results keeps the plan's wording" \
        in "\n".join(result.changes)
    untouched = next(a for a in roles if a.ref == "agency.tinh.so-tu-phap")
    assert untouched.duties is None, "duties that need no change stay the catalogue's"


def test_the_old_one_stop_shop_decree_is_replaced_by_118_2025(tmp_path: Path) -> None:
    form = tmp_path / "plan.yaml"
    shutil.copy(DATA / "minimal.yaml", form)
    text = form.read_text(encoding="utf-8")
    form.write_text(text.replace("    - Chỉ thị số 23/CT-TTg ngày 02/9/2021 của Thủ tướng Chính "
                                 "phủ\n", "    - ref: basis.nd-61-2018-cp\n"), encoding="utf-8")
    result = rebase_form(form, Target(year=2027), tmp_path / "next.yaml")
    assert any(change.endswith(".bases[2]: Nghị định số 61/2018/NĐ-CP (valid until "
                               "30/06/2025) replaced by Nghị định số 118/2025/NĐ-CP (ref: "
                               "basis.nd-118-2025-cp)") for change in result.changes), \
        result.changes
    text = result.form.read_text(encoding="utf-8")
    assert "ref: basis.nd-118-2025-cp" in text and "basis.nd-61-2018-cp" not in text


def test_duong_kinh_to_a_ward_in_2026_needs_no_map_and_names_no_district(tmp_path: Path
                                                                         ) -> None:
    """The district plan re-targeted across the 2025 reform: check accepts it, and the built
    plan names no district body and no 2023; the district's and the city's documents of 2023
    cited in the text become placeholders for 2026's, listed as changes."""
    out = tmp_path / "ward.yaml"
    result = rebase_form(ROOT / "examples" / "duong-kinh-2023.yaml",
                         Target(locality="phường Dương Kinh", level="xa", year=2026), out)
    assert result.ok, [str(p) for p in result.problems]
    text = render(check_form(out), "txt").decode("utf-8")
    assert "2023" not in text
    assert not re.search(r"(?<!\w)(?:quận|huyện)(?!\w)", text, re.IGNORECASE)
    changes = "\n".join(result.changes)
    assert "'Quyết định số 46/QĐ-UBND ngày 11/01/2023 của Ủy ba…' was a local document of " \
           "2023; replaced by a placeholder" in changes
    assert "Quyết định số …/QĐ-UBND ngày … của Ủy ban nhân dân phường về việc ban hành Kế " \
           "hoạch cải cách hành chính nhà nước phường Dương Kinh năm 2026" in text


# What `kh-gen rebase` says, in Vietnamese (the default) and in English (--lang en).
_SAID = {
    "vi": {"wrote": "đã ghi", "renamed": "đã đổi 'năm 2026' → 'năm 2027': 4 lần",
           "review": "xem lại: signer: 'Nguyễn Văn A' ký cho xã An Thới Đông; hãy ghi người ký "
                     "cho xã Tân Phú (--signer)",
           "map": "--map: lỗi: 'Phòng Nội vụ': hãy viết theo dạng OLD=NEW",
           "level": "--level: lỗi: cần một trong các cấp tinh, huyen, xa; nhận được 'abc'",
           "huyen": "--level: lỗi: từ ngày 01/7/2025 cấp huyện (huyen) không còn ban hành kế "
                    "hoạch; với năm 2026",
           "kept": ": lỗi: đã có và không do kh-gen rebase ghi ra"},
    "en": {"wrote": "wrote", "renamed": "renamed 'năm 2026' → 'năm 2027': 4 times",
           "review": "review: signer: 'Nguyễn Văn A' signed for xã An Thới Đông; write who signs "
                     "for xã Tân Phú (--signer)",
           "map": "--map: error: 'Phòng Nội vụ': write OLD=NEW",
           "level": "--level: error: expected one of tinh, huyen, xa; got 'abc'",
           "huyen": "--level: error: districts (huyen) issue no plans from 1 July 2025; for 2026",
           "kept": ": error: exists and was not written by kh-gen rebase"},
}


@pytest.mark.parametrize(("language", "env", "args"), [
    ("vi", {"KH_GEN_LANG": ""}, []),
    ("en", {"KH_GEN_LANG": ""}, ["--lang", "en"]),
])
def test_cli_rebase_speaks_vietnamese_unless_asked_for_english(
        tmp_path: Path, language: str, env: dict[str, str], args: list[str]) -> None:
    said = _SAID[language]
    form = Path(shutil.copy(ROOT / "examples" / "xa-2026.yaml", tmp_path))
    out = tmp_path / "tan-phu.yaml"

    def run(*extra: str) -> Any:
        return CliRunner().invoke(main, ["rebase", str(form), *extra, *args], env=env)

    result = run("--locality", "xã Tân Phú", "--year", "2027", "-o", str(out))
    assert result.exit_code == 0, result.output
    printed = [line.strip() for line in result.output.splitlines() if line.startswith("  ")]
    # paths of the form, values and ids read the same in both languages
    assert printed[:3] == ["year: 2026 → 2027", "issuer.locality: 'xã An Thới Đông' → 'xã Tân Phú'",
                           "issuer.place: 'An Thới Đông' → 'Tân Phú'"]
    assert said["renamed"] in printed and said["review"] in printed, printed
    assert f"{said['wrote']} {out}" in result.output
    assert "[signer-placeholder]" in result.output
    changes = out.with_suffix(".changes.txt").read_text(encoding="utf-8")
    assert f"- {said['review']}" in changes
    for extra, key in ((("--map", "Phòng Nội vụ"), "map"), (("--level", "abc"), "level"),
                       (("--level", "huyen"), "huyen")):
        bad = run(*extra)
        assert bad.exit_code == 1 and said[key] in bad.output, bad.output
    mine = tmp_path / "mine.changes.txt"
    mine.write_text("ghi chú\n", encoding="utf-8")
    kept = run("-o", str(tmp_path / "mine.yaml"))
    assert kept.exit_code == 1 and f"{mine}{said['kept']}" in kept.output, kept.output
    assert mine.read_text(encoding="utf-8") == "ghi chú\n"
