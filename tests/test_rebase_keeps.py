"""Rebase keeps what it found: its change list beside the new form, the form's own comments,
and a review item for each text that does not fit the new level."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kh_gen.cli import main
from kh_gen.comments import carry, read_comments, split_comment
from kh_gen.rebase import CHANGES_MARK, Target, rebase_form
from kh_gen.yamlsource import load_yaml_file, load_yaml_text

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ("duong-kinh-2023", "hai-phong-2019", "hong-ngu-2024", "xa-2026", "thi-dua-2026")


def _comments(text: str) -> list[str]:
    return [c.strip() for line in text.splitlines()
            if (c := split_comment(line)[1]) is not None and c.strip()]


def _copy(tmp_path: Path, example: str) -> Path:
    return Path(shutil.copy(ROOT / "examples" / f"{example}.yaml", tmp_path))


def test_the_change_list_is_written_beside_the_new_form(tmp_path: Path) -> None:
    form = _copy(tmp_path, "duong-kinh-2023")
    result = CliRunner().invoke(main, ["rebase", str(form), "--locality", "phường Dương Kinh",
                                       "--level", "xa", "--year", "2026"])
    new = tmp_path / "phuong-duong-kinh-2026.yaml"
    listing = tmp_path / "phuong-duong-kinh-2026.changes.txt"
    assert f"wrote {new}" in result.output
    written = listing.read_text(encoding="utf-8")
    assert written.startswith(CHANGES_MARK)
    printed = [line.strip() for line in result.output.splitlines()
               if line.startswith("  ") and not line.startswith("  wrote")]
    reviews = [line for line in printed if line.startswith("review: ")]
    assert reviews and all(f"- {line}" in written for line in printed)
    assert f"To review ({len(reviews)}):" in written  # in the language of the run
    problems = [line for line in result.output.splitlines()
                if ": error: " in line or ": warning: " in line]
    assert f"kh-gen check ({len(problems)}):" in written
    assert all(f"- {line}" in written for line in problems)
    header = new.read_text(encoding="utf-8").splitlines()[:3]
    assert header[0].startswith("# Dựng lại từ duong-kinh-2023.yaml bằng kh-gen rebase")
    assert f"{len(reviews)} mục cần xem lại): {listing.name}" in header[1]


@pytest.mark.parametrize(("env", "args", "words"), [
    ({"KH_GEN_LANG": ""}, [], {"review": "xem lại: ", "to review": "Cần xem lại",
                               "wrote": "đã ghi", "renamed": "đã đổi 'năm 2023' → 'năm 2026': ",
                               "error": ": lỗi: ", "warning": ": cảnh báo: ",
                               "legend": "các dòng 'xem lại:' cần người soạn xem lại"}),
    ({"KH_GEN_LANG": "vi"}, ["--lang", "en"],
     {"review": "review: ", "to review": "To review", "wrote": "wrote",
      "renamed": "renamed 'năm 2023' → 'năm 2026': ", "error": ": error: ",
      "warning": ": warning: ", "legend": "the 'review:' lines need a second look"}),
], ids=["vietnamese-by-default", "english-with-lang-en"])
def test_the_change_list_is_in_the_language_of_the_run(tmp_path: Path, env: dict[str, str],
                                                        args: list[str],
                                                        words: dict[str, str]) -> None:
    """What rebase prints and the NEW.changes.txt it writes are for the clerk: Vietnamese
    unless English is asked for. The form it writes (with its Vietnamese header), the change
    list's first line, the field paths and the ids stay the same in both languages."""
    form = _copy(tmp_path, "duong-kinh-2023")
    result = CliRunner().invoke(main, ["rebase", str(form), "--locality", "phường Dương Kinh",
                                       "--level", "xa", "--year", "2026", *args], env=env)
    new = tmp_path / "phuong-duong-kinh-2026.yaml"
    listing = tmp_path / "phuong-duong-kinh-2026.changes.txt"
    assert f"{words['wrote']} {new}" in result.output, result.output
    printed = [line.strip() for line in result.output.splitlines() if line.startswith("  ")]
    reviews = [line for line in printed if line.startswith(words["review"])]
    assert reviews, printed
    assert any(line.startswith(words["renamed"]) for line in printed), printed
    assert "issuer.locality: 'quận Dương Kinh' → 'phường Dương Kinh'" in printed
    assert any(line.startswith("sections[5].items[1]: 'Phòng Văn hóa và Thông tin' → ")
               for line in printed), printed
    written = listing.read_text(encoding="utf-8")
    lines = written.splitlines()
    assert lines[0] == f"{CHANGES_MARK} duong-kinh-2023.yaml → {new.name}"
    assert words["legend"] in lines[1]
    assert all(f"- {line}" in written for line in printed)
    assert f"{words['to review']} ({len(reviews)}):" in written
    problems = [line for line in result.output.splitlines()
                if words["error"] in line or words["warning"] in line]
    assert f"kh-gen check ({len(problems)}):" in written
    header = new.read_text(encoding="utf-8").splitlines()[:3]
    assert header[0].startswith("# Dựng lại từ duong-kinh-2023.yaml bằng kh-gen rebase")
    assert f"{len(reviews)} mục cần xem lại): {listing.name}" in header[1]


def test_a_file_kh_gen_did_not_write_is_never_replaced(tmp_path: Path) -> None:
    form = _copy(tmp_path, "xa-2026")
    out = tmp_path / "new.yaml"
    notes = tmp_path / "new.changes.txt"
    notes.write_text("ghi chú của tôi\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["rebase", str(form), "--locality", "xã Tân Phú",
                                       "-o", str(out)])
    assert result.exit_code == 1
    assert "was not written by kh-gen rebase" in result.output
    assert notes.read_text(encoding="utf-8") == "ghi chú của tôi\n"
    assert not out.exists(), "nothing is written when the change list cannot be"
    notes.unlink()
    for _ in range(2):  # its own change list is replaced by the next run
        again = CliRunner().invoke(main, ["rebase", str(form), "--locality", "xã Tân Phú",
                                          "-o", str(out)])
        assert "wrote" in again.output, again.output
    assert notes.read_text(encoding="utf-8").startswith(CHANGES_MARK)


@pytest.mark.parametrize("example", EXAMPLES)
def test_the_form_s_comments_survive_the_rebase(tmp_path: Path, example: str) -> None:
    form = _copy(tmp_path, example)
    source = form.read_text(encoding="utf-8")
    result = rebase_form(form, Target(locality="phường Bến Nghé", level="xa", year=2026,
                                      signer="Nguyễn Văn B"), tmp_path / "new.yaml")
    text = result.form.read_text(encoding="utf-8")
    carried = _comments(text)
    assert all(comment in carried for comment in _comments(source))
    head = source.split("\n", 1)[0]
    assert text.splitlines()[3] == head, "the form's header follows the rebase's own lines"
    assert not [c for c in result.changes if c.startswith("comment")], result.changes
    assert load_yaml_file(result.form).plain() is not None


def test_a_comment_stays_on_its_entry_s_line(tmp_path: Path) -> None:
    form = _copy(tmp_path, "thi-dua-2026")
    result = rebase_form(form, Target(locality="xã Tân Phú", year=2027), tmp_path / "n.yaml")
    lines = result.form.read_text(encoding="utf-8").splitlines()
    mttq = next(line for line in lines if "ref: agency.xa.uy-ban-mttq" in line)
    assert mttq.endswith('# cơ quan chỉ "đề nghị": kh-gen tự viết "Đề nghị …"')
    index = next(i for i, line in enumerate(lines) if "heading: Tổ chức thực hiện" in line)
    above = lines[index + 3]
    assert above.strip().startswith("# Mỗi cơ quan: một mục đánh số"), lines[index:index + 5]


def test_rebasing_a_rebased_form_keeps_one_header(tmp_path: Path) -> None:
    form = _copy(tmp_path, "xa-2026")
    first = rebase_form(form, Target(locality="xã Tân Phú"), tmp_path / "a.yaml")
    second = rebase_form(first.form, Target(locality="xã Phú Mỹ"), tmp_path / "b.yaml")
    text = second.form.read_text(encoding="utf-8")
    assert text.count("bằng kh-gen rebase") == 1
    assert "# Dựng lại từ a.yaml bằng kh-gen rebase: xã Tân Phú 2026 → xã Phú Mỹ 2026." in text
    assert _comments(form.read_text(encoding="utf-8"))[0] in _comments(text)


def test_split_comment_knows_quotes() -> None:
    assert split_comment('  text: "a # b"  # ghi chú') == ('  text: "a # b"', "ghi chú")
    assert split_comment("  - 'Điều #1' # x") == ("  - 'Điều #1'", "x")
    assert split_comment("  - Nguồn kinh phí #2: xã hội hóa") == \
        ("  - Nguồn kinh phí", "2: xã hội hóa")
    assert split_comment("  - Số#3 không phải chú thích") == \
        ("  - Số#3 không phải chú thích", None)


def _rebased_with(tmp_path: Path, content: str, target: Target) -> list[str]:
    """The review items of the minimal form with `content` as its first content item."""
    form = tmp_path / "plan.yaml"
    shutil.copy(DATA / "minimal.yaml", form)
    form.write_text(form.read_text(encoding="utf-8").replace(
        "  - Nội dung một.", f"  - '{content}'"), encoding="utf-8")
    result = rebase_form(form, target, tmp_path / "rebased.yaml")
    return [c for c in result.changes if c.startswith("review: ")]


@pytest.mark.parametrize(("content", "target", "word"), [
    ("Tuyên truyền tại các ấp, khu phố.", Target(locality="phường Bến Nghé"), "các ấp"),
    ("Tuyên truyền tại các thôn.", Target(locality="phường Bến Nghé"), "các thôn"),
    ("Hướng dẫn Ủy ban nhân dân các xã, phường.", Target(locality="xã Tân Phú"),
     "các xã, phường"),
    ("Hệ thống truyền thanh xã, phường, thị trấn.", Target(locality="xã Tân Phú", year=2027),
     "thị trấn"),
    ("Phối hợp với Ủy ban nhân dân cấp huyện.", Target(locality="xã Tân Phú", year=2027),
     "cấp huyện"),
    ("Báo cáo Huyện ủy kết quả thực hiện.", Target(locality="xã Tân Phú", year=2027),
     "Huyện ủy"),
])
def test_texts_that_no_longer_fit_the_level_are_review_items(tmp_path: Path, content: str,
                                                              target: Target,
                                                              word: str) -> None:
    reviews = _rebased_with(tmp_path, content, target)
    assert any(f"'{word}'" in r and "sections[" in r for r in reviews), reviews


@pytest.mark.parametrize("content", [
    "Ban hành văn bản hướng dẫn tại các tổ dân phố.",  # "bản" in "văn bản" is no hamlet
    "Thực hiện Quyết định số 12/QĐ-UBND ngày 05/01/2024 của Ủy ban nhân dân huyện, thị xã.",
])
def test_words_that_fit_are_not_flagged(tmp_path: Path, content: str) -> None:
    reviews = _rebased_with(tmp_path, content, Target(locality="phường Bến Nghé", year=2027))
    assert not [r for r in reviews if "sections[" in r], reviews


OLD_FORM = DATA / "commented-old-form.yaml"  # a commune's plan in the first layout, commented


def test_upgrade_keeps_the_comments_too(tmp_path: Path) -> None:
    new = tmp_path / "sections.yaml"
    result = CliRunner().invoke(main, ["upgrade", str(OLD_FORM), "-o", str(new)])
    assert result.exit_code == 0, result.output
    text = new.read_text(encoding="utf-8")
    assert sorted(_comments(OLD_FORM.read_text(encoding="utf-8"))) == \
        sorted(_comments(text)[1:]), \
        "each comment once (the sections may stand in another order than the old keys)"
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if "heading: Tổ chức thực hiện" in line)
    assert lines[index - 1].startswith("# Cơ quan không liệt kê duties"), \
        "a comment above an old part's key goes above the section it became"
    assert load_yaml_file(new).plain()["sections"]


def test_an_old_form_s_comments_survive_the_rebase(tmp_path: Path) -> None:
    form = Path(shutil.copy(OLD_FORM, tmp_path / "plan.yaml"))
    result = rebase_form(form, Target(locality="phường Bến Nghé"), tmp_path / "new.yaml")
    carried = _comments(result.form.read_text(encoding="utf-8"))
    assert all(c in carried for c in _comments(form.read_text(encoding="utf-8")))
    assert not [c for c in result.changes if c.startswith("comment")], result.changes


def test_a_comment_that_cannot_end_its_line_goes_above_it() -> None:
    """A value written over several lines (here a quoted one) cannot take a comment at the end
    of its first line: the comment goes above it, and the form still reads the same."""
    source = "a: 1  # ghi chú\nb: 2\n"
    written = 'a: "x\n  y"\nb: 2\n'
    text, notes = carry(read_comments(source), load_yaml_text(source, "s.yaml"), written,
                        "n.yaml")
    assert text == '# ghi chú\na: "x\n  y"\nb: 2\n' and not notes
    assert load_yaml_text(text, "n.yaml").plain() == {"a": "x y", "b": 2}
