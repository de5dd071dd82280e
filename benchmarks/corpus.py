"""`python -m benchmarks.corpus`: the real-post corpus (tests/corpus/) as Kakikomi shows it.

For every post: the time to read and render it with `--furigana all`, the peak of Python's
allocations meanwhile (tracemalloc), and the checks of the issue "Real posts as their authors
meant them": metadata as expected (expected.json), no site-generator syntax left in the text
outside code, every code fence rendered as <pre>, no ruby inside code, no HTML tags shown as text,
and the share of kanji in prose (outside code) that has furigana. Figures are given for the dev
half (read while writing rules) and the held-out test half separately (see tests/corpus/SOURCES.md).
"""

from __future__ import annotations

import argparse
import html as html_module
import json
import re
import sys
import time
import tracemalloc
from pathlib import Path

from app.core.posts.post import PostError, load_post
from app.core.posts.render import RenderOptions, render_post
from app.core.reading.furigana_mode import FuriganaMode
from app.core.reading.tokens import KANJI_CHARS

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"
COVERAGE_TARGET = 0.90

# Syntax of the site generators, as it would show if left in the text.
_SYNTAX = re.compile(
    r"\{%.*?%\}|\{\{[<%].*?[>%]\}\}|\{\{\s*(?:page|site)\.|\{:[^}\n]*\}|^:::|@\[\w+\]\(|\[:contents\]|^\s*> \[!\w+\]",
    re.M,
)
# An HTML tag the reader would see as text (escaped markup).
_SHOWN_TAG = re.compile(r"</?(?:font|b|u|i|a|span|div|table|tr|td|br|p|img|strong|em|center|small|big)\b[^>\n]*>", re.I)
_FENCE = re.compile(r"[ \t>]*(`{3,}|~{3,})(.*)")
_PRE = re.compile(r"<pre\b.*?</pre>", re.S)
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
_RUBY = re.compile(r"<ruby>(.*?)<rt>", re.S)
_TAG = re.compile(r"<[^>]+>")
_KANJI = re.compile(f"[{KANJI_CHARS}]")


def count_fences(body: str) -> int:
    """Code fences the author wrote, as CommonMark pairs them: a fence closes only with the same
    character, at least as long, and nothing after it (so a fence shown inside a longer one, as
    cheat sheets do, is code, not a fence). Written apart from the renderer on purpose."""
    count, open_fence = 0, ""
    for line in body.split("\n"):
        match = _FENCE.fullmatch(line)
        if match is None:
            continue
        fence, rest = match.groups()
        if not open_fence:
            if fence[0] == "`" and "`" in rest:
                continue  # not a fence: an info string never holds a backtick
            open_fence, count = fence, count + 1
        elif fence[0] == open_fence[0] and len(fence) >= len(open_fence) and not rest.strip():
            open_fence = ""
    return count


def coverage(html: str) -> tuple[int, int]:
    """(kanji with furigana, kanji) in the prose of `html` (code and readings left out)."""
    prose = _CODE.sub("", html)
    covered = sum(len(_KANJI.findall(base)) for base in _RUBY.findall(prose))
    text = _TAG.sub("", re.sub(r"<rt>.*?</rt>", "", prose, flags=re.S))
    return covered, len(_KANJI.findall(text))


def check(path: Path, expected: dict) -> dict:
    """The figures and checks for one post."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        post = load_post(path)
        rendered = render_post(post, RenderOptions(mode=FuriganaMode("all")))
    except PostError as exc:
        tracemalloc.stop()
        return {"file": path.name, "refused": str(exc)}
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    html = rendered.html
    source = post.body
    # What the reader sees outside code (entities decoded: an escaped tag shows as a tag).
    text_outside_code = html_module.unescape(_TAG.sub("", re.sub(r"<rt>.*?</rt>", "", _CODE.sub("", html), flags=re.S)))
    covered, kanji = coverage(html)
    fences = count_fences(post.body)
    meta = {
        # No title in the file (null): the reader shows the file's name, as the app is meant to.
        "title": post.title == (expected.get("title") or path.stem),
        "date": (post.date or "")[:10] == (expected.get("date") or ""),
        "tags": list(post.tags) == list(expected.get("tags") or []),
        "categories": list(post.categories) == list(expected.get("categories") or []),
    }
    return {
        "file": path.name, "half": expected.get("half"), "seconds": seconds, "peak_mb": peak / 1e6, "meta": meta,
        "syntax": _SYNTAX.findall(text_outside_code)[:3],
        "code_as_pre": len(_PRE.findall(html)) >= fences,
        "ruby_in_code": any("<ruby>" in m.group(0) for m in _CODE.finditer(html)),
        "shown_tags": [tag for tag in _SHOWN_TAG.findall(text_outside_code) if not _written_as_text(tag, source)][:3],
        "coverage": covered / kanji if kanji else 1.0,
    }


def _written_as_text(tag: str, source: str) -> bool:
    """Whether the author wrote `tag` to be read as text (escaped: &lt;table&gt;, \\<table>, or in
    backticks), so showing it is right."""
    inner = tag[1:]
    return f"&lt;{inner[:-1]}" in source or f"\\<{inner}" in source or f"\\{tag}" in source or f"`{tag}" in source


def passed(result: dict) -> bool:
    return (
        "refused" not in result and all(result["meta"].values()) and not result["syntax"] and result["code_as_pre"]
        and not result["ruby_in_code"] and not result["shown_tags"] and result["coverage"] >= COVERAGE_TARGET
    )


def contact_sheet(names: list[str], out: Path, columns: int = 5) -> None:
    """Screenshot every post with `kakikomi screenshot --furigana all` (one process each, as a user
    runs it) and lay the shots out in a grid, each under its file name, in one PNG to look at."""
    import os
    import subprocess
    import tempfile

    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    if os.geteuid() == 0:
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = (env.get("QTWEBENGINE_CHROMIUM_FLAGS", "") + " --no-sandbox").strip()
    shots: list[tuple[str, Path | None]] = []
    with tempfile.TemporaryDirectory() as folder:
        for i, name in enumerate(names):
            shot = Path(folder) / f"{i:03d}.png"
            done = subprocess.run(
                [sys.executable, "-m", "app", "screenshot", str(CORPUS / "posts" / name), "-o", str(shot), "--furigana", "all",
                 "--size", "1100x800"], env=env, capture_output=True, text=True, timeout=180, check=False,
            )
            shots.append((name, shot if done.returncode == 0 and shot.exists() else None))
            print(f"  screenshot {i + 1}/{len(names)} {name}: {'ok' if shots[-1][1] else done.stderr.strip()[-200:]}", file=sys.stderr)
        _compose(shots, out, columns)
    print(f"contact sheet: {out}", file=sys.stderr)


def _compose(shots: list[tuple[str, Path | None]], out: Path, columns: int) -> None:
    """The grid of shots (each scaled to 440 px wide) with their names, as one PNG (Qt's painter)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

    app = QGuiApplication.instance() or QGuiApplication(["contact-sheet"])  # noqa: F841 - fonts need it
    cell_w, cell_h, label = 440, 320, 22
    rows = (len(shots) + columns - 1) // columns
    sheet = QImage(columns * cell_w, rows * (cell_h + label), QImage.Format.Format_RGB32)
    sheet.fill(QColor("white"))
    painter = QPainter(sheet)
    for i, (name, path) in enumerate(shots):
        x, y = (i % columns) * cell_w, (i // columns) * (cell_h + label)
        painter.drawText(QRect(x + 4, y, cell_w - 8, label), Qt.AlignmentFlag.AlignVCenter, name)
        image = QImage(str(path)) if path else QImage()
        if image.isNull():
            painter.fillRect(QRect(x + 4, y + label, cell_w - 8, cell_h - 8), QColor("#f3c0c0"))
            continue
        scaled = image.scaled(cell_w - 8, cell_h - 8, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        painter.drawImage(x + 4, y + label, scaled)
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(str(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print every post's figures as JSON")
    parser.add_argument("--sheet", metavar="OUT.png", help="also screenshot every post (kakikomi screenshot) into one contact sheet")
    parser.add_argument("--half", choices=("dev", "test", "fresh"), help="only the posts of this half")
    args = parser.parse_args(argv)
    expected = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    if args.half:
        expected = {name: wanted for name, wanted in expected.items() if wanted.get("half") == args.half}
    results = [check(CORPUS / "posts" / name, wanted) for name, wanted in sorted(expected.items())]
    if args.sheet:
        contact_sheet(sorted(expected), Path(args.sheet))
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    print(f"{'post':<48}{'half':<6}{'ms':>7}{'MB':>7}  {'meta':<5}{'syntax':<8}{'pre':<5}{'code':<6}{'tags':<6}{'kanji':>7}")
    for r in results:
        if "refused" in r:
            print(f"{r['file'][:47]:<48}{expected[r['file']].get('half', ''):<6}  refused: {r['refused']}")
            continue
        meta = "".join("·" if ok else k[0].upper() for k, ok in r["meta"].items())
        print(
            f"{r['file'][:47]:<48}{r['half']:<6}{1000 * r['seconds']:7.0f}{r['peak_mb']:7.1f}  {meta:<5}"
            f"{'ok' if not r['syntax'] else 'SHOWN':<8}{'ok' if r['code_as_pre'] else 'NO':<5}"
            f"{'ok' if not r['ruby_in_code'] else 'RUBY':<6}{'ok' if not r['shown_tags'] else 'SHOWN':<6}{100 * r['coverage']:6.1f}%"
        )
    print("\n(meta: · for each of title, date, tags, categories as expected; else its initial)")
    for half in ("dev", "test", "fresh"):
        part = [r for r in results if expected[r["file"]].get("half") == half]
        opened = [r for r in part if "refused" not in r]
        if not part:
            continue
        share = lambda f: sum(1 for r in opened if f(r))  # noqa: E731
        print(
            f"\n{half}: {len(part)} posts, {len(part) - len(opened)} refused; all checks passed: {share(passed)}/{len(part)}; "
            f"metadata right: {share(lambda r: all(r['meta'].values()))}; no syntax shown: {share(lambda r: not r['syntax'])}; "
            f"no tags shown: {share(lambda r: not r['shown_tags'])}; code as <pre>: {share(lambda r: r['code_as_pre'])}; "
            f"furigana over >= {COVERAGE_TARGET:.0%} of prose kanji: {share(lambda r: r['coverage'] >= COVERAGE_TARGET)}"
        )
        if opened:
            print(f"  time: max {1000 * max(r['seconds'] for r in opened):.0f} ms; peak Python memory: max {max(r['peak_mb'] for r in opened):.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
