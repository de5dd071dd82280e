"""Train the homograph context model: `python -m app.core.reading.build_context_model [GSD_GIT] [--cv]`.

Writes resources/furigana/context_model.tsv (read by `context_model`; the format is in its
docstring) from two sources of words read in context (benchmarks/data/SOURCES.md has the details):

- the **dev** half of the project's modern-prose gold (benchmarks/data/reading_modern_dev.tsv,
  ROHAN4600, CC0): every kanji run with the reading its source gives it. Never the test half.
- **UD Japanese-GSD with kanji readings** (Wen Zhang, "Pronunciation Ambiguities in Japanese
  Kanji", CC BY-SA 4.0): about 2,000 sentences of Japanese Wikipedia and web text, each with one of
  26 frequent homographs (方 後 他 何 間 家 上 中 時 …) and its reading, in `data/{train,dev,test}/
  <kanji>.tsv` of a git copy of the repository (GSD_GIT, read at the pinned commit with `git show`).
  Without GSD_GIT the model is trained on the dev gold alone.

Each sentence is analysed as the app analyses it, with the hand rules of homographs.tsv but
without any model. A training example is a token whose kanji stem is a whole run of kanji, whose
reading no rule changed, and whose run the source reads: the features of `context_model.features`
and the source's reading of the stem. For every word with examples of two readings, or where MeCab
got one wrong, the file keeps how often each reading went with each feature (features seen fewer
than three times left out); a word whose evidence would change none of its examples' readings is
dropped. Which evidence makes a rule or a veto is decided when the file is read, by the thresholds
in `context_model`. The output is sorted, so a rebuild from the same sources is byte for byte the
same; it depends on the hand rules too (their words are left out), so rebuild after changing them.

--cv trains on four fifths and scores the fifth left out, five times over (ROHAN by document, GSD
by sentence), and prints how many held-out readings the model made right and how many it made
wrong: the honest estimate of what it does on text it never saw.

Only the rules (features, readings, counts) go into the repository, never the sentences.
"""

from __future__ import annotations

import collections
import csv
import hashlib
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.core.common.fileio import write_atomic
from app.core.common.kana import to_hiragana
from app.core.common.paths import resource
from app.core.reading import context_model, furigana, homographs

ROOT = Path(__file__).resolve().parents[3]
DEV = ROOT / "benchmarks" / "data" / "reading_modern_dev.tsv"
GSD_COMMIT = "139a66d56da64742386651efe508e69e695de3f1"  # wenzhang0222/Pronunciation-Ambiguities-in-Japanese-Kanji
GSD_SPLITS = ("data/train/", "data/dev/", "data/test/")
MAX_STEM = 2  # longest word (in kanji) the model reads
FOLDS = 5


@dataclass(frozen=True)
class Example:
    word: str  # the token's kanji stem
    gold: str  # the source's reading of the stem
    mecab: str  # the stem's reading before the model
    features: tuple[str, ...]
    group: str  # what cross-validation keeps together (a document, a sentence)


def examples_in(sentence: str, gold: dict[int, tuple[str, str]], group: str) -> list[Example]:
    """The examples of one sentence: `gold` maps a run's start to (run, reading)."""
    out: list[Example] = []
    tokens = furigana.tokenize(sentence, detail=True)
    for i, token in enumerate(tokens):
        reading = token.reading
        if reading is None or reading != token.dictionary_reading:
            continue
        stem, tail = context_model.stem_of(token.surface)
        if len(stem) > MAX_STEM or not reading.endswith(tail) or not context_model.applies(tokens, i, stem):
            continue
        found = gold.get(token.start)
        if found is None or found[0] != stem:
            continue
        mecab = reading[: len(reading) - len(tail)]
        out.append(Example(stem, found[1], mecab, tuple(context_model.features(tokens, i, mecab)), group))
    return out


def modern_examples(path: Path = DEV) -> list[Example]:
    """Examples from the dev gold (grouped by document)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    by_sentence: dict[str, dict[int, tuple[str, str]]] = collections.defaultdict(dict)
    docs: dict[str, str] = {}
    for row in rows:
        by_sentence[row["sentence"]][int(row["start"])] = (row["word"], row["reading"])
        docs[row["sentence"]] = row["doc"]
    out: list[Example] = []
    for sentence, gold in by_sentence.items():
        out.extend(examples_in(sentence, gold, docs[sentence]))
    return out


def _git(git_dir: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), "-c", "core.quotepath=off", *args],
        check=True, capture_output=True, text=True, encoding="utf-8",
    ).stdout


def gsd_rows(git_dir: Path, commit: str | None = None) -> Iterable[dict]:
    """The rows (kanji, index, reading, sentence) of the GSD reading files at `commit` (by
    default the pinned GSD_COMMIT)."""
    commit = commit or GSD_COMMIT
    names = _git(git_dir, "ls-tree", "-r", "--name-only", commit).splitlines()
    for name in sorted(n for n in names if n.startswith(GSD_SPLITS) and n.endswith(".tsv")):
        text = _git(git_dir, "show", f"{commit}:{name}")
        yield from csv.DictReader(text.splitlines(), delimiter="\t")


def gsd_examples(git_dir: Path) -> tuple[list[Example], int]:
    """Examples from the GSD readings (grouped by sentence), and how many rows did not fit (the
    index not pointing at the kanji)."""
    out: list[Example] = []
    misfits = 0
    for row in gsd_rows(git_dir):
        words = (row.get("sentence") or "").split(" ")
        kanji, reading = row.get("kanji") or "", to_hiragana(row.get("reading") or "")
        try:
            index = int(row.get("index") or "") - 1  # 1-based
        except ValueError:
            index = -1
        if not 0 <= index < len(words) or words[index] != kanji:
            misfits += 1
            continue
        sentence = "".join(words)
        start = len("".join(words[:index]))
        out.extend(examples_in(sentence, {start: (kanji, reading)}, "gsd:" + sentence))
    return out, misfits


Counts = dict[str, dict[str, collections.Counter]]  # word -> feature -> reading -> count


def train(examples: Iterable[Example]) -> Counts:
    """The evidence for every word worth a place in the model (see the module docstring)."""
    by_word: dict[str, list[Example]] = collections.defaultdict(list)
    for example in examples:
        by_word[example.word].append(example)
    kept: Counts = {}
    least = min(context_model.MIN_SUPPORT, context_model.VETO_SUPPORT)
    for word, found in by_word.items():
        if len({e.gold for e in found}) < 2 and all(e.gold == e.mecab for e in found):
            continue
        counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        for example in found:
            for feature in example.features:
                counts[feature][example.gold] += 1
        # Evidence seen fewer times than any threshold asks for can neither decide nor veto.
        table = {f: c for f, c in counts.items() if sum(c.values()) >= least}
        word_model = _model({word: table})
        # Only a word whose rules change some reading of its examples is worth its lines.
        if table and any(_decide(word_model, e) is not None for e in found):
            kept[word] = table
    return kept


def _model(counts: Counts) -> context_model.Model:
    return context_model.Model(
        {w: {f: context_model.Evidence.of(c) for f, c in table.items()} for w, table in counts.items()}
    )


def _decide(model: context_model.Model, example: Example) -> str | None:
    """What `Model.decide` gives for an example, from its stored features."""
    return model.choose(example.word, example.features, example.mecab)


def _fold(group: str, docs: list[str]) -> int:
    if group in docs:
        return docs.index(group) % FOLDS
    return int(hashlib.sha1(group.encode("utf-8")).hexdigest(), 16) % FOLDS


def cross_validate(examples: list[Example]) -> dict[str, collections.Counter]:
    """Per source (the dev gold, GSD): held-out examples the model made right, made wrong, changed
    from wrong to another wrong, and the examples in all."""
    docs = sorted({e.group for e in examples if not e.group.startswith("gsd:")})
    out: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for fold in range(FOLDS):
        trained = _model(train(e for e in examples if _fold(e.group, docs) != fold))
        for example in (e for e in examples if _fold(e.group, docs) == fold):
            source = "gsd" if example.group.startswith("gsd:") else "dev"
            tally = out[source]
            tally["examples"] += 1
            tally["mecab right"] += example.mecab == example.gold
            decided = _decide(trained, example)
            if decided is None:
                continue
            if decided == example.gold:
                tally["made right"] += 1
            elif example.mecab == example.gold:
                tally["made wrong"] += 1
            else:
                tally["wrong to wrong"] += 1
    return out


HEADER = """\
# The homograph context model (app/core/reading/context_model.py reads it; its docstring has the
# format): word <TAB> feature <TAB> reading:count ... (how often the word had each reading where the
# feature held). Built by app/core/reading/build_context_model.py from:
# - benchmarks/data/reading_modern_dev.tsv (ROHAN4600 dev documents, CC0 1.0);
"""
GSD_HEADER = """\
# - Wen Zhang, "Pronunciation Ambiguities in Japanese Kanji" (kanji readings on UD Japanese-GSD
#   sentences), github.com/wenzhang0222/Pronunciation-Ambiguities-in-Japanese-Kanji at commit
#   {commit}, CC BY-SA 4.0.
# This file is derived from it and shared under the same licence, CC BY-SA 4.0
# (https://creativecommons.org/licenses/by-sa/4.0/). It holds counts, none of the sentences.
"""


def render(counts: Counts, *, with_gsd: bool = True) -> str:
    lines = [
        context_model.format_line(word, feature, dict(counts[word][feature]))
        for word in sorted(counts)
        for feature in sorted(counts[word])
    ]
    header = HEADER + (GSD_HEADER.format(commit=GSD_COMMIT) if with_gsd else "")
    return header + "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    if len(args) > 1 or (args and not Path(args[0]).is_dir()):
        print("usage: python -m app.core.reading.build_context_model [GSD_GIT_DIR] [--cv]", file=sys.stderr)
        return 2
    homographs.use_model(context_model.EMPTY)  # MeCab and the hand rules alone
    try:
        dev = modern_examples()
        gsd, misfits = gsd_examples(Path(args[0])) if args else ([], 0)
    finally:
        homographs.use_model(None)
    examples = dev + gsd
    print(f"examples: {len(dev)} from dev, {len(gsd)} from GSD ({misfits} GSD rows did not fit)")
    if "--cv" in argv:
        for source, tally in sorted(cross_validate(examples).items()):
            print(f"cv {source}: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    counts = train(examples)
    out = resource("furigana", context_model.FILE_NAME)
    write_atomic(out, render(counts, with_gsd=bool(args)))
    rules = sum(e.is_rule for table in _model(counts).words.values() for e in table.values())
    print(f"{out}: {len(counts)} words, {sum(map(len, counts.values()))} features, {rules} of them rules")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
