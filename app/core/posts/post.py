"""Read a post file: encoding, front matter, body, metadata and content hash.

The pipeline is bytes -> refusals (empty, binary, NUL, too large) -> decoded text
-> newline-normalised text -> front matter + body -> `Post`. Nothing here renders
Markdown or imports Qt; the renderer gets `Post.body` as it is.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import math
import os
import re
import stat
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from app.core.common.messages import Message, clause
from app.core.posts import webpage
from app.core.posts.dialects import looks_like_markdown, plain_text_markdown, preprocess
from app.core.posts.meta import PostMeta

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
POST_SUFFIXES = (".md", ".markdown", ".txt", *webpage.PAGE_SUFFIXES)

# A real front matter is a few hundred bytes; anything this big is a mistake or an attack.
_MAX_FRONT_MATTER_BYTES = 64 * 1024
# YAML aliases can make a small document expand enormously once walked ("billion laughs").
_MAX_FRONT_MATTER_NODES = 10_000
_MAX_FRONT_MATTER_DEPTH = 50

_REPLACEMENT = "\ufffd"


class PostError(Exception):
    """A file that cannot be opened as a post.

    Its argument is one Message (str(err) is the English sentence), naming the file by its name only.
    """


@dataclass(frozen=True, kw_only=True)
class Post(PostMeta):
    """One decoded post: its metadata (PostMeta) and its Markdown body."""

    body: str
    source_path: Path | None
    warnings: tuple[str, ...] = ()
    # Treat as read-only. A plain dict (not a proxy) so the Post can be copied and pickled.
    front_matter: Mapping[str, Any] = field(default_factory=dict, hash=False)
    front_matter_format: str | None = None

    @property
    def emoji(self) -> str | None:
        """Zenn's `emoji` field, if it is a non-empty string."""
        return _text_field(_lower_keys(self.front_matter), ("emoji",))

    @property
    def published(self) -> bool | None:
        """True/False from `published` (Zenn, Jekyll), `draft` (Hugo) or `private` (Qiita); else None."""
        fields = _lower_keys(self.front_matter)
        for key, inverted in (("published", False), ("draft", True), ("private", True)):
            value = _as_bool(fields.get(key))
            if value is not None:
                return value != inverted
        return None

    @property
    def updated(self) -> str | None:
        """ISO 8601 date of the last edit (`lastmod`, `updated_at`, `updated`, `last_modified_at`)."""
        fields = _lower_keys(self.front_matter)
        for key in ("lastmod", "updated_at", "updated", "last_modified_at"):
            if key in fields:
                return _iso_date(fields[key])
        return None


def load_post(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Post:
    """Read and parse the post at `path`.

    Raises PostError (and nothing else) for a wrong suffix, a missing or unreadable file,
    a folder, a file over `max_bytes` (checked before reading), or any refusal of parse_post.
    Never reads more than `max_bytes + 1` bytes.
    """
    url = webpage.source_url(path)
    if url is not None:  # a page imported from the web: its copy beside the library, never the network
        path = webpage.cached_page(url)
        if not path.is_file():
            raise PostError(Message("post.saved_copy_gone", "The saved copy of {url} is gone; import the address again to fetch it.", url=url))
    path = Path(path)
    name = path.name or str(path)
    if path.suffix.lower() not in POST_SUFFIXES:
        raise PostError(Message("post.wrong_suffix", "{name} is not a post: only .md, .markdown, .txt, .html and .htm files are opened.", name=name))
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise PostError(Message("post.folder", "{name} is a folder, not a post.", name=name))
        if not stat.S_ISREG(info.st_mode):
            raise PostError(Message("post.not_regular", "{name} is not a regular file, so it is not opened.", name=name))
        if info.st_size > max_bytes:
            raise PostError(_too_large(name, info.st_size, max_bytes))
        with open(path, "rb") as handle:
            # The size it has (read(n) sets n bytes aside first: not the limit for every post),
            # and on, up to the limit, if it grew since; +1 tells us it grew past the limit.
            data = handle.read(min(info.st_size, max_bytes) + 1)
            if len(data) > info.st_size:
                data += handle.read(max_bytes + 1 - len(data))
    except (OSError, ValueError) as err:  # ValueError: e.g. a NUL inside the path
        reason = getattr(err, "strerror", None) or str(err) or type(err).__name__
        raise PostError(Message("post.unreadable", "{name} could not be read: {reason}.", name=name, reason=clause(reason))) from err
    return parse_post(data, source_path=path, max_bytes=max_bytes)


def parse_post(
    data: bytes, *, source_path: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Post:
    """Decode `data` and split it into front matter, metadata and body.

    Raises PostError (and nothing else) for data that is empty or whitespace only, binary,
    contains NUL bytes, or is larger than `max_bytes`. Everything else opens, with
    problems (bad front matter, damaged text, unknown encoding) listed in `warnings`.
    """
    source_path = Path(source_path) if source_path is not None else None
    name = (source_path.name or str(source_path)) if source_path else Message("post.the_file", "The file")
    if len(data) > max_bytes:
        raise PostError(_too_large(name, len(data), max_bytes))
    if source_path is not None and source_path.suffix.lower() in webpage.PAGE_SUFFIXES:
        return _parse_page(data, source_path, name)
    text, encoding, warnings = _decode(data, name)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise PostError(Message("post.empty", "{name} is empty.", name=name))
    check_text_size(text, name)

    front = _read_front_matter(text)
    warnings.extend(front.warnings)
    plain = front.format is None and source_path is not None and source_path.suffix.lower() == ".txt"
    body, dialect_warnings = preprocess(front.body, front.mapping or {})
    warnings.extend(dialect_warnings)
    fields = _lower_keys(front.mapping)
    title = _text_field(fields, ("title",))
    set_tags: tuple[str, ...] = ()
    if title is not None and (leading := _leading_title(body)) is not None and _same_words(leading[0], title):
        body = leading[1]  # "# Title" repeating the front matter's title: shown once, above the post
    elif title is None and (leading := _leading_title(body)) is not None:
        title, body = leading  # the post's own "# Title" line: the title, not shown twice
        if front.mapping is None and (line_tags := _TAG_SET_LINE.match(body)) is not None:
            # Qiita collaboration articles write their tags as a set on the line after the title.
            set_tags, body = tuple(_QUOTED.findall(line_tags.group(1))), body[line_tags.end() :]
    if title is None and plain and (first := _first_line_title(body)) is not None:
        title, body = first  # a plain text's first line, as a README or a changelog starts
    title = title or _first_heading(body) or (source_path.stem if source_path and source_path.stem else "Untitled")
    date = _post_date(fields, source_path, warnings)
    if date is None and plain:
        date = _header_date(body)
    if plain and not looks_like_markdown(body):
        body = plain_text_markdown(body)  # shown line for line, as written

    if _REPLACEMENT in title:
        warnings.append(Message("post.title_damaged", "The title looks damaged (it contains {mark}).", mark=_REPLACEMENT))
    damaged = front.body.count(_REPLACEMENT)
    if damaged:
        warnings.append(_damaged_text(damaged))
    if front.format and front.mapping is not None and not front.body.strip():
        warnings.append(Message("post.no_text_after_front_matter", "The post has no text after its front matter."))

    return Post(
        title=title,
        date=date,
        author=_author(fields),
        tags=_terms(fields, ("tags", "topics", "keywords")) or set_tags,
        categories=_terms(fields, ("categories", "category")),
        excerpt=_text_field(fields, ("excerpt", "description", "summary")),
        body=body,
        source_path=source_path,
        content_hash=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        encoding=encoding,
        warnings=tuple(warnings),
        front_matter=front.mapping or {},
        front_matter_format=front.format if front.mapping is not None else None,
    )


# Every stage's work grows with the characters and lines of a post, white space included (a flood
# of spaces or line breaks costs parsing too): a text beyond these is refused before any stage
# runs. render.check_length bounds what is shown more tightly.
MAX_TEXT_CHARS = 2_000_000
MAX_TEXT_LINES = 100_000


def check_text_size(text: str, name: str) -> None:
    """Raise PostError (one sentence) for a text with more characters or lines than any stage takes."""
    if len(text) > MAX_TEXT_CHARS:
        raise PostError(Message(
            "post.too_many_characters_with_spaces",
            "{name} is {count} characters long counting spaces and line breaks; Kakikomi shows posts of up to "
            "{limit}, so split it into parts.", name=name, count=f"{len(text):,}", limit=f"{MAX_TEXT_CHARS:,}",
        ))
    if (lines := text.count("\n") + 1) > MAX_TEXT_LINES:
        raise PostError(Message(
            "post.too_many_lines", "{name} has {count} lines; Kakikomi shows posts of up to {limit} lines, so split it into parts.",
            name=name, count=f"{lines:,}", limit=f"{MAX_TEXT_LINES:,}",
        ))


def _parse_page(data: bytes, source_path: Path, name: str) -> Post:
    """A web page (app.core.posts.webpage): its main content as the Markdown body, its title,
    author and date from its metadata; no front matter. Decoded as its <meta charset> says when
    that holds, else as any post."""
    declared = webpage.declared_text(data) if data and not data.startswith(_BINARY_SIGNATURES) and b"\x00" not in data else None
    text, encoding, warnings = (declared[0], declared[1], []) if declared else _decode(data, name)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise PostError(Message("post.empty", "{name} is empty.", name=name))
    check_text_size(text, name)
    # A Jekyll post written in HTML: front matter, then the post's HTML.
    front = _read_front_matter(text) if text.startswith(("---", "+++")) else None
    fields = _lower_keys(front.mapping) if front is not None and front.mapping is not None else {}
    if front is not None and front.format:
        warnings.extend(front.warnings)
        text_for_page = front.body
    else:
        text_for_page = text
    page = webpage.extract_page(text_for_page)
    body = page.markdown
    if not body.strip():
        warnings.append(Message("post.page_without_text", "No article text was found in the page."))
    title = _text_field(fields, ("title",)) or page.title
    if (leading := _leading_title(body)) is not None and (title is None or leading[0] in title or title in leading[0]):
        title, body = title or leading[0], leading[1]  # the page's own heading: the title, not shown twice
    title = title or _first_heading(body) or source_path.stem or "Untitled"
    if body.count(_REPLACEMENT):
        warnings.append(_damaged_text(body.count(_REPLACEMENT)))
    date = _post_date(fields, source_path, warnings) if fields else None
    if date is None:
        date = _iso_date(page.date) if page.date else _header_date("\n".join(page.top_lines))
    return Post(
        title=title,
        date=date,
        author=_author(fields) or page.author,
        tags=_terms(fields, ("tags", "topics", "keywords")) or page.tags,
        categories=_terms(fields, ("categories", "category")),
        excerpt=_text_field(fields, ("excerpt", "description", "summary")) or page.excerpt,
        body=body,
        source_path=source_path,
        content_hash=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        encoding=encoding,
        warnings=tuple(warnings),
        front_matter=front.mapping or {} if front is not None else {},
        front_matter_format=front.format if front is not None and front.mapping is not None else None,
    )


def post_to_dict(post: Post) -> dict[str, Any]:
    """JSON-serialisable metadata of `post` (no body); front matter values made JSON-safe."""
    return {
        "title": post.title,
        "date": post.date,
        "author": post.author,
        "tags": list(post.tags),
        "categories": list(post.categories),
        "excerpt": post.excerpt,
        "source_path": str(post.source_path) if post.source_path else None,
        "content_hash": post.content_hash,
        "encoding": post.encoding,
        "warnings": list(post.warnings),
        "front_matter_format": post.front_matter_format,
        "emoji": post.emoji,
        "published": post.published,
        "updated": post.updated,
        "front_matter": _json_safe(post.front_matter),
    }


# --- bytes -> text ---------------------------------------------------------------------

# Only signatures that cannot start a real text post (most contain non-printing bytes).
_BINARY_SIGNATURES = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"%PDF-", b"PK\x03\x04", b"PK\x05\x06",
    b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\xfd7zXZ\x00", b"\x7fELF",
    b"\xd0\xcf\x11\xe0", b"SQLite format 3\x00", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe",
    b"\x00asm", b"OggS\x00",
)
# Tab, LF, CR, FF and ESC (used by ISO-2022-JP) are normal in text; other C0 bytes are not.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x1b") + b"\x7f"
_NON_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
# Python's cp932 accepts lone bytes 0x80, 0xA0 and 0xFD-0xFF, which no real Shift_JIS text
# contains; treating them as undecodable sends stray bytes to the fallbacks instead.
_CP932_LONE_BYTES = re.compile("[\x80\uf8f0-\uf8f3]")
_UNKNOWN_BYTES = Message(
    "post.unknown_bytes", "Some bytes are not valid text in any known encoding; they are shown as {mark}.", mark=_REPLACEMENT
)


def _damaged_text(places: int) -> Message:
    if places == 1:
        return Message("post.text_damaged_once", "The text looks damaged in 1 place (it contains {mark}).", mark=_REPLACEMENT)
    return Message("post.text_damaged", "The text looks damaged in {count} places (it contains {mark}).", count=places, mark=_REPLACEMENT)


def _decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Return (text, encoding, warnings), or raise PostError for data that is not text.

    A few stray NUL bytes in a long text (old pages have them, and browsers skip them) are left
    out with a warning; more than one byte in a hundred means the file is not text.
    """
    if not data:
        raise PostError(Message("post.empty", "{name} is empty.", name=name))
    if data.startswith(_BINARY_SIGNATURES):
        raise PostError(Message("post.binary", "{name} looks like a binary file, not text.", name=name))
    nuls = data.count(b"\x00") if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else 0
    if not nuls:
        return _decode_text(data, name)
    if nuls * 100 > len(data):
        raise PostError(Message("post.nul_bytes", "{name} contains NUL bytes, so it is not a text post.", name=name))
    text, encoding, warnings = _decode_text(data.replace(b"\x00", b""), name)
    if nuls == 1:
        left_out = Message("post.nul_byte_left_out", "1 NUL byte (an invisible character) was left out of the text.")
    else:
        left_out = Message("post.nul_bytes_left_out", "{count} NUL bytes (invisible characters) were left out of the text.", count=nuls)
    return text, encoding, [left_out, *warnings]


def _decode_text(data: bytes, name: str) -> tuple[str, str, list[str]]:
    if not data:
        raise PostError(Message("post.empty", "{name} is empty.", name=name))
    if data.startswith(_BINARY_SIGNATURES):
        raise PostError(Message("post.binary", "{name} looks like a binary file, not text.", name=name))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16")  # Windows Notepad's "Unicode"
        if text is not None and "\x00" not in text:
            return text, "utf-16", []
    if b"\x00" in data:
        raise PostError(Message("post.nul_bytes", "{name} contains NUL bytes, so it is not a text post.", name=name))
    sample = data[:8192]
    if len(sample.translate(None, _NON_CONTROL_BYTES)) > len(sample) * 0.05:
        raise PostError(Message("post.binary", "{name} looks like a binary file, not text.", name=name))

    utf8 = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    text = _strict(data, utf8)
    if text is not None:
        if b"\x1b$" in data and (jis := _strict(data, "iso2022_jp")) is not None:
            return jis, "iso2022_jp", []
        return text, utf8, []
    lenient = data.decode(utf8, errors="replace")
    if _mostly_valid(lenient, data):
        # A few broken bytes in a UTF-8 file (e.g. cut mid-character): any legacy codec
        # that happens to accept the bytes would garble every line instead.
        return lenient, utf8, [_UNKNOWN_BYTES]

    candidates = [(t, enc) for enc in ("cp932", "euc-jp")
                  if (t := _strict(data, enc)) is not None and not _CP932_LONE_BYTES.search(t)]
    if candidates:
        # Japanese text often decodes under both; the wrong one is full of half-width
        # katakana and private-use characters. Ties go to cp932, the commoner of the two.
        text, encoding = min(candidates, key=lambda candidate: _oddness(candidate[0]))
        return text, encoding, []
    guess = _charset_normalizer_guess(data)
    if guess is not None:
        text, encoding = guess
        return text, encoding, [Message("post.encoding_guessed", "The encoding was guessed as {encoding}, so some characters may be wrong.", encoding=encoding)]
    return lenient, utf8, [_UNKNOWN_BYTES]


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_valid(lenient: str, data: bytes) -> bool:
    """True if the UTF-8 decode has at most one bad spot per 20 good non-ASCII characters."""
    bad = lenient.count(_REPLACEMENT) - data.count(_REPLACEMENT.encode("utf-8"))
    good = sum(1 for ch in lenient if ch > "\x7f") - lenient.count(_REPLACEMENT)
    return bad * 20 <= good


def _oddness(text: str) -> int:
    """Count characters that real Japanese prose rarely contains."""
    odd = 0
    for ch in text:
        if ch < "\x80":
            continue
        code = ord(ch)
        if code < 0xA0 or 0xFF61 <= code <= 0xFF9F or 0xE000 <= code <= 0xF8FF:
            odd += 1  # C1 controls, half-width katakana, private use
        elif unicodedata.category(ch) in ("Cn", "Co", "Cc"):
            odd += 1
    return odd


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes  # slow to import; only needed off the happy path

    try:
        best = from_bytes(data).best()
        return (str(best), best.encoding) if best is not None else None
    except Exception:  # a guesser bug must not stop the post from opening
        return None


def _too_large(name: str, size: int, limit: int) -> Message:
    shown = _size_text(size)
    if shown == _size_text(limit):  # one byte over 20 MB rounds to "20 MB": say it exactly
        shown = Message("post.size_bytes", "{count} bytes", count=f"{size:,}")
    return Message("post.too_large", "{name} is {size}; posts larger than {limit} are not opened.", name=name, size=shown, limit=_size_text(limit))


def _size_text(size: int) -> str:
    if size < 1024:
        return Message("post.size_bytes", "{count} bytes", count=size)
    unit, scale = ("KB", 1024) if size < 1024 * 1024 else ("MB", 1024 * 1024)
    return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"


# --- front matter ----------------------------------------------------------------------


@dataclass(frozen=True)
class _FrontMatter:
    mapping: dict[Any, Any] | None  # None: no front matter, or it could not be used
    format: str | None
    body: str
    warnings: list[str]


_FENCES = {"---": ("yaml", re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)),
           "+++": ("toml", re.compile(r"^\+\+\+[ \t]*$", re.M))}
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")
# Lines an unclosed front matter is made of: "key: value", "key = value", "- item",
# indented continuations, comments, [tables].
_FIELD_LIKE = re.compile(r"[ \t]+\S|-[ \t]|#|\[|[^\s:=#][^:=]*(?::(?:[ \t]|$)|[ \t]*=)")


def _read_front_matter(text: str) -> _FrontMatter:
    first_line = text.partition("\n")[0]
    fence = first_line.rstrip(" \t")
    if fence not in _FENCES:
        return _FrontMatter(None, None, text, [])
    fmt, closing = _FENCES[fence]
    start = len(first_line) + 1
    end = closing.search(text, start) if start <= len(text) else None
    if end is None:
        return _unclosed(text, fence, fmt)
    block, inner, rest = text[: end.end()], text[start : end.start()], text[end.end() + 1 :]
    rest = _LEADING_BLANK_LINES.sub("", rest)

    too_deep = Message("post.front_matter_too_deep", "The front matter is too deeply nested or repetitive, so it is shown as text.")
    if len(inner.encode("utf-8", "surrogatepass")) > _MAX_FRONT_MATTER_BYTES:
        problem = Message("post.front_matter_too_large", "The front matter is larger than 64 KB, so it is shown as text.")
    elif _flow_depth(inner) > _MAX_FRONT_MATTER_DEPTH:
        # PyYAML recurses per bracket; deep nesting costs seconds before it gives up.
        problem = too_deep
    else:
        try:
            value = yaml.load(inner, Loader=_FrontMatterLoader) if fmt == "yaml" else tomllib.loads(inner)
        except Exception:  # YAMLError, TOMLDecodeError, RecursionError, ValueError...
            value = None
            problem = Message("post.front_matter_invalid", "The front matter is not valid {format}, so it is shown as text.", format=fmt.upper())
            recovered = _recover_fields(inner, fmt)
            if recovered:
                names = list(recovered)
                if len(names) == 1:
                    said = Message(
                        "post.front_matter_field_recovered", "The front matter is not valid {format}; its {field} was read line by line.",
                        format=fmt.upper(), field=names[0],
                    )
                else:
                    said = Message(
                        "post.front_matter_fields_recovered",
                        "The front matter is not valid {format}; its {fields} and {last} were read line by line.",
                        format=fmt.upper(), fields=", ".join(names[:-1]), last=names[-1],
                    )
                return _FrontMatter(recovered, fmt, rest, [said])
        else:
            if value is None:
                return _FrontMatter({}, fmt, rest, [])
            if not isinstance(value, dict):
                problem = Message("post.front_matter_not_fields", 'The front matter is not a set of "key: value" fields, so it is shown as text.')
            elif not _is_small(value):
                problem = too_deep
            else:
                cleaned = _without_surrogates(value)
                said = [Message(
                    "post.front_matter_bad_characters", "Some characters in the front matter are not valid text; they are shown as {mark}.",
                    mark=_REPLACEMENT,
                )] if cleaned != value else []
                return _FrontMatter(cleaned, fmt, rest, said)
    return _FrontMatter(None, fmt, _as_text_block(block, rest), [problem])


class _FrontMatterLoader(yaml.SafeLoader):
    """PyYAML's safe loader without YAML 1.1's base-60 numbers: `59:59:59` or `1:2:3` is text
    (as YAML 1.2 and the people who write it mean), not 215999 or 3723."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_FrontMatterLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_FrontMatterLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."),
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: Any) -> Any:
    """`value` with every lone surrogate (YAML's "\\ud800", which no text can hold) made U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    return value


# The fields worth saving from a front matter the parser refuses, and how a line gives one.
_RECOVERED_KEYS = ("title", "date", "tags", "categories", "category", "topics", "keywords", "author", "description",
                   "excerpt", "summary", "published", "draft", "emoji", "lastmod", "updated")
_FIELD_LINE = {"yaml": re.compile(r"([A-Za-z_]+)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$"),
               "toml": re.compile(r"([A-Za-z_]+)[ \t]*=[ \t]*(.*?)[ \t]*$")}
_LIST_ITEM = re.compile(r"[ \t]*-[ \t]+(.*?)[ \t]*$")


def _recover_fields(inner: str, fmt: str) -> dict[str, Any]:
    """The known fields of a front matter that does not parse as a whole, read line by line (a
    stray colon or quote elsewhere should not cost the post its title and tags)."""
    found: dict[str, Any] = {}
    lines = inner.split("\n")
    for number, line in enumerate(lines):
        match = _FIELD_LINE[fmt].fullmatch(line)
        if not match or match.group(1).lower() not in _RECOVERED_KEYS or match.group(1).lower() in found:
            continue
        key, raw = match.group(1).lower(), match.group(2) or ""
        if raw:
            found[key] = _field_value(key, raw, fmt)
            continue
        items = []  # "tags:" followed by "- item" lines
        for following in lines[number + 1 :]:
            item = _LIST_ITEM.fullmatch(following)
            if not item:
                break
            items.append(_field_value("", item.group(1), fmt))
        if items:
            found[key] = items
    return {key: value for key, value in found.items() if value not in (None, "", [])}


_LIST_KEYS = frozenset({"tags", "categories", "category", "topics", "keywords"})


def _field_value(key: str, raw: str, fmt: str) -> Any:
    """One value as its own line would parse it; else the text itself, quotes taken off (and for
    tags and the like, an unbalanced [list] split at its commas)."""
    try:
        value = yaml.load(f"v: {raw}", Loader=_FrontMatterLoader)["v"] if fmt == "yaml" else tomllib.loads(f"v = {raw}")["v"]
        value = _without_surrogates(value)
    except Exception:  # noqa: BLE001 - a value the parser refuses is kept as text
        value = None
    else:
        if isinstance(value, (str, int, float, bool, list, dt.date)) and _is_small(value):
            return value
    text = raw.strip()
    if key in _LIST_KEYS and text.startswith("["):
        return [part.strip().strip("'\"") for part in text.strip("[]").split(",") if part.strip().strip("'\"")]
    return text.strip("'\"")


def _unclosed(text: str, fence: str, fmt: str) -> _FrontMatter:
    """Show the opening fence and the field-like lines after it as text; the rest is the body."""
    lines = text.split("\n")
    count = 1
    while count < len(lines) and lines[count].strip() and _FIELD_LIKE.match(lines[count]):
        count += 1
    block, rest = "\n".join(lines[:count]), "\n".join(lines[count:])
    warning = Message("post.front_matter_unclosed", "The front matter is never closed (no closing {fence} line), so it is shown as text.", fence=fence)
    return _FrontMatter(None, fmt, _as_text_block(block, _LEADING_BLANK_LINES.sub("", rest)), [warning])


def _as_text_block(block: str, rest: str) -> str:
    """Put `block` in a fenced code block so Markdown shows it verbatim (no rules or headings)."""
    longest = max((len(run) for run in re.findall(r"`+", block)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{block}\n{fence}\n\n{rest}"


def _flow_depth(inner: str) -> int:
    """Deepest nesting of [ and { brackets (quotes ignored: an over-estimate is harmless)."""
    depth = deepest = 0
    for bracket in _NOT_BRACKETS.sub("", inner):
        depth = depth + 1 if bracket in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def _is_small(value: Any) -> bool:
    """True if walking `value` stays within the node and depth budgets (aliases included)."""
    stack, seen = [(value, 0)], 0
    while stack:
        item, depth = stack.pop()
        seen += 1
        if seen > _MAX_FRONT_MATTER_NODES or depth > _MAX_FRONT_MATTER_DEPTH:
            return False
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for pair in item.items() for child in pair)
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend((child, depth + 1) for child in item)
    return True


# --- metadata --------------------------------------------------------------------------

_ATX_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_CODE_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
# A date at the start of the file name: Jekyll's "2017-04-30-slug", and the "20170430-slug" or
# "20170430_slug" many others (Zenn slugs among them) use.
_DATE_PREFIX = re.compile(r"((?:19|20)\d{2}-\d{2}-\d{2}|(?:19|20)\d{6})[-_]")
_DATE_TEXT = re.compile(
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:(?:T|[ \t]+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"[ \t]*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?",
    re.I,
)
_TERM_SEPARATORS = re.compile(r"[,、，]")
# Qiita's old tags carry the version they are about: "Go:1.3", "Rails:4.2.0" are the tags Go, Rails.
_VERSIONED_TAG = re.compile(r"\A(.*[^\W\d_].*?):v?\d+(?:\.\d+)*\Z")


def _lower_keys(mapping: Mapping[Any, Any] | None) -> dict[str, Any]:
    # Hugo treats keys case-insensitively; "Title" should work like "title".
    return {str(key).lower(): value for key, value in (mapping or {}).items()}


def _text_field(fields: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    """The first of `keys` holding a non-empty scalar, as one line of text."""
    for key in keys:
        value = fields.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = re.sub(r"[ \t]*\n\s*", " ", str(value)).strip()
            if text:
                return text
    return None


_LEADING_H1 = re.compile(r"\A(?:[ \t]*\n)*[ ]{0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*(?:\n|\Z)(?:[ \t]*\n)*")


# {"tag","other tag"} alone on a line: a set of quoted names.
_TAG_SET_LINE = re.compile(r'(?:[ \t]*\n)*[ \t]*(\{[ \t]*"[^"\n]+"(?:[ \t]*,[ \t]*"[^"\n]+")*[ \t]*\})[ \t]*(?:\n|\Z)')
_QUOTED = re.compile(r'"([^"\n]+)"')


def _same_words(a: str, b: str) -> bool:
    """Whether two titles are the same but for spacing, case and emphasis marks."""
    squash = lambda text: "".join(text.replace("*", "").replace("`", "").split()).casefold()  # noqa: E731
    return squash(a) == squash(b)


def _leading_title(body: str) -> tuple[str, str] | None:
    """(title, the body without it) when the body opens with a level-1 "# Title" line."""
    match = _LEADING_H1.match(body)
    if match is None or not match.group(1).strip():
        return None
    return match.group(1).strip(), body[match.end() :]


_FIRST_LINE = re.compile(r"\A(?:[ \t]*\n)*[ \t]*(\S[^\n]*?)[ \t]*(?:\n|\Z)")
# A line that is a rule or list item, not a title.
_NOT_TITLE = re.compile(r"[-=*_~#・●■◆]{3,}|[-*+・]\s|\d+[.)]\s")


def _first_line_title(body: str) -> tuple[str, str] | None:
    """(title, the body without it) for a plain text whose first line reads as a title: short,
    not a sentence, a rule or a list item, set apart from what follows (a blank or indented line),
    with text after it."""
    match = _FIRST_LINE.match(body)
    if match is None:
        return None
    line, rest = match.group(1), body[match.end() :]
    follows = rest.split("\n", 1)[0]
    if (len(line) > 80 or _NOT_TITLE.match(line) or line.endswith(("。", "."))  # a sentence, not a title
            or not rest.strip() or (follows.strip() and not follows[:1].isspace())):
        return None
    return line, rest


# "Last Change: 17-Nov-2021.", "更新日：2021/11/17" in a text's header; a change beats a start.
_LABELLED_DATE = re.compile(r"(?P<label>[^:：]{1,24})[:：][ \t]*(?P<date>.+?)\.?")
_CHANGE_LABEL = re.compile(r"change|update|modif|revis|更新|改訂|変更", re.I)
_DMY = re.compile(r"(\d{1,2})-([A-Za-z]{3,9})-(\d{4})")


def _header_date(body: str, lines: int = 8) -> str | None:
    """The date among the first lines of a plain text or a page that states no date in its
    metadata: a line that is only a date (often right-aligned), else a labelled one ("Last
    Change: 17-Nov-2021"), a change or update date before any other."""
    labelled: list[tuple[bool, str]] = []
    for line in body.split("\n", lines)[:lines]:
        line = line.strip()
        if (date := _iso_date(line)) is not None:
            return date
        if (match := _LABELLED_DATE.fullmatch(line)) is not None:
            value = match.group("date").strip()
            if dmy := _DMY.fullmatch(value):
                value = f"{dmy.group(2)} {dmy.group(1)} {dmy.group(3)}"
            if (date := _iso_date(value)) is not None:
                labelled.append((_CHANGE_LABEL.search(match.group("label")) is None, date))
    return min(labelled)[1] if labelled else None


def _first_heading(body: str) -> str | None:
    """Text of the first ATX heading outside fenced code blocks."""
    open_fence = ""
    for line in body.split("\n"):
        fence = _CODE_FENCE.match(line)
        if open_fence:
            if fence and fence.group(1).startswith(open_fence) and not line.strip(open_fence[0] + " \t"):
                open_fence = ""
        elif fence:
            open_fence = fence.group(1)
        elif (heading := _ATX_HEADING.fullmatch(line)) and heading.group(1):
            return heading.group(1).strip()
    return None


def _post_date(fields: Mapping[str, Any], source_path: Path | None, warnings: list[str]) -> str | None:
    from_name = None
    if source_path and (prefix := _DATE_PREFIX.match(source_path.name)):
        digits = prefix.group(1)
        from_name = _iso_date(digits if "-" in digits else f"{digits[:4]}-{digits[4:6]}-{digits[6:]}")
    for key in ("date", "published_at", "created_at"):
        if key in fields and fields[key] is not None:
            parsed = _iso_date(fields[key])
            if parsed is None:
                shown = " ".join(str(fields[key]).split())[:60]  # keep the warning one short line
                if from_name:
                    warnings.append(Message(
                        "post.date_unreadable_file_name_used",
                        'The date "{date}" could not be understood, so the date in the file name is used.', date=shown,
                    ))
                else:
                    warnings.append(Message("post.date_unreadable", 'The date "{date}" could not be understood, so it is ignored.', date=shown))
                return from_name
            return parsed
    return from_name


_MONTHS = {name: number for number, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"), ("july", "jul"),
     ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec")], 1)
    for name in names}
# "April 30, 2017", "Apr. 30 2017", "30 April 2017" (Hakyll and other English blogs), and
# "2017年4月30日" (Japanese posts write dates so too).
_MONTH_FIRST = re.compile(r"([A-Za-z]+)\.?[ \t]+(\d{1,2})(?:st|nd|rd|th)?,?[ \t]+(\d{4})")
_DAY_FIRST = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[ \t]+([A-Za-z]+)\.?,?[ \t]+(\d{4})")
_JAPANESE_DATE = re.compile(r"(\d{4})年[ \t]*(\d{1,2})月[ \t]*(\d{1,2})日")


def _written_date(text: str) -> str | None:
    """ISO 8601 for a date written out in words (see the patterns above); else None."""
    parts = None
    if match := _MONTH_FIRST.fullmatch(text):
        parts = (match.group(3), _MONTHS.get(match.group(1).lower()), match.group(2))
    elif match := _DAY_FIRST.fullmatch(text):
        parts = (match.group(3), _MONTHS.get(match.group(2).lower()), match.group(1))
    elif match := _JAPANESE_DATE.fullmatch(text):
        parts = match.groups()
    if parts is None or parts[1] is None:
        return None
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
    except ValueError:
        return None


def _iso_date(value: Any) -> str | None:
    """ISO 8601 text for a date, datetime or date string (time and offset kept); else None."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str) and (written := _written_date(value.strip())):
        return written
    if not isinstance(value, str) or not (match := _DATE_TEXT.fullmatch(value.strip())):
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        if hour is None:
            return dt.date(int(year), int(month), int(day)).isoformat()
        zone = None
        if offset and offset.upper() in ("Z", "UTC", "GMT"):
            zone = dt.timezone.utc
        elif offset:
            digits = offset[1:].replace(":", "").ljust(4, "0")
            delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            zone = dt.timezone(-delta if offset[0] == "-" else delta)
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        moment = dt.datetime(int(year), int(month), int(day), int(hour), int(minute),
                             int(second or 0), micro, tzinfo=zone)
        return moment.isoformat()
    except ValueError:
        return None


def _author(fields: Mapping[str, Any]) -> str | None:
    for key in ("author", "authors"):
        names = _names(fields.get(key))
        if names:
            return ", ".join(names)
    user = fields.get("user")  # Qiita: {id: ..., name: ...}
    names = _names([user.get("id") or user.get("name")] if isinstance(user, Mapping) else user)
    return names[0] if names else None


def _names(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        value = [value]
    if not isinstance(value, (list, tuple)):
        value = [value]
    names = []
    for item in value:
        if isinstance(item, Mapping):
            item = item.get("name") or item.get("id")
        if isinstance(item, str) and item.strip():
            names.append(item.strip())
    return names


def _terms(fields: Mapping[str, Any], keys: tuple[str, ...]) -> tuple[str, ...]:
    """Tags or categories from `keys`, in order, without duplicates."""
    found: dict[str, None] = {}
    for key in keys:
        for term in _split_terms(fields.get(key)):
            found.setdefault(term, None)
    return tuple(found)


def _split_terms(value: Any) -> list[str]:
    if isinstance(value, str):
        parts = _TERM_SEPARATORS.split(value) if _TERM_SEPARATORS.search(value) else value.split()
    elif isinstance(value, (list, tuple)):
        # Qiita lists tags as {name: ..., versions: [...]}.
        parts = [item.get("name") if isinstance(item, Mapping) else item for item in value]
    else:
        parts = [value]
    terms = [str(part).strip() for part in parts
             if isinstance(part, (str, int, float)) and not isinstance(part, bool) and str(part).strip()]
    return [_VERSIONED_TAG.sub(r"\1", term) for term in terms]


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _json_safe(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {_json_key(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return str(value)


def _json_key(key: Any) -> str:
    return key.isoformat() if isinstance(key, (dt.date, dt.datetime, dt.time)) else str(key)
