"""The spellings clerks write are accepted by `kh-gen check` as well as kh-gen's own codes.

Each spelling is checked through the command a clerk runs, on an example form that is fine as
it stands, and the form read back holds the code (`xã` → xa): the rest of kh-gen only ever sees
codes, and `kh-gen new` and `import` keep writing them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kh_gen.batch import REQUIRED, read_localities
from kh_gen.cli import main
from kh_gen.errors import KhGenError
from kh_gen.form import PlanDate, load_form
from kh_gen.spellings import COLUMN_WORDS

from .conftest import EXAMPLES


def _example(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """An example form copied into tmp_path with one line changed."""
    target = tmp_path / name
    shutil.copy(EXAMPLES / name, target)
    text = target.read_text(encoding="utf-8")
    assert old in text, old
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def _check_ok(form: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(form)])
    assert result.exit_code == 0, result.output
    assert "error" not in result.output, result.output


# The example whose level and date fit each code: a commune's 2026 plan, a province's 2019
# plan, and a district's 2023 plan (districts issue none after 1 July 2025).
_LEVEL_EXAMPLES = {"xa": ("xa-2026.yaml", "  level: xa\n"),
                   "tinh": ("hai-phong-2019.yaml", "  level: tinh\n"),
                   "huyen": ("duong-kinh-2023.yaml", "  level: huyen\n")}


@pytest.mark.parametrize(("written", "code"), [
    ("tỉnh", "tinh"), ("Tỉnh", "tinh"), ("thành phố", "tinh"), ("Thành phố", "tinh"),
    ("xã", "xa"), ("Xã", "xa"), ("phường", "xa"), ("đặc khu", "xa"), ("thị trấn", "xa"),
    ("phuong", "xa"), ("huyện", "huyen"), ("quận", "huyen"), ("thị xã", "huyen"),
    ("tinh", "tinh"), ("xa", "xa"), ("huyen", "huyen"),
])
def test_level_as_written_is_accepted(tmp_path: Path, written: str, code: str) -> None:
    name, line = _LEVEL_EXAMPLES[code]
    form = _example(tmp_path, name, line, f"  level: {written}\n")
    _check_ok(form)
    assert load_form(form)[0].issuer.level == code


def test_a_district_spelling_is_still_refused_after_the_reform(tmp_path: Path) -> None:
    form = _example(tmp_path, "xa-2026.yaml", "  level: xa\n", "  level: quận\n")
    result = CliRunner().invoke(main, ["check", str(form)])
    assert result.exit_code == 1
    assert "issuer.level: districts issue no plans from 1 July 2025" in result.output


def test_an_unknown_level_lists_the_codes_and_the_words(tmp_path: Path) -> None:
    form = _example(tmp_path, "xa-2026.yaml", "  level: xa\n", "  level: thôn\n")
    result = CliRunner().invoke(main, ["check", str(form)])
    assert result.exit_code == 1
    assert re.search(r"xa-2026\.yaml:9:10: error: issuer\.level: expected one of tinh, huyen, "
                     r"xa; got 'thôn' \(also accepted: tỉnh, thành phố, xã, phường",
                     result.output), result.output


@pytest.mark.parametrize(("written", "code"), [
    ("TM.", "TM"), ("tm", "TM"), ("Tm.", "TM"), ("Thay mặt", "TM"), ("TM", "TM"),
    ("KT.", "KT"), ("kt", "KT"), ("kt.", "KT"), ("Ký thay", "KT"), ("KT", "KT"),
    ("Q.", "Q"), ("q", "Q"), ("Quyền", "Q"),
    ("TL.", "TL"), ("tl", "TL"), ("Thừa lệnh", "TL"),
    ("TUQ.", "TUQ"), ("tuq", "TUQ"), ("Thừa ủy quyền", "TUQ"),
])
def test_authority_as_written_is_accepted(tmp_path: Path, written: str, code: str) -> None:
    title = "Chủ tịch" if code == "TM" else "Phó Chủ tịch"
    form = _example(tmp_path, "xa-2026.yaml", "  authority: TM\n  title: Chủ tịch\n",
                    f"  authority: {written}\n  title: {title}\n")
    _check_ok(form)
    assert load_form(form)[0].signer.authority == code


@pytest.mark.parametrize(("written", "date"), [
    ("15/01/2026", PlanDate(2026, 1, 15)),
    ("15-01-2026", PlanDate(2026, 1, 15)),
    ("15.01.2026", PlanDate(2026, 1, 15)),
    ("5/1/2026", PlanDate(2026, 1, 5)),
    ("01/2026", PlanDate(2026, 1)),
    ("1/2026", PlanDate(2026, 1)),
    ("ngày 15 tháng 01 năm 2026", PlanDate(2026, 1, 15)),
    ("Ngày 15 tháng 01 năm 2026", PlanDate(2026, 1, 15)),
    ("ngày 05 tháng 3 năm 2026", PlanDate(2026, 3, 5)),
    ("tháng 01 năm 2026", PlanDate(2026, 1)),
    ("2026-01-15", PlanDate(2026, 1, 15)),
    ('"2026-01-15"', PlanDate(2026, 1, 15)),
    ('"2026-01"', PlanDate(2026, 1)),
    ("29/02/2028", PlanDate(2028, 2, 29)),
])
def test_date_as_written_is_accepted(tmp_path: Path, written: str, date: PlanDate) -> None:
    form = _example(tmp_path, "xa-2026.yaml", "year: 2026\n",
                    f"year: {date.year}\ndate: {written}\n")
    if date.year != 2026:
        text = form.read_text(encoding="utf-8").replace("2026", str(date.year))
        form.write_text(text, encoding="utf-8")
    _check_ok(form)
    assert load_form(form)[0].date == date


@pytest.mark.parametrize(("written", "why"), [
    ("31/02/2026", "month 2 of 2026 has 28 days, not 31"),
    ("29/02/2026", "month 2 of 2026 has 28 days, not 29"),
    ("31-04-2026", "month 4 of 2026 has 30 days, not 31"),
    ("15/13/2026", "there is no month 13"),
    ("13/2026", "there is no month 13"),
    ("ngày 32 tháng 01 năm 2026", "month 1 of 2026 has 31 days, not 32"),
    ("2026-02-30", "month 2 of 2026 has 28 days, not 30"),
    ("00/01/2026", "there is no day 0"),
])
def test_an_impossible_date_is_called_impossible_where_it_stands(tmp_path: Path, written: str,
                                                                 why: str) -> None:
    form = _example(tmp_path, "xa-2026.yaml", "year: 2026\n", f"year: 2026\ndate: {written}\n")
    result = CliRunner().invoke(main, ["check", str(form)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines == [f"{form}:7:7: error: date: '{written}' is an impossible date: {why}"]


def test_a_date_in_no_known_spelling_shows_the_spellings(tmp_path: Path) -> None:
    form = _example(tmp_path, "xa-2026.yaml", "year: 2026\n", "year: 2026\ndate: mùng 5 Tết\n")
    result = CliRunner().invoke(main, ["check", str(form)])
    assert result.exit_code == 1
    assert f"{form}:7:7: error: date: not a date kh-gen can read; got 'mùng 5 Tết'; write " \
           f"it 15/01/2026" in result.output


def test_new_and_rebase_take_the_level_as_written(tmp_path: Path) -> None:
    written = CliRunner().invoke(main, ["new", "--level", "xã", "--locality", "xã An Phú",
                                        "--year", "2026", "-o", str(tmp_path / "f.yaml")])
    assert written.exit_code == 0, written.output
    assert "  level: xa\n" in (tmp_path / "f.yaml").read_text(encoding="utf-8"), \
        "kh-gen new writes the code"
    refused = CliRunner().invoke(main, ["new", "--level", "huyện", "--locality", "huyện A",
                                        "--year", "2026"])
    assert refused.exit_code == 2 and "expected one of xa, tinh" in refused.output
    rebased = CliRunner().invoke(main, ["rebase", str(tmp_path / "f.yaml"), "--locality",
                                        "thành phố Cần Thơ", "--level", "thành phố",
                                        "-o", str(tmp_path / "r.yaml")])
    assert rebased.exit_code == 0, rebased.output
    assert "  level: tinh\n" in (tmp_path / "r.yaml").read_text(encoding="utf-8")
    wrong = CliRunner().invoke(main, ["rebase", str(tmp_path / "f.yaml"), "--level", "thôn"])
    assert wrong.exit_code == 1
    assert "--level: error: expected one of tinh, huyen, xa; got 'thôn'" in wrong.output


def test_rebase_keeps_a_level_written_in_words_when_it_does_not_change(tmp_path: Path) -> None:
    form = _example(tmp_path, "xa-2026.yaml", "  level: xa\n", "  level: xã\n")
    result = CliRunner().invoke(main, ["rebase", str(form), "--year", "2027",
                                       "-o", str(tmp_path / "r.yaml")])
    assert result.exit_code == 0, result.output
    assert "issuer.level" not in result.output
    assert "  level: xã\n" in (tmp_path / "r.yaml").read_text(encoding="utf-8")


# -- batch localities lists --------------------------------------------------------------------

_ROW = {"locality": "phường Mỹ Phước", "level": "phường", "signer": "Lê Thị C",
        "place": "Bến Cát", "issuer": "Ủy ban nhân dân", "signer_title": "Phó Chủ tịch",
        "signer_authority": "KT.", "unit": "phường", "parent": "thành phố",
        "subunits": "các khu phố", "province": "Hồ Chí Minh"}
_EXPECTED = {**_ROW, "level": "xa", "signer_authority": "KT"}


def _csv(path: Path, header: list[str], cells: list[str], sep: str = ",") -> Path:
    path.write_text(sep.join(header) + "\n" + sep.join(cells) + "\n", encoding="utf-8-sig")
    return path


@pytest.mark.parametrize(("word", "key"), list(COLUMN_WORDS.items()))
def test_a_batch_column_may_be_named_in_vietnamese(tmp_path: Path, word: str,
                                                   key: str) -> None:
    keys = ["locality", "level", "signer", key] if key not in REQUIRED else \
        ["locality", "level", "signer"]
    header = [word if k == key else k for k in keys]
    path = _csv(tmp_path / "list.csv", header, [_ROW[k] for k in keys])
    rows, problems = read_localities(path, load_form(EXAMPLES / "xa-2026.yaml")[0])
    assert not problems, problems
    assert getattr(rows[0], key) == _EXPECTED[key]


def test_a_semicolon_csv_in_vietnamese_is_built(tmp_path: Path) -> None:
    """What a spreadsheet program set to Vietnamese saves: `;`, a BOM, Vietnamese headers."""
    words = {key: word for word, key in COLUMN_WORDS.items()}
    keys = list(_ROW)
    path = _csv(tmp_path / "ds.csv", [words[k].capitalize() for k in keys],
                [_ROW[k] for k in keys], sep=";")
    form = tmp_path / "xa-2026.yaml"
    shutil.copy(EXAMPLES / "xa-2026.yaml", form)
    result = CliRunner().invoke(main, ["batch", str(form), "--localities", str(path),
                                       "-o", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["phuong-my-phuoc.docx"]
    (row,), _ = read_localities(path, load_form(form)[0])
    assert row._replace(location=None) == \
        row._make([None, *(_EXPECTED[k] for k in row._fields[1:])])


def test_a_semicolon_inside_a_comma_csv_stays_in_its_cell(tmp_path: Path) -> None:
    path = _csv(tmp_path / "list.csv", ["locality", "level", "signer", "subunits"],
                ["xã An Phú", "xa", "Lê Văn D", '"các thôn; ấp"'])
    rows, problems = read_localities(path, load_form(EXAMPLES / "xa-2026.yaml")[0])
    assert not problems and rows[0].subunits == "các thôn; ấp"


def test_a_yaml_list_in_vietnamese_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ds.yaml"
    path.write_text("- địa phương: xã An Phú\n  cấp: xã\n  người ký: Lê Văn D\n"
                    "  quyền hạn ký: tm\n", encoding="utf-8")
    (row,), problems = read_localities(path, load_form(EXAMPLES / "xa-2026.yaml")[0])
    assert not problems
    assert (row.locality, row.level, row.signer, row.signer_authority, row.place) == \
        ("xã An Phú", "xa", "Lê Văn D", "TM", "An Phú")


def test_an_unknown_column_lists_the_names_in_both_languages(tmp_path: Path) -> None:
    path = _csv(tmp_path / "list.csv", ["địa phương", "cấp", "người ký", "ghi chú"],
                ["xã An Phú", "xa", "Lê Văn D", "x"], sep=";")
    with pytest.raises(KhGenError) as caught:
        read_localities(path, load_form(EXAMPLES / "xa-2026.yaml")[0])
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{path}:1:4: error: unknown column 'ghi chú'; columns: "
                                   f"locality (địa phương), level (cấp), signer (người ký)")


def test_a_column_named_twice_is_refused(tmp_path: Path) -> None:
    path = _csv(tmp_path / "list.csv", ["locality", "level", "signer", "địa phương"],
                ["xã An Phú", "xa", "Lê Văn D", "xã An Phú"])
    with pytest.raises(KhGenError) as caught:
        read_localities(path, load_form(EXAMPLES / "xa-2026.yaml")[0])
    assert "column 'locality' given twice" in str(caught.value)
