"""The one schema for imported annotations (W3C Web Annotation JSON as Kakikomi and other tools
write it): types, ranges, sizes and RFC 3339 times are checked here, once, before anything reaches
the library.

`read_annotation` turns one JSON item into an `Incoming` annotation or raises `Invalid` with the
reason (a clause, no final period: "its modified is not an RFC 3339 date-time"). A time in the
future is clamped to now and noted in `Incoming.warnings`. `read_snapshot` does the same for the
post copies (`kk:posts`) a backup carries. `load_document` reads the file's JSON with numbers,
depth and size bounded.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote_to_bytes, urlparse
from urllib.request import url2pathname

from app.core.common.messages import Message, clause
from app.core.posts.anchoring import Selectors, TextPositionSelector, TextQuoteSelector
from app.core.store import COLORS, DEFAULT_COLOR

KK_PREFIX = "urn:kakikomi:"

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_QUOTE_CHARS = 1_000_000
MAX_CONTEXT_CHARS = 10_000  # a quote's prefix or suffix
MAX_NOTE_CHARS = 1_000_000
MAX_TAGS = 200
MAX_TAG_CHARS = 1_000
MAX_ID_CHARS = 2_048
MAX_SOURCE_CHARS = 4_096
MAX_OFFSET = 2**31 - 1
MAX_TIME_CHARS = 64
MAX_SNAPSHOT_TEXT_CHARS = 64 * 1024 * 1024
MAX_META_CHARS = 10_000  # a snapshot's title, author, date, excerpt, encoding, hash
MAX_NUMBER_DIGITS = 30
# A time this far ahead of the clock is called out; anything ahead is clamped to now.
FUTURE_TOLERANCE = timedelta(minutes=5)

_SURROGATE = re.compile("[\ud800-\udfff]")
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))?"
)


class Invalid(ValueError):
    """An imported value that cannot be used; str() is the reason, a clause without a period (a
    Message, to stand inside the sentence that says what was skipped)."""


# --- the document ---------------------------------------------------------------------------


class _BigNumber(str):
    """An integer literal too long to be a count or an offset (kept as its digits, never converted)."""


def _number(text: str) -> int | _BigNumber:
    return int(text) if len(text.lstrip("-")) <= MAX_NUMBER_DIGITS else _BigNumber(text)


class DocumentError(ValueError):
    """The file as a whole cannot be read; str() is one sentence."""


def load_document(data: bytes, name: str) -> object:
    """The JSON of an annotation file; DocumentError (one sentence) when it is not readable JSON."""
    if len(data) > MAX_FILE_BYTES:
        raise DocumentError(Message(
            "annotations.file_too_large", "{name} is {size} MB; an annotation file may be at most {limit} MB.",
            name=name, size=f"{len(data) / 2**20:,.0f}", limit=f"{MAX_FILE_BYTES // 2**20:,}",
        ))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentError(Message("annotations.not_utf8", "{name} is not UTF-8 text, so it cannot be Web Annotation JSON.", name=name)) from None
    try:
        return json.loads(text, parse_int=_number)
    except RecursionError:
        raise DocumentError(Message("annotations.too_deep", "{name} is nested too deeply to be Web Annotation JSON.", name=name)) from None
    except json.JSONDecodeError as exc:
        raise DocumentError(Message(
            "annotations.bad_json_at", "{name} is not valid JSON (line {line}, column {column}: {reason}).",
            name=name, line=exc.lineno, column=exc.colno, reason=exc.msg,
        )) from None
    except ValueError as exc:
        raise DocumentError(Message("annotations.bad_json", "{name} is not valid JSON ({reason}).", name=name, reason=clause(exc))) from None


# --- times ----------------------------------------------------------------------------------


def format_time(moment: datetime) -> str:
    """A UTC time as the library writes it (sorts as text): 2026-01-02T03:04:05.000000Z."""
    m = moment.astimezone(timezone.utc)
    return f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}.{m.microsecond:06d}Z"


def parse_time(value: object) -> datetime | None:
    """An RFC 3339 date-time (an offset-less one read as UTC) as an aware datetime; None if it is not one."""
    if not isinstance(value, str) or len(value) > MAX_TIME_CHARS:
        return None
    match = _RFC3339.fullmatch(value.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, _z, sign, off_h, off_m = match.groups()
    try:
        zone = timezone.utc
        if sign:
            if int(off_h) > 23 or int(off_m) > 59:
                return None
            offset = timedelta(hours=int(off_h), minutes=int(off_m))
            zone = timezone(-offset if sign == "-" else offset)
        moment = datetime(
            int(year), int(month), int(day), int(hour), int(minute), min(int(second), 59),  # a leap second: :59
            int((fraction or "0")[:6].ljust(6, "0")), tzinfo=zone,
        )
        return moment.astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return None


def stored_time(value: object) -> datetime | None:
    """A time kept in the library, parsed; None for one that is not a time (an old import's garbage)."""
    return parse_time(value)


def _time(value: object, field: str, now: datetime, warnings: list[str]) -> str | None:
    if value is None:
        return None
    moment = parse_time(value)
    if moment is None:
        raise Invalid(Message("annotations.bad_time", "its {field} is not an RFC 3339 date-time (like 2026-01-02T03:04:05Z)", field=field))
    if moment > now:
        if moment > now + FUTURE_TOLERANCE:
            warnings.append(f"{field} {value}")
        moment = now
    return format_time(moment)


# --- values ---------------------------------------------------------------------------------


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: object, field: str, limit: int, *, required: bool = False) -> str:
    if value is None:
        if required:
            raise Invalid(Message("annotations.missing", "its {field} is missing", field=field))
        return ""
    if not isinstance(value, str) or isinstance(value, _BigNumber):
        raise Invalid(Message("annotations.not_text", "its {field} is not text", field=field))
    if required and not value:
        raise Invalid(Message("annotations.empty", "its {field} is empty", field=field))
    if len(value) > limit:
        raise Invalid(Message("annotations.too_long", "its {field} is longer than {limit} characters", field=field, limit=f"{limit:,}"))
    if _SURROGATE.search(value):
        raise Invalid(Message("annotations.surrogate", "its {field} holds a lone surrogate (like \\ud800), which is not text", field=field))
    return value


def _offset(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not -1 <= value <= MAX_OFFSET:
        raise Invalid(Message("annotations.bad_offset", "its {field} is not a whole number from 0 to {limit}", field=field, limit=f"{MAX_OFFSET:,}"))
    return value


def path_of(source: object) -> str | None:
    """A local path from a file URI or an absolute path; None for anything else."""
    if not isinstance(source, str) or not source or "\x00" in source or _SURROGATE.search(source):
        return None
    if source.startswith("file:"):
        parsed = urlparse(source)
        if parsed.netloc not in ("", "localhost"):
            return None
        # Percent-escapes are the file name's bytes (Path.as_uri writes them so): decoded as the
        # OS decodes names, a name that is not UTF-8 comes back as it was (surrogateescape).
        path = os.fsdecode(unquote_to_bytes(parsed.path)) if os.name == "posix" else url2pathname(parsed.path)
        return path if "\x00" not in path and Path(path).is_absolute() else None
    return source if Path(source).is_absolute() else None


def extension(data: dict, name: str) -> object:
    """Kakikomi's own term `name`, however the file spells it (kk:name, name, urn:kakikomi:name)."""
    for key in (f"kk:{name}", name, KK_PREFIX + name):
        if key in data:
            return data[key]
    return None


def annotation_id(raw: object, fallback: str) -> str:
    """The library id: a uuid as written (with or without urn:uuid:), else a stable uuid5 of it."""
    if raw is not None and (isinstance(raw, bool) or not isinstance(raw, (str, int)) or isinstance(raw, _BigNumber)):
        raise Invalid(Message("annotations.not_text", "its {field} is not text", field="id"))
    text = _text(str(raw).strip(), "id", MAX_ID_CHARS) if raw is not None else ""
    if text.lower().startswith("urn:uuid:"):
        text = text[len("urn:uuid:") :]
    try:
        return str(uuid.UUID(text))
    except ValueError:
        # Another tool's id (or none): a stable uuid, so importing the same file twice matches.
        return str(uuid.uuid5(uuid.NAMESPACE_URL, text or fallback))


def clean_tag(value: str) -> str:
    return re.sub(r"\s+", "-", value.strip().lstrip("#").strip())


# --- one annotation -------------------------------------------------------------------------


@dataclass(frozen=True)
class Incoming:
    """One imported annotation, checked: times in the library's UTC form, clamped to now."""

    id: str
    path: str | None
    source: str
    selectors: Selectors
    color: str
    note: str
    tags: tuple[str, ...]
    created: str | None
    modified: str | None
    deleted: str | None
    warnings: tuple[str, ...] = ()  # clamped future times, "modified 2099-01-01T00:00:00Z"


def _selectors(raw: object) -> Selectors:
    quote = position = None
    for selector in _as_list(raw):
        if not isinstance(selector, dict):
            continue
        kind = selector.get("type")
        if kind == "TextQuoteSelector":
            quote = TextQuoteSelector(
                _text(selector.get("exact"), "quote", MAX_QUOTE_CHARS, required=True),
                _text(selector.get("prefix"), "quote's prefix", MAX_CONTEXT_CHARS),
                _text(selector.get("suffix"), "quote's suffix", MAX_CONTEXT_CHARS),
            )
        elif kind == "TextPositionSelector":
            if selector.get("start") is None or selector.get("end") is None:
                continue
            start, end = _offset(selector["start"], "start"), _offset(selector["end"], "end")
            if (start < 0 or end < 0 or start > end) and (start, end) != (-1, -1):
                raise Invalid(Message("annotations.bad_position", "its position {start}-{end} is not a span of text", start=start, end=end))
            position = TextPositionSelector(start, end)
    if quote is None:
        raise Invalid(Message("annotations.no_quote", "it has no TextQuoteSelector with an exact quote"))
    return Selectors(quote, position or TextPositionSelector(-1, -1))


def _bodies(item: dict) -> tuple[list[str], list[str]]:
    notes: list[str] = []
    tags: list[str] = []
    bodies = _as_list(item.get("body"))
    if item.get("bodyValue") is not None:
        bodies.append({"type": "TextualBody", "value": _text(item["bodyValue"], "bodyValue", MAX_NOTE_CHARS)})
    for body in bodies:
        if not isinstance(body, dict) or "value" not in body:
            continue  # a link or another kind of body: not ours to keep
        purposes = {p for p in _as_list(body.get("purpose")) if isinstance(p, str)}
        if "tagging" in purposes:
            tags.append(clean_tag(_text(body["value"], "tag", MAX_TAG_CHARS)))
        else:
            value = _text(body["value"], "note", MAX_NOTE_CHARS)
            if value.strip():
                notes.append(value)
    for tag in _as_list(item.get("tags")):
        tags.append(clean_tag(_text(tag, "tag", MAX_TAG_CHARS)))
    note = "\n\n".join(notes)
    if len(note) > MAX_NOTE_CHARS:
        raise Invalid(Message("annotations.too_long", "its {field} is longer than {limit} characters", field="note", limit=f"{MAX_NOTE_CHARS:,}"))
    tags = list(dict.fromkeys(t for t in tags if t))
    if len(tags) > MAX_TAGS:
        raise Invalid(Message("annotations.too_many", "it has more than {limit} {field}", limit=MAX_TAGS, field="tags"))
    return notes, tags


def read_annotation(item: object, now: datetime) -> Incoming:
    """One annotation checked against the schema; raises Invalid with the reason it cannot be used."""
    if not isinstance(item, dict):
        raise Invalid(Message("annotations.not_object", "it is not a JSON object"))
    targets = [t for t in _as_list(item.get("target")) if isinstance(t, dict)]
    target = next((t for t in targets if t.get("selector")), None)
    if target is None:
        raise Invalid(Message("annotations.no_target", "it has no target with a selector"))
    selectors = _selectors(target.get("selector"))
    raw_source = target.get("source") if target.get("source") is not None else target.get("id")
    source = _text(raw_source, "target's source", MAX_SOURCE_CHARS)
    notes, tags = _bodies(item)
    color = target.get("styleClass")
    if color is not None and not isinstance(color, str):
        raise Invalid(Message("annotations.not_text", "its {field} is not text", field="styleClass (colour)"))
    warnings: list[str] = []
    created = _time(item.get("created"), "created", now, warnings)
    modified = _time(item.get("modified"), "modified", now, warnings) or created
    deleted = _deleted(extension(item, "deleted"), modified, now, warnings)
    fallback = f"{source}#{selectors.quote.exact}#{selectors.position.start}#{item.get('created')}"
    return Incoming(
        id=annotation_id(item.get("id"), fallback), path=path_of(source), source=source, selectors=selectors,
        color=color if color in COLORS else DEFAULT_COLOR, note="\n\n".join(notes), tags=tuple(tags),
        created=created, modified=modified, deleted=deleted, warnings=tuple(warnings),
    )


def _deleted(value: object, modified: str | None, now: datetime, warnings: list[str]) -> str | None:
    """The deletion marker: absent, null or false (live), true (deleted when modified) or a time."""
    if value is None or value is False:
        return None
    if value is True:
        return modified or format_time(now)
    try:
        return _time(value, "kk:deleted", now, warnings)
    except Invalid:
        raise Invalid(Message("annotations.bad_deleted", "its kk:deleted is neither a date-time (RFC 3339) nor true or false")) from None


# --- post copies ----------------------------------------------------------------------------


def read_snapshot(data: object) -> dict:
    """A backup's copy of a post (kk:posts), checked: the PostSnapshot fields, or Invalid."""
    if not isinstance(data, dict):
        raise Invalid(Message("annotations.not_object", "it is not a JSON object"))
    raw = data.get("source") if data.get("source") is not None else data.get("source_path")
    path = path_of(_text(raw, "source", MAX_SOURCE_CHARS))
    if path is None:
        raise Invalid(Message("annotations.not_local", "its source is not a local file path"))
    text = _text(data.get("text"), "text", MAX_SNAPSHOT_TEXT_CHARS, required=False)
    if not isinstance(data.get("text"), str):
        raise Invalid(Message("annotations.no_text", "it holds no text"))

    def optional(name: str) -> str | None:
        value = data.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (str, int))):
            raise Invalid(Message("annotations.not_text", "its {field} is not text", field=name))
        return None if value is None else _text(str(value), name, MAX_META_CHARS)

    def names(name: str) -> tuple[str, ...]:
        values = _as_list(data.get(name))
        if len(values) > MAX_TAGS:
            raise Invalid(Message("annotations.too_many", "it has more than {limit} {field}", limit=MAX_TAGS, field=name))
        return tuple(_text(v if not isinstance(v, (int, float)) or isinstance(v, bool) else str(v), name, MAX_TAG_CHARS) for v in values)

    return {
        "source_path": path, "text": text, "title": optional("title") or Path(path).stem,
        "date": optional("date"), "author": optional("author"), "tags": names("tags"),
        "categories": names("categories"), "excerpt": optional("excerpt"),
        "encoding": optional("encoding") or "utf-8", "content_hash": optional("content_hash") or "",
    }


__all__ = [
    "DocumentError", "Incoming", "Invalid", "annotation_id", "extension", "format_time", "load_document",
    "parse_time", "path_of", "read_annotation", "read_snapshot", "stored_time",
]
