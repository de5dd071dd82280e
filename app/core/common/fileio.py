"""Writing files so that a crash leaves either the old file or the new one, never half of one."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from app.core.common.messages import Message


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, encoding: str = "utf-8", durable: bool = True) -> Path:
    """Write `data` to `path` through a temporary file in the same folder, then rename it over.

    Readers see the old content or the new, whole. With durable=True the data is also flushed to
    disk before the rename (a power cut cannot leave an empty file); callers writing many files
    pass False and flush once at the end. Raises OSError (e.g. the folder is missing or
    read-only) and leaves no temporary file.
    """
    target = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    try:
        mode = os.stat(target).st_mode & 0o777  # keep the permissions of the file replaced
    except FileNotFoundError:
        mode = None
    fd, tmp_name = _create_temporary(target, 0o644 if mode is None else mode)
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(payload)
            tmp.flush()
            if durable:
                os.fsync(tmp.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)  # the umask may have narrowed them at creation
        os.replace(tmp_name, target)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    return target


def _create_temporary(target: Path, mode: int) -> tuple[int, str]:
    """A new file beside `target`, opened for writing: a dot name no one else uses.

    Not tempfile.mkstemp: it creates the file 0600 and a chmod must follow; opening with the
    final mode (less the umask, as for any new file) saves that call on every file of an export.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    folder = target.parent
    for _attempt in range(100):
        name = str(folder / f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(name, flags, mode), name
        except FileExistsError:
            continue
    raise FileExistsError(Message("files.no_temporary_name", "No free temporary name was found beside {path}.", path=target))
