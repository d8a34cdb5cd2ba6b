"""A non-editable install into a fresh environment finds its catalogue and templates, and
carries the built-in catalogue compiled, so its first run reads nothing from a user's cache,
and carries the translations compiled, so it speaks Vietnamese."""

from __future__ import annotations

import os
import subprocess
import sysconfig
import venv
from pathlib import Path

from .golden import ROOT


def _fresh_env(folder: Path) -> Path:
    """A new environment that sees the packages of the one running the tests (jinja2,
    setuptools, wheel …, all test dependencies), so no network is needed, whatever the base
    interpreter holds; kh-gen itself is not visible in it until installed."""
    venv.EnvBuilder(with_pip=False).create(folder)
    python = folder / "bin" / "python"
    own = subprocess.run([str(python), "-c", "import sysconfig; "
                          "print(sysconfig.get_paths()['purelib'])"],
                         check=True, capture_output=True, text=True).stdout.strip()
    Path(own, "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def test_installed_kh_gen_builds_from_any_directory(tmp_path: Path) -> None:
    env = tmp_path / "env"
    python = _fresh_env(env)
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--no-index", str(ROOT)], capture_output=True, text=True, cwd=tmp_path,
        env={**os.environ, "PIP_NO_INPUT": "1"})
    assert installed.returncode == 0, installed.stderr
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = subprocess.run([str(python), "-c", "import kh_gen; print(kh_gen.__file__)"],
                           check=True, capture_output=True, text=True, cwd=work).stdout
    assert str(env) in where, "the installed copy, not the source tree, is used"
    compiled = Path(where.strip()).parent / "_compiled"
    assert (compiled / "catalog.json").is_file() and (compiled / "templates.json").is_file()
    messages = Path(where.strip()).parent / "locale" / "vi" / "LC_MESSAGES"
    assert sorted(p.name for p in messages.iterdir()) == ["click.mo", "kh_gen.mo"], \
        "the translations come compiled, and only compiled"
    cache = tmp_path / "cache"
    run_env = {**os.environ, "KH_GEN_CACHE_DIR": str(cache)}
    out = work / "plan.docx"
    result = subprocess.run([str(env / "bin" / "kh-gen"), "build",
                             str(ROOT / "examples" / "xa-2026.yaml"), "-o", str(out)],
                            capture_output=True, text=True, cwd=work, env=run_env)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 5000
    assert not list(cache.glob("catalog-*.json")), "the compiled catalogue was used"
    listed = subprocess.run([str(env / "bin" / "kh-gen"), "catalog", "list", "agency"],
                            capture_output=True, text=True, cwd=work, env=run_env)
    assert "agency.xa.phong-van-hoa-xa-hoi" in listed.stdout
    clerk_env = {k: v for k, v in run_env.items() if k != "KH_GEN_LANG"} | {"LANG": "C.UTF-8"}
    helped = subprocess.run([str(env / "bin" / "kh-gen"), "build", "--help"],
                            capture_output=True, text=True, cwd=work, env=clerk_env)
    assert helped.returncode == 0 and "Cách dùng: kh-gen build" in helped.stdout
    assert "Viết kế hoạch theo biểu mẫu FORM" in helped.stdout
