"""The bundled sample post exercises what the reader is for: long Japanese prose with everything in it."""

from __future__ import annotations

import re

import pytest

from app.core.common.paths import sample_post_path
from app.core.posts.post import Post, load_post
from app.core.posts.render import RenderedPost, RenderOptions, render_post
from app.core.reading.furigana_mode import FuriganaMode

_AUTHOR_RUBY = re.compile(r"｜([^｜《》\n]+)《([^《》\n]+)》|([\u4e00-\u9fff々]+)《([^《》\n]+)》")
_AMOUNT = r"[0-9０-９,，.一二三四五六七八九十百千]+"


@pytest.fixture(scope="module")
def post() -> Post:
    return load_post(sample_post_path())


@pytest.fixture(scope="module")
def rendered(post: Post) -> RenderedPost:
    return render_post(post)


def test_sample_loads_without_warnings(post: Post) -> None:
    """The sample is a clean UTF-8 post: no warnings, with its front matter read."""
    assert post.warnings == ()
    assert post.encoding == "utf-8"
    assert post.front_matter_format == "yaml"


def test_sample_has_title_date_and_tags(post: Post) -> None:
    """The front matter gives a Japanese title, a date and several tags."""
    assert re.search(r"[\u4e00-\u9fff]", post.title)
    assert post.date is not None and re.match(r"\d{4}-\d{2}-\d{2}", post.date)
    assert len(post.tags) >= 3


def test_sample_is_long_enough(rendered: RenderedPost) -> None:
    """The sample's text is at least 3,000 characters, enough to exercise scrolling and many blocks."""
    assert len(rendered.plain.text) >= 3000
    assert len(rendered.blocks) >= 20


def test_sample_renders_with_ruby(rendered: RenderedPost) -> None:
    """The sample renders with hundreds of readings, and a title with ruby."""
    assert rendered.html.count("<ruby>") >= 200
    assert "<ruby>" in rendered.title_html
    assert rendered.lang == "ja"


@pytest.mark.parametrize("kind", ["heading", "paragraph", "list", "blockquote", "code", "table", "section_break", "footnotes"])
def test_sample_has_each_kind_of_block(rendered: RenderedPost, kind: str) -> None:
    """The sample contains every kind of block the reader handles, including a ---END--- section break, a table and footnotes."""
    assert kind in {b.kind for b in rendered.blocks}


def test_sample_section_break_comes_from_an_end_marker(post: Post, rendered: RenderedPost) -> None:
    """The sample's ---END--- line renders as a section break, not as text or a heading."""
    assert re.search(r"^---END---$", post.body, re.M)
    assert '<hr class="kk-section-break"' in rendered.html
    assert "---END---" not in rendered.plain.text


def test_sample_footnote_links_both_ways(rendered: RenderedPost) -> None:
    """The sample's footnote reference and its note link to each other."""
    assert 'class="footnote-ref"><a href="#fn1" id="fnref1">' in rendered.html
    assert 'id="fn1"' in rendered.html and 'href="#fnref1"' in rendered.html


def test_sample_author_ruby_is_shown_as_written(post: Post, rendered: RenderedPost) -> None:
    """Every reading the author wrote in the sample (｜base《reading》 or kanji《reading》) is shown over its base."""
    written = [(m[0] or m[2], m[1] or m[3]) for m in _AUTHOR_RUBY.findall(post.body)]
    assert written
    for base, reading in written:
        assert f"<ruby>{base}<rt>{reading}</rt></ruby>" in rendered.html
    assert "《" not in rendered.plain.text


def test_sample_author_ruby_survives_furigana_off(post: Post) -> None:
    """With furigana off the author's readings are still there, and nothing else is."""
    off = render_post(post, RenderOptions(mode=FuriganaMode.parse("off")))
    written = _AUTHOR_RUBY.findall(post.body)
    assert off.html.count("<ruby>") == len(written)


def test_sample_has_amounts_in_oku_dollars_and_cho_yen(rendered: RenderedPost) -> None:
    """The sample's text has amounts like 740億ドル and 3兆円 for the figures features to find."""
    assert re.search(_AMOUNT + "億ドル", rendered.plain.text)
    assert re.search(_AMOUNT + "兆円", rendered.plain.text)


def test_sample_amounts_get_ruby_only_on_their_kanji(rendered: RenderedPost) -> None:
    """In an amount like 740億ドル only 億 gets a reading: never the digits or the katakana."""
    assert re.search(r"\d<ruby>億<rt>おく</rt></ruby>ドル", rendered.html)
    # 兆 (ちょう) is wider than its kanji: 兆円 is one ruby, so the word is not pushed apart.
    assert re.search(r"\d<ruby>兆円<rt>ちょうえん</rt></ruby>", rendered.html)
    assert not re.search(r"<ruby>[^<]*[0-9ァ-ヺ][^<]*<rt>", rendered.html)
