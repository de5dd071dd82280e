"""`kakikomi furigana --format json`, streamed: the same bytes as the whole list json.dumps-ed.

The expected output is computed here the way the command computed it before it streamed: every
inline's prose tokenized with `furigana.tokenize(detail=True)`, the n-best alternatives filled in
by the loop `furigana.alternatives` used to run (kept below), each token placed in the block's
plain text through an offset map and turned into a dict by `Token.to_json`, and the whole list
printed by `json.dumps(..., ensure_ascii=False, indent=2)`. None of the streaming code is used.
"""

from __future__ import annotations

import functools
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.common.paths import sample_post_path
from app.core.posts import render
from app.core.posts.plain_text import html_to_aozora, html_to_text
from app.core.posts.post import load_post
from app.core.posts.render import (
    MAX_RENDER_CHARS,
    RenderOptions,
    post_tokens,
    render_markdown,
    render_post,
)
from app.core.reading import furigana, reading_rules
from app.core.reading.furigana_mode import FuriganaMode
from app.core.reading.tokens import Token

REPO_ROOT = Path(__file__).resolve().parents[2]


# --- the reference: the command's output as it was computed before ---------------------------


def _reference_alternatives(text: str, tokens: list[Token], n: int = 5) -> None:
    """`furigana.alternatives` as it was: every n-best token looked for in its sentence."""
    by_span: dict[tuple[int, int], set[str]] = {}
    for sentence_start, sentence in furigana._sentences(text):
        if not furigana.KANJI_RE.search(sentence):
            continue
        try:
            output = furigana.tagger().nbest(sentence.translate(furigana._DIGITS_TO_ASCII), n)
        except (RuntimeError, ValueError):
            continue
        for analysis in output.split("EOS\n"):
            pos = 0
            for row in furigana._lines(analysis):
                if len(row) != 5:
                    continue
                surface, kana = row[1], row[2]
                start = sentence.find(surface, pos)
                if start < 0:
                    break
                pos = start + len(surface)
                if kana and kana != "*" and furigana._KANA_VALUE.search(kana):
                    by_span.setdefault((sentence_start + start, sentence_start + pos), set()).add(furigana.to_hiragana(kana))
    for token in tokens:
        if token.reading is None:
            continue
        found = set(by_span.get((token.start, token.end), ()))
        if token.dictionary_reading:
            found.add(token.dictionary_reading)
        found.update(reading_rules.extra_alternatives(token))
        found.discard(token.reading)
        token.alternatives = tuple(sorted(found))


def _reference_place(analyses, found_tokens, block_text: str, block_offset: int, segment_starts) -> list[dict]:
    """The tokens of a block's inlines as Token.to_json dicts, placed through an offset map."""
    out: list[dict] = []
    cursor = 0
    k = 0
    for analysis, tokens in zip(analyses, found_tokens):
        mapping: dict[int, int] = {}
        for _child, segments in analysis.text_children:
            for seg in segments:
                if segment_starts is not None:
                    found = segment_starts[k] if k < len(segment_starts) else -1
                    k += 1
                else:
                    found = block_text.find(seg.text, cursor)
                if found < 0 or block_text[found : found + len(seg.text)] != seg.text:
                    continue
                for j in range(len(seg.text) + 1):
                    mapping.setdefault(seg.start + j, found + j)
                cursor = found + len(seg.text)
        for token in tokens:
            if not token.surface.strip():
                continue
            start, end = mapping.get(token.start), mapping.get(token.end)
            if start is None or end is None or block_text[start:end] != token.surface:
                continue
            entry = token.to_json()
            entry["start"], entry["end"] = block_offset + start, block_offset + end
            out.append(entry)
    return out


def reference_tokens(body: str, overrides: tuple[furigana.ReadingOverride, ...] = ()) -> list[dict]:
    """The words of a Markdown body as the command listed them before it streamed."""
    md = render.markdown()
    env: dict = {"kk_allow_remote_images": False}
    marked = render._SEGMENT_MARK not in body
    out: list[dict] = []
    offset = 0
    for block_tokens in render._top_level_blocks(md.parse(body, env)):
        first = block_tokens[0]
        first.meta = dict(first.meta or {})
        first.meta["kk_block"] = render._BLOCK_INDEX
        if first.tag and (first.nesting == 1 or first.type == "hr"):
            first.attrSet("data-kb", render._BLOCK_INDEX)
        analyses = [render._InlineAnalysis(t.children) for t in block_tokens if t.type == "inline" and t.children]
        found_tokens = []
        for analysis in analyses:
            found = furigana.tokenize(analysis.text, detail=True) if analysis.text.strip() else []
            _reference_alternatives(analysis.text, found)
            analysis.annotate(furigana.ruby_spans(found), FuriganaMode(), mark=marked, overrides=overrides)
            found_tokens.append(found)
        block_html = md.renderer.render(block_tokens, md.options, env)
        if not block_html:
            continue
        text = html_to_text(block_html)
        segment_starts = None
        if marked:
            text, block_html, segment_starts = render._take_marks(text, block_html)
        out.extend(_reference_place(analyses, found_tokens, text, offset, segment_starts))
        offset += len(text)
    return out


@functools.lru_cache(maxsize=8)
def reference_json(body: str) -> bytes:
    return (json.dumps(reference_tokens(body), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- posts ----------------------------------------------------------------------------------

TRICKY = """---
title: 難しい記事
---

# 見出しの漢字と**強調**

私は明日、東京の株式会社へ行きます。鉛筆を三本、１０人で２０２５年に買いました。

強調で**漢**字が分かれる語と、`コードの漢字`と、<ruby>漢字<rt>かんじ</rt></ruby>と、｜振り仮名《ふりがな》と、
https://example.jp/日本語/記事 のURLと[リンクの漢字](https://example.jp/)。

> 引用の中の一日中、世界中の人。
> - 入れ子の箇条書きの漢字

1. 番号付きの一覧
2. 二つ目の項目で上手と下手

| 表の見出し | 値段 |
|---|---|
| `東京` | 東京の千円 |

脚注付きの文です[^1]。タブ\tの後の漢字。絵文字😀と𠮷野家と「引用符\\"と\\\\」。

```
コードの中の漢字
```

[^1]: 脚注の中の漢字です。
"""


def _long_body(chars: int, seed: int = 3) -> str:
    """About `chars` characters of the sample post's paragraphs, numbers varied."""
    body = load_post(sample_post_path()).body
    paragraphs = [p for p in re.split(r"\n{2,}", body) if p.strip() and "```" not in p and not p.startswith("[^")]
    rng = random.Random(seed)
    out: list[str] = []
    while sum(map(len, out)) < chars:
        out.append(re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), rng.choice(paragraphs)))
    return "\n\n".join(out)


@pytest.fixture(scope="module")
def posts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """name -> a post file: the bundled sample, tricky Markdown, an empty body, and one long enough
    that the command reads its second half in a second process."""
    folder = tmp_path_factory.mktemp("posts")
    bodies = {
        "sample": sample_post_path().read_text(encoding="utf-8"),
        "tricky": TRICKY,
        "no-words": "---\ntitle: 空\n---\n\n```\nコードだけ\n```\n",
        "long": "---\ntitle: 長い記事\n---\n\n" + _long_body(70_000) + "\n\n[^9]: 最後の脚注の漢字。\n",
    }
    paths = {}
    for name, text in bodies.items():
        paths[name] = folder / f"{name}.md"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "KAKIKOMI_HOME": str(home)}
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=REPO_ROOT, env=env, capture_output=True, timeout=120, check=False
    )


# --- the command ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sample", "tricky", "no-words", "long"])
def test_json_is_byte_for_byte_the_whole_list_dumped(name: str, posts: dict[str, Path], tmp_path: Path) -> None:
    """The streamed JSON is exactly json.dumps(indent=2) of the Token.to_json dicts, as before:
    same keys, values, order and formatting, valid JSON (the long post is read by two processes)."""
    result = run_cli("furigana", str(posts[name]), "--format", "json", home=tmp_path / "home")
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert result.stderr == b""
    expected = reference_json(load_post(posts[name]).body)
    assert result.stdout == expected
    tokens = json.loads(result.stdout)
    assert (tokens == []) if name == "no-words" else len(tokens) > 30


@pytest.mark.parametrize("name", ["sample", "tricky", "long"])
def test_aozora_is_unchanged(name: str, posts: dict[str, Path], tmp_path: Path) -> None:
    """`--format aozora`, written block by block, is the blocks of a whole render, joined."""
    result = run_cli("furigana", str(posts[name]), home=tmp_path / "home")
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    blocks = render_post(load_post(posts[name])).blocks
    assert result.stdout.decode("utf-8") == "".join(html_to_aozora(block.html) for block in blocks)


@pytest.mark.parametrize("fmt", ["json", "aozora"])
def test_a_missing_file_is_one_sentence_and_exit_2(fmt: str, tmp_path: Path) -> None:
    result = run_cli("furigana", str(tmp_path / "missing.md"), "--format", fmt, home=tmp_path / "home")
    assert result.returncode == 2
    assert result.stdout == b""
    lines = result.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1 and lines[0].startswith("kakikomi: ") and "missing.md" in lines[0]


@pytest.mark.parametrize("fmt", ["json", "aozora"])
def test_a_post_over_the_limit_is_refused_before_any_output(fmt: str, tmp_path: Path) -> None:
    """A body over the render limit exits 2 with one sentence and writes nothing at all."""
    path = tmp_path / "huge.md"
    paragraph = "漢字の多い長い段落です。" * 100
    path.write_text("\n\n".join([paragraph] * (MAX_RENDER_CHARS // len(paragraph) + 2)), encoding="utf-8")
    result = run_cli("furigana", str(path), "--format", fmt, home=tmp_path / "home")
    assert result.returncode == 2
    assert result.stdout == b""
    lines = result.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1 and "split it into parts" in lines[0]


def _second_half_failing(monkeypatch, only_in_the_child: bool) -> None:
    """Make reading the second half of a post fail (in the forked child only, or anywhere)."""
    from app.cli import main

    real = main.post_tokens
    parent = os.getpid()

    def failing(post, options=None, lines=(0, None)):
        if lines[0] > 0 and (os.getpid() != parent or not only_in_the_child):
            raise RuntimeError("injected")
        return real(post, options, lines)

    monkeypatch.setattr(main, "post_tokens", failing)
    monkeypatch.setattr(main, "usable_cpus", lambda: 2)


def test_a_long_post_is_read_by_two_processes(posts: dict[str, Path], monkeypatch, capsysbinary) -> None:
    """With two cores, a long post's second half is read by one forked child, and the output is
    the same bytes; a short post is read in one process."""
    from app.cli import main

    forks: list[int] = []
    real_fork = os.fork

    def counting_fork() -> int:
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(main.os, "fork", counting_fork)
    monkeypatch.setattr(main, "usable_cpus", lambda: 2)
    monkeypatch.setenv("KAKIKOMI_HOME", str(posts["long"].parent / "home"))
    assert main.run(["furigana", str(posts["long"]), "--format", "json"]) == 0
    assert capsysbinary.readouterr().out == reference_json(load_post(posts["long"]).body)
    assert len(forks) == 1
    assert main.run(["furigana", str(posts["sample"]), "--format", "json"]) == 0
    assert len(forks) == 1


def test_a_failing_second_process_is_made_up_for(posts: dict[str, Path], monkeypatch, capsysbinary) -> None:
    """If the forked child fails, the command reads the second half itself: the same bytes, exit 0."""
    from app.cli import main

    _second_half_failing(monkeypatch, only_in_the_child=True)
    monkeypatch.setenv("KAKIKOMI_HOME", str(posts["long"].parent / "home"))
    assert main.run(["furigana", str(posts["long"]), "--format", "json"]) == 0
    captured = capsysbinary.readouterr()
    assert captured.out == reference_json(load_post(posts["long"]).body)
    assert captured.err == b""


def test_an_error_half_way_never_leaves_json_that_parses(posts: dict[str, Path], monkeypatch, capsysbinary) -> None:
    """An error after the first words were written exits 1 with one line, and what was written
    is not a JSON document (never a shortened list with exit 0)."""
    from app.cli import main

    _second_half_failing(monkeypatch, only_in_the_child=False)
    monkeypatch.setenv("KAKIKOMI_HOME", str(posts["long"].parent / "home"))
    assert main.run(["furigana", str(posts["long"]), "--format", "json"]) == 1
    captured = capsysbinary.readouterr()
    assert captured.out.startswith(b"[\n")
    with pytest.raises(json.JSONDecodeError):
        json.loads(captured.out)
    lines = captured.err.decode("utf-8").splitlines()
    assert len(lines) == 1 and lines[0] == "kakikomi: internal error: RuntimeError: injected"


def test_without_a_second_process_the_output_is_the_same(posts: dict[str, Path], monkeypatch, capsysbinary) -> None:
    """On one core (no fork) the long post's JSON is the same bytes."""
    from app.cli import main

    monkeypatch.setattr(main, "usable_cpus", lambda: 1)
    monkeypatch.setenv("KAKIKOMI_HOME", str(posts["long"].parent / "home"))
    assert main.run(["furigana", str(posts["long"]), "--format", "json"]) == 0
    assert capsysbinary.readouterr().out == reference_json(load_post(posts["long"]).body)


# --- in-process pieces ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sample", "tricky", "long"])
def test_post_tokens_shared_out_at_any_line_add_up_to_the_whole(name: str, posts: dict[str, Path]) -> None:
    """post_tokens over (0, n) then (n, None) gives the blocks of the whole post once each, with
    the same offsets, wherever n falls (inside a block, on a footnote, past the end)."""
    post = load_post(posts[name])
    whole = [list(block) for block in post_tokens(post)]
    assert whole == [list(block) for block in post_tokens(post, lines=(0, None))]
    line_count = post.body.count("\n") + 1
    lines = {0, 1, 7, line_count // 3, render.halfway_line(post.body), line_count - 2, line_count + 5}
    for line in sorted(lines) if name != "long" else [render.halfway_line(post.body)]:
        first = [list(block) for block in post_tokens(post, lines=(0, line))]
        second = [list(block) for block in post_tokens(post, lines=(line, None))]
        assert first + second == whole, line


SNIPPETS = [
    "",
    "漢字",
    "  \n\n　全角空白の後の漢字　",
    "１２３本と３人、二十四時間、一日中",
    "私の*強*調と__太__字が語を分ける",
    "<b>閉じない太字の漢字",
    "<ruby>漢<rt>かん</ruby>字の閉じないルビ",
    "\ue000私用領域の印\ue000と漢字",
    "[参照リンクの漢字][ref]\n\n[ref]: https://example.jp/",
    "- 一覧\n  - 入れ子の漢字\n\n    字下げコードの漢字\n",
    "NUL\x00を含む漢字",
    "上手と下手と一日",
    "&amp;実体参照&lt;漢字&gt;と\\*エスケープ\\*",
]


@pytest.mark.parametrize("body", SNIPPETS)
def test_collected_tokens_are_the_reference_dicts(body: str) -> None:
    """render_markdown(collect_tokens=True).tokens is the reference list of Token.to_json dicts."""
    assert render_markdown(body, RenderOptions(collect_tokens=True)).tokens == reference_tokens(body)


def test_token_entries_are_tokenize_with_alternatives() -> None:
    """furigana.token_entries gives, field for field, tokenize(detail=True) + the n-best
    alternatives, on every paragraph of the sample and on text with full-width digits, tabs and
    white space MeCab skips."""
    texts = [p for p in load_post(sample_post_path()).body.split("\n\n") if p.strip()]
    texts += ["１０億円と２０２５年の三本の鉛筆、タブ\tの漢字\r\n改行", "  先頭の空白 と 漢字　全角空白", "ＡＢＣ１２３の会社　１０人"]
    for text in texts:
        tokens = furigana.tokenize(text, detail=True)
        _reference_alternatives(text, tokens)
        expected = [tuple(t.to_json().values()) for t in tokens]
        expected = [(s, r, a, b, lemma, pos, tuple(alts)) for s, r, a, b, lemma, pos, alts in expected]
        assert [tuple(entry) for entry in furigana.token_entries(text)] == expected, text


def test_the_readers_own_readings_keep_the_offsets(posts: dict[str, Path]) -> None:
    """With the reader's readings from the library, the words are those of the reference, read
    whole or in two shares."""
    overrides = (furigana.ReadingOverride("東京", "とーきょー"), furigana.ReadingOverride("会社", "かいしゃ", "株式"))
    post = load_post(posts["long"])
    options = RenderOptions(overrides=overrides)
    expected = reference_tokens(post.body, overrides)
    whole = [render.token_json(e) for block in post_tokens(post, options) for e in block]
    assert whole == expected
    halfway = render.halfway_line(post.body)
    shares = [post_tokens(post, options, (0, halfway)), post_tokens(post, options, (halfway, None))]
    assert [render.token_json(e) for share in shares for block in share for e in block] == expected


def test_a_reading_holding_markup_is_text(posts: dict[str, Path]) -> None:
    """A reader's reading with tags in it is shown as written, escaped: it opens no element on the
    page and moves no word of the text."""
    overrides = (furigana.ReadingOverride("会社", "</rt><b>x</b>かいしゃ"), furigana.ReadingOverride("投資", "とうし&amp;<rt>"))
    post = load_post(posts["long"])
    plain = [(e["surface"], e["start"], e["end"]) for e in (render.token_json(x) for b in post_tokens(post, RenderOptions()) for x in b)]
    marked = [(e["surface"], e["start"], e["end"]) for e in (render.token_json(x) for b in post_tokens(post, RenderOptions(overrides=overrides)) for x in b)]
    assert marked == plain
    html = render_post(post, RenderOptions(overrides=overrides)).html
    assert "<rt>&lt;/rt&gt;&lt;b&gt;x&lt;/b&gt;かいしゃ</rt>" in html and "<b>x</b>" not in html
    assert "<rt>とうし&amp;amp;&lt;rt&gt;</rt>" in html


def test_the_token_json_items_are_what_json_dumps_writes(capsysbinary) -> None:
    """TokenJson + JsonListWriter print what json.dumps(indent=2, ensure_ascii=False) prints,
    for nulls, quotes, backslashes, control characters, non-BMP text, several alternatives, and
    for no items at all."""
    from app.cli.common import JsonListWriter, TokenJson, to_json

    entries = [
        furigana.TokenEntry("漢字", "かんじ", 0, 2, "漢字", "名詞-普通名詞-一般", ()),
        furigana.TokenEntry('"\\\n\t\x01', None, 2, 7, None, "補助記号", ()),
        furigana.TokenEntry("𠮷😀", "よし", 7, 10, "𠮷-x", "名詞", ("きち", "よし\u2028")),
        furigana.TokenEntry("漢字", "かんじ", 10, 12, "漢字", "名詞-普通名詞-一般", ()),
    ]
    dicts = [render.token_json(entry) for entry in entries]
    assert [list(d) for d in dicts] == [list(Token("x", 0, 1).to_json())] * len(dicts)
    for blocks in ([entries[:2], [], entries[2:]], [[]], []):
        out, encode = JsonListWriter(chunk=50), TokenJson()
        for block in blocks:
            out.add(encode.items(block))
        out.close()
        flat = [render.token_json(e) for block in blocks for e in block]
        assert capsysbinary.readouterr().out == to_json(flat).encode("utf-8")
