"""What a `kh-gen` process imports: start-up is most of a single build's time, so commands load
only what they use (python-docx is for tests and the benchmark, never for kh-gen itself)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest

from .conftest import DATA

_PROBE = """
import json, sys
from kh_gen.cli import main
try:
    main(sys.argv[1:], prog_name="kh-gen", standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def _imported(*args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True,
                            text=True, check=True)
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_help_imports_no_yaml_jinja_or_docx() -> None:
    imported = _imported("--help")
    assert "click" in imported
    assert not imported & {"docx", "lxml", "yaml", "jinja2", "babel"}


@pytest.mark.parametrize("command", ["check", "build"])
def test_check_and_build_do_not_import_python_docx(command: str, tmp_path) -> None:
    args = [command, str(DATA / "minimal.yaml")]
    if command == "build":
        args += ["-o", str(tmp_path / "plan.docx")]
    imported = _imported(*args)
    assert {"yaml", "jinja2"} <= imported, "the probe ran the command"
    assert not imported & {"docx", "lxml"}
    if command == "build":
        assert (tmp_path / "plan.docx").stat().st_size > 5000


def _own_catalogue(folder, text: str):  # type: ignore[no-untyped-def]
    folder.mkdir(exist_ok=True)
    (folder / "mine.yaml").write_text(
        f"- id: objective.own-test\n  source: test\n  text: '{text}'\n", encoding="utf-8")
    return folder


def test_the_checked_catalogue_is_kept_between_runs(tmp_path, monkeypatch) -> None:
    from kh_gen import catalog_store

    cache = tmp_path / "cache"
    monkeypatch.setenv("KH_GEN_CACHE_DIR", str(cache))
    own = _own_catalogue(tmp_path / "own", "Mục đích AAAA")
    first = catalog_store.stored_catalog((own,))
    assert len(list(cache.glob("catalog-*.json"))) == 1

    def no_loading(*args: object) -> None:
        raise AssertionError("the kept copy should have been used")

    with monkeypatch.context() as m:
        m.setattr(catalog_store, "load_catalog", no_loading)
        assert catalog_store.stored_catalog((own,)).entries == first.entries
    _own_catalogue(own, "Mục đích BBBB")  # same size, other bytes
    assert catalog_store.stored_catalog((own,)).get("objective.own-test").text == "Mục đích BBBB"
    for copy in cache.glob("catalog-*.json"):
        copy.write_bytes(b"not json")
    assert catalog_store.stored_catalog((own,)).get("objective.own-test").text == "Mục đích BBBB"


def test_a_catalogue_with_errors_is_not_kept(tmp_path, monkeypatch) -> None:
    from kh_gen import catalog_store
    from kh_gen.errors import KhGenError

    cache = tmp_path / "cache"
    monkeypatch.setenv("KH_GEN_CACHE_DIR", str(cache))
    own = _own_catalogue(tmp_path / "own", "{{ unclosed")
    for _ in range(2):
        with pytest.raises(KhGenError, match=r"mine\.yaml:3:"):
            catalog_store.stored_catalog((own,))
    assert not list(cache.glob("catalog-*.json"))


def test_no_cache_folder_when_switched_off(tmp_path, monkeypatch) -> None:
    from kh_gen import cache, catalog_store

    monkeypatch.setenv("KH_GEN_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_folder() is None
    catalog_store.stored_catalog((_own_catalogue(tmp_path / "own", "x"),))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["own"]


def test_compiled_templates_are_never_kept_on_disk(tmp_path, monkeypatch) -> None:
    from kh_gen.build import TemplateSet
    from kh_gen.compose import template_folders

    monkeypatch.setenv("KH_GEN_CACHE_DIR", str(tmp_path))
    templates = TemplateSet(template_folders())
    templates.env.get_template("ke-hoach/plan.j2")
    assert templates.env.bytecode_cache is None
    assert not list(tmp_path.iterdir())


def _program(*args: str, cwd) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    """`kh-gen` as installed: `python -m kh_gen.cli` runs the same `run` entry point."""
    return subprocess.run([sys.executable, "-m", "kh_gen.cli", *args], capture_output=True,
                          text=True, cwd=cwd)


def test_the_program_delivers_all_its_output_and_exit_codes(tmp_path) -> None:
    from click.testing import CliRunner

    from kh_gen.cli import main

    # more than the pipe's buffer: it all arrives, though the program skips the teardown
    listed = _program("catalog", "list", cwd=tmp_path)
    expected = CliRunner().invoke(main, ["catalog", "list"]).stdout
    assert len(expected) > 16_384
    assert (listed.returncode, listed.stdout) == (0, expected)

    built = _program("build", str(DATA / "minimal.yaml"), "-o", "plan.docx", cwd=tmp_path)
    assert (built.returncode, built.stdout) == (0, "wrote plan.docx\n")
    assert zipfile.is_zipfile(tmp_path / "plan.docx")

    missing = _program("check", "nowhere.yaml", cwd=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr.startswith("nowhere.yaml: error: ")
    assert _program("no-such-command", cwd=tmp_path).returncode == 2
