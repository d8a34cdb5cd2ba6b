"""The YAML mistakes clerks make, explained in the clerk's language at the line to fix.

A text with ': ' or ' #' in it, a tab, a line indented differently from its siblings: each is
fed to `kh-gen check` as a clerk would write it, and the message must say what is wrong and
what to write, in Vietnamese by default and in English with `--lang en`, at the exact
FILE:LINE:COL, with exit code 1 and no traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kh_gen.cli import main
from kh_gen.yamlsource import load_yaml_text, over_indented_items

from .conftest import DATA


def _form(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
    assert text.count(old) == count, old
    form = tmp_path / "form.yaml"
    form.write_text(text.replace(old, new), encoding="utf-8")
    return form


def _check(form: Path, *args: str, english: bool = False) -> tuple[int, list[str]]:
    """Exit code and output lines of `kh-gen check`, in Vietnamese (the default) or English."""
    options = ["--lang", "en"] if english else []
    result = CliRunner().invoke(main, ["check", *options, str(form), *args],
                                env={"KH_GEN_LANG": ""})
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output.splitlines()


def _only(form: Path, where: tuple[int, int], *, english: bool = False) -> str:
    """The one error of the form: at `where` (line, column), its message."""
    code, lines = _check(form, english=english)
    assert code == 1, lines
    (line,) = lines
    prefix = f"{form}:{where[0]}:{where[1]}: {'error' if english else 'lỗi'}: "
    assert line.startswith(prefix), (line, prefix)
    return line[len(prefix):]


# -- a colon in a text --------------------------------------------------------------------------

COLON_VI = "có dấu hai chấm và dấu cách (': ')"
COLON_EN = "has a colon followed by a space (': ')"


@pytest.mark.parametrize(("old", "new", "where", "corrected"), [
    # a value of a key
    ("title: Tuyên truyền cải cách hành chính năm 2026",
     "title: Tuyên truyền cải cách hành chính: năm 2026", (10, 40),
     'title: "Tuyên truyền cải cách hành chính: năm 2026"'),
    # a list item with two of them (one alone makes a key: see below)
    ("  - Nâng cao nhận thức.", "  - Mục tiêu: nâng cao: nhận thức.", (18, 23),
     '- "Mục tiêu: nâng cao: nhận thức."'),
    # a nested item's text, with a quote in it and a comment after it
    ("      - text: Hai\n", '      - text: Hai: "bốn"  # ghi chú\n', (22, 18),
     '- text: "Hai: \\"bốn\\""  # ghi chú'),
    # a nested plain item
    ("      - Một\n", "      - Một: hai: ba\n", (21, 17), '- "Một: hai: ba"'),
])
def test_a_colon_in_a_text_says_to_quote_it_and_shows_the_line(
        tmp_path: Path, old: str, new: str, where: tuple[int, int], corrected: str) -> None:
    form = _form(tmp_path, old, new)
    message = _only(form, where)
    assert COLON_VI in message and "dấu nháy kép" in message
    assert message.endswith(f"Dòng viết đúng: {corrected}")
    message = _only(form, where, english=True)
    assert COLON_EN in message and "put the whole text in double quotes" in message
    assert message.endswith(f"The corrected line: {corrected}")
    fixed = form.read_text(encoding="utf-8").splitlines()
    fixed[where[0] - 1] = fixed[where[0] - 1][:len(new) - len(new.lstrip())] + corrected
    form.write_text("\n".join(fixed) + "\n", encoding="utf-8")
    assert _check(form)[0] == 0


def test_a_text_ending_with_a_colon_is_told_so(tmp_path: Path) -> None:
    form = _form(tmp_path, "title: Tuyên truyền cải cách hành chính năm 2026",
                 "title: Tuyên truyền cải cách hành chính năm 2026, cụ thể:")
    message = _only(form, (10, 57), english=True)
    assert message.startswith("this text ends with a colon (':')")
    assert message.endswith('The corrected line: title: "Tuyên truyền cải cách hành chính năm '
                            '2026, cụ thể:"')
    assert "kết thúc bằng dấu hai chấm" in _only(form, (10, 57))


def test_a_list_item_read_as_a_key_by_its_colon_is_told_so(tmp_path: Path) -> None:
    """`- Mục tiêu: nâng cao nhận thức.` is valid YAML (a key and its value): the form says
    what happened rather than "unknown key 'Mục tiêu'"."""
    form = _form(tmp_path, "  - Nâng cao nhận thức.", "  - Mục tiêu: nâng cao nhận thức.")
    message = _only(form, (18, 5))
    assert "'Mục tiêu: nâng cao nhận thức.' có dấu hai chấm và dấu cách (': ') nên YAML hiểu " \
           "'Mục tiêu' là một khóa" in message
    assert message.endswith('Dòng viết đúng: - "Mục tiêu: nâng cao nhận thức."')
    message = _only(form, (18, 5), english=True)
    assert "so YAML reads 'Mục tiêu' as a key" in message and "unknown key" not in message
    assert message.endswith('The corrected line: - "Mục tiêu: nâng cao nhận thức."')


def test_a_recipient_and_a_title_line_read_as_keys_are_told_so(tmp_path: Path) -> None:
    form = _form(tmp_path, "  - Thường trực Đảng ủy", "  - Thường trực: Đảng ủy")
    assert _only(form, (56, 5), english=True).startswith(
        "recipients[2]: 'Thường trực: Đảng ủy' has a colon")
    form = _form(tmp_path, "title: Tuyên truyền cải cách hành chính năm 2026",
                 "title:\n  - Kế hoạch\n  - Tuyên truyền: năm 2026")
    assert _only(form, (12, 5), english=True).endswith(
        'The corrected line: - "Tuyên truyền: năm 2026"')


# -- a '#' that cuts a text ---------------------------------------------------------------------

def test_a_hash_cutting_a_text_says_to_quote_it_and_shows_the_line(tmp_path: Path) -> None:
    form = _form(tmp_path, "  - Ngân sách xã.", "  - Nguồn kinh phí #2: xã hội hóa")
    prefix = f"{form}:40:20: "
    code, lines = _check(form, "--strict")
    assert code == 1
    (line,) = [x for x in lines if x.startswith(prefix)]
    assert line.startswith(prefix + "cảnh báo: 'Nguồn kinh phí #2: xã hội hóa' bị cắt ở ' #'")
    assert "dấu nháy kép" in line
    assert line.endswith('dòng viết đúng: - "Nguồn kinh phí #2: xã hội hóa" '
                         "[yaml-comment-cuts-text]")
    code, lines = _check(form, "--strict", english=True)
    (line,) = [x for x in lines if x.startswith(prefix)]
    assert line.startswith(prefix + "warning: 'Nguồn kinh phí #2: xã hội hóa' is cut at ' #'")
    assert line.endswith('put the whole text in quotes: "Nguồn kinh phí #2: xã hội hóa"; the '
                         'corrected line: - "Nguồn kinh phí #2: xã hội hóa" '
                         "[yaml-comment-cuts-text]")


def test_a_hash_after_one_space_also_says_how_to_keep_a_comment(tmp_path: Path) -> None:
    form = _form(tmp_path, "  place: An Thới Đông", "  place: An Thới Đông # địa danh")
    code, lines = _check(form, english=True)
    assert code == 0
    (line,) = [x for x in lines if x.startswith(f"{form}:6:23: warning: ")]
    assert "the corrected line: place: \"An Thới Đông # địa danh\" (if '#' starts a comment, " \
           "put two spaces before it) [yaml-comment-cuts-text]" in line


# -- a tab --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "where"), [
    ("number: 5", "\tnumber: 5", (8, 1)),  # at the top
    ("  level: xa", "\tlevel: xa", (4, 1)),  # a key of a mapping
    ("  level: xa", "  \tlevel: xa", (4, 3)),  # after spaces
    ("  - Thường trực Đảng ủy", "\t- Thường trực Đảng ủy", (56, 1)),  # a list item
    ("      - Tổng hợp.", "    \t  - Tổng hợp.", (45, 5)),  # deep in a list of a list
])
def test_a_tab_in_the_indentation_is_named(tmp_path: Path, old: str, new: str,
                                           where: tuple[int, int]) -> None:
    form = _form(tmp_path, old, new)
    assert _only(form, where).startswith("dòng này thụt lề bằng ký tự tab; YAML chỉ thụt lề "
                                         "bằng dấu cách")
    assert _only(form, where, english=True).startswith(
        "this line is indented with a tab character; YAML indents with spaces only")


# -- a line indented unlike its siblings ------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "where", "expected", "sibling"), [
    # a key one space too far right: YAML reads it as more of the text above
    ("  level: xa", "   level: xa", (4, 4), 3, "line 3: locality: xã An Thới Đông"),
    # one space too far left
    ("  level: xa", " level: xa", (4, 2), 3, "line 3: locality: xã An Thới Đông"),
    # a key at the top level indented
    ("number: 5", " number: 5", (8, 2), 1, "line 2: issuer:"),
    # a list item one space too far left
    ("  - Thường trực Đảng ủy", " - Thường trực Đảng ủy", (56, 2), 3, "line 55: - UBND tỉnh"),
    # a nested list item one space too far left
    ("      - Tổng hợp.", "     - Tổng hợp.", (45, 6), 7, "line 44: - Chủ trì."),
    # a list item (a mapping) one space too far right
    ("  - agency: Văn phòng HĐND và UBND", "   - agency: Văn phòng HĐND và UBND", (46, 4), 3,
     "line 42: - agency: Phòng Văn hóa - Xã hội"),
    # a key of a list item one space too far left, then right
    ("    duties:\n      - Chủ trì.", "   duties:\n      - Chủ trì.", (43, 4), 5,
     "line 42: - agency: Phòng Văn hóa - Xã hội"),
    ("    duties:\n      - Chủ trì.", "     duties:\n      - Chủ trì.", (43, 6), 5,
     "line 42: - agency: Phòng Văn hóa - Xã hội"),
])
def test_a_misaligned_line_is_named_with_the_column_of_its_siblings(
        tmp_path: Path, old: str, new: str, where: tuple[int, int], expected: int,
        sibling: str) -> None:
    form = _form(tmp_path, old, new)
    message = _only(form, where, english=True)
    assert message == (f"the indentation of this line is off: it starts at column {where[1]}, "
                       f"and the lines of the same level above it start at column {expected} "
                       f"({sibling}); move it to column {expected}")
    vietnamese = _only(form, where)
    assert vietnamese.startswith(f"dòng này thụt lề lệch: dòng bắt đầu ở cột {where[1]}, còn "
                                 f"các dòng cùng cấp phía trên bắt đầu ở cột {expected} ")
    assert vietnamese.endswith(f"hãy chuyển dòng này về cột {expected}")


def test_the_first_key_indented_unlike_the_rest_is_the_line_named(tmp_path: Path) -> None:
    """YAML stops at the second key; the one to fix is the first, as the keys after it agree."""
    form = _form(tmp_path, "  locality: xã An Thới Đông", "   locality: xã An Thới Đông")
    message = _only(form, (3, 4), english=True)
    assert message == ("the indentation of this line is off: it starts at column 4, and the "
                       "lines of the same level after it start at column 3 (line 4: level: xa); "
                       "move it to column 3")
    assert _only(form, (3, 4)).startswith("dòng này thụt lề lệch: dòng bắt đầu ở cột 4, còn các "
                                          "dòng cùng cấp phía sau bắt đầu ở cột 3")


@pytest.mark.parametrize(("old", "new", "where", "expected", "text_line"), [
    # after a plain item
    ("  - Thường trực Đảng ủy", "   - Thường trực Đảng ủy", (56, 4), 3, 55),
    # after an item's text, two spaces further
    ("  - Thường trực Đảng ủy", "    - Thường trực Đảng ủy", (56, 5), 3, 55),
    # in a nested list
    ("      - Tổng hợp.", "        - Tổng hợp.", (45, 9), 7, 44),
])
def test_a_list_item_indented_further_than_its_siblings_is_an_error(
        tmp_path: Path, old: str, new: str, where: tuple[int, int], expected: int,
        text_line: int) -> None:
    """Valid YAML that joins the item to the text above ("UBND tỉnh - Thường trực Đảng ủy"):
    reported, not built."""
    form = _form(tmp_path, old, new)
    message = _only(form, where, english=True)
    assert message == (f"this list item is indented more than the items above it (it starts "
                       f"at column {where[1]}, line {text_line} at column {expected}), so YAML "
                       f"reads it as more of the text of line {text_line}; move it to column "
                       f"{expected}")
    assert _only(form, where).startswith(f"ý này thụt lề sâu hơn các ý phía trên (ý bắt đầu ở "
                                         f"cột {where[1]}, dòng {text_line} ở cột {expected})")


def test_a_joined_list_item_is_found_only_where_one_may_be() -> None:
    ok = ("a:\n  - x\n  - y\nb: |\n  text\n   - kept as typed\nc:\n- z\nd: \"q\n   - r\"\n"
          "e:\n  - f: 1\n    g:\n    - h\n")
    load_yaml_text(ok, "t.yaml")
    assert over_indented_items(ok, "t.yaml") == []
    joined = "a:\n  k: text\n    - more\n"
    (problem,) = over_indented_items(joined, "t.yaml")
    assert (problem.location.line, problem.location.column) == (3, 5)
    assert "YAML reads it as more of the text of line 2" in problem.message


def test_an_unexplained_syntax_error_keeps_the_parser_words(tmp_path: Path) -> None:
    form = _form(tmp_path, "year: 2026", "year: [2026")
    code, (line,) = _check(form, english=True)
    assert code == 1
    assert line.startswith(f"{form}:2:7: error: YAML syntax error: ")
    assert line.endswith("; check indentation, colons and quotes on this line or the one before")
    code, (line,) = _check(form)
    assert "lỗi cú pháp YAML: " in line and "hãy kiểm tra thụt lề" in line
