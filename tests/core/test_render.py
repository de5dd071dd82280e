"""Tests for app.core.posts.render: Markdown to HTML blocks with furigana on prose only."""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser

import pytest

from app.core.posts.post import parse_post
from app.core.posts.render import RenderOptions, render_markdown, render_post
from app.core.reading import furigana
from app.core.reading.furigana_mode import FuriganaMode

_RUBY = re.compile(r"<ruby>(.*?)<rt>(.*?)</rt></ruby>")
_VOID = frozenset({"hr", "br", "img", "input", "meta", "link", "wbr"})


def render(body: str, mode: str = "all") -> str:
    return render_markdown(body, RenderOptions(mode=FuriganaMode.parse(mode))).html


class _Tree(HTMLParser):
    """Records top-level elements, the ancestors of every <ruby>, every attribute and the deepest ruby nesting."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.top_level: list[tuple[str, dict[str, str | None]]] = []
        self.ruby_ancestors: list[tuple[str, ...]] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.max_ruby_depth = 0

    def handle_starttag(self, tag, attrs):
        if not self.stack:
            self.top_level.append((tag, dict(attrs)))
        self.attributes.extend((tag, name, value) for name, value in attrs)
        if tag == "ruby":
            self.ruby_ancestors.append(tuple(self.stack))
            self.max_ruby_depth = max(self.max_ruby_depth, self.stack.count("ruby") + 1)
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if not self.stack:
            self.top_level.append((tag, dict(attrs)))
        self.attributes.extend((tag, name, value) for name, value in attrs)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass


def tree(html: str) -> _Tree:
    parser = _Tree()
    parser.feed(html)
    parser.close()
    return parser


# --- furigana only on prose -----------------------------------------------------------------

PROSE_ONLY = [
    # (body, text that must appear exactly as written, with no ruby inside it)
    ("本文です。\n\n```python\n# 漢字のコメント\nprint(日本)\n```\n", "# 漢字のコメント\nprint(日本)\n"),
    ("本文です。\n\n    字下げした漢字の行\n", "字下げした漢字の行\n"),
    ("本文の `漢字の関数()` です。", "<code>漢字の関数()</code>"),
    ("本文の <https://example.jp/漢字/ページ> です。", ">https://example.jp/漢字/ページ</a>"),
    ("本文の https://example.jp/日本語/記事 を見て。", "https://example.jp/日本語/記事"),
    ('本文の[記事](https://example.jp/日本 "題名の漢字")です。', 'title="題名の漢字"'),
    ("本文の![写真の説明](https://example.jp/画像.png)です。", 'data-alt="写真の説明"'),
    ("本文の![写真の説明](https://example.jp/画像.png)です。", 'data-src="https://example.jp/%E7%94%BB%E5%83%8F.png"'),
]


@pytest.mark.parametrize(("body", "verbatim"), PROSE_ONLY)
def test_furigana_only_on_prose(body: str, verbatim: str) -> None:
    """Code, URLs, link targets and image text are shown exactly as written, while the prose around them gets ruby."""
    html = render(body)
    assert verbatim in html
    assert "<ruby>本文<rt>ほんぶん</rt></ruby>" in html
    parsed = tree(html)
    assert not any({"code", "pre"} & set(ancestors) for ancestors in parsed.ruby_ancestors)
    for _tag, _name, value in parsed.attributes:
        assert "<" not in (value or "") and "《" not in (value or "")


def test_link_text_is_prose_but_href_is_not() -> None:
    """A link's words get ruby; its href is the URL, percent-encoded, untouched by furigana."""
    html = render("[日本の記事](https://example.jp/日本)")
    assert '<a href="https://example.jp/%E6%97%A5%E6%9C%AC"' in html
    assert "<ruby>日本<rt>にほん</rt></ruby>の<ruby>記事<rt>きじ</rt></ruby></a>" in html


def test_text_inside_a_bare_url_gets_no_ruby_but_text_after_it_does() -> None:
    """A bare URL in text is left as is, and the prose after the white space that ends it gets ruby again."""
    html = render("https://example.jp/東京 東京")
    assert html.count("<ruby>東京") == 1
    assert "https://example.jp/東京 <ruby>東京<rt>とうきょう</rt></ruby>" in html


def test_paragraph_ruby_matches_furigana_module() -> None:
    """A paragraph gets exactly the readings furigana.ruby_spans gives for its text, words whose
    readings are wider than their kanji in one ruby (see the next test)."""
    for text in ("私は明日、日本へ行く。", "株式会社の町工場で一晩中働いた。", "傘を三本買った。"):
        spans = furigana.ruby_spans(furigana.tokenize(text))
        expected = [(text[s.start : s.end], s.reading) for s in spans]
        found = _RUBY.findall(render(text))
        assert "".join(b for b, _r in found) == "".join(b for b, _r in expected)
        assert "".join(r for _b, r in found) == "".join(r for _b, r in expected)
        assert len(found) <= len(expected)


@pytest.mark.parametrize(("text", "rubies"), [
    # A reading wider than its kanji would push the word apart: the word is one ruby.
    ("兆円の編集部で一日中働く。", [("兆円", "ちょうえん"), ("編集部", "へんしゅうぶ"), ("一日中", "いちにちじゅう"), ("働", "はたら")]),
    # Readings that fit stay one per word; a verb's stem never joins the word before it.
    ("日本語を学ぶ。", [("日本", "にほん"), ("語", "ご"), ("学", "まな")]),
])
def test_words_whose_readings_are_wider_than_their_kanji_are_one_ruby(text: str, rubies: list) -> None:
    assert _RUBY.findall(render(text)) == rubies


def test_no_ruby_joins_across_markup() -> None:
    assert _RUBY.findall(render("**兆**円")) == [("兆", "ちょう"), ("円", "えん")]


@pytest.mark.parametrize(("before", "paragraph"), [("# 日本", "人が多い。"), ("鉛筆を一本", "中に入れる。")])
def test_a_paragraph_is_read_the_same_whatever_comes_before_it(before: str, paragraph: str) -> None:
    """A block's readings depend only on its own text, not on the block before it."""
    alone = _RUBY.findall(render(paragraph))
    after = _RUBY.findall(render(f"{before}\n\n{paragraph}"))
    assert after[-len(alone):] == alone


# --- author ruby ----------------------------------------------------------------------------

AUTHOR_FORMS = [
    ("<ruby>本気<rt>マジ</rt></ruby>", "本気", "マジ"),
    ("｜未来《あした》", "未来", "あした"),
    ("|未来《あした》", "未来", "あした"),
    ("明日《あす》", "明日", "あす"),
    ("｜ＡＩ《エーアイ》", "ＡＩ", "エーアイ"),
    ("｜お茶《おちゃ》", "お茶", "おちゃ"),
]


@pytest.mark.parametrize(("form", "base", "reading"), AUTHOR_FORMS)
def test_author_ruby_is_shown_as_written_and_only_once(form: str, base: str, reading: str) -> None:
    """Author ruby keeps the author's reading, is the only ruby over its base, and is never nested."""
    html = render(f"前に{form}がある。")
    pairs = _RUBY.findall(html)
    assert (base, reading) in pairs
    assert [p for p in pairs if base in p[0]] == [(base, reading)]
    assert tree(html).max_ruby_depth == 1
    assert "《" not in html and "｜" not in html


def test_author_ruby_with_rp_is_kept() -> None:
    """Author <ruby> with <rp> fallbacks is kept exactly, with no generated ruby added inside it."""
    form = "<ruby>漢字<rp>（</rp><rt>かんじ</rt><rp>）</rp></ruby>"
    html = render(f"この{form}を読む。")
    assert form in html
    assert html.count("<ruby>") == 2  # the author's and 読 (この has no kanji)


def test_implicit_author_ruby_covers_the_whole_kanji_run() -> None:
    """漢字《よみ》 without ｜ covers the whole run of kanji before 《, as in Aozora Bunko."""
    assert ("日本語漢字", "にほんごかんじ") in _RUBY.findall(render("この日本語漢字《にほんごかんじ》です。"))


@pytest.mark.parametrize("body", ["「《注意》」と書く。", "記号《》だけ。", "｜《よみ》だけ。"])
def test_double_angle_brackets_without_a_base_stay_text(body: str) -> None:
    """《》 with no kanji or ｜ base before it is ordinary text."""
    html = render(body)
    assert "《" in html
    assert tree(html).max_ruby_depth <= 1


@pytest.mark.parametrize(
    "body",
    [
        "<ruby>漢字<ruby>字<rt>じ</rt></ruby><rt>かんじ</rt></ruby>",
        "<ruby>｜漢字《かんじ》<rt>よみ</rt></ruby>",
        "｜<ruby>漢字<rt>かんじ</rt></ruby>《よみ》",
        "<ruby>日本<rt>にほん</rt></ruby>《にっぽん》",
        "<ruby>漢字<rt><ruby>読<rt>よ</rt></ruby>み</rt></ruby>",
        "<ruby>漢字 <rt>かんじ</rt></ruby>と日本",
    ],
)
def test_ruby_is_never_nested(body: str) -> None:
    """No mix of author ruby forms produces a <ruby> inside a <ruby>."""
    assert tree(render(body)).max_ruby_depth <= 1


# --- section breaks -------------------------------------------------------------------------

SECTION_BREAKS = [
    ("前の段落です。\n---END---\n次の段落です。", ["paragraph", "section_break", "paragraph"]),
    ("前の段落です。\n\n---END---\n\n次の段落です。", ["paragraph", "section_break", "paragraph"]),
    ("---END---\n本文です。", ["section_break", "paragraph"]),
    ("本文です。\n---END---", ["paragraph", "section_break"]),
    ("本文です。\n--- END ---  \n続きです。", ["paragraph", "section_break", "paragraph"]),
    ("本文です。\n---end---\n続きです。", ["paragraph", "section_break", "paragraph"]),
    ("本文です。\n-----END-----\n続きです。", ["paragraph", "section_break", "paragraph"]),
    ("本文です。\n   ---END---\n続きです。", ["paragraph", "section_break", "paragraph"]),
    ("- 項目\n---END---\n続きです。", ["list", "section_break", "paragraph"]),
    ("> 引用\n---END---\n続きです。", ["blockquote", "section_break", "paragraph"]),
    ("| 表 | 列 |\n|---|---|\n| 一 | 二 |\n---END---\n続きです。", ["table", "section_break", "paragraph"]),
    ("# 見出し\n---END---\n本文です。", ["heading", "section_break", "paragraph"]),
]


@pytest.mark.parametrize(("body", "kinds"), SECTION_BREAKS)
def test_end_marker_is_a_section_break_block(body: str, kinds: list[str]) -> None:
    """---END--- is its own section-break block, even right after a paragraph line: never an <h2>, never glued in."""
    rendered = render_markdown(body)
    assert [b.kind for b in rendered.blocks] == kinds
    html = rendered.html
    assert '<hr class="kk-section-break"' in html
    assert "<h2" not in html
    assert "END" not in rendered.plain.text.upper()
    breaks = [b for b in rendered.blocks if b.kind == "section_break"]
    assert len(breaks) == 1 and breaks[0].html.startswith('<hr class="kk-section-break"')


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("本文です。\n---END--- の後に文字", "paragraph"),
        ("```\n---END---\n```", "code"),
        ("`---END---`", "paragraph"),
        ("    ---END---", "code"),
        ("本文です。\n\\---END---", "paragraph"),
    ],
)
def test_end_marker_in_code_or_mid_line_is_text(body: str, kind: str) -> None:
    """---END--- inside code, escaped, or followed by words on its line stays text."""
    rendered = render_markdown(body)
    assert "kk-section-break" not in rendered.html
    assert "---END---" in rendered.plain.text
    assert [b.kind for b in rendered.blocks] == [kind]


def test_setext_heading_still_works() -> None:
    """A plain --- under a line is still a CommonMark setext heading (only ---END--- is special)."""
    assert render_markdown("Title\n---").blocks[0].html.startswith("<h2")


# --- CommonMark and extensions --------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("# Title", "<h1"),
        ("### Third", "<h3"),
        ("*soft* and **strong**", "<em>soft</em> and <strong>strong</strong>"),
        ("~~gone~~", "<s>gone</s>"),
        ("- one\n- two", "<ul"),
        ("1. one\n2. two", "<ol"),
        ("> quoted", "<blockquote"),
        ("line one  \nline two", "line one<br />\nline two"),
        ("\\*not emphasis\\*", "*not emphasis*"),
        ("&copy; &amp; &#x41;", "© &amp; A"),
        ("[site](https://example.com)", '<a href="https://example.com"'),
        ("| a | b |\n|---|--:|\n| 1 | 2 |", '<td style="text-align:right">2</td>'),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "<th>a</th>"),
        ("text[^n]\n\n[^n]: the note", '<sup class="footnote-ref"><a href="#fn1" id="fnref1">'),
        ("text[^n]\n\n[^n]: the note", '<li id="fn1" class="footnote-item"><p>the note'),
    ],
)
def test_commonmark_tables_strikethrough_and_footnotes(body: str, fragment: str) -> None:
    """CommonMark, tables, strikethrough and footnotes render as expected."""
    assert fragment in render(body)


def test_footnotes_are_their_own_last_block() -> None:
    """Footnote definitions are gathered into one footnotes block at the end, whatever their place in the source."""
    rendered = render_markdown("[^a]: 最初の注\n\n本文[^a]と本文[^b]。\n\n[^b]: 二つ目の注\n\n最後の段落。")
    assert [b.kind for b in rendered.blocks] == ["paragraph", "paragraph", "footnotes"]
    assert rendered.blocks[-1].html.count("footnote-item") == 2


# --- blocks ---------------------------------------------------------------------------------

MIXED = """# 見出し

最初の段落です。

- 項目一
- 項目二

> 引用です。

```
code
```

| 表 | 列 |
|---|---|
| 一 | 二 |

前の段落。
---END---
<div><ruby>生<rt>なま</rt></ruby>のHTML</div>

脚注付き[^1]。

[^1]: 注釈。
"""


def test_every_block_carries_data_kb_in_order() -> None:
    """Each top-level element carries data-kb equal to its block index, and blocks come in source order."""
    rendered = render_markdown(MIXED)
    top = tree(rendered.html).top_level
    assert [attrs.get("data-kb") for _tag, attrs in top] == [str(i) for i in range(len(rendered.blocks))]
    assert [b.index for b in rendered.blocks] == list(range(len(rendered.blocks)))
    assert [b.kind for b in rendered.blocks] == [
        "heading", "paragraph", "list", "blockquote", "code", "table", "paragraph", "section_break",
        "html", "paragraph", "footnotes",
    ]
    assert rendered.html == "".join(b.html for b in rendered.blocks)
    assert all(b.html.endswith("\n") for b in rendered.blocks)


def test_thematic_break_carries_data_kb() -> None:
    """A thematic break is a block like any other and carries its data-kb."""
    rendered = render_markdown("前の段落。\n\n***\n\n後の段落。")
    assert [attrs.get("data-kb") for _tag, attrs in tree(rendered.html).top_level] == ["0", "1", "2"]


@pytest.mark.parametrize("dropped", ["<!-- a comment -->", "<script>alert(1)</script>", "<iframe src=x></iframe>"])
def test_data_kb_matches_block_index_after_a_dropped_block(dropped: str) -> None:
    """When a block renders to nothing, the blocks after it still carry data-kb equal to their index."""
    rendered = render_markdown(f"最初の段落。\n\n{dropped}\n\n次の段落。")
    top = tree(rendered.html).top_level
    assert [attrs.get("data-kb") for _tag, attrs in top] == [str(b.index) for b in rendered.blocks]


def test_blocks_grow_linearly_with_the_body() -> None:
    """A body repeated ten times gives ten times the blocks, of the same kinds, and ten times the text."""
    body = "# 見出し\n\n最初の段落です。\n\n- 項目\n\n> 引用\n\n```\ncode\n```\n\n前の段落。\n---END---\n最後の段落です。\n"
    once = render_markdown(body)
    many = render_markdown("\n".join([body] * 10))
    assert len(many.blocks) == 10 * len(once.blocks)
    assert [b.kind for b in many.blocks] == [b.kind for b in once.blocks] * 10
    assert many.plain.text == once.plain.text * 10
    assert [b.index for b in many.blocks] == list(range(len(many.blocks)))


def test_empty_body_renders_no_blocks() -> None:
    """An empty or blank body gives no blocks and empty text."""
    for body in ("", "\n\n  \n"):
        rendered = render_markdown(body)
        assert rendered.blocks == [] and rendered.plain.text == "" and rendered.html == ""


# --- render_post ----------------------------------------------------------------------------


def test_render_post_gives_the_title_ruby() -> None:
    """render_post renders the title with furigana and the body as blocks; the language follows the text."""
    post = parse_post("---\ntitle: 日本の話\n---\n\nEnglish body only.\n".encode("utf-8"))
    rendered = render_post(post)
    assert rendered.title_html == "<ruby>日本<rt>にほん</rt></ruby>の<ruby>話<rt>はなし</rt></ruby>"
    assert rendered.lang == "ja"
    assert render_post(parse_post(b"# Plain\n\nJust English.\n")).lang == "en"


def test_title_is_escaped() -> None:
    """A title with markup is escaped in title_html."""
    post = parse_post('---\ntitle: "<b>太字</b> & 記号"\n---\n\n本文\n'.encode("utf-8"))
    title = render_post(post).title_html
    assert "<b>" not in title and "&lt;b&gt;" in title and "&amp;" in title
    assert html_lib.unescape(re.sub(r"<rt>.*?</rt>|<[^>]+>", "", title)) == "<b>太字</b> & 記号"


def test_title_follows_the_furigana_mode() -> None:
    """The title's ruby follows the mode like the body's."""
    post = parse_post("---\ntitle: 日本と薔薇\n---\n\n本文\n".encode("utf-8"))
    assert "<ruby>" not in render_post(post, RenderOptions(mode=FuriganaMode.parse("off"))).title_html
    title = render_post(post, RenderOptions(mode=FuriganaMode.parse("grade:6"))).title_html
    assert "<ruby>薔薇" in title and "<ruby>日本" not in title


def test_collecting_tokens_does_not_change_the_html() -> None:
    """Rendering with collect_tokens (the word list the CLI and popups use) gives the same HTML and text as without."""
    plain = render_markdown(MIXED)
    with_tokens = render_markdown(MIXED, RenderOptions(collect_tokens=True))
    assert with_tokens.html == plain.html
    assert with_tokens.plain.text == plain.plain.text
    assert with_tokens.tokens and plain.tokens is None


def test_a_ruby_window_gives_readings_only_to_the_blocks_inside_it_and_keeps_the_text() -> None:
    """With a ruby window, blocks starting outside it have no <rt>, and the plain text and block
    HTML inside the window are exactly those of a full render."""
    from app.core.posts.render import RenderOptions, render_markdown

    body = "\n\n".join(f"第{n}段落では工場と投資の話をする。" for n in range(1, 21))
    full = render_markdown(body)
    starts = [span.start for span in full.plain.blocks]
    part = render_markdown(body, RenderOptions(ruby_window=(starts[5], starts[10])))
    assert part.plain == full.plain
    with_rt = [b.index for b in part.blocks if "<rt>" in b.html]
    assert with_rt == list(range(5, 10))
    assert [b.html for b in part.blocks[5:10]] == [b.html for b in full.blocks[5:10]]


def test_a_post_too_long_to_render_is_refused_in_one_sentence(monkeypatch) -> None:
    """A body over MAX_RENDER_CHARS visible characters is a PostError naming the file and the limit;
    spaces and line breaks do not count."""
    from pathlib import Path

    import pytest

    from app.core.posts import render
    from app.core.posts.post import PostError, parse_post

    monkeypatch.setattr(render, "MAX_RENDER_CHARS", 1000)
    long = parse_post(("本" * 1001).encode(), source_path=Path("long.md"))
    with pytest.raises(PostError, match=r"^long\.md is 1,001 characters long; .*1,000 characters, so split it into parts\.$"):
        render.render_post(long)
    spaced = parse_post(("本 \n" * 1000).encode(), source_path=Path("spaced.md"))
    assert render.render_post(spaced).plain.text.count("本") == 1000
