"""Catalogue texts and plan templates run in bounded time, size and depth, and every failure
is one located message (`catalog/x.yaml:LINE:COL: …`), through the real commands."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from kh_gen.resources import builtin_folder

from .commands import run
from .conftest import DATA

HOSTILE = {
    "nested loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                    "{% endfor %}",
    "nested loops within range": "{% for i in range(19000) %}{% for j in range(19000) %}"
                                 "{% endfor %}{% endfor %}",
    "huge repetition": "{{ 'a' * 10**9 }}",
    "repetition of a list": "{% set s = 'a' * 100000 %}{{ ([s] * 100000)|join }}",
    "list as text": "{% set s = 'a' * 100000 %}{{ [s] * 100000 }}",
    "division by zero": "{{ 1 // 0 }}",
    "modulo by zero": "{{ 1 % 0 }}",
    "huge range": "{{ range(10**9)|list }}",
    "huge power": "{{ 10 ** 100000 }}",
    "include": "{% include 'x' %}",
    "import": "{% import 'x' as y %}",
    "extends": "{% extends 'x' %}",
    "recursive macro": "{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}",
    "doubling macro": "{% macro m(n) %}{% if n %}{{ m(n-1) }}{{ m(n-1) }}{% endif %}x"
                      "{% endmacro %}{{ m(40) }}",
    "doubling join": "{% macro m(s, n) %}{% if n %}{{ m(s ~ s, n - 1) }}{% endif %}"
                     "{% endmacro %}{{ m('ab', 60) }}",
    "deep nesting": "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}",
    "deep statements": "{% if 1 %}" * 500 + "x" + "{% endif %}" * 500,
    "format width": "{{ '{:>999999999}'.format(1) }}",
    "percent width": "{{ '%999999999s' % 1 }}",
    "center": "{{ 'a'|center(10**9) }}",
    "indent": "{% set s = 'a\\n' * 90000 %}{{ s|indent(100000) }}",
    "lipsum": "{{ lipsum(100000) }}",
}




def hostile_catalogue(folder: Path, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    quoted = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    (folder / "x.yaml").write_text(f'- id: objective.hostile\n  source: test\n'
                                   f'  text: "{quoted}"\n', encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KH_GEN_CACHE_DIR", str(tmp_path / "cache"))


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_catalogue_text_is_a_located_message(tmp_path: Path, name: str) -> None:
    catalog = hostile_catalogue(tmp_path / "own", HOSTILE[name])
    form = tmp_path / "plan.yaml"
    text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
    form.write_text(text.replace("objectives:\n", "objectives:\n  - ref: objective.hostile\n"),
                    encoding="utf-8")
    started = time.perf_counter()
    result = run("build", form, "--catalog", catalog, "--format", "txt")
    assert time.perf_counter() - started < 15
    assert result.exit_code == 1, result.output
    assert f"{catalog / 'x.yaml'}:" in result.output
    assert result.output.count("\n") == 1  # one message
    assert not (tmp_path / "plan.txt").exists()


@pytest.mark.parametrize("name", ["nested loops", "nested loops within range",
                                  "doubling macro", "huge repetition"])
def test_import_is_bounded_by_catalogue_texts_no_plan_uses(tmp_path: Path, name: str) -> None:
    catalog = hostile_catalogue(tmp_path / "own", HOSTILE[name])
    started = time.perf_counter()
    result = run("import", DATA / "import" / "xa-2026.txt", "-o", tmp_path / "f.yaml",
                 "--catalog", catalog)
    assert time.perf_counter() - started < 30
    assert result.exit_code in (0, 1)


@pytest.mark.parametrize("name", ["nested loops within range", "huge repetition",
                                  "division by zero", "doubling macro", "deep nesting",
                                  "recursive macro"])
def test_a_hostile_plan_template_is_a_located_message(tmp_path: Path, name: str) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(builtin_folder("templates"), templates)
    plan = templates / "ke-hoach" / "plan.j2"
    plan.write_text(HOSTILE[name] + "\n" + plan.read_text(encoding="utf-8"), encoding="utf-8")
    form = tmp_path / "plan.yaml"
    shutil.copy(DATA / "minimal.yaml", form)
    started = time.perf_counter()
    result = run("build", form, "--templates", templates, "--format", "txt")
    assert time.perf_counter() - started < 30
    assert result.exit_code == 1, result.output
    assert f"{plan}" in result.output and "error" in result.output
