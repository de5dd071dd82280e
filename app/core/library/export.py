"""Highlights out of the library as Markdown (for reading and notes apps) and CSV (spreadsheets).

Markdown is for Obsidian-style note takers: a front matter, then a generated part between two
marker lines that a re-export replaces, leaving whatever the reader wrote around it alone. The JSON
backup and exchange format (W3C Web Annotation) lives in app.core.library.webanno. Every file is written
atomically.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import datetime, timezone
from pathlib import Path

import yaml

from app.core.common.fileio import write_atomic
from app.core.common.messages import Message, as_message
from app.core.common.text import escape_surrogates
from app.core.library.csv_cells import csv_cell, csv_text
from app.core.reading import furigana
from app.core.store import BUILTIN_TAGS, Annotation, PostRecord, Store, StoreError
from app.core.store.database import path_from_db

BEGIN_MARKER = "<!-- kakikomi:begin -->"
END_MARKER = "<!-- kakikomi:end -->"
FURIGANA_STYLES = ("none", "aozora", "ruby")
GROUPINGS = ("position", "tag")
# The front-matter keys a re-export owns; every other key belongs to the reader.
FRONT_MATTER_KEYS = ("title", "source", "date", "tags", "exported")
ORPHAN_HEADING = "### Orphaned highlights"
ORPHAN_EXPLANATION = (
    "These highlights no longer match the post's text (it was edited since); reattach them in Kakikomi."
)
HIGHLIGHT_CSV_COLUMNS = (
    "post", "title", "source", "quote", "tags", "note", "colour", "created", "updated", "start", "end", "orphan", "id",
)


class ExportError(Exception):
    """An export or import that cannot be done; str() is one sentence for the user."""


def split_lines(text: str) -> list[str]:
    """`text` cut into lines after each `\\n` (kept), and nowhere else: the one line splitter of
    export merging. str.splitlines also cuts at U+2028, \\x1c, \\x85 and more, so a quote or a title
    holding one could put a fake marker line into a file."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def is_marker_line(line: str, marker: str) -> bool:
    """Whether `line` (from split_lines) is the marker line: only spaces, tabs and the line end around it."""
    return line.strip(" \t\r\n") == marker


# --- choosing posts --------------------------------------------------------------------------


def select_posts(store: Store, post_ids: Sequence[int] | None, *, with_text: bool = False) -> list[PostRecord]:
    """The given posts in the given order; by default every post that has or had a highlight
    (deleted ones count, so re-exporting a post whose highlights were all deleted empties it)."""
    if post_ids is not None:
        try:
            return [store.post(int(i)) for i in dict.fromkeys(post_ids)]
        except StoreError as exc:
            raise ExportError(as_message(exc)) from None
    with_annotations = {r[0] for r in store.db.execute("SELECT DISTINCT post_id FROM annotations")}
    return [p for p in store.posts(with_text=with_text) if p.id in with_annotations]


def export_timestamp(now: str | None) -> str:
    return now or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_export(path: Path, text: str, *, encoding: str = "utf-8", durable: bool = True) -> Path:
    """Write `text` atomically; an undecodable file name's bytes in it (lone surrogates) are
    written escaped (\\xff), so the file is always valid in its encoding."""
    try:
        return write_atomic(path, escape_surrogates(text), encoding=encoding, durable=durable)
    except OSError as exc:
        raise ExportError(Message(
            "export.unwritable", "Could not write {path}: {reason}.", path=path, reason=exc.strerror or exc
        )) from None


# --- litter of killed exports ------------------------------------------------------------------

try:
    import fcntl
except ImportError:  # Windows: no folder locks; litter is recognised by its age instead
    fcntl = None  # type: ignore[assignment]

# What an export leaves when it is killed midway: write_atomic's temporary files
# (.<name>.<8 hex>.tmp beside the file) and a new folder's staging copy (.<folder>.<8 chars>.export
# beside the folder, from tempfile.mkdtemp).
_TMP_NAME = re.compile(r"\.(?P<name>.+)\.[0-9a-f]{8}\.tmp")
_STAGING_NAME = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.export")
STALE_SECONDS = 3600  # without folder locks: litter older than this is no running export's


def _remove_litter(folder: Path, is_litter: Callable[[str], bool], min_age: float) -> None:
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(".") and is_litter(e.name)]
    except OSError:
        return
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
            if min_age and time.time() - info.st_mtime < min_age:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        except OSError:
            continue  # not ours to insist on: the next export tries again


@contextmanager
def _claimed(folder: Path, is_litter: Callable[[str], bool]) -> Iterator[None]:
    """While an export writes in `folder`, hold a shared lock on it; first, when no other export
    holds it (an exclusive lock is free), remove what killed exports left there (`is_litter`
    names it). A running export's temporary files are never taken for litter."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)) if fcntl is not None else None
    except OSError:
        fd = None
    if fd is None:
        if fcntl is None:
            _remove_litter(folder, is_litter, STALE_SECONDS)
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pass  # another export is writing here: its files are not litter
        else:
            _remove_litter(folder, is_litter, 0)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
        except OSError:
            pass
        yield
    finally:
        os.close(fd)


def _tmp_of(names: Callable[[str], bool]) -> Callable[[str], bool]:
    def is_litter(entry: str) -> bool:
        match = _TMP_NAME.fullmatch(entry)
        return match is not None and names(match["name"])
    return is_litter


@contextmanager
def single_file_export(target: Path) -> Iterator[None]:
    """Around writing one export file: the temporary files of earlier, killed writes of the same
    file are removed (unless another export is writing beside it)."""
    with _claimed(Path(target).parent, _tmp_of(lambda name: name == Path(target).name)):
        yield


@contextmanager
def _folder_export(folder: Path) -> Iterator[None]:
    """Around a folder export: killed exports' staging folders beside it and their temporary
    Markdown files in it are removed first."""

    def staging(entry: str) -> bool:
        match = _STAGING_NAME.fullmatch(entry)
        return match is not None and match["name"] == folder.name

    with ExitStack() as stack:
        stack.enter_context(_claimed(folder.parent, staging))
        stack.enter_context(_claimed(folder, _tmp_of(lambda name: name.lower().endswith(".md"))))
        yield


# --- Markdown: the quote ---------------------------------------------------------------------

# A quote line that starts like a Markdown block (heading, quote, list, rule, fence, table, HTML,
# link definition, Obsidian math) would stop being plain quoted text: one backslash before the
# marker keeps it text. Everything inline (*, _, `) is left as written: it stays inside the quote.
_BLOCK_START = re.compile(
    r"""[ ]{0,3}(?:
        (?P<mark>[#>|<]|`{3}|~{3}|\$\$)
      | (?P<bullet>[-+*])(?=[ \t]|$)
      | (?P<rule>[-*_=])(?=[-*_= \t]*$)
      | \d{1,9}(?P<ordinal>[.)])(?=[ \t]|$)
      | (?P<reference>\[)(?=[^\]]*\]:)
    )""",
    re.X,
)


def _escape_at(line: str) -> int | None:
    """Where a backslash keeps `line` from starting a Markdown block, or None."""
    match = _BLOCK_START.match(line)
    if match is None:
        return None
    group = next(name for name in ("mark", "bullet", "rule", "ordinal", "reference") if match.group(name) is not None)
    return match.start(group)


def _readings(annotation: Annotation, overrides: Sequence[furigana.ReadingOverride] = ()) -> list[tuple[int, int, str]]:
    """Ruby spans inside the quote (offsets into `exact`): the words are read in their context,
    so a quote that starts mid-sentence gets the readings the post's text gives it, and the
    reader's own readings (corrections) win as they do in the reader."""
    context = annotation.prefix + annotation.exact + annotation.suffix
    begin, end = len(annotation.prefix), len(annotation.prefix) + len(annotation.exact)
    spans = furigana.apply_overrides(context, furigana.ruby_spans(furigana.tokenize(context)), overrides)
    return [(s.start - begin, s.end - begin, s.reading) for s in spans if s.start >= begin and s.end <= end]


def _ruby(base: str, reading: str, before: str, style: str) -> str:
    if style == "ruby":
        return f"<ruby>{html.escape(base, quote=False)}<rt>{html.escape(reading, quote=False)}</rt></ruby>"
    # After another reading's 》 the base cannot reach back, so ｜ only follows a bare kanji.
    return furigana.aozora_ruby(base, reading, before)


_LONE_CR = re.compile(r"\r(?!\n)")


def quote_lines(
    annotation: Annotation, furigana_style: str = "none", overrides: Sequence[furigana.ReadingOverride] = ()
) -> list[str]:
    """The highlight's quote as Markdown lines (without the `> ` prefix): block markers at a line
    start escaped, runs of blank lines made one, readings added in the chosen style."""
    # A lone \r is a line break to Markdown readers: made \n (same length, so reading offsets hold).
    exact = _LONE_CR.sub("\n", annotation.exact) if "\r" in annotation.exact else annotation.exact
    spans = _readings(annotation, overrides) if furigana_style != "none" and furigana.KANJI_RE.search(exact) else []
    if not spans and "\n" not in exact:  # the common case: one line, no readings
        line = exact.rstrip()
        escape = _escape_at(line)
        return [line if escape is None else line[:escape] + "\\" + line[escape:]]
    lines: list[str] = []
    offset = 0
    for raw in exact.split("\n"):
        line = raw.rstrip()  # trailing spaces would be a hard line break; \r of a CRLF goes too
        line_spans = {s - offset: (e - offset, r) for s, e, r in spans if offset <= s and e <= offset + len(line)}
        escape = _escape_at(line)
        out: list[str] = []
        i = 0
        if escape is not None:  # a block marker sits in the first few columns, before any kanji
            out.extend((line[:escape], "\\"))
            i = escape
        for at in sorted(line_spans):
            if at < i:
                continue
            end, reading = line_spans[at]
            out.append(line[i:at])
            before = next((piece[-1] for piece in reversed(out) if piece), "")
            out.append(_ruby(line[at:end], reading, before, furigana_style))
            i = end
        out.append(line[i:])
        text = "".join(out)
        if text or (lines and lines[-1]):
            lines.append(text)
        offset += len(raw) + 1
    while lines and not lines[-1]:
        lines.pop()
    return lines or [""]


def _note_lines(note: str) -> list[str]:
    note = note.replace("\r\n", "\n").replace("\r", "\n").rstrip()
    if not note.strip():
        return []
    # A note line that looks like one of our markers would cut the generated part short next time.
    return [
        "\\" + line if is_marker_line(line, BEGIN_MARKER) or is_marker_line(line, END_MARKER) else line
        for line in note.split("\n")
    ]


def highlight_markdown(
    annotation: Annotation,
    *,
    furigana_style: str = "none",
    block_id: bool = True,
    overrides: Sequence[furigana.ReadingOverride] = (),
) -> str:
    """One highlight as Markdown: the quote as a block quote ending in its Obsidian block id
    (` ^kk-<uuid>`, unless block_id is False), a blank line, its tags and colour, a blank line,
    its note.

    The blank lines matter: a text line right after a quote line would be read as part of the
    quote (a "lazy continuation") and the block id would no longer end the block; the note right
    under the tag line would be joined to it into one paragraph by stricter renderers.
    """
    lines = quote_lines(annotation, furigana_style, overrides)
    if block_id:
        lines[-1] = f"{lines[-1]} ^kk-{annotation.id}" if lines[-1] else f"^kk-{annotation.id}"
    quoted = f"> {lines[0]}" if len(lines) == 1 and lines[0] else "\n".join(f"> {line}" if line else ">" for line in lines)
    meta = _one_line(" ".join([*(f"#{tag}" for tag in annotation.tags), "·", annotation.color])) if annotation.tags else annotation.color
    if not annotation.note:
        return f"{quoted}\n\n{meta}"
    note = _note_lines(annotation.note)
    return "\n".join([quoted, "", meta, *([""] if note else []), *note])


# --- Markdown: a post's section --------------------------------------------------------------


def _tag_order(tags: Iterable[str]) -> list[str]:
    return sorted(set(tags), key=lambda t: (t not in BUILTIN_TAGS, t.casefold(), t))


def post_markdown(
    store: Store,
    post: PostRecord,
    *,
    furigana_style: str = "none",
    group_by: str = "position",
    annotations: Sequence[Annotation] | None = None,
) -> str:
    """A post's generated section: `# title`, its live highlights in reading order (or under a
    `## #tag` heading per tag), then its orphans under `### Orphaned highlights`. `annotations`
    are the post's live highlights when the caller has them already (a library-wide export)."""
    if annotations is None:
        annotations = store.annotations(post.id)
    overrides = (
        store.reading_overrides(post.id)
        if furigana_style != "none"
        else ()
    )
    placed = [a for a in annotations if not a.orphan]
    orphans = [a for a in annotations if a.orphan]
    blocks = [f"# {_one_line(post.title)}"]
    if group_by == "tag":
        seen: set[str] = set()
        for tag in _tag_order(t for a in placed for t in a.tags):
            blocks.append(_one_line(f"## #{tag}"))
            for annotation in placed:
                if tag in annotation.tags:
                    # Obsidian block ids must be unique in a file: only the first copy carries it.
                    first = annotation.id not in seen
                    blocks.append(highlight_markdown(annotation, furigana_style=furigana_style, block_id=first, overrides=overrides))
                    seen.add(annotation.id)
        untagged = [a for a in placed if not a.tags]
        if untagged:
            blocks.append("## Untagged")
            blocks.extend(highlight_markdown(a, furigana_style=furigana_style, overrides=overrides) for a in untagged)
    else:
        blocks.extend(highlight_markdown(a, furigana_style=furigana_style, overrides=overrides) for a in placed)
    if orphans:
        blocks.extend([ORPHAN_HEADING, ORPHAN_EXPLANATION])
        blocks.extend(highlight_markdown(a, furigana_style=furigana_style, overrides=overrides) for a in orphans)
    if not annotations:
        blocks.append("No highlights.")
    return "\n\n".join(blocks)


def _one_line(text: str) -> str:
    """A title as one heading line: every run of white space (line breaks of any kind included) one space."""
    return " ".join(text.split())


def _generated(sections: Sequence[str]) -> str:
    return "\n".join([BEGIN_MARKER, "", "\n\n".join(sections) or "No highlights.", "", END_MARKER])


# --- Markdown: front matter and re-export ----------------------------------------------------


def _front_matter_values(posts: Sequence[PostRecord], exported: str) -> dict:
    """Our keys: the post's metadata, or for several posts in one file their sources and tags. A
    post without a date has no `date` key (nor has a file of several posts): never `date: null`."""
    if len(posts) == 1:
        post = posts[0]
        values = (post.title, escape_surrogates(post.source_path), post.date, list(post.tags), exported)
    else:
        tags = list(dict.fromkeys(t for p in posts for t in p.tags))
        values = ("Kakikomi highlights", [escape_surrogates(p.source_path) for p in posts], None, tags, exported)
    return {key: value for key, value in zip(FRONT_MATTER_KEYS, values) if not (key == "date" and value is None)}


# libyaml's emitter when PyYAML has it: the pure-Python one was most of a file's export time.
_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(text: str):
    """yaml.safe_load, through libyaml when PyYAML has it (re-export reads every file's front matter)."""
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader


def _dump_yaml(values: dict) -> str:
    return yaml.dump(
        values, Dumper=_YAML_DUMPER, allow_unicode=True, sort_keys=False, default_flow_style=False, width=4096
    )


# A string PyYAML writes bare (plain): no syntax character, nothing a YAML 1.1 resolver would read
# as another type. Conservative: anything else goes through PyYAML itself.
# Line breaks (U+0085, U+2028, U+2029) and what YAML calls unprintable (surrogates, U+FFFE, U+FFFF)
# are never plain: PyYAML quotes and escapes them, and a bare U+2028 would break the front matter.
_NOT_PLAIN = "\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ud800-\\udfff\\ufeff\\ufffe\\uffff"
_PLAIN_SAFE = re.compile(
    rf"(?!\.\.\.)[^\s!&*\-?:,\[\]{{}}#|>@`\"'%=~<{_NOT_PLAIN}]([^:#,\[\]{{}}{_NOT_PLAIN}]*[^\s:#,\[\]{{}}{_NOT_PLAIN}])?"
)
# Dates and times: the resolver reads them as timestamps, so PyYAML quotes them, simply.
_QUOTED_SAFE = re.compile(r"[0-9][0-9:.+\-TZ ]*[0-9Z]")


def _implicit(value: str) -> bool:
    """Whether a YAML 1.1 resolver would read `value` as something other than a string."""
    return any(regexp.match(value) for _tag, regexp in yaml.resolver.Resolver.yaml_implicit_resolvers.get(value[0], ()))


def _scalar(value) -> str | None:
    """`value` as PyYAML writes it in block style, for the common cases; None for the rest."""
    if value is None:
        return "null"
    if isinstance(value, str) and value:
        if _PLAIN_SAFE.fullmatch(value) and not _implicit(value):
            return value
        if _QUOTED_SAFE.fullmatch(value) and _implicit(value):
            return f"'{value}'"
    return None


def _yaml(values: dict) -> str:
    """The mapping as PyYAML's block style writes it (allow_unicode, keys in order), built directly
    for plain strings, dates, nulls and lists of those: the emitter was most of a file's export time."""
    out = []
    for key, value in values.items():
        text = _scalar(value) if not isinstance(value, list) else None
        if text is not None and isinstance(key, str) and _scalar(key) == key:
            out.append(f"{key}: {text}\n")
            continue
        if isinstance(value, list) and value and isinstance(key, str) and _scalar(key) == key:
            items = [_scalar(item) if isinstance(item, str) else None for item in value]
            if None not in items:
                out.append(f"{key}:\n" + "".join(f"- {item}\n" for item in items))
                continue
        out.append(_dump_yaml({key: value}))
    return "".join(out)


def _chunk_key(text: str) -> object | None:
    try:
        loaded = _load_yaml(text)
    except yaml.YAMLError:
        return None
    return next(iter(loaded)) if isinstance(loaded, dict) and len(loaded) == 1 else None


def _chunks(front_matter: str) -> list[list[str]]:
    """Top-level entries of a YAML mapping as line groups: a key line with its indented, `- ` and
    blank lines; a comment line at column 0 starts a group of its own."""
    chunks: list[list[str]] = []
    for line in split_lines(front_matter):
        blank = not line.strip()
        indented = line[:1] in (" ", "\t", "-")
        if chunks and (blank or (indented and not chunks[-1][0].startswith("#"))):
            chunks[-1].append(line)
        else:
            chunks.append([line])
    return chunks


def update_front_matter(text: str, values: dict, newline: str = "\n", *, owned: Sequence[str] = ()) -> str | None:
    """`text` (a YAML mapping) with `values` set: the reader's lines, comments and key order kept
    as written, ours replaced in place or added at the end. A key of ours (`owned`) that `values`
    leaves out goes when the file holds it empty (an older export's `date: null`). None when
    `text` is not a mapping."""
    try:
        old = _load_yaml(text) if text.strip() else {}
    except yaml.YAMLError:
        return None
    old = {} if old is None else old
    if not isinstance(old, dict):
        return None
    dropped = {key for key in owned if key not in values and key in old and old[key] is None}
    out: list[str] = []
    done: set[str] = set()
    for chunk in _chunks(text):
        key = _chunk_key("".join(chunk))
        if key in dropped:
            out.extend(line for line in chunk[1:] if not line.strip())  # its blank lines stay
            continue
        if key not in values:
            out.append("".join(chunk))
            continue
        trailing = []
        while chunk and not chunk[-1].strip():
            trailing.insert(0, chunk.pop())
        if key not in done:
            out.append(_yaml({key: values[key]}).replace("\n", newline))
            done.add(key)
        out.extend(trailing)
    if out and not out[-1].endswith("\n"):
        out.append(newline)
    out.extend(_yaml({k: v}).replace("\n", newline) for k, v in values.items() if k not in done)
    updated = "".join(out)
    expected = {key: value for key, value in {**old, **values}.items() if key not in dropped}
    try:
        check = _load_yaml(updated)
    except yaml.YAMLError:
        check = None
    if check == expected and list(check) == list(expected):
        return updated
    # Line editing misread an unusual layout (flow mapping, anchors): write the mapping out again.
    return _yaml(expected).replace("\n", newline)


def _split_front_matter(text: str) -> tuple[str, str | None, str, str]:
    """(opening line, front matter or None, closing line, rest); no front matter: ("", None, "", text)."""
    lines = split_lines(text)
    if not lines or lines[0].lstrip("\ufeff").rstrip("\r\n") != "---":
        return "", None, "", text
    for i in range(1, len(lines)):
        if lines[i].rstrip("\r\n") in ("---", "..."):
            return lines[0], "".join(lines[1:i]), lines[i], "".join(lines[i + 1 :])
    return "", None, "", text  # never closed: not ours to touch


def merge_markdown(existing: str, values: dict, generated: str, *, name: str = "the file") -> str:
    """An existing Markdown file with our front-matter keys and generated part replaced.

    Everything outside the markers stays byte for byte; a front matter that is not a YAML mapping
    is kept as it is; a file without markers gets the generated part appended at its end.
    """
    newline = "\r\n" if "\r\n" in existing else "\n"
    generated = generated.replace("\n", newline)
    opening, front_matter, closing, rest = _split_front_matter(existing)
    if front_matter is not None:
        updated = update_front_matter(front_matter, values, newline, owned=FRONT_MATTER_KEYS)
        head = opening + (front_matter if updated is None else updated) + closing
    elif existing.lstrip("\ufeff").startswith("---"):
        head = ""  # an unclosed front matter: the reader's to fix
    else:
        bom = "\ufeff" if rest.startswith("\ufeff") else ""
        rest = rest[len(bom) :]
        head = bom + "---" + newline + _yaml(values).replace("\n", newline) + "---" + newline + newline
    lines = split_lines(rest)
    begin = next((i for i, line in enumerate(lines) if is_marker_line(line, BEGIN_MARKER)), None)
    end = next((i for i, line in enumerate(lines) if begin is not None and i > begin and is_marker_line(line, END_MARKER)), None)
    if begin is None and any(is_marker_line(line, END_MARKER) for line in lines):
        raise ExportError(Message(
            "export.end_marker_alone", "{name} has a Kakikomi end marker without a begin marker; fix or remove it, then export again.",
            name=name,
        ))
    if begin is not None and end is None:
        raise ExportError(Message(
            "export.begin_marker_alone", "{name} has a Kakikomi begin marker without an end marker; fix or remove it, then export again.",
            name=name,
        ))
    if begin is None:
        separator = "" if not rest or rest.endswith("\n") else newline
        return head + rest + separator + (newline if rest.strip() else "") + generated + newline
    ending = lines[end][len(lines[end].rstrip("\r\n")) :] or newline  # the file ends with a line end
    merged = head + "".join(lines[:begin]) + generated + ending + "".join(lines[end + 1 :])
    return merged if merged.endswith("\n") else merged + newline


def _read_regular(path: Path) -> bytes:
    """The bytes of an existing export file; ExportError for a pipe, a device or a socket (reading
    a FIFO would wait forever), IsADirectoryError for a folder."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(mode):
            raise ExportError(Message(
                "export.not_regular", "{path} is not a regular file (a pipe or a device?), so it was left untouched.", path=path
            ))
        return handle.read()


def markdown_file(path: Path, values: dict, generated: str, *, durable: bool = True) -> Path:
    """Write a Markdown export at `path` (atomically): a new file, or the generated part and our
    front-matter keys merged into the file there; ExportError for what must not be replaced."""
    try:
        existing = _read_regular(path).decode("utf-8")
    except FileNotFoundError:
        text = _new_markdown(values, generated)
    except IsADirectoryError:
        raise ExportError(Message("export.folder", "{path} is a folder; choose a file name ending in .md.", path=path)) from None
    except UnicodeDecodeError:
        raise ExportError(Message("export.not_utf8", "{name} is not UTF-8 text, so it was left untouched.", name=path.name)) from None
    except OSError as exc:
        raise ExportError(Message("export.unreadable", "Could not read {path}: {reason}.", path=path, reason=exc.strerror or exc)) from None
    else:
        text = merge_markdown(existing, values, generated, name=path.name)
    return write_export(path, text, durable=durable)


def _new_markdown(values: dict, generated: str) -> str:
    """A new Markdown export: the front matter, a blank line, the generated part, a final line end."""
    return "---\n" + _yaml(values) + "---\n\n" + generated + "\n"


def _new_markdown_file(path: Path, values: dict, generated: str) -> None:
    """A file in a folder no one else sees yet (the export's staging folder): written directly."""
    try:
        with open(path, "xb") as handle:
            handle.write(escape_surrogates(_new_markdown(values, generated)).encode("utf-8"))
    except OSError as exc:
        raise ExportError(Message(
            "export.unwritable", "Could not write {path}: {reason}.", path=path.name, reason=exc.strerror or exc
        )) from None


# The longest file name most file systems take is 255 bytes; a re-export writes each file through a
# temporary ".<name>.<8 hex>.tmp" beside it (write_atomic), 14 bytes longer.
NAME_BYTES = 255 - len("..01234567.tmp")


def _name_bytes(text: str) -> int:
    try:
        return len(os.fsencode(text))
    except UnicodeError:
        return len(text.encode("utf-8", "surrogatepass"))


def _fitted(stem: str, suffix: str) -> str:
    """stem + suffix, the stem cut (at a character) so that the name fits in NAME_BYTES bytes."""
    room = NAME_BYTES - _name_bytes(suffix)
    if _name_bytes(stem) > room:
        used, cut = 0, 0
        for cut, char in enumerate(stem):
            used += _name_bytes(char)
            if used > room:
                break
        stem = stem[:cut]
    return stem + suffix


def export_file_names(posts: Sequence[PostRecord]) -> dict[int, str]:
    """Stable names: the source's stem + .md, and -<post id> for all but the lowest id that
    shares a stem (compared case-insensitively, as macOS and Windows file systems do); a long
    stem is cut so that every name fits in NAME_BYTES bytes."""
    by_stem: dict[str, list[PostRecord]] = {}
    for post in posts:
        by_stem.setdefault(Path(post.source_path).stem.casefold(), []).append(post)
    names = {}
    for group in by_stem.values():
        first = min(p.id for p in group)
        for post in group:
            stem = Path(post.source_path).stem or f"post-{post.id}"
            names[post.id] = _fitted(stem, ".md") if post.id == first else _fitted(stem, f"-{post.id}.md")
    # A suffixed (or cut) name can still meet another post's own name (a-2.md): suffix again until unique.
    used: set[str] = set()
    for post in sorted(posts, key=lambda p: p.id):
        for _attempt in range(20):
            if names[post.id].casefold() not in used:
                break
            names[post.id] = _fitted(names[post.id][:-3], f"-{post.id}.md")
        else:
            names[post.id] = f"post-{post.id}.md"
        used.add(names[post.id].casefold())
    return names


def _check_markdown_options(furigana: str, group_by: str) -> None:
    if furigana not in FURIGANA_STYLES:
        raise ExportError(Message(
            "export.unknown_furigana", "Unknown furigana style {style}: use one of {choices}.",
            style=repr(furigana), choices=", ".join(FURIGANA_STYLES),
        ))
    if group_by not in GROUPINGS:
        raise ExportError(Message(
            "export.unknown_grouping", "Unknown grouping {grouping}: use one of {choices}.",
            grouping=repr(group_by), choices=", ".join(GROUPINGS),
        ))


def markdown_text(
    store: Store,
    *,
    post_ids: Sequence[int] | None = None,
    furigana: str = "none",
    group_by: str = "position",
    now: str | None = None,
) -> str:
    """The selected posts' highlights as one Markdown document, as export_markdown writes a new
    FILE.md (for standard output); "" when no post is selected."""
    _check_markdown_options(furigana, group_by)
    posts = select_posts(store, post_ids)
    if not posts:
        return ""
    sections = [post_markdown(store, p, furigana_style=furigana, group_by=group_by) for p in posts]
    return _new_markdown(_front_matter_values(posts, export_timestamp(now)), _generated(sections))


def export_markdown(
    store: Store,
    target: Path,
    *,
    post_ids: Sequence[int] | None = None,
    furigana: str = "none",
    group_by: str = "position",
    one_file: bool | None = None,
    now: str | None = None,
) -> list[Path]:
    """Write the highlights as Markdown; returns the files written.

    `target` ending in .md (or one_file=True) gets every selected post in one file; otherwise it
    is a folder (created if missing) with one file per post named after the post's source file.
    Without post_ids, every post that has or had highlights is exported. Re-exporting into an
    existing file replaces only the generated part and our front-matter keys. Never writes over
    a post file of the library; raises ExportError for bad options and unwritable targets.
    """
    _check_markdown_options(furigana, group_by)
    target = Path(target).expanduser()
    posts = select_posts(store, post_ids)
    exported = export_timestamp(now)
    single = target.suffix.lower() == ".md" if one_file is None else one_file
    if single:
        plan = [(target, posts)]
    else:
        names = export_file_names(posts)
        plan = [(target / names[p.id], [p]) for p in posts]
    folder = target.parent if single else target
    refuse_post_files(store, folder, [path for path, _chosen in plan])
    with _folder_export(folder) if not single else single_file_export(target):
        return _export_markdown_files(store, plan, posts, post_ids, folder, single, furigana, group_by, exported)


def refuse_post_files(store: Store, folder: Path, paths: Sequence[Path]) -> None:
    """ExportError when one of `paths` (files in `folder`) is a post file of the library, or the
    folder cannot be resolved. The folder is resolved once: resolving each of ten thousand paths
    is a dozen system calls apiece."""
    try:
        resolved = folder.resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop
        reason = getattr(exc, "strerror", None) or exc
        raise ExportError(Message(
            "export.folder_unusable", "The folder {folder} cannot be used: {reason}.", folder=folder, reason=reason
        )) from None
    sources = {path_from_db(row[0]) for row in store.db.execute("SELECT source_path FROM posts")}
    for path in paths:
        if str(resolved / path.name) in sources:
            raise ExportError(Message(
                "export.would_overwrite_post", "Exporting to {path} would overwrite a post of the library; choose another place.", path=path
            ))


def _export_markdown_files(
    store: Store, plan: list, posts: list[PostRecord], post_ids: Sequence[int] | None, folder: Path, single: bool,
    furigana: str, group_by: str, exported: str,
) -> list[Path]:
    staging: Path | None = None
    try:
        if not single and len(plan) > 1 and _absent_or_empty(folder):
            # A new folder of files is written beside it under a hidden name and renamed into
            # place at the end: the whole export appears at once (a crash leaves no half of it),
            # and each file needs no temporary name and rename of its own.
            folder.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".export", dir=folder.parent))
        else:
            folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(Message(
            "export.folder_not_created", "Could not create the folder {folder}: {reason}.", folder=folder, reason=exc.strerror or exc
        )) from None
    try:
        written = _write_markdown_files(store, plan, posts, post_ids, staging, furigana, group_by, exported)
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    if staging is not None:
        _move_into_place(staging, folder)
    return written


def _absent_or_empty(folder: Path) -> bool:
    try:
        return not any(os.scandir(folder))
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _move_into_place(staging: Path, folder: Path) -> None:
    if hasattr(os, "sync"):
        os.sync()  # the files are on disk before their folder takes the real name
    try:
        os.replace(staging, folder)  # POSIX replaces an empty folder in one step
        return
    except OSError:
        pass
    try:
        if folder.exists():
            folder.rmdir()  # still empty (checked before): Windows will not rename over it
        os.rename(staging, folder)
    except OSError as exc:
        raise ExportError(Message(
            "export.not_renamed", "The export was written to {staging} but could not be renamed to {folder}: {reason}.",
            staging=staging, folder=folder, reason=exc.strerror or exc,
        )) from None


def _write_markdown_files(
    store: Store,
    plan: list[tuple[Path, list[PostRecord]]],
    posts: list[PostRecord],
    post_ids: Sequence[int] | None,
    staging: Path | None,
    furigana: str,
    group_by: str,
    exported: str,
) -> list[Path]:
    by_post: dict[int, list[Annotation]] | None = None
    if post_ids is None and len(posts) > 1:
        # Every highlight in one query, rather than two queries per post.
        by_post = {}
        for annotation in store.annotations():
            by_post.setdefault(annotation.post_id, []).append(annotation)
    durable = len(plan) == 1

    def write(path: Path, values: dict, generated: str) -> Path:
        if staging is not None:
            _new_markdown_file(staging / path.name, values, generated)
            return path
        return markdown_file(path, values, generated, durable=durable)

    # Flushing to disk once at the end instead of once per file keeps a ten-thousand-file export
    # from spending most of its time in fsync. (Writing from a second thread was slower: each
    # return from a system call waited for the thread making Markdown to let go of the GIL.)
    written = []
    for path, chosen in plan:
        sections = [
            post_markdown(
                store, p, furigana_style=furigana, group_by=group_by,
                annotations=None if by_post is None else by_post.get(p.id, []),
            )
            for p in chosen
        ]
        written.append(write(path, _front_matter_values(chosen, exported), _generated(sections)))
    if staging is None and len(plan) > 1 and hasattr(os, "sync"):
        os.sync()
    return written


# --- CSV ---------------------------------------------------------------------------------------


def highlights_csv(store: Store, *, post_ids: Sequence[int] | None = None) -> str:
    """One row per live highlight (orphans included) with the HIGHLIGHT_CSV_COLUMNS; every cell goes
    through csv_cells.csv_cell (formula-like text gets a leading apostrophe)."""
    rows = (
        [
            post.id, post.title, escape_surrogates(post.source_path), a.exact, " ".join(a.tags), a.note,
            a.color, a.created, a.updated, a.start, a.end, "yes" if a.orphan else "no", a.id,
        ]
        for post in select_posts(store, post_ids)
        for a in store.annotations(post.id)
    )
    return csv_text(HIGHLIGHT_CSV_COLUMNS, rows)


def export_csv(store: Store, target: Path, *, post_ids: Sequence[int] | None = None) -> Path:
    """Write highlights_csv() as UTF-8 with a BOM, so that Excel reads Japanese."""
    target = Path(target).expanduser()
    text = highlights_csv(store, post_ids=post_ids)
    with single_file_export(target):
        return write_export(target, text, encoding="utf-8-sig")


__all__ = [
    "BEGIN_MARKER", "csv_cell", "is_marker_line", "single_file_export", "split_lines", "HIGHLIGHT_CSV_COLUMNS", "END_MARKER", "ExportError", "export_csv", "export_markdown", "highlight_markdown",
    "highlights_csv", "markdown_file", "markdown_text", "refuse_post_files",
    "merge_markdown", "post_markdown", "quote_lines", "update_front_matter",
]
