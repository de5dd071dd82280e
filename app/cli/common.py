"""What every command shares: exit codes, the one-sentence user error, the argument parser that
says a usage mistake in one line, UTF-8 JSON output, one sentence for a write the disk refused,
and the one terminal-safe writer every line goes through (`emit`, `say`, `warn`, and `safe_streams`
for anything else printed while a command runs): control characters in a title, a note or a
file name are shown escaped (ESC as \\x1b), never sent to the terminal.

A sentence of the core (app.core.common.messages: an error's Message, a post's warning) goes to
stderr in the reader's language (`reader_language`: the settings' language, else the locale);
JSON on stdout stays English, for scripts."""

from __future__ import annotations

import argparse
import errno
import json
import os
import re
import shutil
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import BinaryIO, TextIO

from app.core.common.messages import as_message, core_language, translate
from app.core.common.text import escape_controls, has_surrogates, shown_path
from app.core.posts.post import Post, PostError, load_post
from app.core.reading.furigana_mode import FuriganaMode

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USER_ERROR = 2


class UserError(Exception):
    """A mistake the user can fix; its message is one sentence for stderr."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr and exit 2 (no usage dump)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserError(f"{message} (see '{self.prog} --help').")


def furigana_mode(text: str) -> FuriganaMode:
    try:
        return FuriganaMode.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


# Arguments that name a file (or a post by its file): kept as the OS gave them, undecodable bytes
# and all. Every other text argument must be text (UTF-8).
PATH_ARGUMENTS = frozenset({"file", "paths", "db", "output", "entities", "post"})
_POSITIONAL_NAMES = {"query": "QUERY", "text": "TEXT", "id": "ID", "status": "STATUS", "command": "COMMAND"}


def check_text_arguments(args: argparse.Namespace) -> None:
    """Refuse, in one sentence, a text argument (a query, a quote, a note, a tag...) that is not
    valid UTF-8: the shell passed bytes that are not text, which nothing could match or keep."""
    for dest, value in sorted(vars(args).items()):
        if dest in PATH_ARGUMENTS:
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, str) and has_surrogates(item):
                name = _POSITIONAL_NAMES.get(dest) or "--" + dest.replace("_", "-")
                raise UserError(f"{name} is not valid UTF-8 text ({escape_controls(item, keep_lines=False)}); give it as UTF-8.")


def refuse_overwriting(output: str | os.PathLike[str], *inputs: str | os.PathLike[str] | None) -> None:
    """Refuse, in one sentence, to write `output` over one of `inputs` (the post being read, the
    library): the same file however it is spelt (relative, through a link, a hard link)."""
    out = Path(output).expanduser()
    for given in inputs:
        if given is None:
            continue
        source = Path(given).expanduser()
        try:
            same = os.path.samefile(out, source) if out.exists() and source.exists() else out.resolve() == source.resolve()
        except (OSError, RuntimeError):
            same = False
        if same:
            raise UserError(
                f"{shown_path(out)} is {_what(source, inputs)}; writing there would overwrite it, so choose another file."
            )


def _what(source: Path, inputs: tuple) -> str:
    return "the post being read" if inputs and source == Path(inputs[0]).expanduser() else "the library file"


def load(path: str) -> Post:
    try:
        return load_post(path)
    except PostError as exc:
        raise UserError(as_message(exc)) from None


def noun(count: int, singular: str, plural: str | None = None) -> str:
    """The noun for `count` things: noun(1, "highlight") is "highlight", noun(2, ...) "highlights"."""
    return singular if count == 1 else plural or singular + "s"


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """`count` and its noun: "1 highlight", "2 highlights", "1,200 posts"."""
    return f"{count:,} {noun(count, singular, plural)}"


def terminal_safe(text: str) -> str:
    """`text` as it may reach a terminal: every control character (but newline and tab) shown
    escaped, undecodable bytes of a file name as \\xNN; always valid UTF-8."""
    return escape_controls(text, keep_lines=True)


def emit(text: str) -> None:
    """Write `text` on standard output, terminal-safe. Always UTF-8, whatever the terminal's
    locale says: scripts parse this output."""
    sys.stdout.buffer.write(terminal_safe(text).encode("utf-8"))
    sys.stdout.buffer.flush()


def say(line: str) -> None:
    """One line (or a few) for a person on standard output, terminal-safe."""
    sys.stdout.flush()
    emit(line + "\n")


@cache
def reader_language() -> str:
    """"en" or "ja": the language of the sentences for people on stderr. The settings' language
    (app.core.settings.stored_language); for "system", the locale's (LANGUAGE, LC_ALL,
    LC_MESSAGES, LANG). Read once per command (app.cli.main.run forgets it)."""
    from app.core.settings import stored_language

    return core_language(stored_language())


def for_reader(text: object) -> str:
    """`text` for the person at the terminal: a core Message (or an error carrying one) in
    reader_language(), anything else as str()."""
    return translate(text, reader_language())


def warn(line: object) -> None:
    """One line on standard error ("kakikomi: " and the sentence), terminal-safe; a core Message
    (or an exception carrying one) in the reader's language."""
    sys.stdout.flush()
    sys.stderr.write(terminal_safe(f"kakikomi: {for_reader(line)}").replace("\n", " ") + "\n")
    sys.stderr.flush()


class _SafeText:
    """A text stream that shows control characters escaped before they reach `stream`: what
    `print` and argparse write while a command runs goes through the same writer as `emit`."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_safe(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextmanager
def safe_streams() -> Iterator[None]:
    """While a command runs, anything printed on stdout or stderr is terminal-safe."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _SafeText(out), _SafeText(err)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


# What json.dumps(ensure_ascii=False) leaves raw and a terminal or a strict parser would trip on:
# DEL and C1 controls, the bidirectional overrides, lone surrogates (undecodable file names).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_safe(encoded: str) -> str:
    """JSON text with what json.dumps leaves raw and is unsafe (see _JSON_UNSAFE) as \\uXXXX
    escapes: the same values read back, nothing raw for the terminal."""
    return _JSON_UNSAFE.sub(_json_escape, encoded) if _JSON_UNSAFE.search(encoded) else encoded


def to_json(value: object) -> str:
    return json_safe(json.dumps(value, ensure_ascii=False, indent=2)) + "\n"


class JsonListWriter:
    """A JSON list written to standard output as its items come, byte for byte what
    `emit(to_json(all_items))` prints at once (UTF-8, indent=2), without holding the list.

    `add` takes items already encoded as `to_json` nests a list's item (see `TokenJson`); the text
    goes out in pieces of about `chunk` characters. Only `close` ends the list, so output cut
    short by an error is never a valid JSON document.
    """

    def __init__(self, chunk: int = 1 << 16):
        self.chunk = chunk
        self.pending: list[str] = []
        self.size = 0
        self.count = 0

    def add(self, items: list[str]) -> None:
        if not items:
            return
        piece = ("[\n" if not self.count else ",\n") + ",\n".join(items)
        self.pending.append(piece)
        self.count += len(items)
        self.size += len(piece)
        if self.size >= self.chunk:
            self._write()

    def add_encoded(self, source: BinaryIO) -> None:
        """Add the items written elsewhere into a binary file, UTF-8 and joined by ",\\n" as
        `add` joins them (nothing if the file is empty)."""
        source.seek(0)
        first = source.read(self.chunk)
        if not first:
            return
        self.pending.append("[\n" if not self.count else ",\n")
        self.count += 1  # one or more: only whether there are any matters from here on
        self._write()
        sys.stdout.buffer.write(first)
        shutil.copyfileobj(source, sys.stdout.buffer, self.chunk)

    def close(self) -> None:
        self.pending.append("\n]\n" if self.count else "[]\n")
        self._write()
        sys.stdout.buffer.flush()

    def _write(self) -> None:
        sys.stdout.buffer.write("".join(self.pending).encode("utf-8"))
        self.pending, self.size = [], 0


_encode_basestring = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) calls for a str


def _encode(text: str) -> str:
    return json_safe(_encode_basestring(text))


def _value(text: str | None) -> str:
    return "null" if text is None else _encode(text)


class TokenJson:
    """Token entries (surface, reading, start, end, lemma, pos, alternatives: the fields of
    `Token.to_json`, in its order) encoded as `to_json` writes a list of those dicts, item by item.

    Around the two offsets, an item repeats from one occurrence of a word to the next: each
    distinct head (surface, reading) and tail (lemma, pos, alternatives) is encoded once.
    """

    LIMIT = 200_000  # distinct heads or tails kept (a long post has about 20,000)

    def __init__(self) -> None:
        self.heads: dict[tuple, str] = {}
        self.tails: dict[tuple, str] = {}

    def items(self, entries: Iterable[tuple]) -> list[str]:
        heads, tails = self.heads, self.tails
        out = []
        append = out.append
        for surface, reading, start, end, lemma, pos, alternatives in entries:
            head = heads.get((surface, reading))
            if head is None:
                if len(heads) > self.LIMIT:
                    heads.clear()
                head = heads[surface, reading] = (
                    f'  {{\n    "surface": {_encode(surface)},\n    "reading": {_value(reading)},\n    "start": '
                )
            tail = tails.get((lemma, pos, alternatives))
            if tail is None:
                if len(tails) > self.LIMIT:
                    tails.clear()
                listed = "[\n" + ",\n".join(f"      {_encode(a)}" for a in alternatives) + "\n    ]" if alternatives else "[]"
                tail = tails[lemma, pos, alternatives] = (
                    f',\n    "lemma": {_value(lemma)},\n    "pos": {_encode(pos)},\n    "alternatives": {listed}\n  }}'
                )
            append(f'{head}{start},\n    "end": {end}{tail}')
        return out


_REFUSED_WRITES = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG)


def storage_problem(exc: BaseException) -> str | None:
    """One sentence for a write the disk refused (full, read-only, not allowed); None for anything else.

    SQLite rolls the transaction back when the disk refuses a write, so the library keeps what it held.
    """
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        if "disk is full" in text:
            return "The disk is full, so this change was not saved (the library keeps what it held); free some space and try again."
        if "readonly" in text or "read-only" in text:
            return "The library cannot be written here (read-only), so this change was not saved."
        return None
    if isinstance(exc, OSError) and exc.errno in _REFUSED_WRITES:
        where = f" {exc.filename}" if exc.filename else ""
        return f"Could not write{where}: {(exc.strerror or str(exc)).rstrip('.')}."
    return None
