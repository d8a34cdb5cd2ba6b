"""Writing a file for the clerk: never over a file kh-gen did not write, never half a file.

A clerk's own documents sit next to the forms (`kh-gen import plan.docx` writes `plan.yaml`,
and `kh-gen build plan.yaml` would write `plan.docx` back over the Word original), so every
command that writes goes through `check_output` and `write_atomically`, which keep one rule:
an existing file is replaced only when kh-gen wrote it and it has not been changed since, or
when the user says `--force` (`replacing_allowed`). kh-gen recognises its own output:

- a DOCX it wrote says so in `docProps/app.xml` (`<Application>kh-gen</Application>`), read
  from the zip with every size bounded; Word and LibreOffice put their own name there when
  they save the file again;
- any other file (a TXT plan, a form) by its SHA-256 in a list of what kh-gen wrote, kept in
  the cache folder (`written.txt`): plain hexadecimal lines, read bounded, anything else
  ignored. A file changed since has another digest, so it is kept. Without a cache folder,
  or once it is cleared, kh-gen no longer knows its earlier TXT and YAML files and asks for
  `--force` (it never guesses "mine").

A new file is written beside its target under a short temporary name, then renamed over it,
so a failed or interrupted write leaves the old file as it was.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path

from .cache import writable_cache
from .errors import KhGenError, Location, Problem
from .i18n import N_, _
from .userfile import file_kind

_forced: ContextVar[bool] = ContextVar("kh_gen_replace_any", default=False)

REGISTRY = "written.txt"
_DIGEST = re.compile(rb"[0-9a-f]{64}")
_REGISTRY_MAX = 2_000_000  # bytes: about 30 000 files; the older half is dropped beyond it
_HASH_MAX = 200_000_000  # a file larger than this is not one kh-gen wrote
_APP_MAX = 64_000  # docProps/app.xml is a few hundred bytes
_DOCX_MAX = 50_000_000  # a larger zip is not a plan kh-gen wrote (its directory is not read)
_OWN_APP = re.compile(rb"<Application>\s*kh-gen\s*</Application>")
DOCX_MARK = b"PK\x03\x04"


@contextlib.contextmanager
def replacing_allowed(force: bool) -> Iterator[None]:
    """Within this block, `--force`: existing files may be replaced whoever wrote them.

    A context rather than a parameter, so the commands that write through other modules
    (`rebase`, `import`) follow the user's choice without each passing it down.
    """
    token = _forced.set(force)
    try:
        yield
    finally:
        _forced.reset(token)


def forced() -> bool:
    return _forced.get()


def written_by_kh_gen(path: Path) -> bool:
    """Whether `path` is a regular file that kh-gen wrote and nobody changed since."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_size > _HASH_MAX:
        return False
    if info.st_size <= _DOCX_MAX and _own_docx(path):
        return True
    return _digest_of(path) in _registered()


def _own_docx(path: Path) -> bool:
    try:
        with open(path, "rb") as stream:
            if stream.read(4) != DOCX_MARK:
                return False
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("docProps/app.xml")
            if info.file_size > _APP_MAX:
                return False
            with archive.open(info) as member:
                return bool(_OWN_APP.search(member.read(_APP_MAX + 1)[:_APP_MAX]))
    except Exception:  # anything wrong with the zip: not a file kh-gen wrote
        return False


def _digest_of(path: Path) -> bytes | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest().encode()


def _registered() -> set[bytes]:
    folder = writable_cache()
    if folder is None:
        return set()
    try:
        with open(folder / REGISTRY, "rb") as stream:
            data = stream.read(_REGISTRY_MAX + 1)
    except OSError:
        return set()
    return {line for line in data.split(b"\n") if _DIGEST.fullmatch(line)}


def remember(data: bytes) -> None:
    """Add the digest of bytes just written to the list of kh-gen's files (best effort:
    lines are appended whole, so workers of a batch can add at once; a failure only means
    kh-gen will ask for --force before replacing that file)."""
    folder = writable_cache()
    if folder is None:
        return
    line = hashlib.sha256(data).hexdigest().encode() + b"\n"
    registry = folder / REGISTRY
    try:
        fd = os.open(registry, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
            size = os.fstat(fd).st_size
        finally:
            os.close(fd)
        if size > _REGISTRY_MAX:
            _halve(registry)
    except OSError:
        pass


def _halve(registry: Path) -> None:
    data = registry.read_bytes()[-_REGISTRY_MAX // 2:]
    data = data[data.find(b"\n") + 1:]
    handle, temp = tempfile.mkstemp(prefix=".written-", dir=registry.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, registry)
    except OSError:
        Path(temp).unlink(missing_ok=True)


def check_suffix(target: Path, allowed: Sequence[str], what: str) -> None:
    """Refuse an output name whose suffix is not one of `allowed` (".docx" …), so a plan is
    never written as `plan.pdf` or a form as `form.docx`."""
    if target.suffix.lower() not in allowed:
        names = _(" or ").join(allowed)
        if target.suffix:
            message = _("has '{suffix}'; {what} is written as {names}: give a name ending in "
                        "{names}")
        else:
            message = _("has no suffix; {what} is written as {names}: give a name ending in "
                        "{names}")
        raise KhGenError([Problem(Location(str(target)), message.format(
            suffix=target.suffix, what=file_kind(what), names=names))])


def check_output(source: Path, target: Path, *, keep_existing: bool = False,
                 hint: str = "-o", owner: bool = True) -> None:
    """Refuse an output that would overwrite its own input, is a folder, has no folder, or
    (with `owner`) is a file kh-gen did not write, unless forced: checked before the work, so
    a refusal comes at once. Without `owner`, `write_atomically` checks it, and lets pass a
    file that holds the very bytes to be written. `keep_existing` is accepted for the callers
    of the earlier rule; the rule above now applies to every output."""
    del keep_existing
    where = Location(str(target))
    try:
        exists = target.exists() or target.is_symlink()
        if exists and Path(source).exists() and target.resolve() == Path(source).resolve():
            raise KhGenError([Problem(where, _("the output would overwrite its own input; "
                                               "choose another name with {hint}").format(
                hint=_hint(hint)))])
        if target.is_dir():
            raise KhGenError([Problem(where, _("is a folder; give a file name with {hint}")
                                      .format(hint=_hint(hint)))])
        if not target.parent.is_dir():
            raise KhGenError([Problem(where, _("folder {folder} does not exist; create it or "
                                               "choose another output").format(
                folder=target.parent))])
    except OSError as exc:
        raise KhGenError([Problem(where, _("cannot be used as the output: {reason}").format(
            reason=_reason(exc)))]) from None
    if owner and exists and not forced() and not written_by_kh_gen(target):
        raise KhGenError([refusal(target, hint)])


def refusal(target: Path, hint: str = "-o") -> Problem:
    """The message for a file kh-gen keeps: which file, and the two ways forward."""
    return Problem(Location(str(target)),
                   _("exists and was not written by kh-gen (or was changed since), so it is "
                     "kept; write elsewhere with {hint}, or replace it with --force").format(
                       hint=_hint(hint)))


def write_atomically(target: Path, data: bytes, *, hint: str = "-o") -> None:
    """Write to a temporary file beside `target`, then rename it over `target`.

    The existing file is replaced only when kh-gen wrote it (see the module), when it holds
    these very bytes already, or under `replacing_allowed(True)`.
    """
    target = Path(target)
    where = Location(str(target))
    if not forced() and _occupied(target) and not _same_bytes(target, data) \
            and not written_by_kh_gen(target):
        raise KhGenError([refusal(target, hint)])
    try:
        handle, temp_name = tempfile.mkstemp(prefix=".kh-gen-", suffix=".tmp",
                                             dir=target.parent)
    except OSError as exc:
        raise KhGenError([Problem(where, _("cannot be written: {reason}").format(
            reason=_reason(exc)))]) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, target)
    except OSError as exc:
        Path(temp_name).unlink(missing_ok=True)
        raise KhGenError([Problem(where, _("cannot be written: {reason}").format(
            reason=_reason(exc)))]) from None
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    if not data.startswith(DOCX_MARK):
        remember(data)


def _occupied(target: Path) -> bool:
    try:
        return target.exists() or target.is_symlink()
    except OSError:
        return False


def _same_bytes(target: Path, data: bytes) -> bool:
    try:
        if os.stat(target).st_size != len(data):
            return False
        with open(target, "rb") as stream:
            return stream.read(len(data) + 1) == data
    except OSError:
        return False


def _reason(exc: OSError) -> str:
    """An OSError in words a clerk can act on."""
    if exc.errno == errno.ENAMETOOLONG:
        return _("the name is too long; choose a shorter one")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _("permission denied; choose a folder you can write to")
    if exc.errno == errno.ENOSPC:
        return _("the disk is full; free some space")
    if exc.errno == errno.ENOENT:
        return _("its folder does not exist; create it or choose another output")
    return exc.strerror or str(exc)


# The option a refusal points to: "-o" is the same in every language; the longer hints the
# callers give are marked here.
HINTS = (N_("-o (another folder)"),)


def _hint(hint: str) -> str:
    return _(hint) if hint in HINTS else hint
