"""The DOCX container: kh-gen writes the zip records itself, so they must be zipfile's."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from kh_gen.ooxml import ZIP_TIME, zip_archive


def _with_zipfile(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in files:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


@pytest.mark.parametrize("files", [
    [],
    [("empty.xml", b"")],
    [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", "Kế hoạch".encode() * 5000)],
    [("a", os.urandom(70_000)), ("b/c.xml", b"x" * 300_000), ("d", b"\x00\xff" * 10)],
])
def test_the_archive_is_what_zipfile_writes(files: list[tuple[str, bytes]]) -> None:
    written = zip_archive(files)
    assert written == _with_zipfile(files)
    with zipfile.ZipFile(io.BytesIO(written)) as archive:
        assert archive.testzip() is None
        assert [(i.filename, archive.read(i)) for i in archive.infolist()] == files
