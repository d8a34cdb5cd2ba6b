"""Shared fixtures: the sample forms and a way to build and read back a plan.

The tests speak English (`KH_GEN_LANG=en`), the language the messages are written in, so that
they read what the code says; tests of the Vietnamese a user sees by default ask for it with
the `vietnamese` fixture or a process without `KH_GEN_LANG`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import docx
import pytest

os.environ["KH_GEN_LANG"] = "en"  # before any message is made; see the module's docstring

from kh_gen import build_form, i18n

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def _language_of_the_environment():
    """Every test starts in the environment's language (English, above), whatever ran before."""
    i18n.use_language(None)
    yield
    i18n.use_language(None)


@pytest.fixture
def vietnamese(monkeypatch: pytest.MonkeyPatch):
    """kh-gen as a user finds it: no language asked for, so Vietnamese."""
    monkeypatch.delenv("KH_GEN_LANG")
    i18n.use_language(None)
    yield
    monkeypatch.setenv("KH_GEN_LANG", "en")
    i18n.use_language(None)


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


def part_entries(form, part: str) -> list:  # type: ignore[no-untyped-def]
    """The entries (not sub-sections) of every section of the form that plays `part`."""
    from kh_gen.form import Section

    out: list = []

    def walk(sections) -> None:  # type: ignore[no-untyped-def]
        for section in sections:
            if section.part == part:
                out.extend(b for b in section.items if not isinstance(b, Section))
            walk([b for b in section.items if isinstance(b, Section)])

    walk(form.sections)
    return out
