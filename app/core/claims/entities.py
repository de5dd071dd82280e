"""Companies and chips named in text, recognised by their aliases as whole words.

The table is `resources/claims/entities.tsv` (its header says the format) with the user's own
`entities.tsv` from Kakikomi's data folder merged over it: a user line with the kind and name of a
bundled entity adds aliases to it (and may set its maker), any other line is a new entity. Lines
that cannot be read are skipped and reported in `EntityTable.warnings`, never raised.

An alias matches only as whole fugashi tokens (the tagger furigana.py opens), so メタバース does not
name Meta. Latin letters and digits must not continue around it either (H1000 is not H100, MI300X
is not MI300), nor katakana around a katakana name (アップルパイ is not Apple). A plural s after an
alias ending in a capital or digit belongs to the mention (TPUs, H100s name TPU and H100): that is
how English writes several of a chip. Aliases are matched case-sensitively (meta-analysis is not
Meta), so the table lists each spelling (NVIDIA, Nvidia).
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app.core.common import paths
from app.core.common.messages import Message
from app.core.reading import furigana

KINDS = ("company", "chip")
USER_FILE_NAME = "entities.tsv"


@dataclass(frozen=True)
class Entity:
    """A company or chip, the spellings that name it and, for a chip, the company that makes it."""

    kind: str
    name: str
    aliases: tuple[str, ...]
    maker: str | None = None


@dataclass(frozen=True)
class Mention:
    """text[start:end] names the entity `name` of `kind`."""

    kind: str
    name: str
    text: str
    start: int
    end: int

    def to_json(self) -> dict:
        return {"kind": self.kind, "name": self.name, "text": self.text, "start": self.start, "end": self.end}


@dataclass
class EntityTable:
    """The merged entity list and the one pattern that finds candidate aliases."""

    entities: tuple[Entity, ...]
    warnings: tuple[str, ...] = ()
    _by_alias: dict[str, Entity] = field(default_factory=dict, repr=False)
    _pattern: re.Pattern | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for entity in self.entities:
            for alias in entity.aliases:
                self._by_alias.setdefault(_alias_key(alias), entity)
        # Longest first, so MI300X wins over MI300 and Gaudi 3 over Gaudi.
        aliases = sorted({a for e in self.entities for a in e.aliases}, key=len, reverse=True)
        if aliases:
            self._pattern = re.compile("|".join(re.escape(a).replace(r"\ ", "[ \u00a0]?") for a in aliases))

    def entity(self, alias: str) -> Entity | None:
        """The entity an alias (as found in text, spaces optional) names."""
        return self._by_alias.get(_alias_key(alias))

    def named(self, kind: str, name: str) -> Entity | None:
        return next((e for e in self.entities if e.kind == kind and e.name.casefold() == name.casefold()), None)


def _alias_key(alias: str) -> str:
    return alias.replace(" ", "").replace("\u00a0", "")


def bundled_file() -> Path:
    return paths.resource("claims", "entities.tsv")


def user_file() -> Path:
    """Where the user's own entities are read from: entities.tsv in Kakikomi's data folder."""
    return paths.data_dir() / USER_FILE_NAME


def read_entities(path: Path) -> tuple[list[Entity], list[str]]:
    """The entities of one TSV file and a warning for each line that could not be read."""
    entities: list[Entity] = []
    warnings: list[str] = []
    text = path.read_text(encoding="utf-8-sig")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        columns = [c.strip() for c in line.split("\t")]
        kind = columns[0].lower() if columns else ""
        aliases = tuple(dict.fromkeys(a.strip() for a in columns[2].split("|") if a.strip())) if len(columns) > 2 else ()
        if kind not in KINDS or len(columns) < 2 or not columns[1] or not aliases:
            warnings.append(Message(
                "entities.bad_line", "{file} line {line}: expected kind (company or chip), name, aliases separated by |, maker.",
                file=path.name, line=number,
            ))
            continue
        maker = columns[3] if len(columns) > 3 and columns[3] else None
        entities.append(Entity(kind, columns[1], aliases, maker))
    return entities, warnings


def merge(base: Iterable[Entity], extra: Iterable[Entity]) -> list[Entity]:
    """`base` with `extra` merged over it: same kind and name (case ignored) -> aliases added."""
    merged: dict[tuple[str, str], Entity] = {}
    for entity in base:
        merged[(entity.kind, entity.name.casefold())] = entity
    for entity in extra:
        key = (entity.kind, entity.name.casefold())
        old = merged.get(key)
        if old is None:
            merged[key] = entity
        else:
            aliases = tuple(dict.fromkeys(entity.aliases + old.aliases))
            merged[key] = Entity(old.kind, old.name, aliases, entity.maker or old.maker)
    return list(merged.values())


_cache: dict[tuple, EntityTable] = {}


def load_entities(user_path: str | os.PathLike[str] | None = None) -> EntityTable:
    """The bundled entities with the user's file merged over them.

    `user_path` defaults to `user_file()`; a missing or unreadable user file just adds nothing
    (an unreadable one says so in `warnings`). Tables are cached until a file changes.
    """
    path = Path(user_path) if user_path is not None else user_file()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    key = (str(bundled_file()), str(path), stamp)
    table = _cache.get(key)
    if table is None:
        entities, warnings = read_entities(bundled_file())
        if stamp is not None:
            try:
                extra, extra_warnings = read_entities(path)
            except (OSError, UnicodeDecodeError) as exc:
                extra, extra_warnings = [], [Message("entities.unreadable", "Could not read {path}: {reason}.", path=path, reason=exc)]
            entities = merge(entities, extra)
            warnings += extra_warnings
        table = _cache[key] = EntityTable(tuple(entities), tuple(warnings))
    return table


_WORD_CHAR = re.compile(r"[A-Za-z0-9]")
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]")
_PLURAL_AFTER = re.compile(r"s(?![A-Za-z0-9])")
_SEGMENT_END = re.compile(r"[。！？!?\n]")
_CONTEXT = 12
# MeCab takes tabs and line breaks as field separators and reads full-width digits as words; the
# same replacements furigana makes (same lengths, so offsets hold).
_FOR_MECAB = str.maketrans("０１２３４５６７８９\t\n\r\x0b\x0c", "0123456789     ")


def _token_edges(segment: str) -> tuple[set[int], set[int]]:
    """Where the tokens of `segment` start and end, from the one tagger furigana opened."""
    starts: set[int] = set()
    ends: set[int] = set()
    position = 0
    for line in furigana.tagger().parse(segment.translate(_FOR_MECAB)).split("\n"):
        if line == "EOS":
            break
        with_space, _tab, rest = line.partition("\t")
        surface = rest.partition("\t")[0]
        position += len(with_space)
        starts.add(position - len(surface))
        ends.add(position)
    return starts, ends


def find_entities(text: str, table: EntityTable | None = None) -> list[Mention]:
    """Every whole-word mention of a company or chip in `text`, in order (see the module docstring)."""
    table = table or load_entities()
    if table._pattern is None or not text:
        return []
    candidates: list[tuple[int, int, Entity]] = []
    for m in table._pattern.finditer(text):
        start, end = m.span()
        alias = m.group()
        if _WORD_CHAR.match(alias) and start > 0 and _WORD_CHAR.match(text[start - 1]):
            continue
        if _WORD_CHAR.match(alias[-1]) and end < len(text) and _WORD_CHAR.match(text[end]):
            plural = _PLURAL_AFTER.match(text, end)
            if plural is None or not (alias[-1].isupper() or alias[-1].isdigit()):
                continue
            end = plural.end()
        # A katakana name inside a longer katakana word is part of another word (アップルパイ),
        # even where UniDic happens to split that word.
        if _KATAKANA.match(alias[-1]) and end < len(text) and _KATAKANA.match(text[end]):
            continue
        if _KATAKANA.match(alias[0]) and start > 0 and _KATAKANA.match(text[start - 1]):
            continue
        entity = table.entity(alias)
        if entity is not None:
            candidates.append((start, end, entity))
    # Only the text around each candidate is tokenized: a dozen characters either side, within
    # its sentence, is context enough for MeCab to decide where the words there begin and end,
    # and a post's other sentences cannot change it. Candidates close together share a window.
    found: list[Mention] = []
    if not candidates:
        return found
    boundaries = [m.end() for m in _SEGMENT_END.finditer(text)]
    window_end = -1
    starts: set[int] = set()
    ends: set[int] = set()
    for index, (start, end, entity) in enumerate(candidates):
        if end > window_end:
            i = bisect.bisect_right(boundaries, start)
            window_start = max(boundaries[i - 1] if i else 0, start - _CONTEXT)
            j = bisect.bisect_left(boundaries, end)
            sentence_end = boundaries[j] if j < len(boundaries) else len(text)
            last = end
            for next_start, next_end, _entity in candidates[index + 1 :]:
                if next_start >= min(last + 2 * _CONTEXT, sentence_end):
                    break
                last = max(last, next_end)
            window_end = min(sentence_end, last + _CONTEXT)
            window_starts, window_ends = _token_edges(text[window_start:window_end])
            starts = {window_start + s for s in window_starts}
            ends = {window_start + e for e in window_ends}
        alias_end = end - 1 if end not in ends and text[end - 1] == "s" else end
        if start in starts and (end in ends or alias_end in ends):
            found.append(Mention(entity.kind, entity.name, text[start:end], start, end))
    return found
