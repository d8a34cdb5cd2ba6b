"""Hostile and broken input: a clear located message or a best-effort form, never a traceback,
in bounded time and memory."""

from __future__ import annotations

import importlib.util
import os
import time
import unicodedata
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kh_gen.cli import main
from kh_gen.errors import KhGenError
from kh_gen.importing import import_plan, legacy

IMPORT_DATA = Path(__file__).resolve().parent / "data" / "import"
_spec = importlib.util.spec_from_file_location("make_clerk_docx",
                                               IMPORT_DATA / "make_clerk_docx.py")
assert _spec is not None and _spec.loader is not None
clerk = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(clerk)
PHRASE = "Kế hoạch tuyên truyền cải cách hành chính"


def refused(plan: Path, tmp_path: Path) -> str:
    """The single message import gives for `plan`, checked to come from the CLI too."""
    with pytest.raises(KhGenError) as caught:
        import_plan(plan, tmp_path / "out.yaml")
    messages = [str(p) for p in caught.value.problems]
    result = CliRunner().invoke(main, ["import", str(plan), "-o", str(tmp_path / "o.yaml")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not (tmp_path / "out.yaml").exists() and not (tmp_path / "o.yaml").exists()
    return "\n".join(messages)


def test_random_bytes_named_docx_are_not_a_docx(tmp_path: Path) -> None:
    plan = tmp_path / "plan.docx"
    plan.write_bytes(os.urandom(4096))
    assert f"{plan}: error: is not a DOCX file" in refused(plan, tmp_path)


def test_random_bytes_named_txt_are_not_text(tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_bytes(bytes(range(256)) * 16)
    assert f"{plan}: error: is not text" in refused(plan, tmp_path)


def test_a_pdf_is_named_as_such(tmp_path: Path) -> None:
    plan = tmp_path / "plan.docx"
    plan.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    message = refused(plan, tmp_path)
    assert f"{plan}: error: is a PDF" in message and ".txt" in message


def test_an_encrypted_docx_is_named_as_such(tmp_path: Path) -> None:
    # Word saves a password-protected DOCX as an OLE compound file (D0 CF 11 E0 …)
    plan = tmp_path / "secret.docx"
    plan.write_bytes(legacy_ole := b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert legacy_ole
    message = refused(plan, tmp_path)
    assert f"{plan}: error: is a password-protected (encrypted) Word file" in message


def test_a_truncated_docx_is_damaged(tmp_path: Path) -> None:
    whole = clerk.make((IMPORT_DATA / "seeds" / "hong-ngu-2024.txt").read_text("utf-8"),
                       tmp_path / "whole.docx")
    plan = tmp_path / "cut.docx"
    plan.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    message = refused(plan, tmp_path)
    assert f"{plan}: error: is damaged" in message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    plan = tmp_path / "bomb.docx"
    with zipfile.ZipFile(plan, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b"\0" * 30_000_000)
    assert plan.stat().st_size < 200_000
    started = time.monotonic()
    message = refused(plan, tmp_path)
    assert "possible zip bomb" in message and "(word/document.xml)" in message
    assert time.monotonic() - started < 5


def test_a_zip_member_that_lies_about_its_size_is_read_with_a_cap(tmp_path: Path) -> None:
    plan = tmp_path / "liar.docx"
    with zipfile.ZipFile(plan, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * 2_000_000)
    data = bytearray(plan.read_bytes())
    # claim 100 bytes unpacked in the local and the central header
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.find(signature)
        data[start + offset:start + offset + 4] = (100).to_bytes(4, "little")
    plan.write_bytes(bytes(data))
    message = refused(plan, tmp_path)
    assert "damaged" in message or "malformed XML" in message


@pytest.mark.parametrize("document, expected", [
    ("<a>" * 100_000 + "</a>" * 100_000, "nested deeper than"),
    ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
     '"&lol;&lol;&lol;&lol;">]><w:document xmlns:w="x"><w:body>&lol2;</w:body></w:document>',
     "declares a DTD"),
    ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><d>&xxe;</d>',
     "declares a DTD"),
    ('<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>KẾ HOẠCH</w:t></w:r></w:body>',
     "malformed XML (mismatched tag)"),
])
def test_hostile_or_malformed_xml_gets_a_located_message(tmp_path: Path, document: str,
                                                        expected: str) -> None:
    plan = clerk.raw_docx(tmp_path / "bad.docx", "", document=document)
    message = refused(plan, tmp_path)
    assert f"{plan} (word/document.xml):" in message
    assert expected in message


def test_fifty_megabytes_of_text_are_refused_quickly(tmp_path: Path) -> None:
    plan = tmp_path / "huge.txt"
    with plan.open("wb") as stream:
        line = ("Tuyên truyền cải cách hành chính. " * 30 + "\n").encode()
        for _ in range(50_000_000 // len(line) + 1):
            stream.write(line)
    started = time.monotonic()
    message = refused(plan, tmp_path)
    assert time.monotonic() - started < 5
    assert f"{plan}: error: is 50.0 MB of text" in message


@pytest.mark.parametrize("text, expected", [
    ("TT\tNhiệm vụ\tCơ quan chủ trì\n" + "1\tTuyên truyền\tPhòng Văn hóa\n" * 20_000,
     "holds 20001 table rows"),
    ("I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n" + "a) Tuyên truyền. " * 30_000, "list items"),
], ids=["rows", "run-together items"])
def test_a_text_far_larger_than_a_plan_is_refused_quickly(tmp_path: Path, text: str,
                                                          expected: str) -> None:
    plan = tmp_path / "rows.txt"
    plan.write_text(text, encoding="utf-8")
    started = time.monotonic()
    message = refused(plan, tmp_path)
    assert expected in message and "is this the right file?" in message
    assert time.monotonic() - started < 10


def test_mixed_nfc_and_nfd_text_is_read_as_nfc(tmp_path: Path) -> None:
    text = (IMPORT_DATA / "seeds" / "hong-ngu-2024.txt").read_text("utf-8")
    lines = text.splitlines()
    mixed = "\n".join(unicodedata.normalize("NFD" if i % 2 else "NFC", line)
                      for i, line in enumerate(lines))
    plan = tmp_path / "mixed.txt"
    plan.write_text(mixed, encoding="utf-8")
    result = import_plan(plan, tmp_path / "mixed.yaml")
    form_text = result.form.read_text("utf-8")
    assert form_text == unicodedata.normalize("NFC", form_text)
    assert "decomposed (NFD) letters made NFC" in result.report.reading
    assert result.draft.signer.name == "Phạm Tấn Đạt"
    implementation = result.draft.sections[-1]
    assert implementation.part == "implementation" and len(implementation.items) == 4


@pytest.mark.parametrize("code, encoded", [
    # as a text editor shows them without the .VnTime / VNI-Times fonts
    (legacy.TCVN3, "KÕ ho¹ch tuyªn truyÒn c¶i c¸ch hµnh chÝnh"),
    (legacy.VNI, "Keá hoaïch tuyeân truyeàn caûi caùch haønh chính"),
])
def test_legacy_phrase_converts_to_unicode(code: str, encoded: str) -> None:
    assert legacy.to_unicode(encoded, code) == PHRASE
    assert legacy.from_unicode(PHRASE, code) == encoded


def test_legacy_charts_hold_every_vietnamese_letter() -> None:
    letters = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
    for code in (legacy.TCVN3, legacy.VNI):
        assert legacy.to_unicode(legacy.from_unicode(letters, code), code) == letters
    vni_upper = letters.upper()
    assert legacy.to_unicode(legacy.from_unicode(vni_upper, legacy.VNI), legacy.VNI) == \
        vni_upper
    assert legacy.to_unicode("Céng hoµ x· héi chñ nghÜa ViÖt Nam", legacy.TCVN3) == \
        "Cộng hoà xã hội chủ nghĩa Việt Nam"
    assert legacy.to_unicode("Ñoäc laäp - Töï do - Haïnh phuùc", legacy.VNI) == \
        "Độc lập - Tự do - Hạnh phúc"


@pytest.mark.parametrize("code, encoding", [(legacy.TCVN3, "cp1252"), (legacy.VNI, "cp1252"),
                                            (legacy.VNI, "utf-8")])
def test_a_plan_typed_in_a_legacy_encoding_is_imported(tmp_path: Path, code: str,
                                                       encoding: str) -> None:
    text = (IMPORT_DATA / "seeds" / "hong-ngu-2024.txt").read_text("utf-8")
    plan = tmp_path / "old.txt"
    plan.write_bytes(legacy.from_unicode(text, code).encode(encoding, errors="replace"))
    result = import_plan(plan, tmp_path / "old.yaml")
    assert any(legacy.NAMES[code] in line for line in result.report.reading)
    form_text = result.form.read_text("utf-8")
    assert "Tuyên truyền cải cách hành chính năm 2024" in form_text
    assert result.draft.signer.name.lower() == "phạm tấn đạt"


def test_a_docx_typed_in_tcvn3_is_converted(tmp_path: Path) -> None:
    lines = ["KẾ HOẠCH", "Tuyên truyền cải cách hành chính năm 2026", "I. MỤC ĐÍCH, YÊU CẦU",
             "1. Mục đích", "a) Nâng cao nhận thức về cải cách hành chính.", "2. Yêu cầu",
             "a) Tuyên truyền thường xuyên, liên tục và đúng trọng tâm."]
    body = "".join(clerk.para(legacy.from_unicode(line, legacy.TCVN3)) for line in lines)
    plan = clerk.raw_docx(tmp_path / "vntime.docx", body)
    result = import_plan(plan, tmp_path / "vntime.yaml")
    purpose = result.draft.sections[0].items[0]
    assert purpose.items[0].text == "Nâng cao nhận thức về cải cách hành chính."


def test_text_that_is_no_plan_still_gives_a_form_with_nothing_dropped(tmp_path: Path) -> None:
    plan = tmp_path / "notes.txt"
    plan.write_text("Ghi chú cuộc họp\n\nBàn về việc trồng cây xanh.\n\nGiao ấp thực hiện.\n",
                    encoding="utf-8")
    result = import_plan(plan, tmp_path / "notes.yaml")
    form_text = result.form.read_text("utf-8")
    for words in ("Bàn về việc trồng cây xanh.", "Giao ấp thực hiện."):
        assert words in form_text
    assert result.report.of_kind("guess")


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "empty.txt"
    plan.write_text("\n\n  \n", encoding="utf-8")
    assert f"{plan}: error: holds no text" in refused(plan, tmp_path)
