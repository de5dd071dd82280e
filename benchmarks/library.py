"""`python -m benchmarks.library`: the library's speed at scale (import, search, highlights).

Builds a library of N generated posts (~15,000 characters each, made from the bundled sample
post's paragraphs in a seeded-random order and amount, each with a unique title, date and a few
unique words and numbers), then measures:

1. importing every post with library.import_paths into a fresh library; the file's size after;
2. search.search latency for seven kinds of query taken from the sample's vocabulary (one
   character, two-character words and strings across words, longer words, phrases, kana words and
   kana readings across a compound), and the search index's size per post;
3. with H highlights spread over the posts: listing one post's highlights, exporting all of them
   to Markdown (app.core.library.export, when it exists), and re-anchoring 1,000 highlights after their
   posts were edited (a sentence inserted at the start, a word changed in the middle).

Latencies are given as medians and 95th percentiles (the machines are shared and noisy). Steps that
could run for hours on a slow code path have a time budget; when a budget cuts a step short, the
figures say how much was measured and the full-size figure is projected, and labelled so.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from app.core.claims import table as claims_table
from app.core.common.paths import sample_post_path
from app.core.library import actions as library
from app.core.library import derived, search
from app.core.library.derived import open_library
from app.core.posts.post import load_post
from app.core.reading import furigana
from app.core.store import BUILTIN_TAGS, COLORS, Annotation, Store, new_annotation_id, now

# Targets (from the performance brief).
SEARCH_P95_MS = 50.0
LIST_P95_MS = 20.0
EXPORT_S = 5.0
REANCHOR_S = 1.0  # for 1,000 highlights

POST_CHARS = (12_000, 18_000)  # body length range; ~15,000 on average
DB_NAME = "library.sqlite3"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    k = (len(ordered) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass
class Figure:
    name: str
    value: float | None  # None: not measured
    unit: str
    target: str = ""
    ok: bool | None = None  # None: no target
    note: str = ""


@dataclass
class Results:
    figures: list[Figure] = field(default_factory=list)

    def add(self, name, value, unit, target="", ok=None, note=""):
        self.figures.append(Figure(name, value, unit, target, ok, note))

    def table(self) -> str:
        lines = [f"{'figure':<46}{'value':>14}  {'target':<12}{'result':<8}note", "-" * 100]
        for f in self.figures:
            value = "-" if f.value is None else (f"{f.value:,.1f} {f.unit}" if f.value >= 10 or f.unit in ("s", "MB") else f"{f.value:.2f} {f.unit}")
            result = "" if f.ok is None else ("PASS" if f.ok else "MISS")
            if f.value is None and f.target:
                result = "SKIP"
            lines.append(f"{f.name:<46}{value:>14}  {f.target:<12}{result:<8}{f.note}")
        return "\n".join(lines)


# --- generating posts ----------------------------------------------------------------------

_KATAKANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワガギグゲゴザジズゼゾダデドバビブベボパピプペポ"


def _blocks(body: str) -> list[str]:
    """The body's top-level Markdown blocks (paragraphs, headings, lists, fenced code kept whole)."""
    blocks: list[str] = []
    current: list[str] = []
    fence = False
    for piece in body.split("\n\n"):
        current.append(piece)
        fence ^= piece.count("```") % 2 == 1
        if not fence:
            blocks.append("\n\n".join(current).strip("\n"))
            current = []
    if current:
        blocks.append("\n\n".join(current).strip("\n"))
    return [b for b in blocks if b.strip()]


def _pseudo_word(rng: random.Random) -> str:
    return "".join(rng.choice(_KATAKANA) for _ in range(rng.randint(4, 6)))


def generate_posts(folder: Path, count: int, seed: int) -> tuple[list[Path], int]:
    """Write `count` posts under `folder` (1,000 per subfolder); returns (paths, total characters)."""
    sample = load_post(sample_post_path())
    blocks = _blocks(sample.body)
    footnotes = [b for b in blocks if re.match(r"\[\^[^\]]+\]:", b)]
    pool = [b for b in blocks if b not in footnotes]
    prose = [i for i, b in enumerate(pool) if not b.startswith(("#", "|", "-", "`", ">", "1.")) and len(b) > 60]
    tags = list(sample.tags)
    categories = list(sample.categories)
    base = datetime(2012, 1, 1, 9, 30)
    paths = []
    total = 0
    for i in range(count):
        rng = random.Random(seed * 1_000_003 + i)
        words = [_pseudo_word(rng) for _ in range(3)]
        numbers = [rng.randint(10_000, 999_999) for _ in range(3)]
        target = rng.randint(*POST_CHARS)
        parts = [f"第{i + 1}号の覚え書き：今回は{words[0]}と{words[1]}の話を、{numbers[0]:,}件の数字と一緒に確かめます（整理番号KK{i:06d}）。"]
        length = len(parts[0])
        chosen: list[str] = []
        while length < target:
            order = list(range(len(pool)))
            rng.shuffle(order)
            for k in order[: rng.randint(len(order) // 2, len(order))]:
                block = pool[k]
                if k in prose and rng.random() < 0.25:
                    extra = rng.choice(
                        [
                            f"ちなみに{words[2]}の試算では{numbers[1]:,}円でした。",
                            f"{words[0]}社の担当者は「{numbers[2]}台までは増やせる」と話しています。",
                            f"私のメモ帳では、これを{words[1]}方式と呼んでいます。",
                        ]
                    )
                    block = block + extra
                chosen.append(block)
                length += len(block) + 2
                if length >= target:
                    break
        parts.extend(chosen)
        if any("[^" in b for b in chosen):
            parts.extend(footnotes)
        body = "\n\n".join(parts) + "\n"
        date = base + timedelta(days=i, minutes=rng.randint(0, 600))
        title = f"{sample.title}（その{i + 1}・{words[0]}編）"
        front = [
            "---",
            "layout: post",
            f"title: {json.dumps(title, ensure_ascii=False)}",
            f"date: {date:%Y-%m-%d %H:%M:%S} +0900",
            f"categories: {json.dumps(rng.sample(categories, rng.randint(1, len(categories))), ensure_ascii=False)}",
            f"tags: {json.dumps(rng.sample(tags, rng.randint(1, len(tags))) + [words[2]], ensure_ascii=False)}",
            f"author: {json.dumps(sample.author or '', ensure_ascii=False)}",
            f"excerpt: {json.dumps(f'{words[0]}と{words[1]}、そして{numbers[0]:,}件の数字の話。', ensure_ascii=False)}",
            "---",
            "",
        ]
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"{date:%Y-%m-%d}-post-{i:06d}.md"
        path.write_text("\n".join(front) + body, encoding="utf-8")
        paths.append(path)
        total += len(body)
    return paths, total


# --- queries -------------------------------------------------------------------------------


def sample_queries(per_class: int, seed: int) -> dict[str, list[str]]:
    """Queries from the sample's own words: single characters, 2-character words, 2-character
    strings MeCab splits across words, longer words, quoted phrases, kana words, and kana readings
    of compounds MeCab splits in two (read across the words)."""
    rng = random.Random(seed)
    text = load_post(sample_post_path()).body
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    terms = furigana.terms(text)
    kanji_words = [t for t in furigana.tokenize(text) if t.reading and all(furigana.KANJI_RE.match(c) for c in t.surface)]
    singles = sorted({c for c in text if furigana.KANJI_RE.match(c) or "\u3041" <= c <= "\u30ff"})
    # Two characters on either side of a word boundary (兆|円, 円|単): in no word the tokenizer made.
    words = {t.surface for t in terms}
    split2 = sorted(
        {a.surface[-1] + b.surface[0] for a, b in zip(kanji_words, kanji_words[1:]) if a.end == b.start} - words
    )
    # Readings of two neighbouring kanji words (せつび|とうし, ちょう|えん), typed as one.
    compound_kana = sorted(
        {a.reading + b.reading for a, b in zip(kanji_words, kanji_words[1:]) if a.end == b.start and 3 <= len(a.reading + b.reading) <= 10}
    )
    kanji2 = sorted({t.surface for t in terms if len(t.surface) == 2 and all(furigana.KANJI_RE.match(c) for c in t.surface)})
    # Longer words: kanji compounds (半導体, 設備投資) and katakana words (データセンター) of the text.
    kanji = furigana.KANJI_CHARS
    longer = sorted(set(re.findall(f"[{kanji}]{{3,6}}", text)) | set(re.findall("[\u30a1-\u30fa\u30fc]{3,}", text)))
    kana = sorted(
        {t.reading for t in terms if t.reading and 3 <= len(t.reading) <= 6 and len(t.surface) >= 2 and all(furigana.KANJI_RE.match(c) for c in t.surface)}
    )
    # Phrases: runs of 2-4 consecutive words of one sentence, as a reader would copy them.
    rows = [r for r in furigana._lines(furigana.tagger().parse(text.translate(furigana._DIGITS_TO_ASCII))) if len(r) == 5]
    phrases: set[str] = set()
    guard = 0
    while len(phrases) < per_class * 3 and guard < 10_000:
        guard += 1
        at = rng.randrange(len(rows) - 4)
        run = rows[at : at + rng.randint(2, 4)]
        if any(r[4].startswith(furigana._NOT_WORDS) or not r[1].strip() for r in run):
            continue
        if not run[0][4].startswith(("名詞", "動詞", "形容詞")) or run[-1][4].startswith("助詞"):
            continue  # a reader copies from a word's start, not from a particle
        phrase = "".join(r[1] for r in run)
        if 4 <= len(phrase) <= 14 and phrase in text:
            phrases.add(phrase)
    # Always include the brief's own examples.
    pick = lambda items, must: (list(dict.fromkeys(must + rng.sample(items, min(len(items), per_class)))))[:per_class]
    return {
        "1-char": pick(singles, ["株", "兆", "の"]),
        "2-char word": pick(kanji2, ["投資", "企業"]),
        "2-char split": pick(split2, ["兆円", "半導"]),
        "3+ char word": pick(longer, ["半導体", "データセンター"]),
        '"phrase"': ['"' + p + '"' for p in pick(sorted(phrases), ["設備投資", "電気代"])],
        "kana word": pick(kana, ["とうし", "かぶしき"]),
        "kana compound": pick(compound_kana, ["はんどうたい", "せつびとうし", "ちょうえん"]),
    }


# --- highlights ----------------------------------------------------------------------------


_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")
_NOTES = ["あとで数字を確認する", "{w}の件と比べる", "この金額は年額？", "要確認：{w}", "前回の記事と食い違う気がする"]
_EXTRA_TAGS = ["要確認", "あとで読む", "数字"]


def make_highlights(store: Store, count: int, seed: int, verify: int = 20) -> dict:
    """Add `count` highlights spread over every post: the first `verify` through the real path
    (store.put_annotation with the library's derived.highlight_changed hook), the rest in bulk
    with the same rows."""
    rng = random.Random(seed + 7)
    ids = [r[0] for r in store.db.execute("SELECT id FROM posts ORDER BY id")]
    per_post = Counter(rng.choice(ids) for _ in range(count))
    annotations: list[Annotation] = []
    for post_id in ids:
        n = per_post.get(post_id, 0)
        if not n:
            continue
        text = store.db.execute("SELECT text FROM posts WHERE id = ?", [post_id]).fetchone()[0]
        sentences = [m.span() for m in _SENTENCE.finditer(text) if m.end() - m.start() >= 6]
        for _ in range(n):
            s, e = rng.choice(sentences)
            if e - s > 12 and rng.random() < 0.7:  # a phrase inside the sentence
                length = rng.randint(4, min(40, e - s))
                s = rng.randint(s, e - length)
                e = s + length
            sel = library.describe(text, s, e)
            stamp = now()
            tags = ()
            if rng.random() < 0.4:
                tags = tuple(rng.sample(list(BUILTIN_TAGS) + _EXTRA_TAGS, rng.randint(1, 2)))
            note = rng.choice(_NOTES).format(w=sel.quote.exact[:6]) if rng.random() < 0.2 else ""
            annotations.append(
                Annotation(
                    id=new_annotation_id(), post_id=post_id, exact=sel.quote.exact, prefix=sel.quote.prefix,
                    suffix=sel.quote.suffix, start=s, end=e, color=rng.choice(COLORS), note=note, tags=tags,
                    created=stamp, updated=stamp,
                )
            )
    real, bulk = annotations[:verify], annotations[verify:]
    started = time.perf_counter()
    real_times = []
    for a in real:
        t0 = time.perf_counter()
        store.put_annotation(a, on_change=lambda x: derived.highlight_changed(store, x))
        real_times.append(time.perf_counter() - t0)
    real_elapsed = time.perf_counter() - started
    started = time.perf_counter()
    with store.transaction():
        # The same columns and values as Store.put_annotation writes (an upsert of a new id is an
        # insert), the same tag rows as Store._write_tags; then what the derived-data hook writes.
        store._ensure_tags(sorted({t for a in bulk for t in a.tags}))
        store.db.conn.executemany(
            'INSERT INTO annotations (id, post_id, exact, prefix, suffix, start, "end", color, note, created, updated, deleted, orphan) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (a.id, a.post_id, a.exact, a.prefix, a.suffix, a.start, a.end, a.color, a.note, a.created, a.updated, a.deleted, int(a.orphan))
                for a in bulk
            ],
        )
        store.db.conn.executemany(
            "INSERT INTO annotation_tags (annotation_id, tag) VALUES (?, ?)",
            [(a.id, t) for a in bulk for t in dict.fromkeys(a.tags)],
        )
        # What derived.highlight_changed does for each, in bulk: the search rows (the same
        # function) and the claims of those tagged so (one call for all of them).
        for a in bulk:
            search.index_annotation(store, a)
        claims_table.refresh_claims(store, [a.id for a in bulk])
    bulk_elapsed = time.perf_counter() - started
    return {
        "count": len(annotations), "real": len(real), "real_times": real_times, "real_elapsed": real_elapsed,
        "bulk": len(bulk), "bulk_elapsed": bulk_elapsed,
        "per_post": per_post,
    }


def library_dump(store: Store) -> dict:
    """Everything a highlight writes, minus FTS row ids (for checking the bulk path)."""
    q = lambda sql: sorted(tuple(r) for r in store.db.execute(sql))
    return {
        "annotations": q('SELECT id, post_id, exact, prefix, suffix, start, "end", color, note, created, updated, deleted, orphan FROM annotations'),
        "annotation_tags": q("SELECT annotation_id, tag FROM annotation_tags"),
        "tags": q("SELECT name, color, builtin FROM tags"),
        "search_text": q("SELECT kind, post_id, annotation_id, body FROM search_text WHERE annotation_id IS NOT NULL"),
        "search_words": q("SELECT kind, post_id, annotation_id, words FROM search_words WHERE annotation_id IS NOT NULL"),
        "lexicon": q("SELECT reading, surface FROM lexicon"),
        "claims": q("SELECT annotation_id, post_id, start, currency, low, high, tags, companies, chips, years, quote FROM claims"),
        "claim_status": q("SELECT annotation_id, status FROM claim_status"),
    }


def verify_bulk(workdir: Path, seed: int) -> bool:
    """Build two small libraries with the same highlights, one entirely through the real path and
    one through the bulk path, and compare every table a highlight touches."""
    folder = workdir / "verify-posts"
    generate_posts(folder, 5, seed)
    dumps = []
    for real in (200, 20):
        db = workdir / f"verify-{real}.sqlite3"
        with open_library(db) as store:
            library.import_paths(store, [folder])
            # Same seed: same highlights; fix ids and stamps so the two runs can be compared.
            counter = iter(range(10**9))
            orig_id, orig_now = globals()["new_annotation_id"], globals()["now"]
            globals()["new_annotation_id"] = lambda: f"id-{next(counter):08d}"
            globals()["now"] = lambda: "2026-01-01T00:00:00.000000Z"
            try:
                make_highlights(store, 200, seed, verify=real)
            finally:
                globals()["new_annotation_id"], globals()["now"] = orig_id, orig_now
            dumps.append(library_dump(store))
    same = dumps[0] == dumps[1]
    for key in dumps[0]:
        if dumps[0][key] != dumps[1][key]:
            log(f"verify: table {key} differs")
    return same


# --- editing posts for re-anchoring -------------------------------------------------------

_REPLACEMENTS = [("投資", "出資"), ("企業", "会社"), ("工場", "拠点"), ("電気", "電力"), ("数字", "数値"), ("会社", "企業"), ("計算", "試算")]
EDIT_SENTENCE = "追記（2026年1月）：この記事の数字の一部を、読者の方からのご指摘を受けて見直しました。"


def edit_post(path: Path) -> None:
    """Insert a sentence at the start of the body and change one word near the middle."""
    raw = path.read_text(encoding="utf-8")
    head, sep, body = raw.partition("\n---\n")
    body = body.lstrip("\n")
    middle = len(body) // 2
    best = None
    for old, new in _REPLACEMENTS:
        for m in re.finditer(old, body):
            line_start = body.rfind("\n", 0, m.start()) + 1
            if body[line_start : line_start + 1] in "#|`-" and body[line_start : line_start + 1]:
                continue
            if best is None or abs(m.start() - middle) < abs(best[0] - middle):
                best = (m.start(), old, new)
    if best is not None:
        at, old, new = best
        body = body[:at] + new + body[at + len(old) :]
    path.write_text(head + sep + "\n" + EDIT_SENTENCE + "\n\n" + body, encoding="utf-8")


# --- the benchmark -------------------------------------------------------------------------


def db_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in (path, Path(str(path) + "-wal")) if p.exists()) / 1e6


def step_import(store: Store, folder: Path, count: int, budget: float, results: Results) -> int:
    marks: list[tuple[int, float]] = [(0, 0.0)]
    start = time.perf_counter()
    last = [start]

    def progress(number: int, total: int, path: Path) -> None:
        done = number - 1
        if done and done % 1000 == 0:
            t = time.perf_counter()
            marks.append((done, t - start))
            window = 1000 / (t - last[0])
            last[0] = t
            log(f"  imported {done:,}/{total:,}  {t - start:7.1f} s  (last 1,000: {window:.1f} posts/s)")

    def cancelled() -> bool:
        return budget > 0 and time.perf_counter() - start > budget

    report = library.import_paths(store, [folder], progress=progress, cancelled=cancelled)
    elapsed = time.perf_counter() - start
    imported = len(report.added)
    marks.append((imported, elapsed))
    if report.errors:
        log(f"  {len(report.errors)} import errors, first: {report.errors[0]}")
    rate = imported / elapsed
    print(f"  imported {imported:,} posts in {elapsed:.1f} s = {rate:.1f} posts/s ({1000 * elapsed / imported:.1f} ms/post)")
    windows = []
    for (n0, t0), (n1, t1) in zip(marks, marks[1:]):
        if n1 > n0:
            windows.append((n0, n1, (t1 - t0) / (n1 - n0)))
            print(f"    posts {n0 + 1:>6,}-{n1:<6,}: {1000 * (t1 - t0) / (n1 - n0):7.1f} ms/post")
    projected = None
    if imported < count:
        # Per-post time grows with the library (see the windows): fit ms/post = a + b*k and sum.
        xs = [(n0 + n1) / 2 for n0, n1, _ in windows]
        ys = [s for _, _, s in windows]
        if len(xs) >= 2:
            mx, my = statistics.fmean(xs), statistics.fmean(ys)
            b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / max(1e-9, sum((x - mx) ** 2 for x in xs))
            b = max(b, 0.0)
            a = my - b * mx
        else:
            a, b = ys[0], 0.0
        projected = a * count + b * count * count / 2
        print(f"  import stopped by its {budget:.0f} s budget after {imported:,} of {count:,} posts")
        print(f"  PROJECTED for {count:,} posts (linear fit of per-post time): {projected:.0f} s = {projected / 60:.1f} min,"
              f" {count / projected:.1f} posts/s; the last post would take {1000 * (a + b * count):.0f} ms")
    floor_ms = import_floor(folder, min(imported, 300))
    per_post_ms = 1000 * elapsed / imported
    print(f"  floor (raw fugashi tokenization + the text inserted into SQLite, one process): {floor_ms:.1f} ms/post;"
          f" the import took {per_post_ms:.1f} ms/post = {per_post_ms / floor_ms:.2f}x the floor")
    results.add("import rate", rate, "posts/s", target=">= 27", ok=rate >= 27, note=f"{imported:,} posts, {prepare_workers(imported)} worker processes")
    results.add("import per post / floor", per_post_ms / floor_ms, "x", target="<= 2.5", ok=per_post_ms / floor_ms <= 2.5,
                note=f"floor {floor_ms:.1f} ms/post")
    results.add("import total", elapsed, "s", note=f"{imported:,} posts")
    if projected is not None:
        results.add(f"import total, PROJECTED for {count:,}", projected, "s", note="projected from fit")
    return imported


def prepare_workers(files: int) -> int:
    from app.core.library import prepare

    return prepare.worker_count(files)


def import_floor(folder: Path, count: int) -> float:
    """ms per post for the least an import must do: fugashi's tokenization of the post's text (as a
    user would call it, node objects) and the text inserted into an SQLite table, one transaction
    per post, in this one process. Measured on the first `count` posts of the same folder."""
    import sqlite3

    tagger = raw_tagger()
    texts = [load_post(p).body for p in library.collect_files([folder])[0][:count]]
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "floor.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("CREATE TABLE posts (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
        start = time.perf_counter()
        for text in texts:
            for piece in range(0, len(text), 10_000):  # as the index does: MeCab's lattice stays small
                _words = [node.surface for node in tagger(text[piece : piece + 10_000])]
            conn.execute("BEGIN")
            conn.execute("INSERT INTO posts (text) VALUES (?)", [text])
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - start
        conn.close()
    return 1000 * elapsed / len(texts)


def raw_tagger():
    """fugashi on unidic-lite as a user would open it (the floor's tokenizer)."""
    import fugashi
    import unidic_lite

    rc = os.path.join(unidic_lite.DICDIR, "mecabrc")
    return fugashi.Tagger(f'-r "{rc}" -d "{unidic_lite.DICDIR}"')


def step_size(store: Store, db: Path, results: Results, posts: int) -> None:
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = db_size_mb(db)
    breakdown = ""
    try:
        rows = store.db.execute(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 6"
        ).fetchall()
        breakdown = ", ".join(f"{n} {s / 1e6:.0f}" for n, s in rows)
    except Exception:
        pass
    print(f"  database {size:.1f} MB ({size * 1000 / posts:.1f} kB/post); largest: {breakdown} MB")
    results.add("database size after import", size, "MB", note=f"{size * 1000 / posts:.0f} kB/post")
    try:
        tables = store.db.execute(
            "SELECT name, sum(pgsize) FROM dbstat WHERE name LIKE 'search%' OR name = 'lexicon' GROUP BY name ORDER BY 2 DESC"
        ).fetchall()
    except Exception:  # an SQLite built without dbstat
        return
    index = sum(size for _name, size in tables)
    print(f"  search index {index / 1e6:.1f} MB = {index / 1000 / posts:.1f} kB/post: "
          + ", ".join(f"{name} {size / 1000 / posts:.1f}" for name, size in tables) + " kB/post")
    results.add("search index per post", index / 1000 / posts, "kB", note="search_* tables and lexicon / posts")


def step_search(store: Store, queries: dict[str, list[str]], results: Results) -> None:
    for q in ("投資", "半導体", '"設備投資"', "とうし", "兆", "せつびとうし"):  # warm the caches and the tagger
        search.search(store, q)
    everything = []
    for label, items in queries.items():
        times, counts = [], []
        for q in items:
            t0 = time.perf_counter()
            hits = search.search(store, q)
            times.append((time.perf_counter() - t0) * 1000)
            counts.append(len(hits))
        everything += times
        slowest = max(zip(times, items))
        p50, p95 = statistics.median(times), percentile(times, 95)
        print(f"  {label:<14} {len(items):>3} queries  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {slowest[0]:7.1f} ms ({slowest[1]})"
              f"  hits/query median {statistics.median(counts):.0f}")
        results.add(f"search {label} p50", p50, "ms")
        results.add(f"search {label} p95", p95, "ms", f"<= {SEARCH_P95_MS:.0f} ms", p95 <= SEARCH_P95_MS)
    p95 = percentile(everything, 95)
    results.add("search all queries p95", p95, "ms", f"<= {SEARCH_P95_MS:.0f} ms", p95 <= SEARCH_P95_MS)


def step_listing(store: Store, per_post: Counter, seed: int, results: Results, samples: int = 300) -> None:
    rng = random.Random(seed + 11)
    ids = list(per_post)
    picked = [rng.choice(ids) for _ in range(samples)]
    store.annotations(picked[0])
    times = []
    for post_id in picked:
        t0 = time.perf_counter()
        store.annotations(post_id)
        times.append((time.perf_counter() - t0) * 1000)
    sizes = [per_post[p] for p in picked]
    p50, p95 = statistics.median(times), percentile(times, 95)
    print(f"  store.annotations(post_id), {samples} posts with {min(sizes)}-{max(sizes)} highlights"
          f" (median {statistics.median(sizes):.0f}): p50 {p50:.2f} ms  p95 {p95:.2f} ms  max {max(times):.2f} ms")
    results.add("list one post's highlights p50", p50, "ms")
    results.add("list one post's highlights p95", p95, "ms", f"<= {LIST_P95_MS:.0f} ms", p95 <= LIST_P95_MS)
    t0 = time.perf_counter()
    every = store.annotations()
    print(f"  (store.annotations() for all {len(every):,} highlights: {time.perf_counter() - t0:.2f} s)")
    t0 = time.perf_counter()
    posts = store.posts()
    elapsed = time.perf_counter() - t0
    print(f"  (store.posts(), the library list, {len(posts):,} posts, without their text: {elapsed:.2f} s)")
    results.add("store.posts() (library list)", elapsed, "s", note="no target; the sidebar's query")


def step_export(store: Store, workdir: Path, results: Results, scale: float = 1.0) -> None:
    try:
        from app.core.library import export  # noqa: F401  (being written in parallel)
    except ModuleNotFoundError as exc:
        if exc.name not in ("app.core.library.export",):
            raise
        print("  skipped (export module not present)")
        results.add("export all highlights to Markdown", None, "s", f"<= {EXPORT_S:.0f} s", None, "skipped (export module not present)")
        return
    # A new folder each run, and the old ones removed after timing: ten thousand files deleted
    # just before the export leave the disk busy with the deletion while it is timed.
    old_exports = [p for p in workdir.glob("export*") if p.is_dir()]
    target = workdir / f"export-{time.strftime('%Y%m%d-%H%M%S')}"
    t0 = time.perf_counter()
    written = export.export_markdown(store, target)
    elapsed = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in written if p.is_file()) / 1e6
    print(f"  export_markdown(store, target): {len(written):,} files, {size:.1f} MB in {elapsed:.2f} s")
    results.add("export all highlights to Markdown", elapsed, "s", f"<= {EXPORT_S:.0f} s", elapsed <= EXPORT_S, f"{len(written):,} files")
    if scale != 1.0:
        projected = elapsed * scale
        print(f"  PROJECTED for the full library (x{scale:.2f}, linear in posts and highlights): {projected:.1f} s")
        results.add("export all, PROJECTED full size", projected, "s", f"<= {EXPORT_S:.0f} s", projected <= EXPORT_S, "projected, linear")
    # The other Markdown form the export offers: the whole library in one file (-o notes.md).
    single = workdir / "export-all.md"
    t0 = time.perf_counter()
    export.export_markdown(store, single)
    elapsed = time.perf_counter() - t0
    print(f"  export_markdown(store, {single.name}): one file, {single.stat().st_size / 1e6:.1f} MB in {elapsed:.2f} s")
    results.add("export all highlights to one Markdown file", elapsed, "s", f"<= {EXPORT_S:.0f} s", elapsed <= EXPORT_S, "whole library")
    t0 = time.perf_counter()
    export.export_markdown(store, target)
    elapsed = time.perf_counter() - t0
    print(f"  export_markdown(store, target) again, into the files it wrote: {elapsed:.2f} s")
    results.add("re-export into the existing files", elapsed, "s", note="merges each file; no target")
    for old in old_exports:
        shutil.rmtree(old, ignore_errors=True)


def step_reanchor(store: Store, per_post: Counter, wanted: int, seed: int, budget: float, results: Results) -> None:
    rng = random.Random(seed + 13)
    live = {r[0]: r[1] for r in store.db.execute("SELECT post_id, count(*) FROM annotations WHERE deleted IS NULL GROUP BY post_id")}
    ids = sorted(live)
    rng.shuffle(ids)
    chosen, total = [], 0
    for post_id in ids:
        if total >= wanted:
            break
        chosen.append(post_id)
        total += live[post_id]
    before = {p: store.annotations(p) for p in chosen}
    old_text = {p: store.db.execute("SELECT text FROM posts WHERE id = ?", [p]).fetchone()[0] for p in chosen}
    paths = [Path(store.db.execute("SELECT source_path FROM posts WHERE id = ?", [p]).fetchone()[0]) for p in chosen]
    for path in paths:
        edit_post(path)

    # Time _reanchor (inside each re-import) and count how each highlight was found.
    methods: Counter = Counter()
    reanchor_time = [0.0]
    real_reanchor, real_anchor = library._reanchor, library.anchor

    def timed_reanchor(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return real_reanchor(*args, **kwargs)
        finally:
            reanchor_time[0] += time.perf_counter() - t0

    def counting_anchor(*args, **kwargs):
        found = real_anchor(*args, **kwargs)
        methods[found.method if found else "orphan"] += 1
        return found

    library._reanchor, library.anchor = timed_reanchor, counting_anchor
    start = time.perf_counter()
    done_posts = []
    report_moved = report_orphaned = 0
    try:
        for post_id, path in zip(chosen, paths):
            if budget > 0 and time.perf_counter() - start > budget:
                break
            report = library.import_paths(store, [path])
            if report.errors or not report.updated:
                log(f"  re-import of {path.name} did not update: {report.errors}")
            report_moved += report.reanchored
            report_orphaned += report.orphaned
            done_posts.append(post_id)
    finally:
        library._reanchor, library.anchor = real_reanchor, real_anchor
    elapsed = time.perf_counter() - start
    handled = sum(len(before[p]) for p in done_posts)
    stayed = handled - report_moved - report_orphaned

    # Were they put in the right place? The edit shifts everything by d1 before the changed word
    # and by d2 after it; a highlight across the changed word must be found fuzzily near d1.
    right = wrong = copies = 0
    for p in done_posts:
        new_text = store.db.execute("SELECT text FROM posts WHERE id = ?", [p]).fetchone()[0]
        old = old_text[p]
        d1 = new_text.find(old[:200])
        d2 = len(new_text) - len(old)
        change = next((i for i in range(len(old)) if d1 + i >= len(new_text) or new_text[d1 + i] != old[i]), len(old))
        after = {a.id: a for a in store.annotations(p)}
        for a in before[p]:
            b = after[a.id]
            if b.orphan:
                continue
            if a.end <= change:
                ok = b.start == a.start + d1 and b.exact == a.exact
            elif a.start >= change + 2:
                ok = b.start == a.start + d2 and b.exact == a.exact
            else:
                ok = abs(b.start - (a.start + d1)) <= 2
            right += ok
            wrong += not ok
            if not ok:
                copies += b.exact == a.exact and new_text.count(a.exact) > 1
                if wrong <= 3:
                    log(f"  elsewhere: post {p} [{a.start},{a.end}) {a.exact[:30]!r} -> [{b.start},{b.end}) {b.exact[:30]!r}"
                        f" (the edit shifted text by {d1} before offset {change}, by {d2} after)")
    per_1000 = reanchor_time[0] * 1000 / max(1, handled)
    print(f"  edited {len(chosen)} posts carrying {total:,} highlights; re-imported {len(done_posts)} of them"
          f" ({handled:,} highlights) in {elapsed:.2f} s"
          + (f"  [stopped by the {budget:.0f} s budget]" if len(done_posts) < len(chosen) else ""))
    print(f"  library._reanchor: {reanchor_time[0]:.2f} s for {handled:,} highlights = {per_1000:.2f} s per 1,000"
          f"{' (PROJECTED from a part)' if handled < wanted else ''}")
    print(f"  outcome: {report_moved:,} moved, {stayed:,} stayed, {report_orphaned:,} orphaned;"
          f" anchor methods {dict(methods)}")
    print(f"  placed at the edited spot: {right:,}/{right + wrong:,}; elsewhere: {wrong:,}"
          f" ({copies:,} of them on another copy of the same words in the post)")
    note = f"{handled:,} hl: {report_moved} moved/{stayed} stayed/{report_orphaned} orphaned"
    label = "re-anchor 1,000 highlights (_reanchor)" + (" PROJ." if handled < wanted else "")
    results.add(label, per_1000, "s", f"<= {REANCHOR_S:.0f} s", per_1000 <= REANCHOR_S, note)
    results.add("re-import of the edited posts, per 1,000 hl", elapsed * 1000 / max(1, handled), "s", note=f"{len(done_posts)} posts incl. render+index")


def step_annotate(store: Store, seed: int, count: int, budget: float, results: Results) -> None:
    """A reader's action on the full library: one new highlight through library.annotate_quote."""
    rng = random.Random(seed + 17)
    ids = [r[0] for r in store.db.execute("SELECT id FROM posts")]
    times = []
    start = time.perf_counter()
    for _ in range(count):
        if budget > 0 and times and time.perf_counter() - start > budget:
            break
        post = store.post(rng.choice(ids))
        at = rng.randrange(0, len(post.text) - 30)
        t0 = time.perf_counter()
        library.annotate_span(store, post, at, at + 20, tags=["claim"], note="ベンチマーク")
        times.append((time.perf_counter() - t0) * 1000)
    p50 = statistics.median(times)
    print(f"  library.annotate_span x{len(times)}: p50 {p50:.0f} ms  max {max(times):.0f} ms")
    results.add("add one highlight (annotate_span) p50", p50, "ms", note=f"{len(times)} samples, no target")


def _revision() -> str:
    """The checkout's commit (and whether app/ has uncommitted changes), for comparing runs."""
    import subprocess

    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "app"], cwd=root, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return (head or "unknown") + (" + uncommitted app/ changes" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.library", description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--highlights", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, help="where posts and the library go (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=50, help="queries per class")
    parser.add_argument("--reanchor", type=int, default=1000, help="highlights to re-anchor")
    parser.add_argument("--import-budget", type=float, default=0, help="stop importing after this many seconds and project (0: no limit)")
    parser.add_argument("--step-budget", type=float, default=300, help="seconds allowed for re-anchoring and adding highlights before projecting")
    parser.add_argument("--verify-bulk", action="store_true", help="first check that the bulk highlight path writes what the real path writes")
    parser.add_argument("--reuse", action="store_true", help="measure again on the library a --keep run left in --workdir (no import)")
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kakikomi-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = Results()
    try:
        print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, SQLite {__import__('sqlite3').sqlite_version}; code {_revision()}; workdir {workdir}")
        if args.verify_bulk:
            ok = verify_bulk(workdir, args.seed)
            print(f"bulk highlights write the same rows as put_annotation + derived.highlight_changed: {'yes' if ok else 'NO'}")
            if not ok:
                return 1
        folder = workdir / "posts"
        db = workdir / DB_NAME
        reuse = args.reuse and db.exists() and folder.is_dir()
        if not reuse:
            for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
                stale.unlink(missing_ok=True)
            shutil.rmtree(folder, ignore_errors=True)
            t0 = time.perf_counter()
            paths, chars = generate_posts(folder, args.posts, args.seed)
            print(f"\nGenerated {len(paths):,} posts, {chars / len(paths):,.0f} characters each on average, in {time.perf_counter() - t0:.1f} s")

        t0 = time.perf_counter()
        with open_library(db) as store:
            if reuse:
                print(f"\n1. Import: skipped (--reuse); the library opened (and upgraded if needed) in {time.perf_counter() - t0:.2f} s")
                imported = store.db.execute("SELECT count(*) FROM posts").fetchone()[0]
            else:
                print("\n1. Import")
                imported = step_import(store, folder, args.posts, args.import_budget, results)
            step_size(store, db, results, imported)
            highlights = args.highlights
            if imported < args.posts:
                highlights = round(args.highlights * imported / args.posts)
                print(f"  (highlights scaled to {highlights:,} to keep {args.highlights / args.posts:g} per post)")

            print("\n2. Search (search.search, 50 results)")
            step_search(store, sample_queries(args.queries, args.seed), results)

            print(f"\n3. Highlights ({highlights:,})")
            existing = Counter(r[0] for r in store.db.execute("SELECT post_id FROM annotations WHERE deleted IS NULL"))
            if reuse and sum(existing.values()) >= highlights:
                made = {"per_post": existing}
                print(f"  {sum(existing.values()):,} already in the library (--reuse)")
            else:
                made = make_highlights(store, highlights, args.seed)
                rt = made["real_times"]
                print(f"  {made['real']} through put_annotation + derived.highlight_changed: {made['real_elapsed']:.2f} s"
                      f" (p50 {1000 * statistics.median(rt):.0f} ms, max {1000 * max(rt):.0f} ms each)")
                print(f"  {made['bulk']:,} in one transaction (the same rows, see --verify-bulk): {made['bulk_elapsed']:.1f} s")
                store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                print(f"  database now {db_size_mb(db):.1f} MB")
                results.add("put_annotation + derived hook p50", 1000 * statistics.median(rt), "ms", note=f"{len(rt)} new highlights, no target")

            print("\n3a. List one post's highlights")
            step_listing(store, made["per_post"], args.seed, results)
            print("\n3b. Export all highlights to Markdown")
            step_export(store, workdir, results, args.posts / imported)
            print(f"\n3c. Re-anchor {args.reanchor:,} highlights after an edit")
            step_reanchor(store, made["per_post"], args.reanchor, args.seed, args.step_budget, results)
            print("\n3d. Add a highlight on the full library")
            step_annotate(store, args.seed, 10, min(args.step_budget, 120), results)

        print("\nSummary")
        print(results.table())
        return 0
    finally:
        if args.keep:
            print(f"\n(kept {workdir})")
        elif args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
        else:  # a folder the user named: remove only what this benchmark put there
            for name in ("posts", "verify-posts", *(p.name for p in workdir.glob("export*") if p.is_dir())):
                shutil.rmtree(workdir / name, ignore_errors=True)
            for pattern in (f"{DB_NAME}*", "verify-*.sqlite3*"):
                for path in workdir.glob(pattern):
                    path.unlink(missing_ok=True)


if __name__ == "__main__":
    sys.exit(main())
