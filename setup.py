"""The build hook: compile kh-gen's built-in data into the package (see kh_gen/compile.py).

Everything else is in setup.cfg. The compiled data only makes the first run faster, so a build
where it cannot be made (its requirements missing) still succeeds, with a note.
"""

import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithCompiledData(build_py):
    def run(self) -> None:
        super().run()
        editable = getattr(self, "editable_mode", False)
        package = HERE / "kh_gen" if editable else Path(self.build_lib) / "kh_gen"
        done = subprocess.run([sys.executable, "-m", "kh_gen.compile", str(package)],
                              cwd=HERE, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print("note: kh-gen's built-in data was not compiled; the first run will be "
                  f"slower:\n{done.stderr.strip()[-2000:]}", file=sys.stderr)


setup(cmdclass={"build_py": BuildWithCompiledData})
