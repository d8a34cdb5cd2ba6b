"""Shared fixtures: the sample forms and a way to build and read back a plan."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest

from kh_gen import build_form

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples"


@pytest.fixture
def minimal_form(tmp_path: Path) -> Path:
    """A small, complete form copied where a test may write next to it."""
    target = tmp_path / "minimal.yaml"
    shutil.copy(DATA / "minimal.yaml", target)
    return target


def build_docx(form: Path, out: Path | None = None) -> docx.document.Document:
    target, _ = build_form(form, out)
    return docx.Document(str(target))


@pytest.fixture
def minimal_doc(minimal_form: Path) -> docx.document.Document:
    return build_docx(minimal_form)
