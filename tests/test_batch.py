"""`kh-gen batch`: one plan per locality, each laid out like a single build, bad rows reported
at their line while the others are still written."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from kh_gen import build_form
from kh_gen.batch import read_localities, run_batch, slug
from kh_gen.cli import main
from kh_gen.errors import KhGenError
from kh_gen.form import load_form
from kh_gen.rebase import Target, rebase_form

from .conftest import DATA
from .test_docx_layout import _find

YEAR = 2026


@pytest.fixture
def form(tmp_path: Path) -> Path:
    target = tmp_path / "base.yaml"
    shutil.copy(DATA / "minimal.yaml", target)
    return target


def _communes(count: int) -> list[dict[str, str]]:
    return [{"locality": f"xã Thử Nghiệm {n}", "level": "xa", "place": f"Thử Nghiệm {n}",
             "signer": f"Nguyễn Văn {n}"} for n in range(1, count + 1)]


def _write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _assert_layout(doc: docx.document.Document, row: dict[str, str]) -> None:
    """The layout facts of tests/test_docx_layout.py, for a plan issued by `row`."""
    first = doc.sections[0]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert Mm(20) <= first.top_margin <= Mm(25) and Mm(30) <= first.left_margin <= Mm(35)
    runs = [r for p in doc.paragraphs for r in p.runs]
    runs += [r for t in doc.tables for tr in t.rows for c in tr.cells for p in c.paragraphs
             for r in p.runs]
    for r in runs:
        fonts = r._r.rPr.find(qn("w:rFonts"))
        assert {fonts.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "cs", "eastAsia")} == \
            {"Times New Roman"}
    header = doc.tables[0]
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    left, national = header.rows[0].cells
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in national.text
    assert [p.text for p in left.paragraphs if p.text] == \
        [row.get("issuer", "Ủy ban nhân dân").upper(), row["locality"].upper()]
    assert all(r.bold and r.font.size == Pt(13) for p in left.paragraphs for r in p.runs)
    number, date = header.rows[1].cells
    assert number.text == "Số:      /KH-UBND", "a batch plan is an unnumbered draft"
    assert date.text == f"{row['place']}, ngày    tháng    năm {YEAR}"
    assert _find(doc, "KẾ HOẠCH").runs[0].bold
    assert "I. MỤC ĐÍCH, YÊU CẦU" in [p.text for p in doc.paragraphs]
    assert _find(doc, "Trên đây là Kế hoạch").text.endswith("./.")
    signature = [p.text for p in doc.tables[1].rows[0].cells[1].paragraphs if p.text]
    assert signature[-1] == row["signer"]
    appendix = doc.sections[1]
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert appendix._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert "PAGE" in doc.sections[0].header.paragraphs[0]._p.xml


def test_fifty_localities_two_workers(form: Path, tmp_path: Path) -> None:
    rows = _communes(50)
    localities = _write_csv(tmp_path / "communes.csv", rows)
    result = CliRunner().invoke(main, ["batch", str(form), "--localities", str(localities),
                                       "--jobs", "2"])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "base"
    assert f"wrote 50 plans to {folder}" in result.output
    assert sorted(p.name for p in folder.iterdir()) == \
        sorted(f"xa-thu-nghiem-{n}.docx" for n in range(1, 51))
    for n, row in enumerate(rows, 1):
        _assert_layout(docx.Document(str(folder / f"xa-thu-nghiem-{n}.docx")), row)


_MY_PHUOC = {"locality": "phường Mỹ Phước", "level": "xa", "place": "Bến Cát",
             "signer": "Lê Thị C", "signer_title": "Phó Chủ tịch", "signer_authority": "KT"}


def test_a_batch_plan_is_the_single_build_of_what_rebase_writes(form: Path,
                                                                tmp_path: Path) -> None:
    localities = _write_csv(tmp_path / "one.csv", [_MY_PHUOC])
    report = run_batch(form, localities, tmp_path / "out", jobs=1)
    assert not report.failed
    rebased = rebase_form(form, Target(locality="phường Mỹ Phước", level="xa", place="Bến Cát",
                                       signer="Lê Thị C"), tmp_path / "single.yaml")
    text = rebased.form.read_text(encoding="utf-8")
    assert "title: Phó Chủ tịch" in text and "authority: KT" in text
    assert "Ủy ban nhân dân xã." in form.read_text(encoding="utf-8")
    assert "Ủy ban nhân dân phường." in text, "the free text was renamed"
    target, _ = build_form(rebased.form, tmp_path / "single.docx")
    assert (tmp_path / "out" / "phuong-my-phuoc.docx").read_bytes() == target.read_bytes()


def test_keep_text_plan_is_the_single_build_of_the_form_with_a_new_issuer(
        form: Path, tmp_path: Path) -> None:
    localities = _write_csv(tmp_path / "one.csv", [_MY_PHUOC])
    report = run_batch(form, localities, tmp_path / "out", jobs=1, rebase=False)
    assert not report.failed
    text = form.read_text(encoding="utf-8")
    for old, new in (("locality: xã An Thới Đông", "locality: phường Mỹ Phước"),
                     ("unit: xã", "unit: phường"), ("place: An Thới Đông", "place: Bến Cát"),
                     ("name: Trần Văn Bình", "name: Lê Thị C"), ("number: 5\n", ""),
                     ("date: 2026-01-08\n", "")):
        assert old in text, old
        text = text.replace(old, new)
    single = tmp_path / "single.yaml"
    single.write_text(text, encoding="utf-8")
    target, _ = build_form(single, tmp_path / "single.docx")
    assert (tmp_path / "out" / "phuong-my-phuoc.docx").read_bytes() == target.read_bytes()


def test_one_worker_and_two_write_the_same_bytes(form: Path, tmp_path: Path) -> None:
    localities = _write_csv(tmp_path / "c.csv", _communes(6))
    for jobs in (1, 2):
        report = run_batch(form, localities, tmp_path / f"j{jobs}", jobs=jobs)
        assert len(report.written) == 6 and report.jobs == jobs
    for one in (tmp_path / "j1").iterdir():
        assert one.read_bytes() == (tmp_path / "j2" / one.name).read_bytes()


def test_bad_rows_are_reported_at_their_line_and_the_rest_written(form: Path,
                                                                  tmp_path: Path) -> None:
    localities = tmp_path / "mixed.csv"
    localities.write_text(
        "locality,level,place,signer,signer_title,signer_authority\n"
        "xã An Phú,xa,An Phú,Trần Văn B,,\n"            # 2: fine
        "xã Bình Thạnh,xaa,Bình Thạnh,Ngô D,,\n"        # 3: unknown level
        "xã Tân Hội,xa,Tân Hội,Phạm E,Chủ tịch,KT\n"    # 4: KT needs a deputy
        "xã Vĩnh Lợi,xa,Vĩnh Lợi,,,\n"                  # 5: no signer
        "xã An Phú,xa,An Phú,X,,\n"                     # 6: same file as line 2
        "xã Hòa Bình,xa,Hòa Bình,Võ F,,,extra\n"        # 7: a cell too many
        "xã Long Hòa,xa,Long Hòa,Đỗ G,Phó Chủ tịch,KT\n",  # 8: fine
        encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(form), "--localities", str(localities),
                                       "-o", str(tmp_path / "out"), "-j", "2"])
    assert result.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == \
        ["xa-an-phu.docx", "xa-long-hoa.docx"]
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    where = [re.match(rf"{re.escape(str(localities))}:(\d+):\d+: error: ", e) for e in errors]
    assert all(where), errors
    assert [int(m[1]) for m in where] == [3, 4, 5, 6, 7]
    assert "level: expected one of tinh, huyen, xa; got 'xaa'" in errors[0]
    assert "xã Tân Hội: signer: KT" in errors[1] and "[signer-kt-title]" in errors[1]
    assert "signer: missing" in errors[2]
    assert "like the row at line 2" in errors[3]
    assert "7 cells, the header 6" in errors[4]
    assert "wrote 2 plans" in result.output and "5 failed" in result.output


def test_yaml_list_with_units_and_places_read_from_the_name(form: Path,
                                                             tmp_path: Path) -> None:
    localities = tmp_path / "list.yaml"
    localities.write_text(
        "- {locality: phường Đống Đa, level: xa, signer: Hà Văn H}\n"
        "- locality: xã Nam Hồng\n"
        "  level: xa\n"
        "  issuer: Ủy ban nhân dân\n"
        "  signer: Mai Thị K\n"
        "  signer_title: Chủ tịch\n"
        "  signer_authority: TM\n"
        "- {locality: Hòa Bình, level: tinh, signer: X}\n"
        "- {locality: xã Lạ, level: xa, signer: Y, sigenr_title: Z}\n", encoding="utf-8")
    form_ = load_form(form)[0]
    rows, problems = read_localities(localities, form_)
    assert [(r.locality, r.unit, r.place) for r in rows] == \
        [("phường Đống Đa", "phường", "Đống Đa"), ("xã Nam Hồng", "xã", "Nam Hồng")]
    messages = [str(p) for p in problems]
    assert any(m.startswith(f"{localities}:8:3: error: [3].unit: missing") for m in messages)
    assert any(m.startswith(f"{localities}:9:") and "unknown key 'sigenr_title'; did you mean "
               "'signer_title'?" in m for m in messages), messages
    report = run_batch(form, localities, tmp_path / "out", jobs=1)
    assert [o.target.name for o in report.written] == ["phuong-dong-da.docx", "xa-nam-hong.docx"]
    doc = docx.Document(str(tmp_path / "out" / "xa-nam-hong.docx"))
    signature = [p.text for p in doc.tables[1].rows[0].cells[1].paragraphs if p.text]
    assert signature == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Mai Thị K"]


def test_a_mistake_in_the_base_form_stops_the_batch(form: Path, tmp_path: Path) -> None:
    form.write_text(form.read_text(encoding="utf-8").replace("authority: KT", "authority: XX"),
                    encoding="utf-8")
    localities = _write_csv(tmp_path / "c.csv", _communes(3))
    result = CliRunner().invoke(main, ["batch", str(form), "--localities", str(localities)])
    assert result.exit_code == 1
    assert re.search(rf"{re.escape(str(form))}:\d+:\d+: error: signer.authority", result.output)
    assert not (tmp_path / "base").exists()


@pytest.mark.parametrize(("text", "problem"), [
    ("locality,level,place,signer,mayor\n", ":1:5: error: unknown column 'mayor'"),
    ("locality,place,signer\nxã A,A,B\n", ":1:1: error: column 'level' missing"),
    ("locality,level,place,signer\n", ": error: no localities in this file"),
])
def test_a_localities_file_that_cannot_be_used_stops_the_batch(form: Path, tmp_path: Path,
                                                                text: str, problem: str) -> None:
    localities = tmp_path / "bad.csv"
    localities.write_text(text, encoding="utf-8")
    with pytest.raises(KhGenError) as caught:
        run_batch(form, localities, tmp_path / "out")
    assert problem in str(caught.value)
    assert not any((tmp_path / "out").glob("*.docx"))


@pytest.mark.parametrize(("locality", "name"), [
    ("xã An Thới Đông", "xa-an-thoi-dong"),
    ("Phường Đống Đa", "phuong-dong-da"),
    ("thị trấn Ea Kar", "thi-tran-ea-kar"),
    ("xã Cư M'gar", "xa-cu-m-gar"),
    ("phường 12", "phuong-12"),
    ("xa\u0300 A\u0300n", "xa-an"),  # decomposed accents
])
def test_file_names_are_ascii_slugs(locality: str, name: str) -> None:
    assert slug(locality) == name


def test_free_text_is_renamed_unless_kept(form: Path, tmp_path: Path) -> None:
    row = {"locality": "phường Mỹ Phước", "level": "xa", "place": "Bến Cát",
           "signer": "Lê Thị C", "signer_title": "Chủ tịch", "signer_authority": "TM"}
    localities = _write_csv(tmp_path / "one.csv", [row])
    texts = {}
    for name, options in (("default", []), ("kept", ["--keep-text"])):
        out = tmp_path / name
        result = CliRunner().invoke(main, ["batch", str(form), "--localities", str(localities),
                                           "-o", str(out), *options])
        assert result.exit_code == 0, result.output
        doc = docx.Document(str(out / "phuong-my-phuoc.docx"))
        _assert_layout(doc, row)
        texts[name] = [p.text for p in doc.paragraphs]
    closing = [t for t in texts["default"] if t.startswith("Trên đây")]
    assert closing and closing[0].endswith("Ủy ban nhân dân phường./."), "renamed by default"
    assert any(t.endswith("Ủy ban nhân dân xã./.") for t in texts["kept"]), \
        "with --keep-text the clerk's free text is kept as written"
    assert sorted(p.name for p in (tmp_path / "default").iterdir()) == ["phuong-my-phuoc.docx"], \
        "no rebased form left behind"


def test_loading_forms_again_and_again_keeps_no_memory(form: Path) -> None:
    """A batch worker (or a preview server) loads forms and catalogues many times."""
    import tracemalloc

    load_form(form)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(30):
            load_form(form)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 100_000, f"{grown} bytes kept after 30 loads"


@pytest.mark.parametrize(("args", "said"), [
    ([], {"error": "lỗi", "twice": "'xã An Phú' sẽ được ghi vào xa-an-phu.docx, trùng với hàng "
                                   "ở dòng 2; mỗi địa phương chỉ ghi một lần",
          "cells": "hàng này có 7 ô, dòng tiêu đề có 6 ô; hãy tìm dấu ','",
          "at": "(tại", "summary": "đã viết 2 kế hoạch vào"}),
    (["--lang", "en"], {"error": "error", "twice": "'xã An Phú' would be written to "
                                                   "xa-an-phu.docx, like the row at line 2; give "
                                                   "each locality once",
                        "cells": "this row has 7 cells, the header 6; check for a ','",
                        "at": "(at", "summary": "wrote 2 plans to"}),
], ids=["vietnamese-by-default", "english-with-lang-en"])
def test_bad_rows_are_reported_at_their_line_in_the_language_of_the_run(
        form: Path, tmp_path: Path, args: list[str], said: dict[str, str]) -> None:
    """Rows read by the parent and rows built by the workers speak the same language; the
    `FILE:LINE:COL:` of the row and the rule id stay as they are."""
    localities = tmp_path / "list.csv"
    localities.write_text(
        "locality,level,place,signer,signer_title,signer_authority\n"
        "xã An Phú,xa,An Phú,Trần Văn B,,\n"
        "xã Tân Hội,xa,Tân Hội,Phạm E,Chủ tịch,KT\n"      # 3: KT needs a deputy
        "xã An Phú,xa,An Phú,X,,\n"                       # 4: same file as line 2
        "xã Hòa Bình,xa,Hòa Bình,Võ F,,,extra\n"          # 5: a cell too many
        "xã Long Hòa,xa,Long Hòa,Đỗ G,Phó Chủ tịch,KT\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(form), "--localities", str(localities),
                                       "-o", str(tmp_path / "out"), "-j", "2", "--keep-text",
                                       *args], env={"KH_GEN_LANG": ""})
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if f": {said['error']}: " in line]
    assert len(errors) == 3, result.output
    assert errors[0].startswith(f"{localities}:3:1: {said['error']}: xã Tân Hội: ")
    assert errors[0].endswith(f"{said['at']} {form}:60:3) [signer-kt-title]"), errors[0]
    assert errors[1] == f"{localities}:4:1: {said['error']}: {said['twice']}"
    assert errors[2].startswith(f"{localities}:5:1: {said['error']}: {said['cells']}")
    assert said["summary"] in result.output


def test_a_worker_speaks_the_language_of_the_run(form: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that does not inherit the parent's memory (spawned) is told the language."""
    from kh_gen import batch, i18n
    from kh_gen.build import Sources

    monkeypatch.setattr(batch, "_job", None)  # the worker's job, put back after the test
    job = batch._Job(form, tmp_path, Sources(), False, frozenset(), language="vi")
    batch._start_worker(job)
    assert i18n.language() == "vi"
    batch._start_worker(job._replace(language="en"))
    assert i18n.language() == "en"
