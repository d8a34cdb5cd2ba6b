"""Plan templates receive plain data only, and stay sandboxed.

A template may come from a province's own folder: whatever it does with the values it is given,
it must not reach files, processes, the network or Python's internals, nor change the data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kh_gen.build import check_form
from kh_gen.compose import _Composer
from kh_gen.errors import KhGenError
from kh_gen.textrender import TemplateSet

from .conftest import DATA, EXAMPLES

_PLAIN = (str, int, float, bool, type(None))


def _context_of(form: Path) -> dict[str, Any]:
    return _Composer(check_form(form).plan).context()


def _render(tmp_path: Path, source: str, context: dict[str, Any]) -> str:
    (tmp_path / "t.j2").write_text(source, encoding="utf-8")
    return TemplateSet([tmp_path]).render("t.j2", context)


def _unsafe(value: Any, path: str = "") -> list[str]:
    """Everything reachable from `value` that is not text, a number, or a tuple, list or
    mapping of those: what could lead a template to files, processes or the network."""
    if isinstance(value, _PLAIN):
        return []
    if isinstance(value, tuple | list):
        return [p for i, v in enumerate(value) for p in _unsafe(v, f"{path}[{i}]")]
    if type(value) is dict:
        return [p for k, v in value.items()
                for p in ([f"{path} key {k!r}"] if not isinstance(k, str) else [])
                + _unsafe(v, f"{path}.{k}")]
    return [f"{path}: {type(value).__name__}"]


@pytest.mark.parametrize("form", [*sorted(EXAMPLES.glob("*.yaml")), DATA / "minimal.yaml"],
                         ids=lambda p: p.stem)
def test_the_template_context_is_plain_data(form: Path) -> None:
    context = _context_of(form)
    assert context["body"]  # the body is there, as markup
    assert _unsafe(context) == []
    # what a catalogue text and a kind's wording are filled with
    composer = _Composer(check_form(form).plan)
    assert composer.values()["locality"] and _unsafe(composer.values()) == []


@pytest.mark.parametrize("source", [
    "{{ body.__class__ }}",
    "{{ issuer.__class__.__mro__ }}",
    "{{ title_lines.__class__.__base__.__subclasses__() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ issuer.items.__self__ }}",
])
def test_no_path_to_python_internals(tmp_path: Path, source: str) -> None:
    context = _context_of(EXAMPLES / "xa-2026.yaml")
    with pytest.raises(KhGenError, match=r"t\.j2:1:1: error: template error: "):
        _render(tmp_path, source, context)


@pytest.mark.parametrize("source", [
    "{{ issuer.update({'name': 'x'}) }}",
    "{{ issuer.clear() }}",
    "{{ issuer.pop('name') }}",
])
def test_the_data_cannot_be_changed(tmp_path: Path, source: str) -> None:
    context = _context_of(EXAMPLES / "xa-2026.yaml")
    before = repr(context)
    with pytest.raises(KhGenError, match=r"t\.j2:1:1: error: template error: "):
        _render(tmp_path, source, context)
    assert repr(context) == before


def test_template_errors_point_at_the_template_line(tmp_path: Path) -> None:
    context = _context_of(EXAMPLES / "xa-2026.yaml")
    source = ("{% macro show(items) %}\n{% for item in items %}\n"
              "{{ item }} {{ item.nothing }}\n{% endfor %}\n{% endmacro %}\n"
              "@para {{ year }}\n{{ show(appendices) }}\n")
    with pytest.raises(KhGenError) as caught:
        _render(tmp_path, source, context)
    assert str(caught.value).startswith(f"{tmp_path / 't.j2'}:3:1: error: template error: ")
    assert "'nothing'" in str(caught.value)
    with pytest.raises(KhGenError, match=r"t\.j2:2:1: error: template error: .*'nothing'"):
        _render(tmp_path, "@para\n{{ issuer.nothing }}\n", context)
