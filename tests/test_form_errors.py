"""Every kind of broken form gets a located message, all in one run, and no output file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kh_gen.cli import main
from kh_gen.errors import KhGenError
from kh_gen.form import load_form


def _break(form: Path, old: str, new: str) -> Path:
    text = form.read_text(encoding="utf-8")
    assert old in text, old
    form.write_text(text.replace(old, new, 1), encoding="utf-8")
    return form


def _line_of(form: Path, needle: str) -> int:
    for number, line in enumerate(form.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def _problems(form: Path) -> list[str]:
    with pytest.raises(KhGenError) as caught:
        load_form(form)
    return [str(p) for p in caught.value.problems]


def test_yaml_syntax_error_is_located(minimal_form: Path) -> None:
    _break(minimal_form, "year: 2026", "year: [2026")
    (message,) = _problems(minimal_form)
    assert re.match(rf"{re.escape(str(minimal_form))}:\d+:\d+: error: YAML syntax error", message)


def test_unknown_key_suggests_the_nearest(minimal_form: Path) -> None:
    _break(minimal_form, "  locality:", "  localty:")
    messages = _problems(minimal_form)
    line = _line_of(minimal_form, "localty:")
    assert any(f":{line}:3: error: issuer.localty: unknown key 'localty'; did you mean "
               f"'locality'?" in m for m in messages), messages


def test_wrong_type_and_missing_field_reported_together(minimal_form: Path) -> None:
    _break(minimal_form, "year: 2026", "year: hai nghìn")
    _break(minimal_form, "  name: Trần Văn Bình\n", "")
    messages = _problems(minimal_form)
    assert any(f":{_line_of(minimal_form, 'year:')}:7: error: year: expected a whole number; "
               f"got 'hai nghìn'" in m for m in messages), messages
    assert any("signer.name: missing" in m for m in messages), messages


def test_wrong_authority_lists_the_choices(minimal_form: Path) -> None:
    _break(minimal_form, "authority: KT", "authority: KTT")
    (message,) = _problems(minimal_form)
    assert "signer.authority: expected one of TM, KT, Q, TL, TUQ; got 'KTT'" in message


def test_aliases_are_refused(minimal_form: Path) -> None:
    _break(minimal_form, "requirements:\n  - Thường xuyên.",
           "requirements:\n  - &r Thường xuyên.\n  - *r")
    (message,) = _problems(minimal_form)
    assert "aliases" in message
    assert f":{_line_of(minimal_form, '*r')}:" in message


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    bomb += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
             f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(9)]
    form = tmp_path / "bomb.yaml"
    form.write_text("\n".join(bomb), encoding="utf-8")
    (message,) = _problems(form)
    assert "aliases" in message


def test_not_utf8_is_reported(tmp_path: Path) -> None:
    form = tmp_path / "latin.yaml"
    form.write_bytes("year: 2026\ntitle: Kế hoạch\n".encode("utf-16"))
    (message,) = _problems(form)
    assert "UTF-8" in message


def test_cli_reports_every_problem_and_writes_nothing(minimal_form: Path) -> None:
    _break(minimal_form, "year: 2026", "year: hai nghìn")
    _break(minimal_form, "  level: xa", "  level: commune")
    out = minimal_form.with_suffix(".docx")
    result = CliRunner().invoke(main, ["build", str(minimal_form)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 2, result.output
    assert all(line.startswith(f"{minimal_form}:") for line in lines)
    assert "Traceback" not in result.output
    assert not out.exists()


def test_existing_output_is_untouched_when_the_build_fails(minimal_form: Path) -> None:
    out = minimal_form.with_suffix(".docx")
    out.write_bytes(b"last week's plan")
    _break(minimal_form, "objectives:", "objectivs:")
    result = CliRunner().invoke(main, ["build", str(minimal_form), "-o", str(out)])
    assert result.exit_code == 1
    assert out.read_bytes() == b"last week's plan"
    assert {p.name for p in minimal_form.parent.iterdir()} == {minimal_form.name, out.name}


def test_kt_with_a_head_title_is_refused(minimal_form: Path) -> None:
    _break(minimal_form, "title: Phó Chủ tịch", "title: Chủ tịch")
    result = CliRunner().invoke(main, ["check", str(minimal_form)])
    assert result.exit_code == 1
    assert f":{_line_of(minimal_form, 'signer:') + 1}:" in result.output
    assert "KT (signing for the head) needs a deputy's title" in result.output


def test_unknown_catalogue_id_suggests_the_nearest(minimal_form: Path) -> None:
    _break(minimal_form, "  - Thường xuyên.", "  - ref: requirement.regulr")
    result = CliRunner().invoke(main, ["check", str(minimal_form)])
    assert result.exit_code == 1
    assert "unknown catalogue id 'requirement.regulr'" in result.output


def test_free_text_is_never_executed(minimal_form: Path, tmp_path: Path) -> None:
    _break(minimal_form, "  - Nâng cao nhận thức.",
           "  - \"{{ ''.__class__.__mro__ }} năm {{ year }}\"")
    out = tmp_path / "plan.txt"
    result = CliRunner().invoke(main, ["build", str(minimal_form), "--format", "txt",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "a) {{ ''.__class__.__mro__ }} năm {{ year }}" in out.read_text(encoding="utf-8")


def test_a_district_plan_after_june_2025_is_refused(minimal_form: Path) -> None:
    _break(minimal_form, "  level: xa", "  level: huyen")
    (message,) = _problems(minimal_form)
    assert f":{_line_of(minimal_form, 'level: huyen')}:10: error: issuer.level: districts " \
           f"issue no plans from 1 July 2025" in message
