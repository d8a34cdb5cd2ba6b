"""What `kh-gen import` tells the clerk, in the language asked for: the report (what went where,
the notes, kh-gen check's findings) and the refusals of a file it cannot read. Vietnamese is
the default; `FILE:LINE:COL:` and the form's own values stay as they are in every language."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kh_gen.cli import main
from kh_gen.errors import KhGenError, Location, Problem
from kh_gen.importing import Report, import_plan

IMPORT_DATA = Path(__file__).resolve().parent / "data" / "import"
REAL_DOCX = IMPORT_DATA / "real" / "lam-dong-cchc-2026.docx"
SEED = IMPORT_DATA / "seeds" / "duong-kinh-2023.txt"
DEFAULT = {"KH_GEN_LANG": ""}  # no language asked for: Vietnamese


def run(*args: object, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def test_the_report_of_a_real_plan_is_in_vietnamese_by_default(tmp_path: Path) -> None:
    form = tmp_path / "ld.yaml"
    result = run("import", REAL_DOCX, "-o", form, env=DEFAULT)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{REAL_DOCX}: đã nhập vào {form}"
    assert "  đọc: số thứ tự tự động của Word ở 12 đoạn được đọc thành ký hiệu số thứ tự" in lines
    assert any(line.startswith("  mục I: ") and
               "'Mục tiêu, nhiệm vụ' (phần tasks): 19 mục con, 91 ý" in line for line in lines)
    assert any(line.startswith("  phụ lục 1: ") and line.endswith(": 49 nhiệm vụ trong 7 cột")
               for line in lines)
    assert any(line.startswith("  phần kết: ") and
               line.endswith("không có (kế hoạch không có câu 'Trên đây là …')")
               for line in lines)
    assert "số thứ tự đã sửa: không có" in lines
    assert "phỏng đoán, cần kiểm tra lại: 1" in lines
    assert "  phỏng đoán: kế hoạch này giống loại kế hoạch 'cai-cach-hanh-chinh'; biểu mẫu " \
           "ghi kind: ke-hoach, loại viết được mọi kế hoạch đúng như nội dung đã có (đổi " \
           "kind để dùng các giá trị mặc định của loại đó)" in lines
    assert lines[-1] == "kết quả kh-gen check trên biểu mẫu đã ghi: không có"
    assert "imported" not in result.output and "none" not in result.output


def test_the_same_report_in_english_with_lang_en(tmp_path: Path) -> None:
    form = tmp_path / "ld.yaml"
    result = run("import", REAL_DOCX, "-o", form, "--lang", "en", env=DEFAULT)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{REAL_DOCX}: imported into {form}"
    assert "  read: Word automatic numbering on 12 paragraphs read as labels" in lines
    assert "  section I:    'Mục tiêu, nhiệm vụ' (part tasks): 19 sub-sections, 91 entries" \
        in lines
    assert "  closing:      none (the plan has no 'Trên đây là …' sentence)" in lines
    assert "guessed, check these: 1" in lines
    assert lines[-1] == "kh-gen check on the written form: none"


def test_located_notes_keep_their_place_and_translate_their_words(tmp_path: Path) -> None:
    vietnamese = run("import", SEED, "-o", tmp_path / "vi.yaml", env=DEFAULT)
    english = run("import", SEED, "-o", tmp_path / "en.yaml", "--lang", "en", env=DEFAULT)
    assert vietnamese.exit_code == english.exit_code == 0, vietnamese.output + english.output
    assert f"  {SEED}:81:1: sửa số thứ tự: 'đ)' trùng số thứ tự ở trước; kh-gen đánh số là " \
           "'e)'" in vietnamese.output
    assert f"  {SEED}:81:1: slip: 'đ)' repeats the label before it; kh-gen numbers it 'e)'" \
        in english.output
    assert f"  {SEED}:31:1: nối lại: 'được người dân, doanh nghiệp q…' là phần tiếp theo " \
           "của đoạn trước; đã nối lại" in vietnamese.output
    assert "  đọc: đã bỏ ký hiệu định dạng thừa (markdown, HTML) trên 1 dòng" \
        in vietnamese.output
    assert "  read: stray markup (markdown, HTML) removed on 1 line\n" in english.output
    # kh-gen check's findings: the severity word follows the language, the place does not
    assert f"  {tmp_path / 'vi.yaml'}:53:9: kiểm tra: cảnh báo: " in vietnamese.output
    assert f"  {tmp_path / 'en.yaml'}:53:9: check: warning: " in english.output
    assert "kết quả kh-gen check trên biểu mẫu đã ghi: 3" in vietnamese.output
    assert "  nơi nhận:         9 ý (9 ý lấy từ danh mục), lưu trữ 'Lưu: VT, VH TT'" \
        in vietnamese.output


def test_the_exit_code_follows_the_severity_of_check_not_its_words(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An error kh-gen check finds in the written form fails the import in every language;
    warnings alone do not."""
    import kh_gen.importing.api as api

    def failing(form: Path, sources: object) -> None:
        raise KhGenError([Problem(Location(str(form), 3, 1), "a made-up error"),
                          Problem(Location(str(form), 4, 1), "a made-up warning",
                                  severity="warning")])

    monkeypatch.setattr(api, "check_form", failing)
    for env, args, words in ((DEFAULT, [], "kiểm tra: lỗi: a made-up error"),
                             (DEFAULT, ["--lang", "en"], "check: error: a made-up error"),
                             ({"KH_GEN_LANG": "en"}, [], "check: error: a made-up error")):
        result = run("import", SEED, "-o", tmp_path / "f.yaml", "--force", *args, env=env)
        assert result.exit_code == 1, result.output
        assert f"{tmp_path / 'f.yaml'}:3:1: {words}" in result.output

    def warning_only(form: Path, sources: object) -> None:
        raise KhGenError([Problem(Location(str(form), 4, 1), "a made-up warning",
                                  severity="warning")])

    monkeypatch.setattr(api, "check_form", warning_only)
    result = run("import", SEED, "-o", tmp_path / "f.yaml", "--force", env=DEFAULT)
    assert result.exit_code == 0, result.output
    assert "kiểm tra: cảnh báo: a made-up warning" in result.output


def test_the_report_knows_whether_check_failed_from_its_data() -> None:
    report = Report("plan.txt")
    report.add(Location("f.yaml", 1, 1), "check", "something", "warning")
    assert not report.check_failed
    report.add(Location("f.yaml", 2, 1), "check", "warning: not an error by its words")
    assert not report.check_failed
    report.add(Location("f.yaml", 3, 1), "check", "something", "error")
    assert report.check_failed


def test_a_file_import_cannot_read_is_refused_in_vietnamese(tmp_path: Path) -> None:
    plan = tmp_path / "plan.docx"
    plan.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    result = run("import", plan, "-o", tmp_path / "o.yaml", env=DEFAULT)
    assert result.exit_code == 1
    assert f"{plan}: lỗi: là tệp PDF; kh-gen không đọc được PDF: hãy chép văn bản của tệp " \
           "vào một tệp .txt" in result.output
    english = run("import", plan, "-o", tmp_path / "o.yaml", "--lang", "en", env=DEFAULT)
    assert english.exit_code == 1
    assert f"{plan}: error: is a PDF; kh-gen cannot read PDF" in english.output
    assert not (tmp_path / "o.yaml").exists()


def test_a_broken_docx_is_located_in_vietnamese(tmp_path: Path) -> None:
    import zipfile

    plan = tmp_path / "bad.docx"
    with zipfile.ZipFile(plan, "w") as archive:
        archive.writestr("word/document.xml", '<w:document xmlns:w="x"><w:body><w:p>'
                                              "</w:body></w:document>")
    result = run("import", plan, "-o", tmp_path / "o.yaml", env=DEFAULT)
    assert result.exit_code == 1
    assert f"{plan} (word/document.xml):1:" in result.output
    assert ": lỗi: XML sai cấu trúc (mismatched tag); tệp bị hỏng: hãy mở bằng Word và lưu " \
           "lại" in result.output
    assert "Traceback" not in result.output


def test_a_text_far_larger_than_a_plan_is_refused_in_vietnamese(tmp_path: Path) -> None:
    plan = tmp_path / "rows.txt"
    plan.write_text("TT\tNhiệm vụ\tCơ quan chủ trì\n" + "1\tTuyên truyền\tPhòng Văn hóa\n" * 2500,
                    encoding="utf-8")
    result = run("import", plan, "-o", tmp_path / "o.yaml", env=DEFAULT)
    assert result.exit_code == 1
    assert f"{plan}: lỗi: có 2501 hàng bảng; một kế hoạch chỉ có vài trăm đoạn và vài chục " \
           "hàng phụ lục (lệnh import đọc tối đa 5000 đoạn và 2000 hàng): có đúng tệp " \
           "không?" in result.output


def test_library_notes_follow_the_language_chosen(tmp_path: Path, vietnamese: None) -> None:
    result = import_plan(SEED, tmp_path / "dk.yaml")
    slips = [str(n) for n in result.report.of_kind("slip")]
    assert f"{SEED}:83:1: sửa số thứ tự: 'e)' ở chỗ lẽ ra là 'g)'; kh-gen đánh số là 'g)'" \
        in slips
    assert result.report.of_kind("slip")[0].kind == "slip"  # the kind stays data


def test_a_form_given_to_import_is_sent_to_check_build_or_rebase(tmp_path: Path) -> None:
    form = tmp_path / "plan.yaml"
    form.write_text("kind: ke-hoach\n", encoding="utf-8")
    for lang, words in ((None, "là biểu mẫu (.yaml), không phải kế hoạch để nhập"),
                        ("en", "is a form (.yaml), not a plan to import")):
        result = CliRunner().invoke(main, ["import", str(form), "-o", str(tmp_path / "x.yaml"),
                                           *(["--lang", lang] if lang else [])],
                                    env={"KH_GEN_LANG": ""})
        assert result.exit_code == 1 and f"{form}: " in result.output
        assert words in result.output
    assert not (tmp_path / "x.yaml").exists()
