"""Properties over generated input (Hypothesis): loading and rendering never fail in unexpected
ways, rendered HTML is always safe, and highlights stay on their own text through edits.

Runs are derandomized (the same examples every run, so CI is repeatable) with no deadline and
modest example counts; raise KAKIKOMI_PROPERTY_EXAMPLES for a longer search on a quiet machine.
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from app.core.posts.anchoring import SELF_EVIDENT_LENGTH, anchor, describe
from app.core.posts.plain_text import html_to_text
from app.core.posts.post import PostError, load_post, parse_post
from app.core.posts.render import RenderOptions, render_markdown, render_post
from app.core.reading.furigana_mode import FuriganaMode
from tests.helpers.html_safety import check

_SCALE = float(os.environ.get("KAKIKOMI_PROPERTY_EXAMPLES", "1"))


def examples(count: int) -> settings:
    return settings(
        max_examples=max(1, int(count * _SCALE)), deadline=None, derandomize=True, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# Pieces of Markdown, HTML and Japanese that interact: emphasis, links, code, ruby in both
# notations, raw tags (allowed and not), entities, footnotes, URLs, and the renderer's own marks.
PIECES = [
    "*", "_", "**", "`", "```", "~~", "[", "]", "(", ")", "<", ">", "!", "#", "# ", "- ", "1. ", "> ", "|", "|-|",
    "\n", "\n\n", " ", "  ", "\t", "\\", "&", "&amp;", "&#x3C;", "&lt;", "&#0;", "\"", "'", "=", ":",
    "漢字", "東京都", "行く", "かな", "カナ", "ｶﾞ", "か\u3099", "e\u0301", "👍", "👨\u200d👩\u200d👧", "🇯🇵", "葛\U000e0100",
    "\u202e", "مرحبا", "\ufeff", "\u3000",
    "｜", "《", "》", "漢字《かんじ》", "｜東京《とうきょう》", "<ruby>", "</ruby>", "<rt>", "</rt>", "<rp>", "</rp>", "<rb>",
    "<sup>", "</sup>", "<br>", "<br/>", "<b>", "<script>", "</script>", "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>", "<a href=\"javascript:alert(1)\">", "<iframe src=//e.example>", "<!--", "-->",
    "<style>", "javascript:", "data:text/html,", "file:///etc/passwd", "http://e.example/", "mailto:a@e.example",
    "[x](", "](javascript:alert(1))", "![i](", "[^1]", "[^1]: ", "[r]: ", "---\n", "+++\n", "title: ",
    "\ue000", "\ue001kk-block\ue001", "\ue001", "---END---",
]
markdownish = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=40).map("".join)
any_text = st.text(max_size=300) | markdownish


@examples(200)
@given(st.binary(max_size=600) | any_text.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_parsing_any_bytes_opens_them_or_says_why(data: bytes) -> None:
    """parse_post on arbitrary bytes returns a Post or raises PostError with one sentence, and the Post renders."""
    try:
        post = parse_post(data)
    except PostError as err:
        message = str(err)
        assert message.endswith(".") and "\n" not in message
        return
    rendered = render_post(post, RenderOptions(mode=FuriganaMode("off")))
    assert check(rendered.html).problems == []


@examples(40)
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".md", ".markdown", ".txt", ".MD", ".html", ""]))
def test_loading_any_file_opens_it_or_says_why(tmp_path_factory, data: bytes, suffix: str) -> None:
    """load_post on a file of arbitrary bytes and any suffix returns a Post or raises PostError, nothing else."""
    path = Path(tmp_path_factory.mktemp("prop")) / f"post{suffix}"
    path.write_bytes(data)
    try:
        load_post(path)
    except PostError as err:
        assert str(err).endswith(".")


@examples(150)
@given(markdownish)
@example("<sup>" * 300 + "x")  # nested tags were quadratic once
@example("\ue001kk-block\ue001 本文")
def test_rendered_html_is_safe_and_its_text_is_the_plain_text(body: str) -> None:
    """Any Markdown renders to HTML with nothing that runs or loads, whose visible text is exactly the plain text."""
    rendered = render_markdown(body)
    checker = check(rendered.html)
    assert checker.problems == []
    assert checker.text == rendered.plain.text
    assert "".join(html_to_text(block.html) for block in rendered.blocks) == rendered.plain.text
    for span in rendered.plain.blocks:
        assert 0 <= span.start <= span.end <= len(rendered.plain.text)


@examples(60)
@given(markdownish)
def test_furigana_never_changes_the_plain_text(body: str) -> None:
    """The plain text is the same with all furigana, none, and grade-filtered furigana."""
    texts = {
        mode: render_markdown(body, RenderOptions(mode=FuriganaMode.parse(mode))).plain.text
        for mode in ("all", "off", "grade:2")
    }
    assert len(set(texts.values())) == 1, texts


# --- anchoring -----------------------------------------------------------------------------------

# The quote is written in kanji and the rest of the text in kana and ASCII, so the quote occurs
# exactly once and an edit outside it can never make a second copy.
QUOTE_CHARS = "工場投資半導体会社発表新建設計画増加"
OTHER_CHARS = "あいうえおかきくけこさしすせそたちつてとなにぬねの。、 abcde\n"
quotes = st.text(alphabet=QUOTE_CHARS, min_size=1, max_size=30)
others = st.text(alphabet=OTHER_CHARS, max_size=120)


@st.composite
def edits(draw, length: int) -> list[tuple[int, int, str]]:
    """Up to four edits (position, characters deleted, text inserted) of a string of `length`."""
    result = []
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, length))
        cut = draw(st.integers(0, min(10, length - at)))
        result.append((at, cut, draw(st.text(alphabet=OTHER_CHARS, max_size=15))))
    return result


def apply_edits(text: str, changes: list[tuple[int, int, str]]) -> str:
    for at, cut, inserted in sorted(changes, reverse=True):  # from the end, so earlier positions hold
        text = text[:at] + inserted + text[at + cut :]
    return text


@examples(300)
@given(st.text(min_size=1, max_size=200), st.data())
def test_an_unchanged_text_anchors_every_span_where_it_was(text: str, data) -> None:
    """describe then anchor on the same text returns the very same span, found by position."""
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    found = anchor(text, describe(text, start, end))
    assert found is not None and (found.start, found.end, found.method) == (start, end, "position")


@st.composite
def edited_around_a_quote(draw):
    before, quote, after = draw(others), draw(quotes), draw(others)
    new_before = apply_edits(before, draw(edits(len(before))))
    new_after = apply_edits(after, draw(edits(len(after))))
    return before, quote, after, new_before, new_after


@examples(300)
@given(edited_around_a_quote())
def test_edits_outside_a_highlight_never_move_it_elsewhere(case) -> None:
    """After edits outside a highlight it is found at its quote's new place, or (short quotes whose neighbours changed) orphaned."""
    before, quote, after, new_before, new_after = case
    old = before + quote + after
    new = new_before + quote + new_after
    found = anchor(new, describe(old, len(before), len(before) + len(quote)))
    place = (len(new_before), len(new_before) + len(quote))
    if found is not None:
        assert (found.start, found.end) == place
    near_kept = before[-8:] == new_before[-8:] and after[:8] == new_after[:8]
    if len(quote) >= SELF_EVIDENT_LENGTH or near_kept:
        assert found is not None, "a highlight whose quote and near neighbours are intact must be found"


# Sentences of kana and ASCII, all different, as a real post's are: a degenerate text such as
# "aaaa…" + quote + "aaaa…" leaves no way to tell the quote's place from a copy's.
SENTENCES = [
    "きょうはあさからあめがふっていた。", "えきまであるいてじゅっぷんかかる。", "かいぎはごごさんじにはじまった。",
    "The numbers were published on Monday.", "しりょうはあとでおくります。", "あたらしいせつびのせつめいがあった。",
    "ちいきのひとたちもあつまっていた。", "Several analysts asked about costs.", "つぎのかいはらいげつのよていだ。",
    "ねだんについてのしつもんがおおかった。", "こたえはまだはっきりしない。", "It was colder than last year.",
    "みんなでおちゃをのんでかえった。", "きじのつづきはあしたかきます。", "さいごにしゃしんをとった。",
    "The road was closed for an hour.", "おおきなにもつをはこんだ。", "よるになってかぜがつよくなった。",
]


@st.composite
def prose_around_a_deleted_quote(draw):
    """(before, quote, middle, near copy, after): distinct sentences, the near copy a paragraph after the quote."""
    chosen = draw(st.permutations(SENTENCES))[: draw(st.integers(3, 10))]
    cut1 = draw(st.integers(0, len(chosen) - 2))
    cut2 = draw(st.integers(cut1 + 2, len(chosen)))
    before, middle, after = "".join(chosen[:cut1]), "".join(chosen[cut1:cut2]), "".join(chosen[cut2:])
    quote = draw(st.text(alphabet=QUOTE_CHARS, min_size=2, max_size=30))
    # A near copy elsewhere: the quote with one character changed (第一四半期 / 第二四半期).
    at = draw(st.integers(0, len(quote) - 1))
    near_copy = quote[:at] + draw(st.sampled_from([c for c in QUOTE_CHARS if c != quote[at]])) + quote[at + 1 :]
    return before, quote, middle, near_copy, after


@examples(300)
@given(prose_around_a_deleted_quote())
def test_a_highlight_whose_text_was_deleted_becomes_an_orphan(case) -> None:
    """When a highlight's text is deleted it is orphaned, even if a near copy of it stands a paragraph away."""
    before, quote, middle, near_copy, after = case
    assume(len(middle) >= 32)  # the copy lies beyond the 32 characters of stored suffix
    old = before + quote + middle + near_copy + after
    new = before + middle + near_copy + after
    found = anchor(new, describe(old, len(before), len(before) + len(quote)))
    assert found is None, (found, new[found.start : found.end] if found else None)


# --- regressions: what the property above found (fixed in app/core/anchoring.py) -------------------

FILLER = "決算の説明会は東京の本社で開かれ、多くの記者が集まった。"


def test_a_deleted_highlight_at_the_start_does_not_land_on_a_near_copy() -> None:
    """A highlight of the post's first words, whose sentence is deleted, is orphaned rather than moved onto a similar later sentence."""
    old = "第一四半期の売上は伸びた。" + FILLER + "第二四半期の売上は伸びた。"
    new = old.replace("第一四半期の売上は伸びた。", "", 1)
    found = anchor(new, describe(old, 0, len("第一四半期の売上")))
    assert found is None, new[found.start : found.end]  # today: 第二四半期の売上, 28 characters on


def test_a_deleted_highlight_does_not_land_on_the_sentence_that_followed_it() -> None:
    """A deleted sentence's highlight is orphaned, not moved onto the similar sentence that followed it."""
    old = "前書き。第一四半期の売上は伸びた。第二四半期の売上は落ちた。来期の見通しは明るい。"
    start = old.index("第一四半期の売上")
    new = old.replace("第一四半期の売上は伸びた。", "", 1)
    found = anchor(new, describe(old, start, start + len("第一四半期の売上")))
    assert found is None, new[found.start : found.end]  # today: 第二四半期の売上
