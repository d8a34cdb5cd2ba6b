"""Every command under generated and mutated input: `import` (DOCX and text made from random
forms, and real plans changed at random), `rebase` (random forms, random targets) and `batch`
(random rows). Each run ends, in bounded time, with exit code 0 or 1 and messages: never a
traceback, never a hang. Profiles as in test_fuzz (`HYPOTHESIS_PROFILE=long` for a long run).
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kh_gen.build import check_form, render
from kh_gen.errors import KhGenError

from .commands import run
from .test_fuzz import dump, forms, no_hang, profile, texts

FUZZ = Path(__file__).resolve().parent / "data" / "fuzz"
REAL_DOCX = sorted(FUZZ.glob("*.docx"))
REAL_TEXT = sorted(FUZZ.glob("*.txt"))
ODD = ("\x00", "\x000\x00", "\U000f0000", "\U00100000", "{{ year }}", "{% for %}", "²", "٣",
       "\u202e", "\ufeff", "&amp;", "<w:p>", "]]>", "\r", "|", "Căn cứ", "I.", "1.", "a)", "-",
       "KẾ HOẠCH", "PHỤ LỤC", "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN")


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KH_GEN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def command(*args: object) -> None:
    """Run the command; it must end with 0 or 1 and no traceback, within the hang limit."""
    with no_hang():
        result = run(*args)
    assert result.exit_code in (0, 1), result.output


def built(form: dict[str, object], folder: Path, fmt: str) -> bytes | None:
    path = folder / "form.yaml"
    path.write_text(dump(form), encoding="utf-8")
    try:
        return render(check_form(path), fmt)
    except KhGenError:
        return None


def mutate_text(text: str, rng: random.Random, edits: int) -> str:
    """Lines deleted, repeated, swapped, or given odd text."""
    lines = text.split("\n")
    for _ in range(edits):
        if not lines:
            break
        at = rng.randrange(len(lines))
        action = rng.randrange(5)
        if action == 0:
            del lines[at]
        elif action == 1:
            lines.insert(at, lines[at])
        elif action == 2:
            other = rng.randrange(len(lines))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == 3:
            cut = rng.randrange(len(lines[at]) + 1)
            lines[at] = lines[at][:cut] + rng.choice(ODD) + lines[at][cut:]
        else:
            lines[at] = lines[at][: rng.randrange(len(lines[at]) + 1)]
    return "\n".join(lines)


def mutate_docx(data: bytes, rng: random.Random, edits: int) -> bytes:
    """The document part changed: text cut or given odd text, attribute values replaced,
    elements repeated or dropped, or the bytes cut short."""
    source = zipfile.ZipFile(io.BytesIO(data))
    xml = source.read("word/document.xml").decode("utf-8")
    for _ in range(edits):
        action = rng.randrange(5)
        at = rng.randrange(len(xml) + 1)
        if action == 0:  # odd text inside a text run
            start = xml.find("<w:t", at)
            close = xml.find(">", start)
            if start >= 0 and close >= 0:
                odd = rng.choice(ODD).replace("&", "&amp;").replace("<", "&lt;")
                odd = "".join(c for c in odd if c not in "\x00\r" and c < "\U000f0000")
                xml = xml[: close + 1] + odd + xml[close + 1:]
        elif action == 1:  # an attribute value replaced
            start = xml.find('w:val="', at)
            if start >= 0:
                end = xml.find('"', start + 7)
                value = rng.choice(["²", "-1", "99999999999", "", "0", "abc", "64", "٣"])
                xml = xml[: start + 7] + value + xml[end:]
        elif action == 2:  # a paragraph or table row repeated
            tag = rng.choice(["<w:p>", "<w:p ", "<w:tr>", "<w:tr "])
            start = xml.find(tag, at)
            end = xml.find("</w:p>" if "p" in tag else "</w:tr>", start)
            if start >= 0 and end >= 0:
                piece = xml[start: end + (6 if "p" in tag else 7)]
                xml = xml[:start] + piece * rng.randrange(1, 4) + xml[start:]
        elif action == 3:  # a paragraph dropped
            start = xml.find("<w:p", at)
            end = xml.find("</w:p>", start)
            if start >= 0 and end >= 0:
                xml = xml[:start] + xml[end + 6:]
        else:  # a gridSpan put on a cell
            start = xml.find("<w:tcPr>", at)
            if start >= 0:
                span = rng.choice(["²", "0", "-3", "1000", "2"])
                xml = xml[: start + 8] + f'<w:gridSpan w:val="{span}"/>' + xml[start + 8:]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = xml.encode("utf-8") if info.filename == "word/document.xml" else \
                source.read(info)
            target.writestr(info.filename, body)
    packed = out.getvalue()
    if rng.randrange(8) == 0:
        packed = packed[: rng.randrange(len(packed))]
    return packed


def imported(plan: Path) -> None:
    command("import", plan, "-o", plan.with_name("imported.yaml"), "--force")


# -- import -----------------------------------------------------------------------------------

@profile(0.15)
@given(form=forms(), seed=st.integers(0, 2**32), edits=st.integers(0, 12))
def test_text_plans_from_random_forms_import(form: dict[str, object], seed: int, edits: int,
                                             tmp_path: Path) -> None:
    data = built(form, tmp_path, "txt")
    if data is None:
        return
    plan = tmp_path / "plan.txt"
    plan.write_text(mutate_text(data.decode("utf-8"), random.Random(seed), edits), "utf-8")
    imported(plan)


@profile(0.15)
@given(form=forms(), seed=st.integers(0, 2**32), edits=st.integers(0, 12))
def test_docx_plans_from_random_forms_import(form: dict[str, object], seed: int, edits: int,
                                             tmp_path: Path) -> None:
    data = built(form, tmp_path, "docx")
    if data is None:
        return
    plan = tmp_path / "plan.docx"
    plan.write_bytes(mutate_docx(data, random.Random(seed), edits))
    imported(plan)


@profile(0.15)
@given(which=st.integers(0, 1), seed=st.integers(0, 2**32), edits=st.integers(1, 20))
def test_real_docx_plans_changed_at_random_import(which: int, seed: int, edits: int,
                                                  tmp_path: Path) -> None:
    plan = tmp_path / "plan.docx"
    plan.write_bytes(mutate_docx(REAL_DOCX[which].read_bytes(), random.Random(seed), edits))
    imported(plan)


@profile(0.15)
@given(which=st.integers(0, 1), seed=st.integers(0, 2**32), edits=st.integers(1, 40))
def test_real_text_plans_changed_at_random_import(which: int, seed: int, edits: int,
                                                  tmp_path: Path) -> None:
    text = REAL_TEXT[which].read_text(encoding="utf-8")
    plan = tmp_path / "plan.txt"
    plan.write_text(mutate_text(text, random.Random(seed), edits), encoding="utf-8")
    imported(plan)


# -- rebase and batch -------------------------------------------------------------------------

_names = st.one_of(texts(long=False), st.sampled_from(ODD),
                   texts(long=False).map(lambda t: f"xã {t}"),
                   st.sampled_from(["phường Hưng Đạo", "tỉnh Lâm Đồng", "xã " + "A" * 300]))


@profile(0.15)
@given(form=forms(), locality=_names, level=st.sampled_from([None, "xa", "tinh", "huyen"]),
       year=st.one_of(st.none(), st.integers(1990, 2100)), signer=st.none() | _names)
def test_rebase_of_random_forms_to_random_targets(form: dict[str, object], locality: str,
                                                  level: str | None, year: int | None,
                                                  signer: str | None, tmp_path: Path) -> None:
    path = tmp_path / "form.yaml"
    path.write_text(dump(form), encoding="utf-8")
    args: list[object] = ["rebase", path, "--locality", locality.replace("\x00", ""), "-o",
                          tmp_path / "rebased.yaml", "--force"]
    if level:
        args += ["--level", level]
    if year:
        args += ["--year", year]
    if signer:
        args += ["--signer", signer.replace("\x00", "")]
    command(*args)


_cells = st.one_of(_names, st.just(""), st.sampled_from(["xa", "tinh", "huyen", "XA", "x"]))


@profile(0.15)
@given(form=forms(), rows=st.lists(st.tuples(_names, _cells, _cells), min_size=1, max_size=4),
       keep_text=st.booleans())
def test_batch_of_random_rows(form: dict[str, object], rows: list[tuple[str, str, str]],
                              keep_text: bool, tmp_path: Path) -> None:
    path = tmp_path / "form.yaml"
    path.write_text(dump(form), encoding="utf-8")
    table = io.StringIO()
    writer = csv.writer(table)
    writer.writerow(["locality", "level", "signer"])
    writer.writerows(rows)
    localities = tmp_path / "rows.csv"
    localities.write_text(table.getvalue(), encoding="utf-8")
    command("batch", path, "--localities", localities, "-o", tmp_path / "out", "-j", "1",
            "--force", "--keep-text" if keep_text else "--rebase")
