"""A child process for the crash-safety tests: writes to a library and says what it committed.

Run as `python crash_child.py COMMAND ...`. Each line on stdout is printed (and flushed) only after
the transaction it reports has committed, so the parent can SIGKILL this process at any moment and
then check that every reported write survived.

Commands:
  import DB FOLDER            import the folder's posts one file at a time, printing each path;
                              before the last file it waits forever, so a kill always lands mid-way
  annotate DB POST COUNT [GO] highlight COUNT spans of post POST one by one, printing each id; with
                              GO, print "ready" first and start when the file GO exists
  hold DB POST RELEASE        write highlights inside one open transaction, print "holding", wait
                              until the file RELEASE exists, commit, print "committed"
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from app.core.library import actions as library
from app.core.library import derived
from app.core.library.derived import open_library
from app.core.posts.anchoring import describe
from app.core.store import Annotation, new_annotation_id, now


def new_highlight(store, post, start: int, end: int, **fields) -> Annotation:
    """A new highlight of post.text[start:end] in one transaction, even over highlighted text:
    these tests count committed writes, so they must not meet the merging of overlapping
    highlights (actions.highlight)."""
    quote = describe(post.text, start, end).quote
    stamp = now()
    made = Annotation(
        id=new_annotation_id(), post_id=post.id, exact=quote.exact, prefix=quote.prefix, suffix=quote.suffix,
        start=start, end=end, created=stamp, updated=stamp, **fields,
    )
    return store.put_annotation(made, on_change=lambda a: derived.highlight_changed(store, a))


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def wait_for(path: Path) -> None:
    while not path.exists():
        time.sleep(0.01)


def import_folder(db: str, folder: str) -> None:
    files, _missing = library.collect_files([folder])
    with open_library(db) as store:
        for number, path in enumerate(files, 1):
            if number == len(files):
                wait_for(Path(folder) / "never-created")
            library.import_file(store, path)  # one transaction per file; returns after COMMIT
            say(str(path.resolve()))


def annotate(db: str, post_ref: str, count: str, go: str | None = None) -> None:
    with open_library(db) as store:
        post = store.post(post_ref)
        if go:
            say("ready")
            wait_for(Path(go))
        span = 12
        for n in range(int(count)):
            start = (n * 7) % (len(post.text) - span)
            made = new_highlight(store, post, start, start + span, tags=(f"batch-{n % 5}",), note=f"メモ{n}")
            say(made.id)


def hold(db: str, post_ref: str, release: str) -> None:
    with open_library(db) as store:
        post = store.post(post_ref)
        with store.transaction():
            for n in range(5):
                new_highlight(store, post, n, n + 4, note="未確定")
            say("holding")
            wait_for(Path(release))
        say("committed")


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"import": import_folder, "annotate": annotate, "hold": hold}[command](*arguments)
