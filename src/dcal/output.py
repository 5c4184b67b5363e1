"""Writing results: to stdout, or atomically to a file that is never half-written."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from dcal.errors import OutputError


@contextlib.contextmanager
def open_output(target: str | None, *, force: bool = False, newline: str = "") -> Iterator[TextIO]:
    """Yield a text stream for the result: standard output, or the file ``target``.

    A file is written to a temporary file beside it, which takes the target's name only once
    complete: an error, Ctrl-C or SIGTERM leaves nothing behind. An existing target is kept
    unless ``force``, and even then only a regular file (or a symlink, which is replaced,
    never followed) is replaced: devices, FIFOs and directories never are.
    """
    if target is None:
        yield sys.stdout
        return
    path, mode = _prepare(target, force)
    import tempfile

    directory = path.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        os.fchmod(handle, mode)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write there ({exc.strerror or exc})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline=newline) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        if force:
            os.replace(temporary, path)
        else:
            # link() refuses to replace a file that appeared meanwhile; replace() would not.
            os.link(temporary, path)
            os.unlink(temporary)
    except OSError as exc:
        _remove(temporary)
        if isinstance(exc, FileExistsError):
            raise OutputError(f"{target}: already exists; pass --force to overwrite it") from None
        raise OutputError(f"{target}: could not be written ({exc.strerror or exc})") from None
    except BaseException:
        _remove(temporary)
        raise


def check_target(target: str, force: bool) -> None:
    """Raise OutputError now if ``target`` could not be written by ``open_output`` later."""
    _prepare(target, force)


def _prepare(target: str, force: bool) -> tuple[Path, int]:
    """The path to write and its permission bits; raises if it must not be written."""
    path = Path(target)
    if target.endswith(("/", os.sep)) or path.is_dir():
        raise OutputError(f"{target}: is a directory; give the name of a file to write")
    mode = _check_replaceable(path, target, force)
    if not path.parent.is_dir():
        raise OutputError(f"{target}: no such directory {str(path.parent)!r}")
    return path, mode


def _check_replaceable(path: Path, target: str, force: bool) -> int:
    """The permission bits for the new file; raises if ``path`` must not be replaced."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
    except OSError as exc:
        raise OutputError(f"{target}: cannot be checked ({exc.strerror or exc})") from None
    if not force:
        raise OutputError(f"{target}: already exists; pass --force to overwrite it")
    if stat.S_ISLNK(status.st_mode):
        try:
            pointed = os.stat(path)
        except OSError:
            return 0o644  # a dangling link: replaced by a new file
        if not stat.S_ISREG(pointed.st_mode):
            raise OutputError(
                f"{target}: links to something that is not a regular file; not replaced"
            )
        return stat.S_IMODE(pointed.st_mode)
    if not stat.S_ISREG(status.st_mode):
        raise OutputError(
            f"{target}: is not a regular file (a device, FIFO or socket); not replaced"
        )
    return stat.S_IMODE(status.st_mode)


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
