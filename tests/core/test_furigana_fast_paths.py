"""The tokenizer's fast paths give what the plain ways they replace give, and MeCab is opened in one place."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import unidic_lite
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.common.kana import to_hiragana
from app.core.reading import compounds, furigana


def _align_by_pattern(surface: str, reading: str) -> tuple[tuple[int, int, str], ...]:
    """align as a regular expression does it: (.+?) per kanji run, the kana of each kana run."""
    runs = [(m.start(), m.end(), m.group(1) is not None, m.group(3) is not None) for m in furigana._RUN_RE.finditer(surface)]
    if not any(kanji for _s, _e, kanji, _o in runs) or any(other for *_x, other in runs):
        return ()
    if len(runs) == 1:
        return ((0, len(surface), reading),)
    pattern = "".join("(.+?)" if kanji else "(" + re.escape(to_hiragana(surface[s:e])) + ")" for s, e, kanji, _o in runs)
    match = re.fullmatch(pattern, reading)
    if match is None:
        return ()
    return tuple((s, e, match.group(i + 1)) for i, (s, e, kanji, _o) in enumerate(runs) if kanji)


@settings(max_examples=3000, deadline=None)
@given(st.text("取扱日本語々かいりつアイーx", min_size=1, max_size=12), st.text("とりあつかいにほんごりつアー\n", max_size=14))
def test_align_fits_as_the_pattern_would(surface: str, reading: str) -> None:
    """align without a pattern per word finds the same split as the pattern (.+?)(kana)(.+?)...,
    for words of few runs and of many (those still go through the pattern)."""
    assert furigana.align.__wrapped__(surface, reading) == _align_by_pattern(surface, reading)


def test_align_examples() -> None:
    """Okurigana stay bare; the earliest kanji run takes the fewest characters; no fit, no ruby."""
    assert furigana.align("取り扱い", "とりあつかい") == ((0, 1, "と"), (2, 3, "あつか"))
    assert furigana.align("日本語", "にほんご") == ((0, 3, "にほんご"),)
    assert furigana.align("見かけ", "みかけ") == ((0, 1, "み"),)
    assert furigana.align("書き換え", "かきかえ") == ((0, 1, "か"), (2, 3, "か"))
    assert furigana.align("取り扱い", "とりあつかう") == ()
    assert furigana.align("取り扱い", "と\nりあつかい") == ()


@given(st.text("１２３0９０a漢\t\n\r\x0b\x0c 　"))
def test_text_for_mecab_as_translated(text: str) -> None:
    """What MeCab is given is the text with full-width digits and tabs or line breaks translated,
    whether or not it had any."""
    assert furigana._for_mecab(text) == text.translate(furigana._DIGITS_TO_ASCII)


def test_kanji_of_answers_per_row() -> None:
    """The compounds stage's question, whether token i has kanji, answered from the rows."""
    tokens, with_kanji = furigana._analyse("今日はいい天気ですね", False)
    kanji_of = furigana._kanji_of(tokens.rows)
    assert [i for i in range(len(tokens)) if kanji_of(i)] == with_kanji


def test_lazy_tokens_index_and_slice() -> None:
    """The lazy token list answers an index, a negative index and a slice, one Token per index."""
    tokens, _with_kanji = furigana._analyse("東京へ行く", False)
    assert tokens[0] is tokens[0] and tokens[-1] is tokens[len(tokens) - 1]
    assert [t.surface for t in tokens[0:2]] == ["東京", "へ"]
    assert tokens[0:2][0] is tokens[0]


# --- the tagger ------------------------------------------------------------------------------


_ROOT = Path(__file__).resolve().parents[2]


def test_only_mecab_opens_the_tagger() -> None:
    """fugashi and unidic-lite are imported by app/core/reading/mecab.py alone: every tagger is
    opened on the same paths."""
    importers = set()
    for path in sorted((_ROOT / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name.split(".")[0] in ("fugashi", "unidic_lite") for name in names):
                importers.add(path.relative_to(_ROOT).as_posix())
    assert importers == {"app/core/reading/mecab.py"}


def test_compounds_tagger_reads_unidic_lite() -> None:
    """The compounds stage's own tagger (for the word origin field) is on unidic-lite's dictionary."""
    tagger = compounds._open_tagger()
    dicdir = os.path.realpath(unidic_lite.DICDIR)
    info = tagger.dictionary_info
    assert info and all(os.path.realpath(d["filename"]).startswith(dicdir + os.sep) for d in info)
    assert compounds._entries.__wrapped__("熊") >= {("クマ", "名詞-普通名詞-一般", "和"), ("グマ", "名詞-普通名詞-一般", "和")}
