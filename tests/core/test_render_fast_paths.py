"""The renderer's fast paths give what the plain ways they replace give."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.posts import plain_text
from app.core.posts.render import RenderOptions, render_markdown


def _text_by_walk(fragment: str) -> str:
    """The text outside <rt>/<rp>, by walking every tag and counting how deep in readings it is
    (a fragment without "<rt" or "<rp" written so has its tags dropped)."""
    if "<rt" not in fragment and "<rp" not in fragment:
        return html.unescape(plain_text._TAG.sub("", fragment))
    out: list[str] = []
    depth = 0
    cursor = 0
    for m in plain_text._TAG.finditer(fragment):
        if depth == 0:
            out.append(fragment[cursor : m.start()])
        cursor = m.end()
        if (m.group(2) or "").lower() in ("rt", "rp"):
            depth = max(0, depth - 1) if m.group(1) else depth + 1
    if depth == 0:
        out.append(fragment[cursor:])
    return html.unescape("".join(out))


_PIECES = ["<rt>", "</rt>", "<rp>", "</rp>", "<RT>", "</rt >", "<rt class=\"x\">", "<ruby>", "</ruby>",
           "<b>", "</b>", "漢字", "かんじ", "&amp;", "&", "amp;", "<", ">", "x"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_html_to_text_as_the_walk(pieces: list[str]) -> None:
    """Readings the renderer writes (<rt>text</rt>) are dropped whole; the text is what the walk
    over every tag gives, nested, unclosed and stray readings included."""
    fragment = "".join(pieces)
    assert plain_text.html_to_text(fragment) == _text_by_walk(fragment)


def test_html_to_text_drops_readings() -> None:
    """A paragraph of ruby reads as its bases; a reading inside a reading goes with it."""
    assert plain_text.html_to_text("<p><ruby>漢字<rt>かんじ</rt></ruby>と<ruby>仮名<rt>かな</rt></ruby></p>\n") == "漢字と仮名\n"
    assert plain_text.html_to_text("<ruby>a<rt>b<rt>c</rt>d</rt></ruby>e &amp; f") == "ae & f"


def test_ruby_in_the_page_and_its_text() -> None:
    """A rendered paragraph has its readings as ruby, its plain text the bases alone, and markup in
    the prose escaped."""
    post = render_markdown("兆円の予算を編集部が組んだ。<b>と</b> & 1 < 2\n", RenderOptions())
    page = post.html
    assert "<ruby>兆円<rt>ちょうえん</rt></ruby>" in page and "<ruby>予算<rt>よさん</rt></ruby>" in page
    assert "&amp; 1 &lt; 2" in page
    assert post.plain.text.startswith("兆円の予算を編集部が組んだ。")
    assert "ちょうえん" not in post.plain.text
