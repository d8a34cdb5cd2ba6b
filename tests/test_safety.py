"""Nothing lost: kh-gen keeps files it did not write, refuses names it cannot write, and
answers every ordinary mistake with one located message and exit code 1, never a traceback."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
import yaml

from .commands import fails, run
from .conftest import DATA

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own: the list of files kh-gen wrote lives there."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("KH_GEN_CACHE_DIR", str(folder))
    return folder






def a_form(tmp_path: Path, name: str = "plan.yaml") -> Path:
    form = tmp_path / name
    shutil.copy(DATA / "minimal.yaml", form)
    return form


# -- item 1: files kh-gen did not write are kept --------------------------------------------

@pytest.mark.parametrize("fmt", ["docx", "txt"])
def test_build_keeps_the_clerks_original_next_to_the_form(tmp_path: Path, fmt: str) -> None:
    form = a_form(tmp_path)
    original = tmp_path / f"plan.{fmt}"
    original.write_bytes(b"PK\x03\x04 the clerk's own Word file" if fmt == "docx"
                         else "Kế hoạch do văn thư soạn\n".encode())
    kept = original.read_bytes()
    output = fails("build", form, "--format", fmt)
    assert f"{original}: error: exists and was not written by kh-gen" in output
    assert "-o" in output and "--force" in output
    assert original.read_bytes() == kept
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert run("build", form, "--format", fmt, "--force").exit_code == 0
    assert original.read_bytes() != kept


@pytest.mark.parametrize("fmt", ["docx", "txt"])
def test_build_replaces_its_own_earlier_output(tmp_path: Path, fmt: str) -> None:
    form = a_form(tmp_path)
    assert run("build", form, "--format", fmt).exit_code == 0
    first = (tmp_path / f"plan.{fmt}").read_bytes()
    text = form.read_text(encoding="utf-8").replace("2026", "2027")
    form.write_text(text, encoding="utf-8")
    result = run("build", form, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"plan.{fmt}").read_bytes() != first


def test_a_txt_plan_edited_after_kh_gen_wrote_it_is_kept(tmp_path: Path) -> None:
    form = a_form(tmp_path)
    assert run("build", form, "--format", "txt").exit_code == 0
    plan = tmp_path / "plan.txt"
    plan.write_text(plan.read_text(encoding="utf-8") + "ghi chú của văn thư\n", "utf-8")
    assert "was not written by kh-gen" in fails("build", form, "--format", "txt")
    assert plan.read_text(encoding="utf-8").endswith("ghi chú của văn thư\n")


def test_a_docx_saved_again_by_word_is_kept(tmp_path: Path) -> None:
    form = a_form(tmp_path)
    assert run("build", form).exit_code == 0
    plan = tmp_path / "plan.docx"
    resaved = tmp_path / "resaved.docx"
    with zipfile.ZipFile(plan) as old, zipfile.ZipFile(resaved, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "docProps/app.xml":
                data = data.replace(b"kh-gen", b"Microsoft Office Word")
            new.writestr(info, data)
    resaved.replace(plan)
    kept = plan.read_bytes()
    assert "was not written by kh-gen" in fails("build", form)
    assert plan.read_bytes() == kept


def test_import_then_build_keeps_the_word_original(tmp_path: Path) -> None:
    form = a_form(tmp_path, "source.yaml")
    assert run("build", form, "-o", tmp_path / "plan.docx").exit_code == 0
    original = tmp_path / "plan.docx"
    with zipfile.ZipFile(original) as old, zipfile.ZipFile(tmp_path / "w.docx", "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, data.replace(b"<Application>kh-gen", b"<Application>Word"))
    (tmp_path / "w.docx").replace(original)
    kept = original.read_bytes()
    assert run("import", original).exit_code in (0, 1)
    assert (tmp_path / "plan.yaml").exists()
    assert "was not written by kh-gen" in fails("build", tmp_path / "plan.yaml")
    assert original.read_bytes() == kept


def test_forms_kh_gen_wrote_are_replaced_edited_ones_kept(tmp_path: Path) -> None:
    form = tmp_path / "new.yaml"
    args = ("new", "--level", "xa", "--locality", "xã An Phú", "--year", "2026", "-o", form)
    assert run(*args).exit_code == 0
    assert run(*args).exit_code == 0  # its own, unchanged: replaced
    form.write_text(form.read_text(encoding="utf-8") + "# sửa tay\n", encoding="utf-8")
    assert "was not written by kh-gen" in fails(*args)
    assert form.read_text(encoding="utf-8").endswith("# sửa tay\n")
    assert run(*args, "--force").exit_code == 0


def test_rebase_keeps_a_file_it_did_not_write(tmp_path: Path) -> None:
    form = a_form(tmp_path)
    other = tmp_path / "other.yaml"
    other.write_text("# của văn thư\n", encoding="utf-8")
    output = fails("rebase", form, "--locality", "xã Tân Phú", "-o", other)
    assert "was not written by kh-gen" in output
    assert other.read_text(encoding="utf-8") == "# của văn thư\n"
    result = run("rebase", form, "--locality", "xã Tân Phú", "-o", other, "--force")
    assert "wrote" in result.output


def test_batch_keeps_a_file_it_did_not_write_and_writes_the_rest(tmp_path: Path) -> None:
    form = a_form(tmp_path)
    rows = tmp_path / "rows.csv"
    rows.write_text("locality,level,signer\nxã An Phú,xa,Nguyễn Văn B\n"
                    "xã Bình Phú,xa,Trần Văn C\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    foreign = out / "xa-an-phu.docx"
    foreign.write_bytes(b"the clerk's")
    output = fails("batch", form, "--localities", rows, "-o", out, "-j", "1")
    assert "was not written by kh-gen" in output
    assert foreign.read_bytes() == b"the clerk's"
    assert (out / "xa-binh-phu.docx").stat().st_size > 5000
    assert run("batch", form, "--localities", rows, "-o", out, "-j", "1",
               "--force").exit_code == 0
    assert foreign.read_bytes() != b"the clerk's"


def test_without_a_cache_folder_only_docx_is_recognised(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KH_GEN_CACHE_DIR", "")
    form = a_form(tmp_path)
    assert run("build", form).exit_code == 0
    assert run("build", form).exit_code == 0  # a DOCX carries its mark
    assert run("build", form, "--format", "txt").exit_code == 0
    assert run("build", form, "--format", "txt").exit_code == 0  # the same bytes
    (tmp_path / "plan.txt").write_text("khác\n", encoding="utf-8")
    assert "--force" in fails("build", form, "--format", "txt")


# -- item 8: suffixes -----------------------------------------------------------------------

def test_a_suffix_kh_gen_does_not_write_is_refused(tmp_path: Path) -> None:
    form = a_form(tmp_path)
    output = fails("build", form, "-o", tmp_path / "plan.pdf")
    assert f"{tmp_path / 'plan.pdf'}: error:" in output and ".docx or .txt" in output
    assert not (tmp_path / "plan.pdf").exists()
    output = fails("build", form, "-o", tmp_path / "plan.txt")
    assert "format is docx" in output and "--format txt" in output
    output = fails("build", form, "-o", tmp_path / "plan.docx", "--format", "txt")
    assert "format is txt" in output
    assert run("build", form, "-o", tmp_path / "plan.DOCX").exit_code == 0
    assert ".yaml or .yml" in fails("new", "--level", "xa", "--locality", "xã A", "--year",
                                    "2026", "-o", tmp_path / "form.docx")
    assert ".yaml or .yml" in fails("rebase", form, "--locality", "xã B", "-o",
                                    tmp_path / "b.docx")
    assert ".yaml or .yml" in fails("import", DATA / "import" / "xa-2026.txt", "-o",
                                    tmp_path / "f.docx")
    assert not list(tmp_path.glob("*.docx")) or (tmp_path / "plan.DOCX").exists()


# -- item 6: tracebacks that became messages ------------------------------------------------

def test_an_unwritable_output_folder_is_a_message(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """As a non-root user the folder would be chmod 555; root may write anywhere, so the
    refusal the system gives is simulated."""
    form = a_form(tmp_path)

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    output = fails("build", form)
    assert f"{tmp_path / 'plan.docx'}: error: cannot be written: permission denied" in output


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_is_a_message(tmp_path: Path) -> None:
    form = a_form(tmp_path)
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    try:
        assert "cannot be written" in fails("build", form, "-o", out / "plan.docx")
    finally:
        out.chmod(0o755)


def test_a_full_disk_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    form = a_form(tmp_path)
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, stream):  # type: ignore[no-untyped-def]
            self.stream = stream

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *args: object) -> None:
            self.stream.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode="r": Full(real_fdopen(fd, mode)))
    assert "the disk is full" in fails("build", form)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["plan.yaml"]


def test_a_very_long_output_name_is_a_message(tmp_path: Path) -> None:
    form = a_form(tmp_path)
    assert run("build", form, "-o", tmp_path / ("a" * 250 + ".docx")).exit_code == 0
    output = fails("build", form, "-o", tmp_path / ("a" * 300 + ".docx"))
    assert "too long" in output


def test_new_into_a_missing_folder_is_a_message(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "form.yaml"
    output = fails("new", "--level", "xa", "--locality", "xã A", "--year", "2026", "-o",
                   target)
    assert f"{target}: error:" in output and "does not exist" in output


@pytest.mark.parametrize("number", ["²", "٣", "1²", "0" * 5000])
def test_a_number_with_non_ascii_digits_is_a_message(tmp_path: Path, number: str) -> None:
    form = a_form(tmp_path)
    text = form.read_text(encoding="utf-8")
    form.write_text(text.replace("number: 5\n", f"number: \"{number}\"\n"), encoding="utf-8")
    line = text.splitlines().index("number: 5") + 1
    assert f"{form}:{line}:9: error: number: expected the plan's number as digits" in \
        fails("check", form)


def docx_with(body: str, path: Path) -> Path:
    """A DOCX holding only a document part with this body."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://'
                         'schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{W}"><w:body>{body}'
                                              f'</w:body></w:document>')
    return path


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_a_grid_span_in_other_digits_is_read_as_one_column(tmp_path: Path) -> None:
    cell = ('<w:tc><w:tcPr><w:gridSpan w:val="²"/></w:tcPr>' + paragraph("Nội dung") +
            "</w:tc>")
    body = (paragraph("KẾ HOẠCH") + paragraph("Tuyên truyền cải cách hành chính năm 2026") +
            f"<w:tbl><w:tr>{cell}{cell}</w:tr></w:tbl>")
    plan = docx_with(body, tmp_path / "plan.docx")
    result = run("import", plan)
    assert result.exit_code in (0, 1)
    assert (tmp_path / "plan.yaml").exists()


def test_text_in_table_cells_counts_toward_the_import_limit(tmp_path: Path) -> None:
    big = "chữ " * 300_000  # 1.2 million characters, in one cell
    body = paragraph("KẾ HOẠCH") + f"<w:tbl><w:tr><w:tc>{paragraph(big)}</w:tc></w:tr></w:tbl>"
    plan = docx_with(body, tmp_path / "plan.docx")
    output = fails("import", plan)
    assert f"{plan}: error: holds more than 1,000,000 characters" in output
    assert not (tmp_path / "plan.yaml").exists()


@pytest.mark.parametrize("token", ["\x000\x00", "\x005\x00", "a\x00", "\x00x\x00",
                                   "\U000f0000", "\U000f0000\U00100000"])
def test_rebase_and_batch_keep_nul_and_private_characters_as_written(tmp_path: Path,
                                                                       token: str) -> None:
    """Text that looks like rebase's held-out tokens is text: kept as written, and the
    locality next to it still renamed (or, with both private planes used, left as is)."""
    form = a_form(tmp_path)
    escaped = token.encode("unicode_escape").decode()
    text = form.read_text(encoding="utf-8").replace(
        "objectives:\n", f'objectives:\n  - "Mục {escaped} của xã An Thới Đông"\n', 1)
    form.write_text(text, encoding="utf-8")
    rebased = tmp_path / "rebased.yaml"
    result = run("rebase", form, "--locality", "xã Tân Phú", "-o", rebased)
    assert result.exit_code in (0, 1), result.output
    # the raw value: the form reader would drop the control characters for the plan
    purpose = yaml.safe_load(rebased.read_text(encoding="utf-8"))["sections"][0]
    objective = purpose["items"][0]["items"][0]
    renamed = "xã Tân Phú" if "\U00100000" not in token else "xã An Thới Đông"
    assert objective == f"Mục {token} của {renamed}"
    rows = tmp_path / "rows.csv"
    rows.write_text("locality,level,signer\nxã Bình Phú,xa,Trần Văn C\n", encoding="utf-8")
    result = run("batch", form, "--localities", rows, "-o", tmp_path / "out", "-j", "1")
    assert result.exit_code in (0, 1)
    assert "wrote 1 plan " in result.output or "error" in result.output


def test_a_batch_row_that_cannot_be_written_fails_alone(tmp_path: Path) -> None:
    form = a_form(tmp_path)
    rows = tmp_path / "rows.csv"
    long_name = "xã " + "An" * 150
    rows.write_text(f"locality,level,signer\n{long_name},xa,Nguyễn Văn B\n"
                    f"xã Bình Phú,xa,Trần Văn C\n", encoding="utf-8")
    out = tmp_path / "out"
    output = fails("batch", form, "--localities", rows, "-o", out, "-j", "1")
    assert f"{rows}:2:1: error:" in output and "too long" in output
    assert "wrote 1 plan " in output
    assert (out / "xa-binh-phu.docx").exists()


# -- item 7: inputs that are not regular files ----------------------------------------------

def test_a_fifo_given_to_batch_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "form.yaml"
    os.mkfifo(fifo)
    rows = tmp_path / "rows.csv"
    rows.write_text("locality,level,signer\nxã An Phú,xa,Nguyễn Văn B\n", encoding="utf-8")
    output = fails("batch", fifo, "--localities", rows, "-o", tmp_path / "out")
    assert f"{fifo}: error: is not a regular file" in output
    fifo_rows = tmp_path / "rows2.csv"
    os.mkfifo(fifo_rows)
    output = fails("batch", a_form(tmp_path), "--localities", fifo_rows)
    assert f"{fifo_rows}: error: is not a regular file" in output


def test_import_of_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.txt"
    os.mkfifo(fifo)
    assert f"{fifo}: error: is not a regular file" in fails("import", fifo)


def test_dev_zero_is_not_called_empty() -> None:
    output = fails("check", "/dev/zero")
    assert "0 bytes" not in output and "more than 2097152 bytes" in output
    assert "0.0 MB" not in fails("import", "/dev/zero", "-o", "/nonexistent/x.yaml")
