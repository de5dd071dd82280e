"""The window's first page, prepared in a child process while Qt starts.

Starting Qt WebEngine takes a few tenths of a second, and so does preparing a post (the core's
modules, MeCab's dictionary, the readings). With two cores they need not wait for each other.
`start()` runs before Qt is loaded, when the process has a single thread and forking is safe: the
child renders the first page with the code the window uses (app.core.library.opening, and
app.core.posts.page.reader_page): the post from the library, or the file asked for (on the first run,
the bundled sample), and then imports it. It sends, each as soon as it has it:

    ("checked", ["why", ...])         the files asked for, read (or why they cannot be: then it stops)
    ("page", {...})                   the first page: a PreparedPage's fields, the post's id if it
                                      was in the library already (else None), ...
    ("store", None)                   the library exists and is up to date: the window may open it
    ("imported", {"post_id", ...})    the post is in the library (imported if it was not)
    ("rest", [(index, html), ...])    a long post's remaining readings
    ("suggestions", (post_id, [...]))   the post's suggested claims (claim_suggestions.raw_suggestions)
    ("fallback", "why")               nothing prepared: the window does the work the usual way

A "why" and a post's warnings that are core messages (app.core.common.messages) cross the pipe as
Message objects, with their ids: the parent shows them in the reader's language.

and exits, taking MeCab's dictionary and the memory of the rendering with it. The window then
reads the library itself. Whatever goes wrong in the child (an exception, a crash: the pipe
closes early), the window does the same work itself, so the child can only save time.

Nothing here imports Qt: it is imported before Qt. Without os.fork (Windows), or with
KAKIKOMI_NO_PRESTART set, there is no child and the window prepares its first page itself.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import sys
import threading
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

_HEADER = struct.Struct("!Q")
# Files given on the command line are imported by the child only when they are a few plain
# files: a folder (or many files) goes through the window's import, with its progress dialog.
MAX_FILES = 8


class Prestart:
    """The parent's end: the child's process id and the pipe its messages come through."""

    def __init__(self, pid: int, fd: int):
        self.pid, self.fd = pid, fd
        self.ended = False
        self._lock = threading.Lock()  # stop() must not signal a process id already collected

    def receive(self) -> tuple[str, object] | None:
        """The next message (blocking), or None once the child is gone."""
        if self.ended:
            return None
        header = self._read(_HEADER.size)
        body = self._read(_HEADER.unpack(header)[0]) if header is not None else None
        if body is None:
            self.close()
            return None
        try:
            return pickle.loads(body)
        except Exception:  # noqa: BLE001 - a garbled message ends the conversation, not the app
            self.close()
            return None

    def waiting(self) -> bool:
        """Whether a message (or the end) can be received without blocking."""
        if self.ended:
            return False
        try:
            return bool(select.select([self.fd], [], [], 0)[0])
        except (OSError, ValueError):
            return False

    def receive_until(self, *kinds: str) -> tuple[str, object] | None:
        """Skip to the first message of one of `kinds` or a fallback; None if the child ended."""
        while (message := self.receive()) is not None:
            if message[0] in kinds or message[0] == "fallback":
                return message
        return None

    def _read(self, size: int) -> bytes | None:
        chunks, left = [], size
        while left:
            try:
                chunk = os.read(self.fd, min(left, 1 << 20))
            except InterruptedError:
                continue
            except OSError:
                return None
            if not chunk:
                return None
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def stop(self) -> None:
        """End the child now (the window closes): a reader of receive() then gets None."""
        with self._lock:
            if not self.ended:
                try:
                    os.kill(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def close(self) -> None:
        """Stop listening and collect the child's exit (it exits by itself)."""
        with self._lock:
            if self.ended:
                return
            self.ended = True
            try:
                os.close(self.fd)
            except OSError:
                pass
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass


def start(files: Sequence[str], db: str | None, settings) -> Prestart | None:
    """Fork the child that prepares the first page; None when there is none (see the module)."""
    if not hasattr(os, "fork") or os.environ.get("KAKIKOMI_NO_PRESTART"):
        return None
    if "PySide6.QtCore" in sys.modules:
        return None  # Qt's threads may be running: forking is no longer safe
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child
        os.close(read_end)
        code = 0
        try:
            _prepare(write_end, list(files), db, settings)
        except BaseException as exc:  # noqa: BLE001 - the parent hears of it and does the work
            code = 1
            try:
                _send(write_end, "fallback", f"{type(exc).__name__}: {exc}")
            except BaseException:  # noqa: BLE001
                pass
        finally:
            os._exit(code)  # never the parent's atexit handlers or buffered output
    os.close(write_end)
    return Prestart(pid, read_end)


def _send(fd: int, kind: str, value) -> None:
    body = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
    data = memoryview(_HEADER.pack(len(body)) + body)
    while data:
        written = os.write(fd, data)
        data = data[written:]


def read_files(files: Sequence[str]) -> tuple[dict[str, object], list[str]]:
    """The posts read from `files` (by name), and why each one that cannot be read as a post
    cannot (`kakikomi FILE` stops on them)."""
    from app.core.common.messages import as_message
    from app.core.posts.post import PostError, load_post

    posts, problems = {}, []
    for name in files:
        if os.path.isdir(name):
            continue  # a folder is imported by the window, with progress, like File › Open Folder
        try:
            posts[name] = load_post(name)
        except PostError as exc:
            problems.append(as_message(exc))
    return posts, problems


def check_files(files: Sequence[str]) -> list[str]:
    """Why each file that cannot be read as a post cannot (see read_files)."""
    return read_files(files)[1]


def remembered_post(store, settings) -> int | None:
    """The id of the post that was open at the last close (settings.last_post), if it is still in
    the library: the window opens it again, where the reader left it."""
    if not settings.last_post:
        return None
    record = store.post_by_path(settings.last_post)
    return record.id if record is not None else None


def _prepare(fd: int, files: list[str], db: str | None, settings) -> None:
    # Each file is read once: the page, the import and the suggested claims all use what is read
    # here (and the page's render gives the import its plain text).
    posts, problems = read_files(files)
    _send(fd, "checked", problems)
    if problems:
        return
    if files and (len(files) > MAX_FILES or not all(os.path.isfile(f) for f in files)):
        _send(fd, "fallback", "a folder or many files: imported with progress")
        return
    from app.core.common.messages import as_message
    from app.core.common.paths import sample_post_path
    from app.core.library import opening  # the page's modules only: the library's and the claims' come after it
    from app.core.library.derived import open_library
    from app.core.posts.page import reader_page
    from app.core.reading.furigana_mode import FuriganaMode
    from app.core.store import StoreError, default_db_path

    # 1. The page, first: from the library if the post is there, else from its file (a new
    # library is made, and the file imported, only after the page is sent).
    path = Path(db) if db is not None else default_db_path()
    try:
        store = open_library(path, create=False) if path.exists() else None
    except StoreError as exc:
        _send(fd, "fallback", as_message(exc))  # the window opens it again and shows the message
        return
    wanted = files[0] if files else None
    post_id = None
    if store is not None:
        if wanted is not None:
            if (record := store.post_by_path(str(Path(wanted).expanduser().resolve()))) is not None:
                # Already in the library: open_post imports it again first if it changed (its
                # highlights are re-anchored), then shows it as the window shows it.
                post_id = record.id
        elif (remembered := remembered_post(store, settings)) is not None:
            post_id = remembered
        elif listed := store.posts():
            post_id = listed[0].id
    if wanted is None and post_id is None:
        if settings.first_run_done:
            _send(fd, "fallback", "nothing to open")
            return
        wanted = str(sample_post_path())
    mode = opening.reading_mode(store, settings.furigana) if store is not None else FuriganaMode.parse(settings.furigana)
    if post_id is not None:
        opened = opening.open_post(
            store, post_id, mode, remote_allowed=settings.allow_remote_images, post=posts.get(wanted) if wanted else None
        )
    else:
        opened = opening.open_file(wanted, mode, store=store, remote_allowed=settings.allow_remote_images, post=posts.get(wanted))
    page = reader_page(
        opened.post, opened.rendered, opened.annotations, theme=settings.theme, vertical=settings.vertical,
        offset=opened.offset, allow_remote_images=opened.allow_remote_images,
    )
    _send(fd, "page", {
        "post_id": post_id, "page": asdict(page), "allow_remote": opened.allow_remote_images,
        "title": opened.post.title, "warnings": list(opened.post.warnings),
    })
    # What is left is background work: the window, starting on the other core, comes first.
    try:
        os.nice(10)
    except OSError:
        pass
    # 2. The library, made or brought up to date: the window may open it now.
    if store is None:
        try:
            store = open_library(path)
        except StoreError as exc:
            _send(fd, "fallback", as_message(exc))
            return
    _send(fd, "store", None)
    # 3. The files imported (the shown one with the plain text of its render); the post's id.
    known = {Path(name).expanduser().resolve(): (post, None) for name, post in posts.items()}
    known[Path(wanted if post_id is None else opened.record.source_path).expanduser().resolve()] = (opened.post, opened.rendered.plain)
    if files or post_id is None:
        imported = _import(fd, store, files or [wanted], known)
        if imported is None:
            return
        post_id = post_id if post_id is not None else imported
    _send(fd, "imported", {"post_id": post_id, "paths": list(files)})
    # 4. A long post's other readings, and the suggested claims.
    if opened.window is not None:
        _send(fd, "rest", opening.rest_of_readings(opened.post, opened.options, opened.window))
    from app.core.claims import suggestions as claim_suggestions

    _send(fd, "suggestions", (post_id, claim_suggestions.raw_suggestions(store, post_id)))
    store.close()


def _import(fd: int, store, files: list[str], known) -> int | None:
    """Import `files` (those in `known` without reading them again); the first one's post id, or
    None (the window is told to do it itself)."""
    from app.core.library import actions as library

    report = library.import_paths(store, files, known=known)
    found = report.added + report.updated + report.unchanged
    if report.errors or report.cancelled or not found:
        _send(fd, "fallback", "some files could not be imported")  # the window's import says why
        return None
    return found[0]
