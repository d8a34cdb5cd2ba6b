"""A clerk's text that YAML cuts at " #" is reported where the comment starts; kh-gen's own
comments, after a complete value and two spaces or more, are not."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kh_gen.cli import main
from kh_gen.yamlsource import comments_cutting_text


@pytest.mark.parametrize(("line", "cut"), [
    ("  - Nguồn kinh phí #2: xã hội hóa", True),
    ("  - Tuyên truyền với hashtag #CCHC", True),
    ("  - Ngân sách xã # năm nay", True),  # one space: reads as the text going on
    ("  name: Hội thi #1", True),
    ("  place: An Thới Đông # địa danh", True),
    ("  locality: xã An Thới Đông    # tên địa phương", False),  # as `kh-gen new` writes
    ("  - Ngân sách xã  # ghi chú", False),
    ("  level: xa # cấp", False),  # one word: a value, not a sentence
    ("  - ref: basis.nq-76-2021-cp # the citation", False),
    ('  - "Nguồn kinh phí #2: xã hội hóa"', False),
    ("  # - Nguồn kinh phí #2", False),
])
def test_a_comment_that_cuts_a_text_is_told_from_one_after_it(line: str, cut: bool) -> None:
    text = f"part:\n{line}\n"
    problems = comments_cutting_text(text, "form.yaml")
    assert [(p.location.line, p.location.column, p.rule, p.severity) for p in problems] == \
        ([(2, line.index(" #") + 2, "yaml-comment-cuts-text", "warning")] if cut else [])


def test_block_texts_and_flow_lists_are_not_scanned_for_cuts() -> None:
    text = "a: |\n  Khối #2 giữ nguyên\nb: [x, y]  # ghi chú\n"
    assert comments_cutting_text(text, "form.yaml") == []


def test_new_forms_have_no_cut_text(tmp_path: Path) -> None:
    for level, locality in (("xa", "xã An Thới Đông"), ("tinh", "tỉnh Đồng Tháp")):
        form = tmp_path / f"{level}.yaml"
        result = CliRunner().invoke(main, ["new", "--level", level, "--locality", locality,
                                           "--year", "2026", "-o", str(form)])
        assert result.exit_code == 0, result.output
        assert comments_cutting_text(form.read_text(encoding="utf-8"), str(form)) == []


def test_a_hostile_line_of_marks_is_read_once() -> None:
    start = time.perf_counter()
    assert comments_cutting_text("# x" + " #" * 500_000 + "\n", "form.yaml") == []
    assert time.perf_counter() - start < 1
