"""Build the literary reading gold sets (reading_literary_dev.tsv, reading_literary_test.tsv).

Source: Aozora Bunko (青空文庫) texts in Aozora's own ruby text format, as collected by the
repository github.com/aozorahack/aozorabunko_text (every `cards/NNNNNN/files/*_ruby_*.zip` of
github.com/aozorabunko/aozorabunko, unzipped to `cards/NNNNNN/files/*_ruby_*/*.txt`, Shift_JIS).
The works used are public domain in Japan (their authors died before 1968). The ruby is the
author's or the editor's, as Aozora's volunteers typed it from the printed edition:
`邪智暴虐《じゃちぼうぎゃく》`, with `｜` marking where a base starts when it does not start at a
kanji run (`疲労｜困憊《こんぱい》`). Nothing here runs MeCab, fugashi or any dictionary: the
readings are the source's.

Usage (the source is read from a git checkout or bare mirror of that repository, at a pinned commit):

    python benchmarks/data/build/build_literary_gold.py /path/to/aozorabunko_text.git [--commit SHA]

Works: the ruby files in the card directories of AUTHORS only (so no reserved author's directory is
ever read), whose author lines name that author alone (translations and co-authored works are left
out, and so is any file whose author lines name one of RESERVED), in modern kana (新仮名): a work
whose text shows historical kana (OLD_KANA_MARKS), whose ruby has ゐ ゑ を, or whose ruby has no
small kana at all is left out whole. Per author the first MAX_WORKS such works in the order of
their Aozora work ID, one title once, alternating dev/test, so that every author with two works
or more is on both sides and no work is on both. From each work at most ROWS_PER_WORK rows, from
sentences spread evenly over it.

Rows: a kanji run is a maximal stretch of KANJI_CHARS (as app/core/reading/tokens.py) in the plain
sentence (ruby, ｜ and ［＃…］ notes removed; sentences end at 。！？ and 」). It is a row when ruby
groups cover it exactly (one base, or consecutive bases). Its gold reading is the groups' readings
joined, in hiragana. Left out and counted: runs only partly under ruby, ruby over non-kanji, ruby
that is not kana (a gloss in kanji), katakana ruby (a foreign word or gloss, see reading_of),
readings in historical kana (HISTORICAL_SPELLING), and sentences with a gaiji (※), a double
quote or a tab, or over MAX_SENTENCE characters.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The modern sets' script: the kanji classes, a row's note and parts, and the file's layout.
from build_modern_gold import HIRAGANA, KANJI, KANJI_RUN, exact_groups, note_and_parts, write_gold  # noqa: E402

COMMIT = "0984f7dc18a2270bdfd2ff99bf14fd1b3ebb4f65"
OUT = Path(__file__).resolve().parent.parent

KANA = re.compile("[ぁ-ゖァ-ヶー]+")
VOICEABLE = set("かきくけこさしすせそたちつてとはひふへほ")
NOTE = re.compile("［＃[^］]*］")  # input notes: gaiji descriptions, 傍点, headings, indents
SENTENCE_END = re.compile("[。！？]+」?|」")

# Authors whose works may be used (Aozora author ID = card directory, and the author line of the
# text). Every one died before 1968, so their works are public domain in Japan (the 50-year term
# that applied before the 2018 extension had run out), which is why Aozora Bunko publishes them.
AUTHORS = {
    "000035": "太宰治",
    "000129": "森鴎外",
    "000119": "中島敦",
    "001095": "坂口安吾",
    "000074": "梶井基次郎",
    "000042": "寺田寅彦",
    "000158": "島崎藤村",
    "000050": "泉鏡花",
    "000040": "織田作之助",
    "000291": "林芙美子",
    "001475": "小川未明",
    "000025": "有島武郎",
    "000038": "国木田独歩",
    "000083": "菊池寛",
    "000106": "北原白秋",
    "000064": "樋口一葉",
}
# Reserved by the project as external tests (issue 15): never used in any way.
RESERVED = ("芥川竜之介", "芥川龍之介", "夏目漱石", "宮沢賢治", "夢野久作", "江戸川乱歩", "新美南吉", "岡本かの子")
MAX_WORKS = 4  # per author: two works a side (one or none where an author has fewer)
ROWS_PER_WORK = 70  # at most, from sentences spread evenly over the work; keeps the files small
MAX_SENTENCE = 200

# Historical kana usage (歴史的仮名遣い) in running text: a work with more than OLD_KANA_LIMIT of
# these is not in modern kana and is left out whole.
OLD_KANA_MARKS = re.compile("[ゐゑヰヱ]|でせう|ませう|だらう|であらう|やうに|さうして|をります|思ひ|云ふ|言ふ|給ふ")
OLD_KANA_LIMIT = 3
# A ruby reading spelled in historical kana: ゐ ゑ を (no modern reading of a kanji has them),
# a reading ending in an "a" kana and う where modern kana writes a long o (吾木香《われもかう》),
# or the whole reading てふ or けふ (蝶 ちょう, 今日 きょう). Inside a reading "a" + う is mostly
# two words (裸馬 はだかうま, 端唄 はうた), so only the end counts.
HISTORICAL_SPELLING = re.compile("[ゐゑをヰヱヲ]|[あかさたなはまやらわがざだばぱ]う$|^(てふ|けふ)$")
# A work whose ruby has ゐ ゑ を, or that has MIN_RUBY_FOR_SMALL_KANA ruby or more and no small
# ゃ ゅ ょ っ in any of them, prints its ruby in historical kana or with large kana only
# (樋口一葉's 五尺《ごしやく》, 日参《につさん》): left out whole.
MIN_RUBY_FOR_SMALL_KANA = 20
SMALL_KANA = re.compile("[ゃゅょっャュョッ]")



@dataclass(frozen=True)
class Work:
    path: str  # in the source repository
    author_id: str
    author: str
    title: str
    work_id: int


def git(repo: str, *args: str) -> bytes:
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True).stdout


def read_text(repo: str, commit: str, path: str) -> str | None:
    """The file's text (Aozora's files are Shift_JIS; cp932 is its Windows superset), or None."""
    try:
        return git(repo, "show", f"{commit}:{path}").decode("cp932")
    except UnicodeDecodeError:
        return None


def body_lines(text: str) -> list[str]:
    """The work's body: after the notation legend (between two lines of dashes, when there is
    one) and before the colophon (底本：)."""
    lines = text.replace("\r\n", "\n").split("\n")
    dashes = [i for i, line in enumerate(lines[:60]) if line.startswith("-----")]
    start = dashes[1] + 1 if len(dashes) >= 2 else 2
    out = []
    for line in lines[start:]:
        if line.startswith(("底本：", "底本:")):
            break
        out.append(line)
    return out


def parse(line: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Plain text of one source line and its ruby groups (start, end, reading) in plain offsets.
    A group's base runs from the last ｜ (when one is pending) or else back over the kanji (or,
    for ruby over kana or Latin, the characters of the same kind) right before 《, never into the
    base of the previous group."""
    line = NOTE.sub("", line)
    plain: list[str] = []
    groups: list[tuple[int, int, str]] = []
    bar: int | None = None
    last_end = 0
    i = 0
    while i < len(line):
        c = line[i]
        if c == "｜":
            bar = len(plain)
            i += 1
            continue
        if c == "《":
            close = line.find("》", i)
            if close < 0:
                plain.append(c)
                i += 1
                continue
            reading = line[i + 1:close]
            end = len(plain)
            if bar is not None:
                start = bar
            else:
                start = end
                same = _kind(plain[end - 1]) if end else None
                while start > last_end and _kind(plain[start - 1]) == same:
                    start -= 1
            groups.append((start, end, reading))
            last_end = end
            bar = None
            i = close + 1
            continue
        plain.append(c)
        i += 1
    return "".join(plain), groups


def _kind(c: str) -> str:
    if KANJI.match(c):
        return "kanji"
    if "ぁ" <= c <= "ゖ":
        return "hiragana"
    if "ァ" <= c <= "ヺ" or c == "ー":
        return "katakana"
    if c.isascii() and c.isalnum() or "Ａ" <= c <= "ｚ":
        return "latin"
    return "other:" + c


def sentences(plain: str, groups: list[tuple[int, int, str]]):
    """Cut one line at sentence ends (。！？ and a closing 」); yield (offset, text, groups) with the
    groups that lie inside, in sentence offsets. A group across a cut is dropped with its run."""
    start = 0
    cuts = [m.end() for m in SENTENCE_END.finditer(plain)]
    if not cuts or cuts[-1] != len(plain):
        cuts.append(len(plain))
    for end in cuts:
        text = plain[start:end]
        stripped = text.lstrip("　 ")
        lead = len(text) - len(stripped)
        inside = [(s - start - lead, e - start - lead, r) for s, e, r in groups if s >= start + lead and e <= end]
        if stripped.strip():
            yield start + lead, stripped, inside
        start = end


def reading_of(raw: str, stats: Counter) -> str | None:
    """The group's reading in hiragana, or None (counted) when it is no kana reading to compare.
    The kana iteration marks ゝ ゞ are spelled out and a katakana ッ among hiragana (つッぱ, a
    common way of printing the small っ) is read as っ. Ruby with any other katakana is left out:
    in these texts it marks a foreign word or a gloss (露西亜《ロシア》, 洋燈《ランプ》,
    誇《プライド》, 長老《ルバック》) far more often than a reading (蚕《カイコ》)."""
    spelled: list[str] = []
    for c in raw:
        if c in "ゝゞ" and spelled and "ぁ" <= spelled[-1] <= "ゖ":
            c = spelled[-1] if c == "ゝ" else chr(ord(spelled[-1]) + 1) if spelled[-1] in VOICEABLE else spelled[-1]
        spelled.append(c)
    reading = "".join(spelled).replace("ッ", "っ")
    if HIRAGANA.fullmatch(reading):
        return reading
    if KANA.fullmatch(reading):
        stats["run: katakana ruby (foreign word or gloss)"] += 1
    else:
        stats["run: ruby not kana (gloss in kanji, notes in brackets)"] += 1
    return None


def runs(sentence: str, groups: list[tuple[int, int, str]], stats: Counter) -> list[tuple[int, str, str, str, str]]:
    """(start, run, reading, note, parts) for every kanji run covered exactly by ruby groups."""
    out = []
    for m in KANJI_RUN.finditer(sentence):
        s, e = m.start(), m.end()
        inside = exact_groups(s, e, groups, stats)
        if not inside:
            continue  # no ruby (most runs: not a row), or not all of the run under ruby
        readings = [reading_of(g[2], stats) for g in inside]
        if any(r is None for r in readings):
            continue
        reading = "".join(readings)
        if HISTORICAL_SPELLING.search(reading):
            stats["run: reading in historical kana (dropped)"] += 1
            continue
        out.append((s, m.group(), reading, *note_and_parts(sentence, inside, readings)))
    return out


def candidate_works(repo: str, commit: str, stats: Counter) -> list[Work]:
    """The ruby files of AUTHORS, author line checked, in modern kana; MAX_WORKS per author."""
    chosen: list[Work] = []
    for author_id, author in AUTHORS.items():
        listing = git(repo, "ls-tree", "-r", "--name-only", commit, f"cards/{author_id}/files/").decode()
        paths = [p for p in listing.split() if "_ruby" in p and p.endswith(".txt")]
        by_work: dict[int, str] = {}
        for p in paths:
            work_id = int(Path(p).name.split("_", 1)[0])
            by_work.setdefault(work_id, p)  # one file per work (the first of its versions)
        taken = 0
        titles: set[str] = set()
        for work_id in sorted(by_work):
            if taken >= MAX_WORKS:
                break
            text = read_text(repo, commit, by_work[work_id])
            if text is None:
                stats["work: not Shift_JIS (skipped)"] += 1
                continue
            head = text.replace("\r\n", "\n").split("\n")[:4]
            if any(r in line for line in head[1:4] for r in RESERVED):
                stats["work: a reserved author on its author lines (never used)"] += 1
                continue
            if not any(line.replace("　", "").replace(" ", "") == author for line in head[1:4]):
                stats["work: author line is not the author alone (translation, co-author; skipped)"] += 1
                continue
            body = body_lines(text)
            if len(OLD_KANA_MARKS.findall("\n".join(body))) > OLD_KANA_LIMIT:
                stats["work: historical kana in its text (skipped whole)"] += 1
                continue
            ruby = [reading for line in body for _s, _e, reading in parse(line)[1]]
            if any(re.search("[ゐゑをヰヱヲ]", r) for r in ruby) or (
                len(ruby) >= MIN_RUBY_FOR_SMALL_KANA and not any(SMALL_KANA.search(r) for r in ruby)
            ):
                stats["work: historical kana or no small kana in its ruby (skipped whole)"] += 1
                continue
            title = parse(head[0].strip())[0]  # a title may carry ruby: 藁草履《わらぞうり》
            if title in titles:
                stats["work: same title as an earlier one (another edition; skipped)"] += 1
                continue
            titles.add(title)
            chosen.append(Work(by_work[work_id], author_id, author, title, work_id))
            taken += 1
    return chosen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("repo", help="git directory (or checkout) of github.com/aozorahack/aozorabunko_text")
    ap.add_argument("--commit", default=COMMIT)
    args = ap.parse_args(argv)
    stats: Counter = Counter()
    works = candidate_works(args.repo, args.commit, stats)
    rows: dict[str, list[dict]] = {"dev": [], "test": []}
    docs: dict[str, list[str]] = {"dev": [], "test": []}
    sentences_n: Counter = Counter()
    per_author: Counter = Counter()
    for work in works:
        side = "dev" if per_author[work.author_id] % 2 == 0 else "test"
        per_author[work.author_id] += 1
        doc = f"{work.author}/{work.title}"
        text = read_text(args.repo, args.commit, work.path)
        assert text is not None
        candidates = []
        for n, line in enumerate(body_lines(text)):
            plain, groups = parse(line)
            for offset, sentence, inside in sentences(plain, groups):
                if "※" in sentence:
                    stats["sentence: has a gaiji (※), skipped"] += 1
                    continue
                if len(sentence) > MAX_SENTENCE:
                    stats[f"sentence: over {MAX_SENTENCE} characters, skipped"] += 1
                    continue
                if '"' in sentence or "\t" in sentence:
                    stats["sentence: has a double quote or tab, skipped"] += 1
                    continue
                for g in inside:
                    if g[0] == g[1] or not KANJI_RUN.fullmatch(sentence[g[0]:g[1]]):
                        stats["ruby over kana, Latin or mixed text (not a kanji run; skipped)"] += 1
                found = runs(sentence, inside, stats)
                if found:
                    candidates.append((f"{work.author_id}/{work.work_id}:{n + 1}:{offset}", sentence, found))
        # Sentences spread evenly over the work: a sentence is taken while the rows taken so far
        # are behind a steady pace to ROWS_PER_WORK and its rows fit under it (every sentence when
        # the work has fewer rows).
        total = sum(len(found) for _sid, _sentence, found in candidates)
        taken = 0
        for i, (sid, sentence, found) in enumerate(candidates):
            if taken + len(found) > ROWS_PER_WORK or taken > ROWS_PER_WORK * i / len(candidates) and total > ROWS_PER_WORK:
                stats["run: not taken (ROWS_PER_WORK)"] += len(found)
                continue
            taken += len(found)
            sentences_n[side] += 1
            for start, word, reading, note, parts in found:
                rows[side].append({"sentence": sentence, "word": word, "reading": reading, "note": note,
                                   "start": start, "doc": doc, "sid": sid, "parts": parts})
        if taken:
            docs[side].append(f"{doc} ({work.path})")
    assert not ({d.split(" (")[0] for d in docs["dev"]} & {d.split(" (")[0] for d in docs["test"]})
    for side in ("dev", "test"):
        path = OUT / f"reading_literary_{side}.tsv"
        write_gold(path, rows[side])
        notes = Counter(r["note"] for r in rows[side])
        print(f"{path.name}: {sentences_n[side]} sentences, {len(rows[side])} kanji runs "
              f"({', '.join(f'{k} {v}' for k, v in sorted(notes.items()))}), {len(docs[side])} works")
        for d in docs[side]:
            print(f"    {d}")
    for k, v in sorted(stats.items()):
        print(f"  {k}: {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
