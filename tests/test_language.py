"""Every command speaks Vietnamese to a user who asked for nothing, and English with `--lang en`:
its help, click's usage errors, and its own messages, with `FILE:LINE:COL:` and rule ids kept.

"A user who asked for nothing" is a process with no `KH_GEN_LANG` and an English system locale
(`LANG=C.UTF-8`, as on many clerks' machines); the tests run such processes, and CliRunner with
the variable emptied.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kh_gen import build
from kh_gen.cli import main

from .conftest import DATA, EXAMPLES

# every command, with the first words of its help in each language
COMMANDS = {
    ("build",): ("Viết kế hoạch theo biểu mẫu FORM", "Write the plan described by FORM"),
    ("check",): ("Kiểm tra FORM", "Check FORM and lint its content"),
    ("new",): ("Tạo biểu mẫu cho một loại kế hoạch", "Start a form of a plan kind"),
    ("upgrade",): ("Viết lại biểu mẫu kiểu cũ", "Rewrite a form of the first layout"),
    ("batch",): ("Viết kế hoạch của FORM cho từng địa phương", "Write FORM once for every"),
    ("import",): ("Đọc kế hoạch PLAN", "Read PLAN (a DOCX, or its text)"),
    ("rebase",): ("Viết kế hoạch của FORM cho địa phương", "Write FORM's plan for another"),
    ("catalog",): ("Tra danh mục", "Browse the catalogue"),
    ("catalog", "list"): ("Liệt kê các mục", "List the entries"),
    ("catalog", "show"): ("Xem một mục", "Show one entry"),
    ("catalog", "search"): ("Tìm các mục chứa đủ mọi từ", "Find entries holding every word"),
}


def invoke(*args: object, lang: str | None = None):  # type: ignore[no-untyped-def]
    """`kh-gen ARGS` as a user runs it: no language asked for unless `lang` is given."""
    build._catalog_cache.clear()
    extra = ["--lang", lang] if lang else []
    result = CliRunner().invoke(main, [*map(str, args), *extra], env={"KH_GEN_LANG": ""},
                                prog_name="kh-gen")
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result


@pytest.mark.parametrize("command", list(COMMANDS), ids=" ".join)
def test_help_is_vietnamese_by_default_and_english_on_request(command: tuple[str, ...]) -> None:
    vietnamese, english = COMMANDS[command]
    shown = invoke(*command, "--help")
    assert shown.exit_code == 0
    assert f"Cách dùng: kh-gen {' '.join(command)} [TÙY CHỌN]" in shown.output
    assert vietnamese in shown.output and "Tùy chọn:" in shown.output
    assert "Hiện hướng dẫn này rồi thoát." in shown.output
    assert english not in shown.output
    shown = invoke(*command, "--help", lang="en")  # after --help: the language still applies
    assert shown.exit_code == 0
    assert f"Usage: kh-gen {' '.join(command)} [OPTIONS]" in shown.output
    assert english in shown.output and "Show this message and exit." in shown.output
    assert "Cách dùng" not in shown.output and "THƯ MỤC" not in shown.output


def test_the_top_help_lists_the_commands_in_the_language() -> None:
    shown = invoke("--help").output
    assert "Lệnh:" in shown and "LỆNH [ĐỐI SỐ]..." in shown
    assert "Commands:" in invoke("--lang", "en", "--help").output


def test_clicks_usage_errors_follow_the_language(tmp_path: Path) -> None:
    missing = invoke("build")
    assert missing.exit_code == 2
    assert "Lỗi: Thiếu đối số 'FORM'." in missing.output
    assert "Gõ 'kh-gen build --help' để xem hướng dẫn." in missing.output
    assert "Error: Missing argument 'FORM'." in invoke("build", lang="en").output
    unknown = invoke("check", "--nonsense", tmp_path / "f.yaml")
    assert "Không có tùy chọn '--nonsense'." in unknown.output
    bad_year = invoke("new", "--level", "xã", "--locality", "xã A", "--year", "1800")
    assert "Giá trị không hợp lệ ở '--year': 1800 nằm ngoài khoảng 2020<=x<=2100." \
        in bad_year.output
    assert "Invalid value for '--year'" in invoke("new", "--level", "xa", "--locality", "xã A",
                                                  "--year", "1800", lang="en").output


def test_an_unknown_language_is_refused_in_the_default_language() -> None:
    refused = invoke("check", "--lang", "fr")
    assert refused.exit_code == 2
    assert "Giá trị không hợp lệ ở '--lang': 'fr' không phải là một trong các giá trị 'vi', " \
        "'en'." in refused.output


def test_a_process_with_an_english_system_locale_speaks_vietnamese(tmp_path: Path) -> None:
    """The done-when of the issue, as a clerk's machine runs it: LANG=C.UTF-8, no option."""
    env = {k: v for k, v in os.environ.items() if k != "KH_GEN_LANG"}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", KH_GEN_CACHE_DIR=str(tmp_path / "cache"))
    command = [sys.executable, "-m", "kh_gen.cli"]
    helped = subprocess.run([*command, "build", "--help"], env=env, capture_output=True,
                            text=True, check=True)
    assert "Cách dùng: kh-gen build" in helped.stdout or "Cách dùng: python -m" in helped.stdout
    assert "Viết kế hoạch theo biểu mẫu FORM" in helped.stdout
    english = subprocess.run([*command, "build", "--help", "--lang", "en"], env=env,
                             capture_output=True, text=True, check=True)
    assert "Write the plan described by FORM" in english.stdout
    env["KH_GEN_LANG"] = "en"
    english = subprocess.run([*command, "build", "--help"], env=env, capture_output=True,
                             text=True, check=True)
    assert "Write the plan described by FORM" in english.stdout


def test_reports_keep_location_and_rule_id_in_every_language(tmp_path: Path) -> None:
    form = tmp_path / "plan.yaml"
    text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
    form.write_text(text.replace("Trần Văn Bình", "Nguyễn Văn A"), encoding="utf-8")
    vietnamese = invoke("check", form).output
    english = invoke("check", form, lang="en").output
    assert "cảnh báo:" in vietnamese and "warning:" in english
    # the same places and rule ids, line by line
    assert [line.split(": ")[0] for line in vietnamese.splitlines()] == \
        [line.split(": ")[0] for line in english.splitlines()]
    assert [line.rsplit(" ", 1)[-1] for line in vietnamese.splitlines()] == \
        [line.rsplit(" ", 1)[-1] for line in english.splitlines()]


def test_a_written_plan_is_reported_in_the_language(tmp_path: Path) -> None:
    out = tmp_path / "plan.docx"
    built = invoke("build", EXAMPLES / "xa-2026.yaml", "-o", out)
    assert built.exit_code == 0 and f"đã ghi {out}" in built.output
    again = invoke("build", EXAMPLES / "xa-2026.yaml", "-o", out, lang="en")
    assert f"wrote {out}" in again.output


def _own_messages(tmp: Path) -> dict[str, tuple[list[str], str, str]]:
    """Per command: a command line, and a message of the command's own in each language."""
    rows = tmp / "rows.csv"
    rows.write_text("locality,level,signer\nxã Bình Phú,xa,Trần Văn Cường\n", encoding="utf-8")
    plan = DATA / "import" / "real" / "lam-dong-cchc-2026.txt"
    xa = EXAMPLES / "xa-2026.yaml"
    return {
        "build": (["build", xa, "-o", tmp / "a.docx", "--force"], "đã ghi", "wrote"),
        "check": (["check", DATA / "minimal.yaml"], ": đạt", ": ok"),
        "new": (["new", "--level", "xa", "--locality", "xã A", "--year", "2026", "-o",
                 tmp / "new.yaml", "--force"], "đã ghi", "wrote"),
        "upgrade": (["upgrade", xa], "không cần làm gì", "nothing to do"),
        "batch": (["batch", xa, "--localities", rows, "-o", tmp / "out", "--force", "-j", "1"],
                  "đã viết 1 kế hoạch vào", "wrote 1 plan to"),
        "import": (["import", plan, "-o", tmp / "imported.yaml", "--force"], "đã nhập vào",
                   "imported into"),
        "rebase": (["rebase", xa, "--locality", "xã Bình Phú", "-o", tmp / "r.yaml",
                    "--force"], "đã ghi", "wrote"),
        "catalog list": (["catalog", "list", "nokind"], "lỗi: không rõ loại 'nokind'",
                         "error: unknown kind 'nokind'"),
        "catalog show": (["catalog", "show", "no.such.id"], "lỗi: không có mục 'no.such.id'",
                         "error: no entry 'no.such.id'"),
        "catalog search": (["catalog", "search", "zzzzqq"], "không tìm thấy mục nào",
                           "no entry found"),
    }


@pytest.mark.parametrize("command", ["build", "check", "new", "upgrade", "batch", "import",
                                     "rebase", "catalog list", "catalog show",
                                     "catalog search"])
def test_each_command_reports_in_the_language(tmp_path: Path, command: str) -> None:
    args, vietnamese, english = _own_messages(tmp_path)[command]
    said = invoke(*args).output
    assert vietnamese in said and english not in said, said
    said = invoke(*args, lang="en").output
    assert english in said and vietnamese not in said, said


def test_the_version_line_follows_the_language() -> None:
    assert invoke("--version").output.startswith("kh-gen, phiên bản ")
    assert invoke("--version", lang="en").output.startswith("kh-gen, version ")
