"""HTML a post writes itself: shown as a browser would, with furigana on its text, minus anything active.

Inline tags in a paragraph and raw HTML blocks go through one allow-list (app/core/posts/rawhtml.py).
Every case is also run through the safety checker (tests/helpers/html_safety.py), which parses the
rendered HTML as a browser would and lists anything that could run, load or navigate.
"""

from __future__ import annotations

import re

import pytest

from app.core.posts.render import RenderOptions, render_markdown
from app.core.reading.furigana_mode import FuriganaMode
from tests.helpers.html_safety import check

ALL = RenderOptions(mode=FuriganaMode("all"))


def rendered(body: str, **options):
    result = render_markdown(body, RenderOptions(mode=FuriganaMode("all"), **options))
    assert check(result.html, allow_remote_images=bool(options.get("allow_remote_images"))).problems == []
    return result


def readings(html: str) -> list[str]:
    return re.findall(r"<ruby>([^<]*)<rt>", html)


# --- inline tags in a paragraph --------------------------------------------------------------------

INLINE = ["b", "strong", "i", "em", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "span", "kbd", "code", "q", "abbr"]


@pytest.mark.parametrize("tag", INLINE)
def test_each_inline_tag_is_kept_and_its_text_gets_furigana(tag: str) -> None:
    result = rendered(f"前に<{tag}>漢字</{tag}>が後に")
    assert f"<{tag}><ruby>漢字<rt>かんじ</rt></ruby></{tag}>" in result.html
    assert result.plain.text == "前に漢字が後に\n"


def test_font_becomes_a_span_keeping_only_a_plain_colour() -> None:
    html = rendered('<font color="purple">紫</font>と<font color="#a0f">色</font>と<font size="7" face="x">大</font>').html
    assert '<span style="color:purple">' in html and '<span style="color:#a0f">' in html
    assert "<span><ruby>大" in html and "size" not in html and "face" not in html and "<font" not in html


@pytest.mark.parametrize("colour", [
    "red;background:url(https://evil.example/x.png)", "expression(alert(1))", "url(x)", "red\" onmouseover=\"x",
    "var(--x)", "#12345678901",
])
def test_a_colour_that_is_more_than_a_colour_is_dropped(colour: str) -> None:
    html = rendered(f"<font color='{colour}'>文字</font>").html
    assert "style" not in html and "<span><ruby>文字" in html


def test_nested_formatting_and_links_as_the_author_wrote_them() -> None:
    result = rendered('<u><b>重要</b></u>な<a href="https://example.com/gc">Boehm GC</a>の話')
    assert "<u><b><ruby>重要<rt>じゅうよう</rt></ruby></b></u>" in result.html
    assert '<a href="https://example.com/gc" rel="noopener noreferrer nofollow">Boehm GC</a>' in result.html
    assert result.plain.text == "重要なBoehm GCの話\n"


@pytest.mark.parametrize("href", ["javascript:alert(1)", " JaVa\tScRiPt:x", "data:text/html,x", "file:///etc/passwd", "vbscript:x"])
def test_an_unsafe_link_keeps_its_words_and_loses_its_target(href: str) -> None:
    result = rendered(f'前<a href="{href}" onclick="x()">押す</a>後')
    html = result.html
    assert "<a " not in html and "onclick" not in html and 'class="kk-link-blocked"' in html and result.plain.text == "前押す後\n"


def test_no_link_inside_a_link() -> None:
    html = rendered('[外の<a href="https://b.example/">内</a>リンク](https://a.example/)').html
    assert html.count("<a ") == 1 and "b.example" not in html


def test_an_image_is_a_placeholder_unless_remote_images_are_allowed() -> None:
    html = rendered('図<img src="https://img.example/a.png" alt="グラフ" onerror="x()">です').html
    assert 'class="kk-image"' in html and 'data-alt="グラフ"' in html and "onerror" not in html and "<img" not in html
    loaded = rendered('図<img src="https://img.example/a.png" alt="グラフ">です', allow_remote_images=True).html
    assert '<img src="https://img.example/a.png" alt="グラフ" loading="lazy" referrerpolicy="no-referrer">' in loaded


def test_active_tags_go_with_their_content_and_other_tags_keep_their_text() -> None:
    result = rendered("前<script>alert(1)</script>中<style>p{}</style>と<button>押す</button>と<label>名前</label>後")
    assert result.plain.text == "前中と押すと名前後\n"
    assert "<button" not in result.html and "<label" not in result.html


def test_an_unclosed_script_hides_nothing() -> None:
    result = rendered("前文<script>後文")
    assert "後文" in result.plain.text and "<script" not in result.html


def test_words_in_angle_brackets_that_are_not_html_stay_text() -> None:
    result = rendered("型 List<T> と Map<K, V> と <Foo>")
    assert result.plain.text == "型 List<T> と Map<K, V> と <Foo>\n"


def test_block_tags_inside_a_line_go_but_their_text_stays() -> None:
    result = rendered("前<div>中</div>と<td>表</td>後")
    assert result.plain.text == "前中と表後\n" and "<div" not in result.html and "<td" not in result.html


def test_comments_are_not_shown() -> None:
    assert rendered("前<!-- 内緒 -->後").plain.text == "前後\n"


def test_tags_left_open_are_closed_in_order() -> None:
    html = rendered("<b>太<i>斜め</b>後</i>").html
    assert html.startswith('<p data-kb="0"><b><ruby>太<rt>ふと</rt></ruby><i><ruby>斜<rt>なな</rt></ruby>め</i></b><ruby>後<rt>')
    assert html.endswith("</ruby></p>\n")


# --- raw HTML blocks ---------------------------------------------------------------------------------

TABLE = """<table>
<tr><th>項目</th><th>金額</th></tr>
<tr><td>設備投資</td><td colspan="2" onclick="x()">720億ドル</td></tr>
</table>
"""


def test_an_html_table_keeps_its_structure_and_its_text_gets_furigana() -> None:
    result = rendered(TABLE + "\n後の段落")
    html = result.html
    assert '<div class="kk-raw" data-kb="0"><table>' in html and "<tbody>" in html and "<tr>" in html
    assert '<td colspan="2">720<ruby>億<rt>おく</rt></ruby>ドル</td>' in html and "onclick" not in html
    assert "<th><ruby>項目<rt>こうもく</rt></ruby></th>" in html
    assert "設備投資" in readings(html) or {"設備", "投資"} <= set(readings(html))
    assert result.plain.text.split("\n")[:4] == ["項目", "金額", "", "設備投資"]
    assert [b.kind for b in result.blocks] == ["html", "paragraph"]


def test_each_block_tag_is_kept() -> None:
    body = (
        "<div><p>段落</p><blockquote>引用</blockquote><ul><li>項目</li></ul><ol start=\"3\"><li>番号</li></ol>"
        "<dl><dt>用語</dt><dd>説明</dd></dl><h2>見出し</h2><hr><figure><figcaption>図の説明</figcaption></figure>"
        "<details open ontoggle=\"x()\"><summary>概要</summary>詳細</details></div>\n"
    )
    html = rendered(body).html
    for tag in ("p", "blockquote", "ul", "li", "dl", "dt", "dd", "h2", "figure", "figcaption", "summary"):
        assert f"<{tag}>" in html, tag
    assert '<ol start="3">' in html and "<hr>" in html and '<details class="kk-details">' in html
    assert "ontoggle" not in html and "<details open" not in html
    for word in ("段落", "引用", "項目", "番号", "用語", "説明", "見出", "概要", "詳細"):
        assert word in "".join(readings(html)), word


def test_raw_html_text_is_in_the_plain_text_and_its_words_point_into_it() -> None:
    body = '<div>\n<p>日本の<b>半導体</b>投資は<a href="https://x.example/">720億ドル</a>です。</p>\n</div>\n\nMarkdownの段落。\n'
    result = render_markdown(body, RenderOptions(mode=FuriganaMode("all"), collect_tokens=True))
    text = result.plain.text
    assert "日本の半導体投資は720億ドルです。" in text and "Markdownの段落。" in text
    assert result.tokens
    for token in result.tokens:
        assert text[token["start"] : token["end"]] == token["surface"]
    assert any(t["surface"] == "日本" for t in result.tokens)


def test_pre_and_the_authors_own_ruby_in_raw_html_are_kept_as_written() -> None:
    html = rendered("<div><pre>漢字のコード\n  二行目</pre><p><ruby>獰悪<rp>(</rp><rt>どうあく</rt><rp>)</rp></ruby>な</p></div>\n").html
    assert "<pre>漢字のコード\n  二行目</pre>" in html
    assert "<ruby>獰悪<rp>(</rp><rt>どうあく</rt><rp>)</rp></ruby>" in html
    assert readings(html) == []


def test_active_content_in_a_raw_block_is_removed_and_the_rest_kept() -> None:
    body = (
        "<div>前文1<script>alert(1)</script><style>p{color:red}</style><iframe src=\"https://e.example/\">枠</iframe>"
        "<form action=\"https://e.example/\"><label>氏名</label><input value=\"秘密\"></form>"
        "<object data=\"x.swf\">物</object><svg><text>図形</text></svg>後文1</div>\n"
    )
    result = rendered(body)
    assert "前文1" in result.plain.text and "後文1" in result.plain.text and "氏名" in result.plain.text
    for gone in ("alert", "color:red", "枠", "秘密", "物", "図形", "<form", "<input", "<iframe", "<svg", "<object"):
        assert gone not in result.html and gone not in result.plain.text, gone


def test_a_raw_block_of_only_active_content_is_no_block() -> None:
    result = rendered("<script>alert(1)</script>\n\n本文\n")
    assert [b.kind for b in result.blocks] == ["paragraph"] and result.blocks[0].index == 0


def test_text_misplaced_in_a_table_comes_before_it_as_in_a_browser() -> None:
    result = rendered("<table>迷子<tr><td>表</td></tr></table>\n")
    assert result.plain.text.index("迷子") < result.plain.text.index("表")


def test_attribute_values_are_rebuilt_never_copied() -> None:
    body = "<p><abbr title='\"><script>x</script>'>略</abbr><span id=\"kkReader\" class=\"x\" style=\"color:red\">名</span></p>\n"
    html = rendered(body).html
    assert 'title="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in html
    assert "kkReader" not in html and 'class="x"' not in html and "color:red" not in html


def test_furigana_off_keeps_the_structure_without_readings() -> None:
    result = render_markdown(TABLE, RenderOptions(mode=FuriganaMode("off")))
    assert "<ruby>" not in result.html and "<table>" in result.html and "設備投資" in result.plain.text


def test_deep_and_wide_raw_html_stays_linear() -> None:
    import time

    body = "<div>" + "<span>漢字</span>" * 20_000 + "</div>\n\n" + "<div>" * 5_000 + "深い" + "</div>" * 5_000 + "\n"
    start = time.perf_counter()
    result = render_markdown(body, RenderOptions(mode=FuriganaMode("off")))
    assert "深い" in result.plain.text and result.plain.text.count("漢字") == 20_000
    assert time.perf_counter() - start < 20  # a guard against quadratic time, not a benchmark
