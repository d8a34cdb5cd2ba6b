"""The form's messages in the user's language: Vietnamese by default, English with --lang en,
with the location, the severity's place and the rule ids unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kh_gen.cli import main
from kh_gen.errors import KhGenError
from kh_gen.form import load_form
from kh_gen.outputs import check_output

from .conftest import DATA


def _form(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    form = tmp_path / "form.yaml"
    form.write_text(text, encoding="utf-8")
    return form


def _check(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", *args], env={"KH_GEN_LANG": ""})
    return result.exit_code, result.output.splitlines()


def test_reader_messages_in_vietnamese_and_english(tmp_path: Path) -> None:
    form = _form(tmp_path, ("  locality:", "  localty:"), ("date: 2026-01-08", "date: 31/02/2026"),
                 ("  level: xa", "  level: thon"))
    code, lines = _check(str(form))
    assert code == 1
    assert set(lines) == {
        f"{form}:3:3: lỗi: issuer.locality: còn thiếu; hãy thêm 'locality:' vào đây",
        f"{form}:3:3: lỗi: issuer.localty: khóa 'localty' không có; có phải ý bạn là "
        f"'locality'?",
        f"{form}:4:10: lỗi: issuer.level: cần một trong các giá trị tinh, huyen, xa; nhận được "
        f"'thon' (cũng chấp nhận: tỉnh, thành phố, xã, phường, đặc khu, thị trấn, huyện, quận, "
        f"thị xã)",
        f"{form}:9:7: lỗi: date: '31/02/2026' là ngày không có thật: tháng 2 năm 2026 có 28 "
        f"ngày, không có ngày 31",
    }
    code, lines = _check("--lang", "en", str(form))
    assert set(lines) == {
        f"{form}:3:3: error: issuer.locality: missing; add 'locality:' here",
        f"{form}:3:3: error: issuer.localty: unknown key 'localty'; did you mean 'locality'?",
        f"{form}:4:10: error: issuer.level: expected one of tinh, huyen, xa; got 'thon' (also "
        f"accepted: tỉnh, thành phố, xã, phường, đặc khu, thị trấn, huyện, quận, thị xã)",
        f"{form}:9:7: error: date: '31/02/2026' is an impossible date: month 2 of 2026 has 28 "
        f"days, not 31",
    }


def test_warnings_keep_their_rule_ids(tmp_path: Path) -> None:
    form = _form(tmp_path, ("  - Thường xuyên.", "  - 1. Thường xuyên."))
    code, lines = _check(str(form))
    assert code == 0
    assert f"{form}:25:5: cảnh báo: sections[1].items[2].items[1]: bắt đầu bằng '1.'; kh-gen tự " \
           f"đánh số các ý, hãy xóa số thứ tự gõ tay [typed-label]" in lines
    code, lines = _check("--lang", "en", str(form))
    assert f"{form}:25:5: warning: sections[1].items[2].items[1]: starts with '1.'; kh-gen " \
           f"numbers items itself, remove the typed label [typed-label]" in lines


def test_file_messages_in_vietnamese(tmp_path: Path) -> None:
    missing = tmp_path / "khong-co.yaml"
    assert _check(str(missing))[1][-1].startswith(f"{missing}: lỗi: ")
    (tmp_path / "thu-muc.yaml").mkdir()
    code, lines = _check(str(tmp_path / "thu-muc.yaml"))
    assert code != 0 and lines


def test_output_refusal_in_vietnamese(tmp_path: Path, vietnamese: None) -> None:
    mine = tmp_path / "plan.docx"
    mine.write_bytes(b"not kh-gen's")
    with pytest.raises(KhGenError) as caught:
        check_output(tmp_path / "form.yaml", mine)
    assert str(caught.value) == (f"{mine}: lỗi: tệp đã có và không do kh-gen tạo ra (hoặc đã bị "
                                 f"sửa sau đó), nên được giữ nguyên; hãy ghi ra chỗ khác bằng -o, "
                                 f"hoặc ghi đè bằng --force")


def test_a_missing_key_in_vietnamese(tmp_path: Path, vietnamese: None) -> None:
    form = _form(tmp_path, ("  name: Trần Văn Bình\n", ""))
    with pytest.raises(KhGenError) as caught:
        load_form(form)
    assert [str(p) for p in caught.value.problems] == [
        f"{form}:60:3: lỗi: signer.name: còn thiếu; hãy thêm 'name:' vào đây"]
