"""Nothing run from the cache, and no cache fault stops a command.

The cache folder may be shared or loosely permitted, damaged, full or read-only: kh-gen reads
only plain data from it, checks what it reads, and works without it."""

from __future__ import annotations

import errno
import json
import os
import pickle
import re
import shutil
from pathlib import Path

import pytest

from kh_gen import cache as kh_cache

from .commands import run
from .conftest import DATA, ROOT

SOURCES = ("cache.py", "catalog_store.py", "build.py", "textrender.py", "sandbox.py",
           "outputs.py", "compile.py")




def own_catalogue(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "mine.yaml").write_text("- id: objective.own-test\n  source: test\n"
                                      "  text: Mục đích {{ year }}\n", encoding="utf-8")
    return folder


def every_command(tmp_path: Path, catalog: Path) -> None:
    """build, check and import all succeed."""
    form = tmp_path / "plan.yaml"
    shutil.copy(DATA / "minimal.yaml", form)
    assert run("build", form, "--catalog", catalog, "--force").exit_code == 0
    assert run("check", form, "--catalog", catalog).exit_code == 0
    result = run("import", DATA / "import" / "xa-2026.txt", "-o", tmp_path / "imp.yaml",
                 "--catalog", catalog, "--force")
    assert result.exit_code in (0, 1) and (tmp_path / "imp.yaml").exists()


def test_no_code_reads_the_cache_with_pickle_or_marshal() -> None:
    for name in SOURCES:
        text = (ROOT / "kh_gen" / name).read_text(encoding="utf-8")
        assert "import pickle" not in text and "import marshal" not in text, name
        assert "BytecodeCache" not in text, name


def test_planted_files_in_the_cache_are_never_run(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setenv("KH_GEN_CACHE_DIR", str(folder))
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (os.system, (f"touch {marker}",))

    planted = pickle.dumps(Payload())
    for name in ("catalog-" + "0" * 40 + ".pickle", "template-" + "0" * 40 + ".jinja",
                 "catalog-" + "0" * 40 + ".json"):
        (folder / name).write_bytes(planted)
    catalog = own_catalogue(tmp_path / "own")
    every_command(tmp_path, catalog)
    for copy in folder.glob("catalog-*.json"):  # a planted copy under the right name too
        copy.write_bytes(planted)
    every_command(tmp_path, catalog)
    assert not marker.exists()


def test_a_truncated_copy_is_ignored_and_made_again(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KH_GEN_CACHE_DIR", str(folder))
    catalog = own_catalogue(tmp_path / "own")
    every_command(tmp_path, catalog)
    copies = list(folder.glob("catalog-*.json"))
    assert len(copies) == 1
    whole = copies[0].read_bytes()
    for cut in (0, 1, 30, len(whole) // 2, len(whole) - 1):
        copies[0].write_bytes(whole[:cut])
        every_command(tmp_path, catalog)
        assert copies[0].read_bytes() == whole  # made again


@pytest.mark.parametrize("value", [
    ["R", "Agency", "too few fields"],
    ["R", "Popen", "ls"],
    ["X", 1],
    {"not": "a list"},
    ["M", ["objective.own-test", ["R", "TextEntry", "x"]]],
])
def test_a_copy_that_is_not_what_kh_gen_writes_is_ignored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: object) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KH_GEN_CACHE_DIR", str(folder))
    catalog = own_catalogue(tmp_path / "own")
    every_command(tmp_path, catalog)
    copy = next(folder.glob("catalog-*.json"))
    kept = json.loads(copy.read_bytes())
    copy.write_text(json.dumps({**kept, "value": value}), encoding="utf-8")
    every_command(tmp_path, catalog)
    listed = run("catalog", "show", "objective.own-test", "--catalog", catalog)
    assert "Mục đích" in listed.output


def test_a_copy_with_a_field_of_another_type_is_ignored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A planted copy in the right shape, with the right key, but a list where a text
    belongs: refused on reading, so kh-gen neither crashes nor uses it."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("KH_GEN_CACHE_DIR", str(folder))
    catalog = own_catalogue(tmp_path / "own")
    every_command(tmp_path, catalog)
    copy = next(folder.glob("catalog-*.json"))
    kept = json.loads(copy.read_bytes())
    for pair in kept["value"][1:]:
        if pair[0] == "objective.own-test":
            record = pair[1]
            record[record.index("Mục đích {{ year }}")] = ["T", "x"]
    copy.write_text(json.dumps(kept), encoding="utf-8")
    every_command(tmp_path, catalog)
    listed = run("catalog", "show", "objective.own-test", "--catalog", catalog)
    # the entry's own text, read from the files (shown filled for an example year)
    assert re.search(r"text: +Mục đích \d{4}", listed.output), listed.output


def test_a_cache_folder_that_is_a_file_is_ignored(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("KH_GEN_CACHE_DIR", str(blocker / "kh-gen"))
    every_command(tmp_path, own_catalogue(tmp_path / "own"))


def test_a_full_disk_under_the_cache_is_ignored(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KH_GEN_CACHE_DIR", str(folder))
    real_replace = os.replace

    def full(source: str, target: str) -> None:
        if str(target).startswith(str(folder)):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(source, target)

    real_write = os.write

    def full_write(fd: int, data: bytes) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(folder)):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "replace", full)
    monkeypatch.setattr(os, "write", full_write)
    every_command(tmp_path, own_catalogue(tmp_path / "own"))
    assert not list(folder.glob("catalog-*.json"))
    assert not [p for p in folder.iterdir() if p.name.startswith(".kh-gen-")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_folder_is_ignored(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(0o500)
    monkeypatch.setenv("KH_GEN_CACHE_DIR", str(folder))
    try:
        every_command(tmp_path, own_catalogue(tmp_path / "own"))
    finally:
        folder.chmod(0o700)


def test_an_unreadable_copy_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KH_GEN_CACHE_DIR", str(folder))
    catalog = own_catalogue(tmp_path / "own")
    every_command(tmp_path, catalog)
    copy = next(folder.glob("catalog-*.json"))
    copy.unlink()
    copy.mkdir()  # a folder where the copy should be: reading it fails
    every_command(tmp_path, catalog)


def test_a_damaged_list_of_written_files_is_ignored(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KH_GEN_CACHE_DIR", str(folder))
    form = tmp_path / "plan.yaml"
    shutil.copy(DATA / "minimal.yaml", form)
    assert run("build", form, "--format", "txt").exit_code == 0
    registry = folder / "written.txt"
    registry.write_bytes(b"\x00\xff garbage\n" * 10 + registry.read_bytes()[:20])
    form.write_text(form.read_text(encoding="utf-8").replace("2026", "2027"), "utf-8")
    result = run("build", form, "--format", "txt")
    assert result.exit_code == 1 and "--force" in result.output  # no longer known: kept
    assert run("build", form, "--format", "txt", "--force").exit_code == 0


def test_the_compiled_catalogue_is_data_checked_against_its_sources(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A compiled copy whose key does not match the sources is not used."""
    from kh_gen import catalog_store

    compiled = tmp_path / "_compiled"
    monkeypatch.setattr(kh_cache, "COMPILED", compiled)
    monkeypatch.setenv("KH_GEN_CACHE_DIR", "")
    from kh_gen.compile import compile_builtin

    written = [p for p in compile_builtin(tmp_path) if p.name == "catalog.json"]
    assert written
    first = catalog_store.stored_catalog(())

    def no_loading(*args: object) -> None:
        raise AssertionError("the compiled copy should have been used")

    with monkeypatch.context() as m:
        m.setattr(catalog_store, "load_catalog", no_loading)
        assert catalog_store.stored_catalog(()).entries == first.entries
    data = json.loads(written[0].read_bytes())
    written[0].write_text(json.dumps({**data, "key": "0" * 40}), encoding="utf-8")
    assert catalog_store.stored_catalog(()).entries == first.entries  # loaded from YAML


def test_built_in_templates_come_compiled_with_the_package(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The built-in template is taken from its compiled module, never from the user's cache;
    a template of the user's own, or a source changed since, is compiled from source."""
    from kh_gen import compiled_templates
    from kh_gen.compile import compile_builtin
    from kh_gen.resources import builtin_folder
    from kh_gen.textrender import TemplateSet

    compile_builtin(tmp_path / "pkg")
    monkeypatch.setattr(compiled_templates, "COMPILED", tmp_path / "pkg" / "_compiled")
    compiled_templates._listed.cache_clear()
    name = "ke-hoach/plan.j2"

    def origin(folders: list[Path]) -> str:
        template = TemplateSet(folders).env.get_template(name)
        return template.root_render_func.__code__.co_filename

    builtin = builtin_folder("templates")
    assert "_compiled" in origin([builtin])
    own = tmp_path / "own"
    shutil.copytree(builtin, own)
    assert origin([own, builtin]) == str(own / name)
    manifest = tmp_path / "pkg" / "_compiled" / "templates.json"
    data = json.loads(manifest.read_bytes())
    data["value"][name][0] = "0" * 64  # compiled from another source
    manifest.write_text(json.dumps(data), encoding="utf-8")
    compiled_templates._listed.cache_clear()
    assert origin([builtin]) == str(builtin / name)
    manifest.write_bytes(b"\x00damaged")
    compiled_templates._listed.cache_clear()
    assert origin([builtin]) == str(builtin / name)
    compiled_templates._listed.cache_clear()
