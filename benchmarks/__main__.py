"""`python -m benchmarks`: print the foundation's speed and accuracy figures.

Times are the best of several runs (the machines are shared and noisy), in CPU time of the thread,
the figures a ratio compares measured in turn in the same rounds, which is what the targets are about.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable

from app.core.common.paths import sample_post_path
from app.core.posts.post import load_post
from app.core.posts.render import RenderOptions, render_markdown
from app.core.reading import furigana
from benchmarks import reading_accuracy


def best_of(fn: Callable[[], object], repeat: int) -> float:
    return best_of_each([fn], repeat)[0]


def best_of_each(fns: list[Callable[[], object]], repeat: int) -> list[float]:
    """The best time of each function over `repeat` rounds, each round running every function
    once, in turn: a ratio of two of them then compares runs made under the same load. Times are
    the CPU time of this thread (the work is single-threaded, MeCab included), which other
    processes on a shared machine do not add to."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, spent in zip(fns, times):
            start = time.thread_time()
            fn()
            spent.append(time.thread_time() - start)
    return [min(spent) for spent in times]


def raw_tagger():
    """fugashi as a user would open it on unidic-lite, producing node objects (the floor)."""
    import fugashi
    import unidic_lite

    rc = os.path.join(unidic_lite.DICDIR, "mecabrc")
    return fugashi.Tagger(f'-r "{rc}" -d "{unidic_lite.DICDIR}"')


def speed(repeat: int) -> None:
    body = load_post(sample_post_path()).body
    tagger = raw_tagger()
    print("Speed (best of %d runs, %d for the sample alone; CPU milliseconds)" % (repeat, repeat * 5))
    print(f"{'text':<18}{'chars':>8}{'raw tok':>10}{'raw+kana':>10}{'furigana':>10}{'render':>10}{'render/raw':>12}")
    results = {}
    for times in (1, 10, 33):
        text = "\n\n".join([body] * times)
        render_markdown(text)  # warm caches shared by every size (alignment, rule tables)
        raw, raw_kana, fur, full = best_of_each([
            lambda: [n.surface for n in tagger(text)],
            lambda: [(n.surface, n.feature.kana) for n in tagger(text)],
            lambda: furigana.ruby_spans(furigana.tokenize(text)),
            lambda: render_markdown(text, RenderOptions()),
        ], repeat * 5 if times == 1 else repeat)  # the sample takes milliseconds: more rounds
        results[times] = (raw, fur, full)
        label = "sample" if times == 1 else f"sample x{times}"
        print(f"{label:<18}{len(text):>8}{raw*1e3:>10.1f}{raw_kana*1e3:>10.1f}{fur*1e3:>10.1f}{full*1e3:>10.1f}{full/raw:>11.2f}x")
    raw1, fur1, full1 = results[1]
    raw10, fur10, full10 = results[10]
    print()
    print(f"furigana / raw tokenization (sample):         {fur1/raw1:.2f}x   (target <= 2.5x: MeCab, rules, homographs, dictionary stage, ruby)")
    print(f"furigana / raw tokenization (x10):            {fur10/raw10:.2f}x")
    print(f"full render / raw tokenization (sample):      {full1/raw1:.2f}x   (the page: furigana plus Markdown to HTML)")
    print(f"full render / raw tokenization (x10):         {full10/raw10:.2f}x")
    print(f"x10 text / x1 text, raw tokenization:         {raw10/raw1:.2f}x")
    print(f"x10 text / x1 text, furigana:                 {fur10/fur1:.2f}x")
    print(f"x10 text / x1 text, full render:              {full10/full1:.2f}x   (target <= 11x)")
    print(f"x33 text (~{len(body)*33//1000}k chars) / x1 text, full render:  {results[33][2]/full1:.2f}x")


def accuracy(show_misses: bool) -> None:
    print("Reading accuracy on modern prose never used for rules (ROHAN corpus, benchmarks/data/SOURCES.md),")
    print("kanji runs right; dev may be read while writing rules, test is only scored:")
    for half, figures in reading_accuracy.modern_figures().items():
        for key in ("kakikomi", "plain", "kakikomi_unseen", "plain_unseen"):
            result = figures[key]
            target = "   (target >= 98%)" if key == "kakikomi" and half == "test" else ""
            print(f"  {result.name:<42} {result.rows - len(result.misses):>5}/{result.rows:<5} = {result.ratio:.2%}{target}")
        if show_misses and half == "dev":
            for miss in figures["kakikomi"].misses:
                print(f"      {miss.word}: expected {miss.expected}, shown {miss.shown}  [{miss.note}] {miss.sentence}")
    print("(unseen words: kanji runs that no rule or table of Kakikomi's names; plain dictionary: UniDic's")
    print(" readings with none of Kakikomi's rules or dictionary stages)")
    print()
    literary(show_misses)
    print()
    print("Reading accuracy on the project's own lists (used to write the rules: not evidence, a regression guard)")
    for result in reading_accuracy.measure_all():
        print(f"  {result.name:<28} {result.rows - len(result.misses):>5}/{result.rows:<5} = {result.ratio:.2%}")
        if show_misses:
            for miss in result.misses:
                print(f"      {miss.word}: expected {miss.expected}, shown {miss.shown}  [{miss.note}] {miss.sentence}")


def literary(show_misses: bool) -> None:
    """Older novels and essays, kanji runs under the author's or editor's ruby: Kakikomi beside the
    plain dictionary (issue 15: never worse); with --misses, the dev rows only Kakikomi gets wrong."""
    figures = reading_accuracy.literary_figures()
    if not figures:
        return
    print("Reading accuracy on older literary prose, kanji runs under the author's or editor's ruby")
    print("(Aozora Bunko, benchmarks/data/SOURCES.md); dev may be read while fixing readings, test is only scored:")
    for half, pair in figures.items():
        ours, plain = pair["kakikomi"], pair["plain"]
        for result in (ours, plain):
            print(f"  literary {result.name:<33} {result.rows - len(result.misses):>5}/{result.rows:<5} = {result.ratio:.2%}")
        target = "   (target >= +0.00 points: never below the plain dictionary)"
        print(f"  literary {half}: Kakikomi - plain dictionary   {(ours.ratio - plain.ratio) * 100:+.2f} points{target}")
        if show_misses and half == "dev":
            worse, _better = reading_accuracy.disagreements(reading_accuracy.DATA / reading_accuracy.LITERARY["dev"])
            for row in worse:
                print(f"      {row.word}: expected {row.expected}, Kakikomi {row.ours}, plain {row.plain}  [{row.doc}] {row.sentence}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--misses", action="store_true", help="list every reading the gold lists disagree with")
    parser.add_argument(
        "--library", type=int, default=500, metavar="N",
        help="also run the library benchmark on N generated posts (0: skip; the full figure is 10000)",
    )
    parser.add_argument(
        "--furigana-json", type=int, default=3, metavar="RUNS",
        help="also time `kakikomi furigana --format json` on a 390,000-character post, best of RUNS (0: skip)",
    )
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    speed(args.repeat)
    print()
    accuracy(args.misses)
    if args.furigana_json:
        from benchmarks import furigana_json

        print()
        furigana_json.main(["--runs", str(args.furigana_json)])
    if args.library:
        from benchmarks import library

        print()
        library.main(["--posts", str(args.library), "--highlights", str(args.library * 10)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
