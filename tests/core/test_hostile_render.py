"""Tests that hostile Markdown renders to HTML that cannot run, load or navigate anything.

A small safety checker (tests/helpers/html_safety.py) walks the rendered HTML (and the standalone
page) with html.parser, the way a browser would tokenise it, and lists every element, attribute
and URL that could execute script, fetch something or leave the page. The hostile posts live in
tests/fixtures/hostile/, one kind of attack per file; each surrounds its payloads with marker
words (前文N / 後文N) that must still be readable after rendering. The generated corpus (huge,
binary and Unicode kinds) is tested in test_hostile_corpus.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.core.posts.page import reader_css, standalone_html
from app.core.posts.post import load_post, parse_post
from app.core.posts.render import RenderOptions, render_markdown, render_post
from app.core.reading.furigana_mode import FuriganaMode
from tests.helpers.html_safety import check

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile"
FIXTURES = sorted(HOSTILE.glob("*.md"))
FIXTURE_IDS = [path.stem for path in FIXTURES]

_MARKER = re.compile(r"[前後]文\d+")

# --- the checker itself -------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "<p>x<script src='https://a.example/x.js'></script></p>",
        "<img src=x>",
        "<img src='https://a.example/x.png'>",  # remote images not allowed here
        "<iframe src='https://a.example/'></iframe>",
        "<iframe srcdoc='&lt;b&gt;'></iframe>",
        "<object data='x.swf'></object>",
        "<embed src='x.swf'>",
        "<style>p{color:red}</style>",
        "<meta http-equiv='refresh' content='0;url=https://a.example/'>",
        "<link rel='stylesheet' href='https://a.example/x.css'>",
        "<base href='https://a.example/'>",
        "<form action='https://a.example/'><p>x</p></form>",
        "<svg></svg>",
        "<math></math>",
        "<p onclick='x()'>x</p>",
        "<p ONMOUSEOVER='x()'>x</p>",
        "<p style='color:red'>x</p>",
        "<td style='background:url(https://a.example/t.png)'>x</td>",
        "<div srcdoc='x'></div>",
        "<a href='javascript:alert(1)'>x</a>",
        "<a href=' JaVa\tScRiPt:alert(1)'>x</a>",
        "<a href='&#x01;javascript:alert(1)'>x</a>",
        "<a href='data:text/html,x'>x</a>",
        "<a href='file:///etc/passwd'>x</a>",
        "<a href='vbscript:x'>x</a>",
        "<a href='relative/page.html'>x</a>",
        "<a href='//evil.example/'>x</a>",
        "<a xlink:href='javascript:alert(1)'>x</a>",
        "<span formaction='javascript:alert(1)'>x</span>",
        "<!-- <script>alert(1)</script> -->",
        "<![CDATA[x]]>",
        "<?php x ?>",
    ],
)
def test_checker_flags_unsafe_html(html: str) -> None:
    """The safety checker reports each kind of element, attribute and URL it is meant to catch."""
    assert check(html).problems, html


@pytest.mark.parametrize(
    "html",
    [
        "<p data-kb='0'>本文 <em>強調</em> <code>code</code></p>",
        "<p><ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby></p>",
        "<a href='https://a.example/x?y=1' rel='noopener'>x</a>",
        "<a href='HTTP://a.example/'>x</a>",
        "<a href='mailto:a@example.com'>x</a>",
        "<a href='#fn1'>x</a>",
        "<th style='text-align:center'>x</th>",
        "<span class='kk-image' data-src='javascript:alert(1)' aria-label='x'></span>",
    ],
)
def test_checker_accepts_safe_html(html: str) -> None:
    """Ordinary rendered HTML (links to http/https/mailto/#, ruby, table alignment) passes the checker."""
    assert check(html).problems == []


def test_checker_accepts_remote_images_only_when_allowed() -> None:
    """An http(s) <img> passes only with allow_remote_images; other schemes never do."""
    assert check("<img src='https://a.example/x.png'>", allow_remote_images=True).problems == []
    assert check("<img src='data:image/png;base64,AAAA'>", allow_remote_images=True).problems
    assert check("<img src='javascript:alert(1)'>", allow_remote_images=True).problems


def test_checker_text_leaves_out_readings() -> None:
    """The checker's visible text skips <rt> and <rp> content and decodes entities."""
    assert check("<p>前<ruby>漢字<rp>(</rp><rt>かんじ</rt><rp>)</rp></ruby>&amp;後</p>").text == "前漢字&後"


# --- hostile posts --------------------------------------------------------------------------


def test_every_kind_of_attack_has_a_fixture() -> None:
    """The hostile fixtures cover each attack family this suite promises to check."""
    expected = {
        "script", "img-onerror", "svg-onload", "iframe", "meta-refresh", "css", "links-inline",
        "links-reference", "links-autolink", "links-image", "links-raw-html", "ruby-payloads",
        "aozora-ruby-payloads", "unclosed-ruby", "nested-ruby", "html-comments", "cdata",
        "only-raw-html", "front-matter",
    }
    assert expected <= set(FIXTURE_IDS)


@pytest.mark.parametrize("mode", ["all", "off", "grade:3"])
@pytest.mark.parametrize("path", FIXTURES, ids=FIXTURE_IDS)
def test_hostile_post_renders_safely(path: Path, mode: str) -> None:
    """Every hostile fixture renders to HTML with nothing that can run, load or navigate, in any furigana mode."""
    rendered = render_post(load_post(path), RenderOptions(mode=FuriganaMode.parse(mode)))
    assert check(rendered.html).problems == []


@pytest.mark.parametrize("path", FIXTURES, ids=FIXTURE_IDS)
def test_hostile_post_renders_safely_with_remote_images_allowed(path: Path) -> None:
    """Allowing remote images lets only http(s) <img> through; everything else stays blocked."""
    rendered = render_post(load_post(path), RenderOptions(allow_remote_images=True))
    assert check(rendered.html, allow_remote_images=True).problems == []


@pytest.mark.parametrize("path", FIXTURES, ids=FIXTURE_IDS)
def test_hostile_post_standalone_page_is_safe(path: Path) -> None:
    """The standalone page of a hostile post has no script anywhere and a CSP that forbids everything but inline style."""
    post = load_post(path)
    page = standalone_html(post, render_post(post))
    checker = check(page, page=True)
    assert checker.problems == []
    assert "<script" not in page.lower()
    assert len(checker.csp) == 1
    directives = {part.split()[0]: part.split()[1:] for part in checker.csp[0].split(";") if part.strip()}
    assert directives["default-src"] == ["'none'"]
    assert "script-src" not in directives  # falls back to default-src 'none'
    assert directives["base-uri"] == ["'none'"] and directives["form-action"] == ["'none'"]


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_hostile_post_keeps_the_harmless_words_around_payloads(path: Path) -> None:
    """Every marker word written around a payload (前文N, 後文N) is still visible text after rendering."""
    post = load_post(path)
    markers = _MARKER.findall(post.body)
    assert markers, "fixture has no marker words"
    text = check(render_post(post).html).text
    missing = [m for m in markers if m not in text]
    assert missing == []


def test_blocked_links_keep_their_words_but_lose_their_target() -> None:
    """A javascript: link renders its text without any <a> element or href."""
    html = render_markdown("前 [押してください](javascript:alert(1)) 後").html
    checker = check(html)
    assert checker.problems == []
    assert "<a " not in html and "href" not in html
    assert "押してください" in checker.text


def test_inline_html_shows_as_a_browser_would_minus_anything_active() -> None:
    """An inline <img> with a handler is a placeholder without it; a word in angle brackets that is
    not HTML (generics) is shown as written; script content is not shown."""
    html = render_markdown("前 <img src=x onerror=alert(1)> 中 List<T> と <script>alert(2)</script>後").html
    checker = check(html)
    assert checker.problems == []
    assert 'class="kk-image"' in html and 'data-src="x"' in html and "onerror" not in html
    assert "List<T>" in checker.text and "alert" not in checker.text


def test_remote_images_only_for_http_and_https() -> None:
    """With remote images allowed, only http and https images become <img>; others stay placeholders."""
    body = (
        "![a](https://img.example/a.png) ![b](http://img.example/b.png) ![c](javascript:alert(1)) "
        "![d](data:image/png;base64,AAAA) ![e](file:///etc/passwd) ![f](//img.example/f.png)"
    )
    html = render_markdown(body, RenderOptions(allow_remote_images=True)).html
    assert re.findall(r'<img src="([^"]*)"', html) == ["https://img.example/a.png", "http://img.example/b.png"]
    assert check(html, allow_remote_images=True).problems == []
    assert "<img" not in render_markdown(body).html


def test_hostile_front_matter_is_text_in_the_page() -> None:
    """A title, author and tags full of markup appear as text in the page, and placeholders in them are not expanded."""
    post = load_post(HOSTILE / "front-matter.md")
    page = standalone_html(post, render_post(post))
    assert check(page, page=True).problems == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{css}" in page and "{body_html}" in page
    assert page.count(reader_css()) == 1


def test_only_raw_html_post_keeps_its_text_and_nothing_else() -> None:
    """A post made only of an HTML document keeps its paragraphs' words and drops its head, handlers and links."""
    rendered = render_post(load_post(HOSTILE / "only-raw-html.md"))
    checker = check(rendered.html)
    assert checker.problems == []
    for words in ("これは生のHTMLだけの記事です。", "押す", "漢字"):
        assert words in checker.text
    assert "alert" not in checker.text


def test_quote_in_a_link_title_cannot_open_an_attribute() -> None:
    """A link title or image alt with quotes stays inside its attribute."""
    body = '[x](https://a.example/ "t\\" onmouseover=\\"alert(1)") ![y" onerror="alert(2)](https://a.example/y.png)'
    for allow in (False, True):
        html = render_markdown(body, RenderOptions(allow_remote_images=allow)).html
        assert check(html, allow_remote_images=allow).problems == []


def test_code_cannot_break_out_of_its_block() -> None:
    """A fence's info string and body are escaped: the language cannot add attributes, the body cannot add tags."""
    body = '```js" onclick="alert(1)\n</code></pre><script>alert(2)</script>\n```\n'
    html = render_markdown(body).html
    assert check(html).problems == []
    assert "&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;" in html


def test_heading_ids_are_safe() -> None:
    """A heading full of markup gets an id attribute that stays an id."""
    html = render_markdown('# "><script>alert(1)</script> 見出し\n').html
    assert check(html).problems == []


def test_parse_post_from_bytes_is_checked_the_same_way() -> None:
    """A hostile post given as bytes (not a file) renders just as safely."""
    post = parse_post("# 題\n\n<script>alert(1)</script>\n\n本文 <svg onload=alert(2)>\n".encode("utf-8"))
    assert check(render_post(post).html).problems == []
