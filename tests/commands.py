"""Running `kh-gen` as a user would, for the tests: through click's CliRunner, as a fresh
process would (nothing kept in memory from an earlier run), and never with a traceback."""

from __future__ import annotations

from click.testing import CliRunner, Result

from kh_gen import build
from kh_gen.cli import main


def run(*args: object) -> Result:
    """The command's result; it must have ended with an exit code, not an exception."""
    build._catalog_cache.clear()
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return result


def fails(*args: object) -> str:
    """The messages of a command that must fail with exit code 1."""
    result = run(*args)
    assert result.exit_code == 1, result.output
    return result.output
