"""build_bytes: check and render in one, the DOCX zipped on another thread while the linter
runs. It must give exactly what check_form then render give, problems included."""

from __future__ import annotations

from pathlib import Path

import pytest

from kh_gen import KhGenError, Sources, check_form
from kh_gen.build import build_bytes, render

from .conftest import DATA

ROOT = Path(__file__).resolve().parent.parent
FORMS = [*sorted((ROOT / "examples").glob("*.yaml")), DATA / "minimal.yaml"]
LINT = Sources(catalog_dirs=(DATA / "lint" / "catalog",))


@pytest.mark.parametrize("form", FORMS, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["docx", "txt"])
def test_the_bytes_and_warnings_are_those_of_check_then_render(form: Path, fmt: str) -> None:
    data, checked = build_bytes(form, fmt)
    separately = check_form(form)
    assert data == render(separately, fmt)
    assert checked.warnings == separately.warnings
    assert checked.outline == separately.outline


def test_a_linter_error_stops_it_with_the_same_problems_in_the_same_order() -> None:
    form = DATA / "lint" / "mistakes.yaml"
    with pytest.raises(KhGenError) as expected:
        check_form(form, LINT)
    with pytest.raises(KhGenError) as got:
        build_bytes(form, "docx", LINT)
    assert [str(p) for p in got.value.problems] == [str(p) for p in expected.value.problems]


def test_strict_stops_it_on_a_warning_as_check_does(minimal_form: Path, tmp_path: Path) -> None:
    form = tmp_path / "form.yaml"
    text = minimal_form.read_text(encoding="utf-8")
    form.write_text(text.replace("  - archive: VT, VHXH\n", ""), encoding="utf-8")
    warnings = check_form(form).warnings
    assert [p.rule for p in warnings] == ["recipients-archive"]
    with pytest.raises(KhGenError) as got:
        build_bytes(form, "docx", strict=True)
    assert [str(p) for p in got.value.problems] == [str(p) for p in warnings]


def test_a_failure_while_zipping_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: object) -> bytes:
        raise OSError("disk on fire")

    monkeypatch.setattr("kh_gen.ooxml.deflate", broken)  # what runs on the thread
    with pytest.raises(OSError, match="disk on fire"):
        build_bytes(FORMS[0], "docx")


def test_a_long_running_process_sees_an_edited_catalogue_and_kind(tmp_path: Path) -> None:
    """catalog_for, templates_for and kind_for load once per process for speed (a batch, a
    preview server), and again when a file in the user's folders has changed."""
    from kh_gen.build import catalog_for, kind_for

    catalogue = tmp_path / "catalog"
    catalogue.mkdir()
    mine = catalogue / "mine.yaml"
    mine.write_text("- id: objective.mine\n  text: Một.\n  source: x\n", encoding="utf-8")
    assert catalog_for([catalogue]).get("objective.mine").text == "Một."
    assert catalog_for([catalogue]) is catalog_for([catalogue])  # unchanged: the same object
    mine.write_text("- id: objective.mine\n  text: Hai câu.\n  source: x\n", encoding="utf-8")
    assert catalog_for([catalogue]).get("objective.mine").text == "Hai câu."
    kinds = tmp_path / "templates"
    (kinds / "thi-dua").mkdir(parents=True)
    definition = kinds / "thi-dua" / "kind.yaml"
    definition.write_text("name: Kế hoạch thi đua\nbase: ke-hoach\n", encoding="utf-8")
    assert kind_for("thi-dua", [kinds]).name == "Kế hoạch thi đua"
    definition.write_text("name: Kế hoạch phát động thi đua\nbase: ke-hoach\n",
                          encoding="utf-8")
    assert kind_for("thi-dua", [kinds]).name == "Kế hoạch phát động thi đua"
