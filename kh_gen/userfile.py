"""Reading a file the user named: bounded, with one located message for each way it fails."""

from __future__ import annotations

from pathlib import Path

from .errors import KhGenError, Location, Problem


def read_at_most(path: Path, limit: int, what: str) -> bytes:
    """Up to `limit` + 1 bytes of `path` (one more than allowed, so the caller can tell that
    the file is too large without reading all of it); `what` names the file expected."""
    where = Location(str(path))
    try:
        with Path(path).open("rb") as stream:
            return stream.read(limit + 1)
    except FileNotFoundError:
        raise KhGenError([Problem(where, "file not found; check the path")]) from None
    except IsADirectoryError:
        raise KhGenError([Problem(where, f"is a folder, not {what}")]) from None
    except OSError as exc:
        raise KhGenError([Problem(where, f"cannot be read: {exc.strerror}")]) from None
