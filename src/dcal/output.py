"""Writing results: to stdout, or atomically to a file that is never half-written."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from dcal.errors import OutputError


@contextlib.contextmanager
def open_output(path: Path | None, *, force: bool = False, newline: str = "") -> Iterator[TextIO]:
    """Yield a text stream for the result.

    With a path, the result goes to a temporary file beside it, which replaces the target
    only once complete: an error or interruption leaves nothing behind. An existing target
    (even a symlink) is kept unless ``force``; with ``force`` a symlink is replaced, never
    followed.
    """
    if path is None:
        yield sys.stdout
        return
    if not force and os.path.lexists(path):
        raise OutputError(f"{path}: already exists; pass --force to overwrite it")
    import tempfile

    directory = path.parent
    if not directory.is_dir():
        raise OutputError(f"{path}: no such directory {str(directory)!r}")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write there ({exc.strerror or exc})") from None
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
            raise OutputError(f"{path}: already exists; pass --force to overwrite it") from None
        raise OutputError(f"{path}: could not be written ({exc.strerror or exc})") from None
    except BaseException:
        _remove(temporary)
        raise


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
