"""A non-editable install into a fresh environment finds its catalogue and templates."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

from .golden import ROOT


def test_installed_kh_gen_builds_from_any_directory(tmp_path: Path) -> None:
    env = tmp_path / "env"
    # system site packages provide the dependencies, so no network is needed
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env)
    python = env / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
                    "--no-deps", "--no-build-isolation", str(ROOT)],
                   check=True, capture_output=True, cwd=tmp_path)
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = subprocess.run([str(python), "-c", "import kh_gen; print(kh_gen.__file__)"],
                           check=True, capture_output=True, text=True, cwd=work).stdout
    assert str(env) in where, "the installed copy, not the source tree, is used"
    out = work / "plan.docx"
    result = subprocess.run([str(env / "bin" / "kh-gen"), "build",
                             str(ROOT / "examples" / "xa-2026.yaml"), "-o", str(out)],
                            capture_output=True, text=True, cwd=work)
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 5000
    listed = subprocess.run([str(env / "bin" / "kh-gen"), "catalog", "list", "agency"],
                            capture_output=True, text=True, cwd=work)
    assert "agency.xa.phong-van-hoa-xa-hoi" in listed.stdout
