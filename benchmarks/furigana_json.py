"""`python -m benchmarks.furigana_json`: `kakikomi furigana POST --format json` on a long post.

The post: about 390,000 characters of Markdown body (under the 400,000-character render limit),
made at run time from the bundled sample post's paragraphs in a seeded-random order, every Arabic
number changed (so copies of a paragraph are not the same text), under the sample's front matter.
Nothing but the bundled sample goes into it.

Each case is a fresh process started with Popen, timed from just before Popen to its exit (so
interpreter start, imports and opening the dictionary count), its output written to a file; the
library folder (KAKIKOMI_HOME) is an empty temporary one. Memory is the peak, over the run, of
the resident memory (VmRSS) summed over the process and every process below it (the command
reads a long post's second half in a forked child), sampled every 20 ms; each process's own
peak (VmHWM) is given too. RSS counts the MeCab dictionary's pages once per process that touched
them (PSS would share them out), so the sum is an upper bound.

The floors, same text, same way of measuring, each a fresh process too:

- fugashi: the post's plain text (what the command reads, as `render_post` gives it) tokenized
  paragraph by paragraph with fugashi's own Tagger on unidic-lite, a node object per word and
  its surface read: the least any tokenizing command pays;
- MeCab for the JSON: the same paragraphs parsed once more plus MeCab's 5-best analyses of every
  sentence with kanji (what the `alternatives` of each word come from), fugashi's GenericTagger
  with the app's own output format: the MeCab work the JSON needs, with no Python around it.

The runs alternate (command, floors, command, ...) so they share the machine's noise; each
figure is the best of the runs. Targets: at most 3 s and 400 MB for the command.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TARGET_CHARS = 390_000
TARGET_S = 3.0
TARGET_MB = 400.0
REPO_ROOT = Path(__file__).resolve().parents[1]


def long_post(chars: int = TARGET_CHARS, seed: int = 5) -> str:
    """A post whose body is `chars` characters of the bundled sample's paragraphs (headings,
    lists, quotes, links and all; code blocks and footnote definitions left out, as they do not
    survive being cut apart), in a seeded-random order with every Arabic number changed."""
    from app.core.common.paths import sample_post_path
    from benchmarks.claims import long_post_body

    text = sample_post_path().read_text(encoding="utf-8")
    match = re.match(r"---\n.*?\n---\n", text, re.DOTALL)
    front = match.group(0) if match else ""
    return front + "\n" + long_post_body(chars, seed)[:chars]  # the body: exactly `chars` characters


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float  # VmRSS summed over the process tree, the highest sample
    process_peaks_mb: list[float]  # VmHWM of each process seen
    processes: int


def _status_kb(pid: int) -> tuple[int, int]:
    rss = hwm = 0
    with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return rss, hwm


def _tree(root: int) -> list[int]:
    """`root` and every process below it (through /proc/PID/task/TID/children)."""
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                    queue.extend(int(p) for p in handle.read().split())
        except OSError:
            continue
    return found


def measure(argv: list[str], env: dict[str, str], stdout_path: Path, interval: float = 0.02) -> Run:
    """Run `argv` to its end; its wall time and memory (see the module's docstring)."""
    with open(stdout_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.PIPE, env=env, cwd=REPO_ROOT)
        peak = 0
        hwm: dict[int, int] = {}
        while proc.poll() is None:
            total = 0
            for pid in _tree(proc.pid):
                try:
                    rss, high = _status_kb(pid)
                except (OSError, ValueError):
                    continue
                total += rss
                hwm[pid] = max(hwm.get(pid, 0), high)
            peak = max(peak, total)
            time.sleep(interval)
        seconds = time.perf_counter() - start
        stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({proc.returncode}): {stderr.strip()}")
    return Run(seconds, peak / 1024, sorted((v / 1024 for v in hwm.values()), reverse=True), len(hwm))


def environment(home: Path) -> dict[str, str]:
    env = {**os.environ, "KAKIKOMI_HOME": str(home), "PYTHONPATH": str(REPO_ROOT)}
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    return env


# --- the floors (run as `python -m benchmarks.furigana_json --floor KIND TEXT`) -------------------

_SENTENCE_END = re.compile(r"[。！？!?\n]+")
_KANJI = re.compile(r"[\u3005-\u3007\u4e00-\u9fff]")


def floor(kind: str, text_path: str) -> None:
    """One floor, in this process; imports nothing of the app (the app's MeCab options for 'mecab'
    are spelled out here)."""
    import fugashi
    import unidic_lite

    text = Path(text_path).read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n") if p.strip()]
    rc = os.path.join(unidic_lite.DICDIR, "mecabrc")
    if kind == "fugashi":
        tagger = fugashi.Tagger(f'-r "{rc}" -d "{unidic_lite.DICDIR}"')
        words = sum(len([node.surface for node in tagger(p)]) for p in paragraphs)
        print(words)
        return
    node_format = (
        r' -O "" --node-format=%M\\t%m\\t%f[17]\\t%f[7]\\t%F-[0,1,2,3]\\n'
        r' --unk-format=%M\\t%m\\t\\t\\t%F-[0,1,2,3]\\n --eos-format=EOS\\n'
    )
    tagger = fugashi.GenericTagger(f'-r "{rc}" -d "{unidic_lite.DICDIR}"' + node_format)
    size = 0
    for p in paragraphs:
        size += len(tagger.parse(p))
        start = 0
        for m in _SENTENCE_END.finditer(p + "\n"):
            sentence = p[start : m.end()]
            start = m.end()
            if _KANJI.search(sentence):
                size += len(tagger.nbest(sentence, 5))
    print(size)


# --- the benchmark --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.furigana_json")
    parser.add_argument("--runs", type=int, default=3, help="runs of each case (best of; default 3)")
    parser.add_argument("--chars", type=int, default=TARGET_CHARS, help="body length of the post")
    parser.add_argument("--keep", metavar="DIR", help="leave the post and the outputs in DIR")
    parser.add_argument("--floor", nargs=2, metavar=("KIND", "TEXT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor:
        floor(*args.floor)
        return 0

    from app.core.posts.post import load_post
    from app.core.posts.render import RenderOptions, render_post
    from app.core.reading.furigana_mode import FuriganaMode

    with tempfile.TemporaryDirectory() as scratch:
        work = Path(args.keep) if args.keep else Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        post_path = work / "long-post.md"
        post_path.write_text(long_post(args.chars), encoding="utf-8")
        post = load_post(post_path)
        text_path = work / "long-post.txt"
        text_path.write_text(render_post(post, RenderOptions(mode=FuriganaMode("off"))).plain.text, encoding="utf-8")
        env = environment(work / "home")
        python = sys.executable
        cases = {
            "json": [python, "-m", "app", "furigana", str(post_path), "--format", "json"],
            "aozora": [python, "-m", "app", "furigana", str(post_path), "--format", "aozora"],
            "fugashi": [python, "-m", "benchmarks.furigana_json", "--floor", "fugashi", str(text_path)],
            "mecab": [python, "-m", "benchmarks.furigana_json", "--floor", "mecab", str(text_path)],
        }
        runs: dict[str, list[Run]] = {name: [] for name in cases}
        for _ in range(max(1, args.runs)):
            for name, command in cases.items():
                runs[name].append(measure(command, env, work / f"out-{name}.txt"))

        tokens = json.loads((work / "out-json.txt").read_text(encoding="utf-8"))
        json_mb = (work / "out-json.txt").stat().st_size / 1e6
        best = {name: min(r, key=lambda run: run.seconds) for name, r in runs.items()}
        rss = {name: min(run.peak_rss_mb for run in r) for name, r in runs.items()}
        print(
            f"furigana --format json: a post of {len(post.body):,} characters of body "
            f"({len(text_path.read_text(encoding='utf-8')):,} of plain text), {len(tokens):,} words, "
            f"{json_mb:.1f} MB of JSON; best of {max(1, args.runs)} runs, {os.cpu_count()} CPUs"
        )
        labels = {
            "json": "kakikomi furigana --format json",
            "aozora": "kakikomi furigana --format aozora",
            "fugashi": "floor: fugashi, a node per word",
            "mecab": "floor: MeCab parse + 5-best",
        }
        print(f"{'':<36}{'wall s':>9}{'peak RSS MB':>13}{'processes (own peaks, MB)':>36}")
        for name, label in labels.items():
            run = best[name]
            peaks = ", ".join(f"{p:.0f}" for p in run.process_peaks_mb)
            print(f"{label:<36}{run.seconds:>9.2f}{rss[name]:>13.0f}{f'{run.processes} ({peaks})':>36}")
        print()
        json_s, json_mb_peak = best["json"].seconds, rss["json"]
        for name in ("fugashi", "mecab"):
            print(
                f"json / {labels[name][7:]:<28} time {json_s / best[name].seconds:5.2f}x   "
                f"peak RSS {json_mb_peak / rss[name]:5.2f}x"
            )
        print(f"json / aozora                         time {json_s / best['aozora'].seconds:5.2f}x")
        met = json_s <= TARGET_S and json_mb_peak <= TARGET_MB
        print(
            f"target: json <= {TARGET_S:.0f} s and <= {TARGET_MB:.0f} MB peak RSS: "
            f"{json_s:.2f} s, {json_mb_peak:.0f} MB: {'met' if met else 'NOT met'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
