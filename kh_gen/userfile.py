"""Reading a file the user named: bounded, with one located message for each way it fails."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import KhGenError, Location, Problem
from .i18n import N_, _, ngettext

# What the callers name the file they expect ("is a folder, not {what}"), marked here so that
# the noun is translated where the message is made.
WHATS = (N_("a form"), N_("a plan"), N_("a list of localities"), N_("a YAML file"))


def file_kind(what: str) -> str:
    return _(what) if what else what


def require_regular_file(path: Path, what: str) -> None:
    """Refuse what is not a regular file (a FIFO, a device, a socket) before reading it: a
    FIFO blocks until someone writes to it and can be read only once, a device such as
    /dev/zero never ends. `what` names the file expected."""
    where = Location(str(path))
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise KhGenError([Problem(where, _("file not found; check the path"))]) from None
    except (OSError, ValueError) as exc:
        raise KhGenError([Problem(where, _("cannot be read: {reason}").format(
            reason=getattr(exc, 'strerror', None) or exc))]) from None
    if stat.S_ISDIR(mode):
        raise KhGenError([Problem(where, _("is a folder, not {what}").format(
            what=file_kind(what)))])
    if not stat.S_ISREG(mode):
        raise KhGenError([Problem(where, _("is not a regular file (a pipe or a device); give "
                                           "{what} saved as a file").format(what=file_kind(what)))])


def read_at_most(path: Path, limit: int, what: str) -> bytes:
    """Up to `limit` + 1 bytes of `path` (one more than allowed, so the caller can tell that
    the file is too large without reading all of it); `what` names the file expected. A
    device or pipe is read like a file, within the same limit (`size_text` words its size)."""
    where = Location(str(path))
    try:
        with Path(path).open("rb") as stream:
            return stream.read(limit + 1)
    except FileNotFoundError:
        raise KhGenError([Problem(where, _("file not found; check the path"))]) from None
    except IsADirectoryError:
        raise KhGenError([Problem(where, _("is a folder, not {what}").format(
            what=file_kind(what)))]) from None
    except OSError as exc:
        raise KhGenError([Problem(where, _("cannot be read: {reason}").format(
            reason=exc.strerror))]) from None
    except ValueError:  # a NUL in the name
        raise KhGenError([Problem(where, _("is not a valid file name"))]) from None


def size_text(path: Path, read: int) -> str:
    """How large a file is, for a message: its size on disk, or, for a pipe or a device (whose
    size on disk is 0, such as /dev/zero), "more than N bytes" from what was read."""
    try:
        info = os.stat(path)
        if stat.S_ISREG(info.st_mode) and info.st_size >= read:
            return ngettext("{count} byte", "{count} bytes", info.st_size).format(
                count=info.st_size)
    except (OSError, ValueError):
        pass
    return ngettext("more than {count} byte", "more than {count} bytes", read - 1).format(
        count=read - 1)
