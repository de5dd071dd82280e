"""Tests for app.core.posts.plain_text: the one text of a post (readings excluded), its blocks and Aozora output."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from app.core.common.paths import sample_post_path
from app.core.posts.plain_text import BlockSpan, PlainText, html_to_aozora, html_to_text
from app.core.posts.post import load_post, parse_post
from app.core.posts.render import RenderOptions, render_markdown, render_post
from app.core.reading.furigana_mode import FuriganaMode

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
POST_NAMES = [
    "zenn.md", "qiita.md", "hugo.md", "2023-08-20-jekyll.md", "same-text.utf8.md",
    "cp932-only.utf8.md", "unclosed-front-matter.md", "damaged.md",
]

MIXED = """# 日本の町工場

私は明日、<ruby>東京<rp>(</rp><rt>とうきょう</rt><rp>)</rp></ruby>の株式会社へ行きます。｜未来《あした》の話です。

- 一本目の**項目**
- 二つ目は`コード`と[リンク](https://example.jp/日本)

> 引用の中の漢字《かんじ》。

```python
print("日本")
```

| 地名 | 人数 |
|:---|---:|
| 大阪 | 三人 |

脚注のある文[^1]と画像![説明の文](https://example.jp/a.png)。
---END---
<div>生の<ruby>漢字<rt>かんじ</rt></ruby>と &amp; 記号</div>

最後の段落 &copy; 2025。

[^1]: 注釈の本文です。
"""


# Loaders rather than posts, so that collecting the tests does not read or render anything.
POST_LOADERS = {
    **{name: (lambda name=name: load_post(FIXTURES / "posts" / name)) for name in POST_NAMES},
    "sample-post": lambda: load_post(sample_post_path()),
    "mixed-markdown": lambda: parse_post(MIXED.encode("utf-8")),
}
POSTS = [pytest.param(loader, id=name) for name, loader in POST_LOADERS.items()]
HOSTILE = [pytest.param(path, id=path.stem) for path in sorted((FIXTURES / "hostile").glob("*.md"))]

# Tests of block structure render with furigana off; that spans do not depend on the mode is
# pinned by test_block_spans_are_the_same_in_every_furigana_mode.
OFF = RenderOptions(mode=FuriganaMode.parse("off"))
MODES = [
    FuriganaMode.parse("off"),
    FuriganaMode.parse("all"),
    FuriganaMode.parse("grade:3"),
    FuriganaMode.parse("jlpt:2"),
    FuriganaMode.parse("all", frozenset({"日本", "行く", "会社", "明日"})),
]


class _TextWalk(HTMLParser):
    """What a page script computes: every text node in document order, except inside <rt> and <rp>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "hr", "img", "wbr"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data):
        if "rt" not in self.open and "rp" not in self.open:
            self.parts.append(data)


def browser_text(html: str) -> str:
    walk = _TextWalk()
    walk.feed(html)
    walk.close()
    return "".join(walk.parts)


# --- the same text in every mode ------------------------------------------------------------


@pytest.mark.parametrize("make_post", POSTS)
def test_plain_text_is_the_same_in_every_furigana_mode(make_post) -> None:
    """The plain text does not depend on the furigana mode or known words."""
    post = make_post()
    reference = render_post(post, RenderOptions(mode=MODES[0])).plain.text
    for mode in MODES[1:]:
        assert render_post(post, RenderOptions(mode=mode)).plain.text == reference, str(mode)


def test_block_spans_are_the_same_in_every_furigana_mode() -> None:
    """PlainText.blocks holds one BlockSpan per rendered block, identical whatever the mode."""
    for make_post in POST_LOADERS.values():
        post = make_post()
        reference = render_post(post, RenderOptions(mode=MODES[0])).plain.blocks
        for mode in MODES[1:]:
            rendered = render_post(post, RenderOptions(mode=mode))
            assert all(isinstance(span, BlockSpan) for span in rendered.plain.blocks)
            assert rendered.plain.blocks == reference, str(mode)


def test_readings_never_appear_in_plain_text() -> None:
    """Neither generated nor author readings are part of the plain text."""
    body = "薔薇と檸檬と躑躅を｜未来《あかるいひ》に見た。<ruby>本気<rp>(</rp><rt>マジ</rt><rp>)</rp></ruby>です。"
    rendered = render_markdown(body)
    assert "<rt>ばら</rt>" in rendered.html  # the readings are there in the HTML...
    assert rendered.plain.text == "薔薇と檸檬と躑躅を未来に見た。本気です。\n"  # ...but not in the text
    for reading in ("ばら", "れもん", "つつじ", "あかるいひ", "マジ", "(", ")"):
        assert reading not in rendered.plain.text


@pytest.mark.parametrize("make_post", POSTS)
def test_plain_text_equals_a_browser_text_walk(make_post) -> None:
    """plain.text is exactly the text nodes of the rendered HTML outside <rt>/<rp>, as the page script sees them."""
    rendered = render_post(make_post())
    assert rendered.plain.text == browser_text(rendered.html)


@pytest.mark.parametrize("path", HOSTILE)
def test_plain_text_of_hostile_posts_equals_a_browser_text_walk(path: Path) -> None:
    """Even for hostile markup the plain text matches the text nodes a browser would hold."""
    rendered = render_post(load_post(path))
    assert rendered.plain.text == browser_text(rendered.html)


def test_nested_readings_in_raw_html_are_left_out() -> None:
    """Text inside an <rt> nested in another <rt> (from a raw HTML block) is not part of the plain text."""
    rendered = render_markdown("<p><rt>読み<rt>x</rt>残り</rt>本文</p>")
    assert rendered.plain.text == browser_text(rendered.html)


# --- html_to_text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("plain &amp; simple", "plain & simple"),
        ("<p>段落</p>\n", "段落\n"),
        ("<ruby>漢字<rt>かんじ</rt></ruby>", "漢字"),
        ("<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>", "漢字"),
        ("<ruby>漢<rt>かん</rt>字<rt>じ</rt></ruby>", "漢字"),
        ('<ruby>漢字<rt class="x">かん\nじ</rt></ruby>', "漢字"),
        ("<ruby>漢字<rt><b>かん</b>じ</rt></ruby>の", "漢字の"),
        ("&lt;rt&gt;text&lt;/rt&gt;", "<rt>text</rt>"),
        ('<span class="kk-image" data-alt="説明"></span>後', "後"),
        ("<p>A<br>B</p>", "AB"),
        ("", ""),
    ],
)
def test_html_to_text(fragment: str, text: str) -> None:
    """html_to_text keeps text nodes, drops tags and readings, and decodes entities."""
    assert html_to_text(fragment) == text


# --- blocks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("make_post", POSTS)
def test_block_spans_cover_the_text_in_order(make_post) -> None:
    """Block spans start at 0, follow each other with no gap or overlap, and end at the end of the text."""
    rendered = render_post(make_post(), OFF)
    plain = rendered.plain
    assert len(plain.blocks) == len(rendered.blocks)
    cursor = 0
    for span, block in zip(plain.blocks, rendered.blocks):
        assert span.index == block.index
        assert span.kind == block.kind
        assert span.start == cursor and span.end > span.start
        assert plain.text[span.start : span.end] == html_to_text(block.html)
        cursor = span.end
    assert cursor == len(plain.text)


def _small() -> PlainText:
    return render_markdown("一つ目。\n\n二つ目の段落。\n\n三つ目。", OFF).plain


def test_block_at_every_offset() -> None:
    """block_at gives the block holding each offset, and None outside the text."""
    plain = _small()
    for offset in range(len(plain.text)):
        block = plain.block_at(offset)
        assert block is not None and block.start <= offset < block.end
    assert plain.block_at(len(plain.text)) is None
    assert plain.block_at(-1) is None
    first, second, _third = plain.blocks
    assert plain.block_at(first.end) == second


def test_blocks_between() -> None:
    """blocks_between lists the blocks a non-empty span touches, in order."""
    plain = _small()
    first, second, third = plain.blocks
    assert plain.blocks_between(first.start, first.end) == [first]
    assert plain.blocks_between(first.end - 1, second.start + 1) == [first, second]
    assert plain.blocks_between(0, len(plain.text)) == [first, second, third]
    assert plain.blocks_between(second.start, second.end) == [second]
    assert plain.blocks_between(len(plain.text), len(plain.text) + 5) == []


def test_plain_text_is_a_value() -> None:
    """PlainText and BlockSpan compare by value, so two renders of one post compare equal."""
    assert _small() == _small()
    assert BlockSpan(0, 0, 3, "paragraph") == BlockSpan(0, 0, 3, "paragraph")


# --- Aozora ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "aozora"),
    [
        ("<ruby>漢字<rt>かんじ</rt></ruby>", "漢字《かんじ》"),
        ("の<ruby>語<rt>ご</rt></ruby>", "の語《ご》"),
        ("日本<ruby>語<rt>ご</rt></ruby>", "日本｜語《ご》"),  # after another kanji the base must be marked
        ("<ruby>日本<rt>にほん</rt></ruby><ruby>人<rt>じん</rt></ruby>", "日本《にほん》人《じん》"),
        ("<ruby>見出し<rt>みだし</rt></ruby>", "｜見出し《みだし》"),  # kana in the base
        ("<ruby>AI<rt>えーあい</rt></ruby>", "｜AI《えーあい》"),
        ("<ruby>人々<rt>ひとびと</rt></ruby>", "人々《ひとびと》"),
        ("<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>", "漢字《かんじ》"),
        ("<ruby>漢字<rt></rt></ruby>", "漢字"),
        ("&lt;<ruby>字<rt>じ</rt></ruby>&amp;", "<字《じ》&"),
        ("<p>前<ruby>後<rt>ご</rt></ruby></p>\n", "前｜後《ご》\n"),
        ("ｶﾅ<ruby>漢字<rt>かんじ</rt></ruby>", "ｶﾅ漢字《かんじ》"),
    ],
)
def test_html_to_aozora(fragment: str, aozora: str) -> None:
    """Each reading follows its base in 《》, with ｜ only when the base is not a kanji run starting right there."""
    assert html_to_aozora(fragment) == aozora


def _ruby_pairs(html: str) -> list[tuple[str, str]]:
    return re.findall(r"<ruby>(.*?)<rt>(.*?)</rt></ruby>", html)


def _read_back(aozora: str) -> list[tuple[str, str]]:
    """The (base, reading) pairs Kakikomi's own author-ruby syntax finds in Aozora text."""
    return _ruby_pairs(render_markdown(aozora, RenderOptions(mode=FuriganaMode.parse("off"))).html)


@pytest.mark.parametrize(
    "body",
    [
        "私は明日、日本へ行く。",
        "株式会社の町工場で一晩中働いた。",
        "日本人の管理人が見出しを書いた。",
        "取り扱い説明書を二人で読む。",
        "𠮷野家で三本買った。",
        "｜未来《あした》と本気《マジ》。",
    ],
)
def test_aozora_reads_back_to_the_same_ruby(body: str) -> None:
    """Aozora text from html_to_aozora, read back as author ruby, gives exactly the same bases and readings."""
    html = render_markdown(body).html
    assert _read_back(html_to_aozora(html)) == _ruby_pairs(html)


@pytest.mark.parametrize("fragment", ["〇<ruby>日本<rt>にほん</rt></ruby>", "〆<ruby>切<rt>きり</rt></ruby>", "ヶ<ruby>月<rt>げつ</rt></ruby>"])
def test_aozora_marks_a_base_after_a_kanji_like_mark(fragment: str) -> None:
    """A base right after 〇, 〆 or ヶ gets ｜, so it reads back as the same base."""
    assert _read_back(html_to_aozora(fragment)) == _ruby_pairs(fragment)


def test_aozora_without_annotations_is_the_plain_text() -> None:
    """Removing every 《…》 and ｜ from a post's Aozora text gives back its plain text."""
    body = MIXED.replace("｜未来《あした》", "未来").replace("漢字《かんじ》", "漢字")
    rendered = render_markdown(body)
    aozora = "".join(html_to_aozora(block.html) for block in rendered.blocks)
    assert "《" in aozora
    assert re.sub(r"《[^》]*》|｜", "", aozora) == rendered.plain.text
