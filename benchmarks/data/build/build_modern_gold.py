"""Build the modern-prose reading gold sets (reading_modern_dev.tsv, reading_modern_test.tsv).

Source: the ROHAN corpus (ROHAN4600), CC0 1.0, github.com/mmorise/rohan4600, file
Rohan4600_transcript_utf8.txt. Every line is `ID:text,PRONUNCIATION` where the text carries the
source's own ruby: each kanji stretch is followed by its reading in ASCII parentheses, e.g.
`流(なが)し斬(ぎ)りが完全(かんぜん)に入(はい)れば`. The readings are the corpus authors', not a
tokenizer's: nothing here runs MeCab, fugashi or any dictionary.

Usage (the source is read from a git checkout or bare mirror of that repository, at a pinned commit):

    python benchmarks/data/build/build_modern_gold.py /path/to/rohan4600.git [--commit SHA]

A kanji run is a maximal stretch of KANJI_CHARS (kanji plus 々 〆 〇 ヶ, the same class as
app/core/reading/tokens.py) in the plain sentence (ruby removed). Its gold reading is the
concatenation of the ruby groups that cover it; a run that is not covered exactly by ruby groups
(a kanji with no ruby, or ruby whose base strays outside the run) is left out and counted.

The split is by document: a document is one of ROHAN's 22 subsets (its 朗読者用 files), and each
subset goes whole to dev or to test (see SPLIT below).
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

COMMIT = "a1edeed7499995b5da3b1f9c8a284d55488ca635"
SOURCE_PATH = "Rohan4600_transcript_utf8.txt"
OUT = Path(__file__).resolve().parent.parent

KANJI_CHARS = "\u3005\u3006\u3007\u30f6\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
KANJI = re.compile(f"[{KANJI_CHARS}]")
KANJI_RUN = re.compile(f"[{KANJI_CHARS}]+")
RUBY = re.compile(r"\(([^()]*)\)")
HIRAGANA = re.compile("[ぁ-ゖー]+")

# ROHAN's subsets by sentence number (README "全サブセットと平均モーラ数"). Each is one document.
SUBSETS = [
    (1, 400, "ENDSVILLE400"),
    *((401 + 200 * i, 600 + 200 * i, f"MIDDLE1600_{i + 1}") for i in range(8)),
    *((2001 + 200 * i, 2200 + 200 * i, f"SHORT800_{i + 1}") for i in range(4)),
    *((2801 + 200 * i, 3000 + 200 * i, f"LONG800_{i + 1}") for i in range(4)),
    *((3601 + 200 * i, 3800 + 200 * i, f"GUEST1000_{i + 1}") for i in range(5)),
]

# Whole subsets to each side, each side getting every kind (entropy/middle/short/long/guest-written,
# です・ます and だ・である halves are inside every subset). Fixed here, never re-drawn.
SPLIT = {
    "dev": {"ENDSVILLE400", "MIDDLE1600_1", "MIDDLE1600_2", "MIDDLE1600_3", "MIDDLE1600_4",
            "SHORT800_1", "SHORT800_2", "LONG800_1", "LONG800_2", "GUEST1000_1", "GUEST1000_2"},
    "test": {"MIDDLE1600_5", "MIDDLE1600_6", "MIDDLE1600_7", "MIDDLE1600_8",
             "SHORT800_3", "SHORT800_4", "LONG800_3", "LONG800_4",
             "GUEST1000_3", "GUEST1000_4", "GUEST1000_5"},
}

# Runs left out on purpose, each with its reason. Only runs whose source reading is not a reading a
# furigana reader could ever be expected to give (a spoken, dialect rendering), never "hard" ones.
EXCLUDE = {
    ("ROHAN4600_3709", "千円"): "dialect pronunciation しぇんいぇん in quoted speech (standard せんえん)",
}

FIELDS = ["sentence", "word", "reading", "note", "start", "doc", "sid", "parts"]


def subset_of(number: int) -> str:
    for lo, hi, name in SUBSETS:
        if lo <= number <= hi:
            return name
    raise ValueError(number)


def parse(annotated: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Plain text and its ruby groups (start, end, reading) in plain-text offsets. The base of a
    group is the kanji stretch right before the parenthesis (back to the previous group or the
    previous non-kanji character)."""
    plain: list[str] = []
    groups: list[tuple[int, int, str]] = []
    last_group_end = 0
    pos = 0
    for m in RUBY.finditer(annotated):
        plain.append(annotated[pos:m.start()])
        end = len("".join(plain))
        start = end
        text = "".join(plain)
        while start > last_group_end and KANJI.match(text[start - 1]):
            start -= 1
        groups.append((start, end, m.group(1)))
        last_group_end = end
        pos = m.end()
    plain.append(annotated[pos:])
    return "".join(plain), groups


def runs(sentence: str, groups: list[tuple[int, int, str]], stats: Counter) -> list[tuple[int, str, str, str, str]]:
    """(start, run, reading, note, parts) for every kanji run covered exactly by ruby groups."""
    out = []
    for m in KANJI_RUN.finditer(sentence):
        s, e = m.start(), m.end()
        inside = exact_groups(s, e, groups, stats)
        if not inside:
            if inside == []:
                stats["run: no ruby"] += 1  # (every run of the source has ruby: never)
            continue
        reading = "".join(g[2] for g in inside)
        if not HIRAGANA.fullmatch(reading):
            stats["run: reading not hiragana"] += 1
            continue
        out.append((s, m.group(), reading, *note_and_parts(sentence, inside, [g[2] for g in inside])))
    return out


def exact_groups(s: int, e: int, groups: list[tuple[int, int, str]], stats: Counter) -> list[tuple[int, int, str]] | None:
    """The ruby groups that cover the run sentence[s:e] exactly, in order; [] when none touches
    it; None (counted in `stats`) when one strays outside the run or some kanji of it has none."""
    inside = [g for g in groups if g[0] < e and g[1] > s]
    if not inside:
        return []
    if any(g[0] < s or g[1] > e for g in inside):
        stats["run: ruby base strays outside the run"] += 1
        return None
    if sum(g[1] - g[0] for g in inside) != e - s or inside[0][0] != s or inside[-1][1] != e:
        stats["run: some kanji without ruby"] += 1
        return None
    return inside


def note_and_parts(sentence: str, inside: list[tuple[int, int, str]], readings: list[str]) -> tuple[str, str]:
    """A row's `note` and `parts` for a run the ruby groups `inside` cover, read `readings`:
    "split" (the source glossed the run in parts, e.g. 人生(じんせい)山(やま), parts
    人生=じんせい|山=やま), else "single" for one character or "compound", without parts."""
    if len(inside) > 1:
        return "split", "|".join(f"{sentence[g[0]:g[1]]}={r}" for g, r in zip(inside, readings))
    return ("single" if inside[0][1] - inside[0][0] == 1 else "compound"), ""


def write_gold(path: Path, rows: list[dict]) -> None:
    """One gold set as benchmarks/data/SOURCES.md describes the files (FIELDS, tab-separated)."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, FIELDS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar=None)
        w.writeheader()
        w.writerows(rows)


def read_source(repo: str, commit: str) -> str:
    return subprocess.run(
        ["git", "-C", repo, "show", f"{commit}:{SOURCE_PATH}"],
        check=True, capture_output=True, text=True, encoding="utf-8",
    ).stdout


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("repo", help="git directory (or checkout) of github.com/mmorise/rohan4600")
    ap.add_argument("--commit", default=COMMIT)
    args = ap.parse_args(argv)
    stats: Counter = Counter()
    rows: dict[str, list[dict]] = {"dev": [], "test": []}
    sentences: dict[str, int] = Counter()
    docs_seen: dict[str, set] = {"dev": set(), "test": set()}
    for line in read_source(args.repo, args.commit).splitlines():
        if not line.strip():
            continue
        sid, rest = line.split(":", 1)
        annotated, _pronunciation = rest.rsplit(",", 1)
        number = int(sid.rsplit("_", 1)[1])
        doc = "ROHAN4600/" + subset_of(number)
        side = "dev" if subset_of(number) in SPLIT["dev"] else "test"
        sentence, groups = parse(annotated)
        for g in groups:
            if not all(KANJI.match(c) for c in sentence[g[0]:g[1]]) or g[0] == g[1]:
                stats["ruby over non-kanji (skipped)"] += 1
        found = runs(sentence, groups, stats)
        if not found:
            stats["sentence without a usable run"] += 1
            continue
        sentences[side] += 1
        docs_seen[side].add(doc)
        for start, word, reading, note, parts in found:
            if (sid, word) in EXCLUDE:
                stats["run excluded on purpose (EXCLUDE)"] += 1
                continue
            rows[side].append({"sentence": sentence, "word": word, "reading": reading, "note": note,
                               "start": start, "doc": doc, "sid": sid, "parts": parts})
    assert not (docs_seen["dev"] & docs_seen["test"])
    for side in ("dev", "test"):
        path = OUT / f"reading_modern_{side}.tsv"
        write_gold(path, rows[side])
        first = sum(1 for r in rows[side] if r["sentence"].index(r["word"]) == r["start"])
        print(f"{path.name}: {sentences[side]} sentences, {len(rows[side])} kanji runs, "
              f"{len(docs_seen[side])} documents; {first} runs are the first occurrence of their text")
    for k, v in sorted(stats.items()):
        print(f"  {k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
