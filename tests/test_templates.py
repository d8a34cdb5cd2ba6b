"""Plan templates stay sandboxed where they read kh-gen's records without the sandbox's checks.

A template may come from a province's own folder: whatever path it takes to a value, it must
not reach Python internals, a record's own methods, or change the data it is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from kh_gen import textrender
from kh_gen.build import check_form
from kh_gen.compose import _context
from kh_gen.errors import KhGenError
from kh_gen.textrender import TemplateSet, allow_records

from .conftest import DATA, EXAMPLES


class _Record(NamedTuple):
    name: str
    names: list[str]
    table: dict[str, str]


class _Tuple(NamedTuple):
    name: str
    names: list[str]


class _Subrecord(_Record):
    pass


allow_records(_Record, _Tuple)


def _context_of(form: Path) -> dict[str, Any]:
    return _context(check_form(form).plan)


def _render(tmp_path: Path, source: str, context: dict[str, Any]) -> str:
    (tmp_path / "t.j2").write_text(source, encoding="utf-8")
    return TemplateSet([tmp_path]).render("t.j2", context)


def _records() -> dict[str, Any]:
    return {"rec": _Record("a", ["x"], {"k": "v"}), "tup": _Tuple("b", ["y"]),
            "sub": _Subrecord("c", ["z"], {})}


def test_records_read_through_the_direct_path(tmp_path: Path) -> None:
    out = _render(tmp_path, "{{ rec.name }} {{ tup.name }} {{ sub.name }} {{ rec.names[0] }}"
                            " {{ tup.names | join }} {{ rec.table.get('k') }}", _records())
    assert out == "a b c x y v"


@pytest.mark.parametrize("source", [
    "{{ plan.__class__ }}",
    "{{ plan.form.issuer.__class__.__mro__ }}",
    "{{ plan.form.__class__.mro() }}",
    "{{ plan.__reduce__() }}",
    "{{ marker.__globals__ }}",
    "{{ requested.__code__ }}",
    "{{ plan.citations.__class__.__base__.__subclasses__() }}",
    "{{ plan.form.layout.list_style.__func__ }}",
    "{{ rec._field_defaults }}",
    "{{ rec.__init__ }}",
    "{{ tup._replace(name='x') }}",
    "{{ tup._asdict() }}",
    "{{ tup._make(['x', []]) }}",
    "{{ tup._fields }}",
    "{{ tup.__class__.mro() }}",
    "{{ sub._fields }}",
])
def test_no_path_to_python_internals_or_record_methods(tmp_path: Path, source: str) -> None:
    context = {**_context_of(EXAMPLES / "xa-2026.yaml"), **_records()}
    with pytest.raises(KhGenError, match=r"t\.j2:1:1: error: template error: access to "
                                         r"attribute '_*\w+' of '\w+' object is unsafe"):
        _render(tmp_path, source, context)


@pytest.mark.parametrize("source", [
    "{{ rec.names.append('w') }}",
    "{{ rec.names.clear() }}",
    "{{ tup.names.pop() }}",
    "{{ tup.names.extend(['w']) }}",
    "{{ rec.table.update({'k': 'w'}) }}",
    "{{ rec.table.setdefault('w', 'w') }}",
    "{{ form.headings.clear() }}",
    "{{ plan.context.pop('year') }}",
])
def test_data_reached_through_records_cannot_be_changed(tmp_path: Path, source: str) -> None:
    context = {**_context_of(EXAMPLES / "xa-2026.yaml"), **_records()}
    before = repr(context)
    with pytest.raises(KhGenError, match=r"t\.j2:1:1: error: template error: access to "
                                         r"attribute '\w+' of '\w+' object is unsafe"):
        _render(tmp_path, source, context)
    assert repr(context) == before


def test_only_declared_public_fields_of_allowed_types_skip_the_checks(tmp_path: Path,
                                                                      monkeypatch) -> None:
    checked: list[str] = []
    sandbox_check = ImmutableSandboxedEnvironment.is_safe_attribute

    def spy(self: Any, obj: Any, attr: str, value: Any) -> bool:
        checked.append(f"{type(obj).__name__}.{attr}")
        return sandbox_check(self, obj, attr, value)

    monkeypatch.setattr(ImmutableSandboxedEnvironment, "is_safe_attribute", spy)
    _render(tmp_path, "{{ rec.name }}{{ tup.name }}{{ sub.name }}{{ tup.count('b') }}"
                      "{{ rec.table.get('k') }}", _records())
    assert checked == ["_Subrecord.name", "_Tuple.count", "dict.get"]
    assert textrender._record_fields[_Record] == {"name", "names", "table"}


def test_the_direct_path_gives_what_the_sandbox_gives() -> None:
    sandbox = ImmutableSandboxedEnvironment()
    direct = TemplateSet([]).env
    seen: set[int] = set()
    read: set[type] = set()

    def walk(value: Any) -> None:
        if id(value) in seen:
            return
        seen.add(id(value))
        fields = textrender._record_fields.get(type(value), ())
        if fields:
            read.add(type(value))
        for name in fields:
            assert direct.getattr(value, name) is sandbox.getattr(value, name)
            walk(getattr(value, name))
        if isinstance(value, tuple | list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for form in [*sorted(EXAMPLES.glob("*.yaml")), DATA / "minimal.yaml"]:
        for value in _context_of(form).values():
            walk(value)
    assert {kind.__name__ for kind in read} >= {"Plan", "Form", "Item", "Task", "Citation",
                                               "AgencyRole", "Issuer", "Layout"}


def test_every_record_a_plan_template_reaches_is_allowed() -> None:
    unlisted: set[str] = set()
    seen: set[int] = set()

    def walk(value: Any) -> None:
        if id(value) in seen or isinstance(value, str | int | type(None)):
            return
        seen.add(id(value))
        if hasattr(type(value), "_fields"):
            if type(value) not in textrender._record_fields:
                unlisted.add(type(value).__name__)
            items = [getattr(value, name) for name in value._fields]
        elif isinstance(value, dict):
            items = list(value.values())
        else:
            items = list(value) if isinstance(value, tuple | list) else []
        for item in items:
            walk(item)

    for value in _context_of(EXAMPLES / "hai-phong-2019.yaml").values():
        walk(value)
    assert not unlisted, "add these to compose.allow_records"


def test_allow_records_takes_records_only() -> None:
    class Plain:
        name = "x"

    for kind in (Plain, dict, tuple):
        with pytest.raises(TypeError, match="is not a NamedTuple"):
            allow_records(kind)


def test_template_errors_point_at_the_template_line(tmp_path: Path) -> None:
    context = _context_of(EXAMPLES / "xa-2026.yaml")
    source = ("{% macro show(items) %}\n{% for item in items %}\n"
              "{{ item.paragraphs[0] }} {{ item.nothing }}\n{% endfor %}\n{% endmacro %}\n"
              "@para {{ plan.form.year }}\n{{ show(plan.objectives) }}\n")
    with pytest.raises(KhGenError) as caught:
        _render(tmp_path, source, context)
    assert str(caught.value).startswith(f"{tmp_path / 't.j2'}:3:1: error: template error: ")
    assert "has no attribute 'nothing'" in str(caught.value)
    with pytest.raises(KhGenError, match=r"t\.j2:2:1: error: template error: .*'nothing'"):
        _render(tmp_path, "@para\n{{ plan.form.issuer.nothing }}\n", context)
