"""Tests for app.core.posts.post: reading a post file into a Post."""

from __future__ import annotations

import codecs
import copy
import datetime as dt
import hashlib
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.posts import post as post_module
from app.core.posts.post import (
    DEFAULT_MAX_BYTES,
    POST_SUFFIXES,
    Post,
    PostError,
    load_post,
    parse_post,
    post_to_dict,
)
from tests.fixtures.posts import make_fixtures

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "posts"
REPO_ROOT = Path(__file__).resolve().parents[2]


def _post(text: str, name: str | None = None) -> Post:
    return parse_post(text.encode("utf-8"), source_path=Path(name) if name else None)


# --- encodings and newlines -------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "encoding"),
    [
        ("same-text.utf8.md", "utf-8"),
        ("same-text.utf8-bom.md", "utf-8-sig"),
        ("same-text.cp932.md", "cp932"),
        ("same-text.cp932-crlf.md", "cp932"),
        ("same-text.euc-jp.md", "euc-jp"),
        ("same-text.crlf.md", "utf-8"),
        ("same-text.cr.md", "utf-8"),
        ("same-text.utf16.md", "utf-16"),
    ],
)
def test_same_text_loads_identically_in_every_encoding(fixture: str, encoding: str) -> None:
    """The same post saved in any supported encoding or newline style gives the same body, metadata and hash."""
    reference = load_post(FIXTURES / "same-text.utf8.md")
    post = load_post(FIXTURES / fixture)
    assert post.encoding == encoding
    assert post.body == reference.body
    assert post.content_hash == reference.content_hash
    assert (post.title, post.date, post.tags) == ("きょうの さんぽ", "2024-04-01", ("さんぽ", "にっき"))
    assert post.warnings == ()
    assert "\r" not in post.body


def test_euc_jp_wins_over_cp932_when_both_decode() -> None:
    """EUC-JP bytes that also decode (as garbage) under cp932 are read as EUC-JP."""
    data = (FIXTURES / "same-text.euc-jp.md").read_bytes()
    data.decode("cp932")  # the fixture is only meaningful if this succeeds
    assert parse_post(data).encoding == "euc-jp"


def test_cp932_only_characters_decode_as_cp932() -> None:
    """Circled digits, Roman numerals, ㈱ and ～ (U+FF5E) decode from cp932 exactly as the UTF-8 copy."""
    post = load_post(FIXTURES / "cp932-only.cp932.md")
    reference = load_post(FIXTURES / "cp932-only.utf8.md")
    assert post.encoding == "cp932"
    assert post.body == reference.body
    assert post.content_hash == reference.content_hash
    assert all(ch in post.body for ch in "①②Ⅱ㈱\uff5e")


def test_committed_fixtures_match_the_generator(tmp_path: Path) -> None:
    """The committed byte-level fixtures are exactly what make_fixtures.py writes."""
    for written in make_fixtures.write_fixtures(tmp_path):
        assert written.read_bytes() == (FIXTURES / written.name).read_bytes(), written.name


def test_content_hash_is_sha256_of_the_normalised_text() -> None:
    """content_hash is the sha256 of the whole decoded text with LF newlines, front matter included."""
    text = "---\ntitle: ハッシュ\n---\n本文\n"
    post = parse_post(text.replace("\n", "\r\n").encode("cp932"))
    assert post.content_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_iso_2022_jp_is_recognised() -> None:
    """A 7-bit ISO-2022-JP post is decoded as Japanese, not shown as escape sequences."""
    post = parse_post("# 日本語の題\n\n本文です。\n".encode("iso2022_jp"))
    assert post.encoding == "iso2022_jp"
    assert post.title == "日本語の題"


def test_other_legacy_encodings_fall_back_to_charset_normalizer() -> None:
    """A text in neither UTF-8, cp932 nor EUC-JP is decoded with charset-normalizer's best guess."""
    text = "Привет, мир! Это короткий пост о погоде.\nСегодня тепло и солнечно.\n"
    post = parse_post(text.encode("cp1251"))
    assert post.body == text
    assert post.encoding == "cp1251"
    assert post.warnings == ("The encoding was guessed as cp1251, so some characters may be wrong.",)


def test_mostly_utf8_with_a_broken_byte_stays_utf8() -> None:
    """A UTF-8 post with one broken byte is read as UTF-8 with a � and a warning, not as mojibake."""
    data = "# 題名\n\nこれは長めの日本語の文章です。最後の文字が壊れています。".encode("utf-8") + b"\xe3\x81"
    post = parse_post(data)
    assert post.encoding == "utf-8"
    assert post.title == "題名" and post.body.startswith("これは長めの日本語の文章です。")
    assert "Some bytes are not valid text in any known encoding; they are shown as \ufffd." in post.warnings


def test_lone_bytes_python_cp932_accepts_are_not_read_as_cp932() -> None:
    """Stray bytes such as 0xFF, which Python's cp932 maps to private-use characters, do not make a post cp932."""
    post = parse_post(b"# Hello\n\nplain text with a stray \xff byte\n")
    assert post.encoding != "cp932"
    assert "\uf8f3" not in post.body


def test_undecodable_bytes_are_replaced_with_a_warning() -> None:
    """Bytes no encoding accepts still open, as UTF-8 with � and one warning sentence."""
    post = parse_post(b"# Junk\n\n" + bytes(range(0x80, 0x100)) * 2)
    assert post.encoding == "utf-8"
    assert "\ufffd" in post.body
    assert post.warnings[0] == "Some bytes are not valid text in any known encoding; they are shown as \ufffd."


def test_utf8_happy_path_never_calls_charset_normalizer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Valid UTF-8 is decoded directly, without the slow charset-normalizer guess."""

    def fail(data: bytes) -> None:
        raise AssertionError("charset-normalizer was called")

    monkeypatch.setattr(post_module, "_charset_normalizer_guess", fail)
    assert load_post(FIXTURES / "2023-08-20-jekyll.md").encoding == "utf-8"


# --- front matter and metadata ----------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "2023-08-20-jekyll.md",
            {"title": "夏休みの読書記録", "date": "2023-08-21T09:15:00+09:00", "author": "山田 花子",
             "tags": ["本", "夏"], "categories": ["読書", "日記"], "excerpt": "この夏に読んだ本を三冊紹介します。",
             "front_matter_format": "yaml", "published": None},
        ),
        (
            "hugo.md",
            {"title": "Notes on Tea", "date": "2024-02-10T08:30:00+09:00", "author": "Ken, Aiko",
             "tags": ["tea", "japan"], "categories": ["drinks"], "excerpt": "A short note about green tea.",
             "front_matter_format": "toml", "published": False, "updated": "2024-02-12"},
        ),
        (
            "zenn.md",
            {"title": "Pythonで日付を扱う", "date": None, "emoji": "📅", "tags": ["python", "datetime"],
             "published": True, "front_matter_format": "yaml"},
        ),
        (
            "qiita.md",
            {"title": "Markdownのメモ", "date": "2024-05-31T20:45:10+09:00", "author": "example_user",
             "tags": ["Markdown", "メモ"], "published": True, "updated": "2024-06-01T12:00:00+09:00"},
        ),
    ],
)
def test_blog_platform_front_matter(fixture: str, expected: dict) -> None:
    """Jekyll, Hugo (TOML), Zenn and Qiita front matter fill the same Post fields."""
    post = load_post(FIXTURES / fixture)
    info = post_to_dict(post)
    assert {key: info[key] for key in expected} == expected
    assert post.warnings == ()


def test_body_drops_front_matter_but_keeps_later_rules() -> None:
    """The body starts after the closing fence and keeps later `---` lines untouched."""
    post = load_post(FIXTURES / "2023-08-20-jekyll.md")
    assert post.body.startswith("# 一冊目\n")
    assert "\n---\n" in post.body
    assert post.front_matter["layout"] == "post"


@pytest.mark.parametrize(
    ("text", "name", "title"),
    [
        ("---\ntitle: 題名\n---\n# 見出し\n", None, "題名"),
        ("---\ntitle: ''\n---\n# 見出し\n", None, "見出し"),
        ("前文\n\n## 二番目の見出し ##\n", None, "二番目の見出し"),
        ("```\n# コメント\n```\n# 本物\n", None, "本物"),
        ("~~~~\n```\n# still code\n~~~~\n# Real\n", None, "Real"),
        ("    # indented code\n#not-a-heading\n", "memo.md", "memo"),
        ("本文だけ\n", None, "Untitled"),
        ("---\ntitle: |\n  二行の\n  タイトル\n---\n", None, "二行の タイトル"),
        ("---\ntitle: 2024\n---\n", None, "2024"),
    ],
)
def test_title_fallbacks(text: str, name: str | None, title: str) -> None:
    """Title comes from front matter, else the first ATX heading outside code, else the file stem, else Untitled."""
    assert _post(text, name).title == title


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-11-30", "2025-11-30"),
        ('"2025-11-30"', "2025-11-30"),
        ('"2025/11/30"', "2025-11-30"),
        ("2025-11-30 16:40:23 +0000", "2025-11-30T16:40:23+00:00"),
        ("2025-11-30T16:40:23+09:00", "2025-11-30T16:40:23+09:00"),
        ('"2025-11-30T16:40:23Z"', "2025-11-30T16:40:23+00:00"),
        ("2025-11-30 16:40:23", "2025-11-30T16:40:23"),
        ('"2025-11-30 16:40"', "2025-11-30T16:40:00"),
    ],
)
def test_front_matter_dates_become_iso_8601(value: str, expected: str) -> None:
    """Dates, datetimes and common date strings become ISO 8601, keeping any time and offset."""
    post = _post(f"---\ndate: {value}\n---\nbody\n")
    assert post.date == expected
    assert post.warnings == ()


def test_toml_dates_become_iso_8601() -> None:
    """TOML offset datetimes and local dates become ISO 8601 strings."""
    post = _post("+++\ndate = 2024-01-02T03:04:05-05:00\n+++\nbody\n")
    assert post.date == "2024-01-02T03:04:05-05:00"


@pytest.mark.parametrize(
    ("name", "date", "warning"),
    [
        ("2024-03-15-post.md", "2024-03-15",
         'The date "someday" could not be understood, so the date in the file name is used.'),
        ("post.md", None, 'The date "someday" could not be understood, so it is ignored.'),
    ],
)
def test_unparsable_date_warns_and_falls_back(name: str, date: str | None, warning: str) -> None:
    """An unparsable date gives a warning and falls back to the file-name prefix, else None."""
    post = _post("---\ndate: someday\n---\nbody\n", name)
    assert post.date == date
    assert post.warnings == (warning,)


@pytest.mark.parametrize(
    ("name", "date"),
    [("2024-03-15-filename-date.md", "2024-03-15"), ("2024-13-45-bad.md", None), ("notes-2024-03-15.md", None)],
)
def test_file_name_date_prefix(name: str, date: str | None) -> None:
    """A real YYYY-MM-DD- file-name prefix gives the date when the front matter has none."""
    assert _post("# t\n", name).date == date


def test_front_matter_date_wins_over_file_name() -> None:
    """The front matter date is used even when the file name has a different date prefix."""
    assert load_post(FIXTURES / "2023-08-20-jekyll.md").date == "2023-08-21T09:15:00+09:00"


@pytest.mark.parametrize(
    ("front", "tags"),
    [
        ("tags: [a, b, a]", ("a", "b")),
        ("tags: python  markdown", ("python", "markdown")),
        ("tags: machine learning, python", ("machine learning", "python")),
        ("tags: 機械学習、自然言語処理", ("機械学習", "自然言語処理")),
        ("tags: 読書，日記", ("読書", "日記")),
        ("tags:\n  - name: Python\n  - name: 日本語", ("Python", "日本語")),
        ("tags: [x]\ntopics: [y, x]\nkeywords: z", ("x", "y", "z")),
        ("tags: [2024, '', null, true]", ("2024",)),
        ("tags: {a: 1}", ()),
        ("Tags: [Upper]", ("Upper",)),
    ],
)
def test_tags_parsing(front: str, tags: tuple[str, ...]) -> None:
    """Tags come from lists, space- or comma-separated strings and Qiita mappings, deduplicated in order."""
    assert _post(f"---\n{front}\n---\nbody\n").tags == tags


@pytest.mark.parametrize(
    ("front", "categories"),
    [("categories: [AI, 技術]", ("AI", "技術")), ("category: 日記", ("日記",)), ("categories: a b, c", ("a b", "c"))],
)
def test_categories_follow_the_tag_rules(front: str, categories: tuple[str, ...]) -> None:
    """Categories (or category) are parsed with the same rules as tags."""
    assert _post(f"---\n{front}\n---\nbody\n").categories == categories


@pytest.mark.parametrize(
    ("front", "author"),
    [
        ("author: 佐藤", "佐藤"),
        ("authors: [Ken, Aiko]", "Ken, Aiko"),
        ("author:\n  name: Hana", "Hana"),
        ("user:\n  name: 表示名", "表示名"),
        ("user:\n  id: qiita_id\n  name: 表示名", "qiita_id"),
        ("author: ''", None),
    ],
)
def test_author_sources(front: str, author: str | None) -> None:
    """Author comes from author, authors (joined with ", ") or Qiita's user id or name."""
    assert _post(f"---\n{front}\n---\nbody\n").author == author


@pytest.mark.parametrize(
    ("front", "excerpt"),
    [("excerpt: 抜粋", "抜粋"), ("description: 説明", "説明"), ("summary: 要約", "要約"), ("excerpt: [a]", None)],
)
def test_excerpt_sources(front: str, excerpt: str | None) -> None:
    """The excerpt comes from excerpt, description or summary."""
    assert _post(f"---\n{front}\n---\nbody\n").excerpt == excerpt


@pytest.mark.parametrize(
    ("front", "published"),
    [
        ("published: false", False),
        ("draft: true", False),
        ("draft: false", True),
        ("private: true", False),
        ("published: 'true'", True),
        ("title: x", None),
    ],
)
def test_published_flag(front: str, published: bool | None) -> None:
    """published reads Zenn/Jekyll `published`, Hugo `draft` inverted and Qiita `private` inverted."""
    assert _post(f"---\n{front}\n---\nbody\n").published is published


def test_yaml_closing_fence_may_be_dots() -> None:
    """A YAML front matter may be closed with `...` instead of `---`."""
    post = _post("---\ntitle: 点で閉じる\n...\n本文\n")
    assert (post.title, post.body, post.warnings) == ("点で閉じる", "本文\n", ())


def test_empty_front_matter_is_fine() -> None:
    """An empty front matter block gives an empty mapping and no warning."""
    post = _post("---\n---\n# 題\n\n本文\n")
    assert (post.front_matter, post.front_matter_format, post.body, post.warnings) == ({}, "yaml", "本文\n", ())
    assert post.title == "題"


def test_only_front_matter_opens_with_an_empty_body() -> None:
    """A file with front matter and nothing else opens with an empty body and a warning."""
    post = load_post(FIXTURES / "only-front-matter.md")
    assert (post.title, post.date, post.body) == ("本文なし", "2024-07-07", "")
    assert post.warnings == ("The post has no text after its front matter.",)


def test_no_front_matter_keeps_the_whole_text() -> None:
    """Without front matter the body is the whole text and the format is None."""
    post = _post("Setext heading\n---\n\ntext\n")
    assert (post.body, post.front_matter, post.front_matter_format) == ("Setext heading\n---\n\ntext\n", {}, None)


BILLION_LAUGHS = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
)
DEEP_BLOCK_YAML = "".join("  " * level + "k:\n" for level in range(60))
NOT_YAML = "The front matter is not valid YAML, so it is shown as text."
NOT_FIELDS = 'The front matter is not a set of "key: value" fields, so it is shown as text.'
TOO_NESTED = "The front matter is too deeply nested or repetitive, so it is shown as text."


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ('---\nsubtitle: "open\n---\nbody\n', NOT_YAML),
        ("+++\ntitle = \n+++\nbody\n", "The front matter is not valid TOML, so it is shown as text."),
        ("---\n- a\n- b\n---\nbody\n", NOT_FIELDS),
        ("---\njust a string\n---\nbody\n", NOT_FIELDS),
        ("---\ncmd: !!python/object/apply:os.system [echo hi]\n---\nbody\n", NOT_YAML),
        ("---\n" + "[" * 5000 + "\n---\nbody\n", TOO_NESTED),
        ("---\nk: " + "[" * 60 + "1" + "]" * 60 + "\n---\nbody\n", TOO_NESTED),
        (f"---\n{DEEP_BLOCK_YAML}---\nbody\n", TOO_NESTED),
        (f"---\n{BILLION_LAUGHS}\n---\nbody\n", TOO_NESTED),
        ("---\n" + "k: v\n" * 14000 + "---\nbody\n", "The front matter is larger than 64 KB, so it is shown as text."),
    ],
)
def test_unusable_front_matter_is_shown_as_text(text: str, warning: str) -> None:
    """Front matter that is invalid, not a mapping, too big or too nested opens as a text block with a warning."""
    post = _post(text)
    assert post.warnings == (warning,)
    assert post.front_matter == {} and post.front_matter_format is None
    fence = post.body.split("\n", 1)[0].removesuffix("text")
    assert post.body.startswith(f"{fence}text\n{text[:3]}\n")
    assert post.body.endswith(f"\n{fence}\n\nbody\n")


def test_text_block_fence_is_longer_than_any_backtick_run() -> None:
    """The fence around shown-as-text front matter outlasts any backtick run inside it."""
    post = load_post(FIXTURES / "list-front-matter.md")
    assert post.body.startswith("````text\n---\n- first item\n- second item with ``` inside\n---\n````\n\n")


def test_shown_as_text_front_matter_renders_verbatim() -> None:
    """Markdown renders the shown-as-text front matter as one code block, not rules or headings."""
    markdown_it = pytest.importorskip("markdown_it")
    post = _post('---\nsubtitle: "閉じていない引用符\nlayout: post\n---\n\n# 本文の見出し\n\n本文\n')
    html = markdown_it.MarkdownIt("commonmark").render(post.body)
    assert html.startswith('<pre><code class="language-text">---\nsubtitle: &quot;閉じていない引用符\n')
    assert "<hr" not in html and "<h1>本文の見出し</h1>" in html
    assert post.title == "本文の見出し"


@pytest.mark.parametrize(
    ("text", "title", "date", "tags", "categories", "said"),
    [
        (FIXTURES / "invalid-yaml.md", "閉じていない引用符", None, ("a", "b"), (), "title and tags were"),
        ('---\ntitle: 半導体: 次の十年\ndate: 2024-05-01\ntags: [Go:1.3, "AI"\ncategories:\n  - 経済\n  - 技術\nfoo: [bar\n---\n本文\n',
         "半導体: 次の十年", "2024-05-01", ("Go", "AI"), ("経済", "技術"), "title, date, tags and categories were"),
        ("+++\ntitle = 引用符のないタイトル\ntags = [\"x\", \"y\"]\n+++\n本文\n", "引用符のないタイトル", None, ("x", "y"), (), "title and tags were"),
    ],
)
def test_fields_of_a_front_matter_that_does_not_parse_are_read_line_by_line(text, title, date, tags, categories, said) -> None:
    """A front matter the parser refuses as a whole keeps its title, date, tags and categories,
    read line by line; the warning says so, and the front matter is not shown in the post."""
    post = load_post(text) if isinstance(text, Path) else _post(text)
    assert (post.title, post.date, post.tags, post.categories) == (title, date, tags, categories)
    assert len(post.warnings) == 1 and post.warnings[0].endswith(f"; its {said} read line by line.")
    assert "---" not in post.body and "+++" not in post.body


def test_a_leading_title_line_is_the_title_and_is_not_repeated() -> None:
    """Without a title in front matter, a post that opens with "# Title" takes it as its title and
    the line leaves the body (the page shows the title once); a later heading stays."""
    post = _post("\n# 週末の天気\n\n今日は雨。\n\n# 明日\n\n晴れ。\n")
    assert post.title == "週末の天気" and post.body == "今日は雨。\n\n# 明日\n\n晴れ。\n"
    titled = _post("---\ntitle: 天気の記録\n---\n# 週末の天気\n\n今日は雨。\n")
    assert titled.title == "天気の記録" and titled.body.startswith("# 週末の天気")
    assert _post("## 小見出し\n\n本文\n").body.startswith("## 小見出し")  # not a level-1 title line


@pytest.mark.parametrize(("raw", "tags"), [("Go:1.3 Docker", ("Go", "Docker")), ("Rails:4.2.0, Ruby", ("Rails", "Ruby")), ("C++:17", ("C++",)),
                                           ("\"10:30\"", ("10:30",))])
def test_qiita_tag_versions_are_left_out(raw: str, tags: tuple) -> None:
    """Qiita's old "Name:version" tags are the tag Name."""
    assert _post(f"---\ntitle: t\ntags: {raw}\n---\nbody\n").tags == tags


@pytest.mark.parametrize(
    ("fixture", "block", "rest"),
    [
        ("unclosed-front-matter.md", "```text\n---\ntitle: 閉じ忘れ\ndate: 2024-01-01\n```\n\n",
         "# Real heading\n\nThe body must not be swallowed.\n"),
    ],
)
def test_unclosed_front_matter_does_not_swallow_the_post(fixture: str, block: str, rest: str) -> None:
    """An unclosed front matter shows only its field-like lines as text; the rest stays the body."""
    post = load_post(FIXTURES / fixture)
    assert post.body == block + rest
    assert post.title == "Real heading"
    assert post.warnings == ("The front matter is never closed (no closing --- line), so it is shown as text.",)


def test_unclosed_toml_front_matter_names_its_fence() -> None:
    """An unclosed TOML front matter warns about the missing +++ line."""
    post = _post("+++\ntitle = \"x\"\n\nbody\n")
    assert post.warnings == ("The front matter is never closed (no closing +++ line), so it is shown as text.",)
    assert post.body == '```text\n+++\ntitle = "x"\n```\n\nbody\n'


def test_front_matter_keys_are_case_insensitive() -> None:
    """Capitalised keys such as Title and Date work like their lower-case forms."""
    post = _post("---\nTitle: 大文字\nDate: 2024-05-05\n---\nbody\n")
    assert (post.title, post.date) == ("大文字", "2024-05-05")


# --- damaged text -----------------------------------------------------------------------


def test_replacement_characters_warn_in_title_and_body() -> None:
    """A � in the title and in the body each give one warning sentence, with the body count."""
    post = load_post(FIXTURES / "damaged.md")
    assert post.warnings == (
        "The title looks damaged (it contains \ufffd).",
        "The text looks damaged in 2 places (it contains \ufffd).",
    )


def test_one_replacement_character_is_one_place() -> None:
    """A single � in the body is reported as "1 place"."""
    assert _post("# ok\n\nx\ufffdy\n").warnings == ("The text looks damaged in 1 place (it contains \ufffd).",)


# --- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "notes.md is empty."),
        (b" \r\n\t\n", "notes.md is empty."),
        ("\u3000\n".encode("utf-8"), "notes.md is empty."),
        (codecs.BOM_UTF8, "notes.md is empty."),
        (codecs.BOM_UTF8 + b"\n\n", "notes.md is empty."),
        (b"\x89PNG\r\n\x1a\n" + b"rest", "notes.md looks like a binary file, not text."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "notes.md looks like a binary file, not text."),
        (b"PK\x03\x04zipped", "notes.md looks like a binary file, not text."),
        (b"text\x01\x02\x03\x04\x05\x06 more", "notes.md looks like a binary file, not text."),
        (b"# Title\n\nhello\x00world\n", "notes.md contains NUL bytes, so it is not a text post."),
        ("# UTF-16 without BOM\n".encode("utf-16-le"), "notes.md contains NUL bytes, so it is not a text post."),
        ("# UTF-32\n".encode("utf-32"), "notes.md contains NUL bytes, so it is not a text post."),
    ],
)
def test_non_text_data_is_refused(data: bytes, message: str) -> None:
    """Empty, whitespace-only, BOM-only, binary and NUL-containing data is refused with one sentence."""
    with pytest.raises(PostError) as caught:
        parse_post(data, source_path=Path("/some/folder/notes.md"))
    assert str(caught.value) == message


def test_refusal_without_a_path_says_the_file() -> None:
    """Without a source path the refusal sentence speaks of "The file"."""
    with pytest.raises(PostError, match=r"^The file is empty\.$"):
        parse_post(b"")


@pytest.mark.parametrize("fixture", ["photo.md", "nul.md"])
def test_binary_fixtures_are_refused_by_load_post(fixture: str) -> None:
    """A PNG renamed .md and a file with NUL bytes are refused, naming only the file."""
    with pytest.raises(PostError) as caught:
        load_post(FIXTURES / fixture)
    assert str(caught.value).startswith(f"{fixture} ")
    assert str(FIXTURES) not in str(caught.value)


@pytest.mark.parametrize(
    ("size", "limit", "message"),
    [
        (int(25.3 * 1024 * 1024), DEFAULT_MAX_BYTES, "big.md is 25.3 MB; posts larger than 20 MB are not opened."),
        (2048, 1024, "big.md is 2 KB; posts larger than 1 KB are not opened."),
        (101, 100, "big.md is 101 bytes; posts larger than 100 bytes are not opened."),
    ],
)
def test_too_large_files_are_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, limit: int, message: str
) -> None:
    """A file over max_bytes is refused from its size alone, without opening it."""
    path = tmp_path / "big.md"
    with open(path, "wb") as handle:
        handle.truncate(size)  # sparse: no need to write 25 MB

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(post_module, "open", no_open, raising=False)
    with pytest.raises(PostError) as caught:
        load_post(path, max_bytes=limit)
    assert str(caught.value) == message


def test_parse_post_refuses_data_over_max_bytes() -> None:
    """parse_post applies the same size limit to bytes it is given."""
    with pytest.raises(PostError, match=r"^x\.md is 11 bytes; posts larger than 10 bytes are not opened\.$"):
        parse_post(b"# 01234567\n", source_path=Path("x.md"), max_bytes=10)


def test_load_post_reads_at_most_max_bytes_plus_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that grows after its size check is read only up to max_bytes + 1 and refused."""
    path = tmp_path / "growing.md"
    path.write_bytes(b"# small\n")
    requested: list[int] = []

    class GrowingFile:
        def __enter__(self) -> GrowingFile:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def read(self, size: int = -1) -> bytes:
            requested.append(size)
            return b"x" * size

    monkeypatch.setattr(post_module, "open", lambda *a, **k: GrowingFile(), raising=False)
    with pytest.raises(PostError, match="posts larger than 100 bytes"):
        load_post(path, max_bytes=100)
    # Its size first (nothing set aside for the limit), then on up to the limit, + 1 in all.
    assert requested == [9, 92] and sum(requested) == 101


@pytest.mark.parametrize("name", ["photo.pdf", "notes", "archive.md.zip", "readme.rst"])
def test_wrong_suffix_is_refused(tmp_path: Path, name: str) -> None:
    """Only .md, .markdown, .txt, .html and .htm files are opened by load_post."""
    (tmp_path / name).write_text("# hi\n")
    with pytest.raises(PostError) as caught:
        load_post(tmp_path / name)
    assert str(caught.value) == f"{name} is not a post: only .md, .markdown, .txt, .html and .htm files are opened."


@pytest.mark.parametrize("name", ["a.md", "b.MD", "c.markdown", "d.Markdown", "e.txt"])
def test_post_suffixes_are_accepted_in_any_case(tmp_path: Path, name: str) -> None:
    """Every suffix in POST_SUFFIXES opens, whatever its letter case."""
    (tmp_path / name).write_text("# hi\n", encoding="utf-8")
    assert load_post(tmp_path / name).title == "hi"
    assert Path(name).suffix.lower() in POST_SUFFIXES


def test_missing_file_is_refused(tmp_path: Path) -> None:
    """A missing file gives "could not be read" with the OS reason, naming only the file."""
    with pytest.raises(PostError) as caught:
        load_post(tmp_path / "gone.md")
    assert str(caught.value) == "gone.md could not be read: No such file or directory."


def test_folder_is_refused(tmp_path: Path) -> None:
    """A folder whose name ends in .md is refused as a folder."""
    (tmp_path / "folder.md").mkdir()
    with pytest.raises(PostError, match=r"^folder\.md is a folder, not a post\.$"):
        load_post(tmp_path / "folder.md")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_special_file_is_refused_without_blocking(tmp_path: Path) -> None:
    """A named pipe is refused before any read that could block."""
    os.mkfifo(tmp_path / "pipe.md")
    with pytest.raises(PostError, match=r"^pipe\.md is not a regular file, so it is not opened\.$"):
        load_post(tmp_path / "pipe.md")


def test_permission_error_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unreadable file gives "could not be read" with the OS reason."""
    path = tmp_path / "secret.md"
    path.write_text("# secret\n")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(post_module, "open", denied, raising=False)
    with pytest.raises(PostError) as caught:
        load_post(path)
    assert str(caught.value) == "secret.md could not be read: Permission denied."


def test_nul_in_path_is_refused() -> None:
    """A path containing a NUL character is refused with a PostError, not a ValueError."""
    with pytest.raises(PostError, match=r"could not be read"):
        load_post("bad\x00name.md")


# --- robustness -------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_parse_post_raises_only_post_error_for_any_bytes(data: bytes) -> None:
    """Whatever the bytes, parse_post returns a Post or raises PostError."""
    try:
        post = parse_post(data)
    except PostError as err:
        assert "\n" not in str(err)
    else:
        json.dumps(post_to_dict(post), allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["---\n", "+++\n", "---\r\n"]),
    st.text(max_size=200),
    st.sampled_from(["---\n", "+++\n", "...\n", ""]),
)
def test_any_front_matter_text_opens(opening: str, inner: str, closing: str) -> None:
    """Any text between front matter fences opens without an exception and with a JSON-safe summary."""
    try:
        post = parse_post((opening + inner + "\n" + closing + "body\n").encode("utf-8", "surrogatepass"))
    except PostError:
        return
    json.dumps(post_to_dict(post), allow_nan=False)


def test_post_to_dict_is_json_safe_and_has_no_body() -> None:
    """post_to_dict gives plain JSON (dates as ISO strings, odd values as str) and leaves the body out."""
    text = (
        "---\ntitle: 辞書\ndate: 2024-01-02\nwhen: 2024-01-02 03:04:05\nnan: .nan\n"
        "bin: !!binary aGk=\nset: !!set {a, b}\n2024-05-05: date key\n---\nsecret body\n"
    )
    info = post_to_dict(_post(text, "2024-01-01-dict.md"))
    encoded = json.dumps(info, allow_nan=False, ensure_ascii=False)
    assert "secret body" not in encoded and "body" not in info
    front = info["front_matter"]
    assert front["date"] == "2024-01-02" and front["when"] == "2024-01-02T03:04:05"
    assert front["nan"] == "nan" and isinstance(front["bin"], str) and isinstance(front["set"], str)
    assert front["2024-05-05"] == "date key"
    assert info["source_path"] == "2024-01-01-dict.md"
    assert set(info) == {
        "title", "date", "author", "tags", "categories", "excerpt", "source_path", "content_hash",
        "encoding", "warnings", "front_matter_format", "emoji", "published", "updated", "front_matter",
    }


def test_post_is_frozen_hashable_and_copyable() -> None:
    """A Post cannot be changed in place, and can be hashed, deep-copied and pickled."""
    post = load_post(FIXTURES / "qiita.md")
    with pytest.raises(AttributeError):
        post.title = "changed"  # type: ignore[misc]
    hash(post)
    assert copy.deepcopy(post) == post
    assert pickle.loads(pickle.dumps(post)) == post
    assert isinstance(post.front_matter["user"], dict)
    assert post.source_path == FIXTURES / "qiita.md"


def test_core_post_does_not_import_qt() -> None:
    """Importing app.core.posts.post loads neither PySide6 nor shiboken."""
    code = (
        "import sys, app.core.posts.post\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO_ROOT)


def test_date_objects_are_kept_in_front_matter() -> None:
    """front_matter keeps values as YAML gave them, including date objects."""
    post = _post("---\ndate: 2024-02-29\n---\nbody\n")
    assert post.front_matter["date"] == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    ("written", "iso"),
    [("April 30, 2017", "2017-04-30"), ("Apr. 30 2017", "2017-04-30"), ("30 April 2017", "2017-04-30"),
     ("Sept 3rd, 2021", "2021-09-03"), ("2017年4月30日", "2017-04-30")],
)
def test_dates_written_in_words_are_understood(written: str, iso: str) -> None:
    """English month names (Hakyll and many English blogs) and 年月日 dates are dates, with no warning."""
    post = _post(f"---\ntitle: t\ndate: {written}\n---\nbody\n")
    assert (post.date, post.warnings) == (iso, ())


@pytest.mark.parametrize("written", ["Foo 30, 2017", "February 30, 2017", "2017年13月1日"])
def test_a_written_date_that_is_no_date_is_ignored_with_a_warning(written: str) -> None:
    """A month name that is none, or a day that does not exist, is not a date: ignored, and said."""
    post = _post(f"---\ntitle: t\ndate: {written}\n---\nbody\n")
    assert post.date is None and post.warnings == (f'The date "{written}" could not be understood, so it is ignored.',)


# --- real posts' odd corners (issue "Real posts as their authors meant them") ------------------------


def test_a_few_stray_nul_bytes_in_a_long_text_are_left_out_with_a_warning() -> None:
    data = ("本文の段落です。" * 200).encode("utf-8") + b"\x00" + "最後の文。\x00\n".encode("utf-8")
    post = parse_post(data, source_path=Path("page.md"))
    assert "\x00" not in post.body and "最後の文。" in post.body
    assert post.warnings[0] == "2 NUL bytes (invisible characters) were left out of the text."


def test_many_nul_bytes_still_mean_not_text() -> None:
    with pytest.raises(PostError, match="NUL bytes"):
        parse_post("短い\x00文\x00".encode("utf-8"), source_path=Path("x.md"))
    with pytest.raises(PostError, match="NUL bytes"):
        parse_post("A post in UTF-16 without its BOM.".encode("utf-16-le") * 50, source_path=Path("utf16-without-bom.md"))


@pytest.mark.parametrize(("name", "date"), [
    ("2020-09-21-slug.md", "2020-09-21"), ("20200921-unfinished-book.md", "2020-09-21"), ("20200921_memo.md", "2020-09-21"),
    ("20201399-bad.md", None), ("12345678-not-a-date.md", None), ("2020092-short.md", None),
])
def test_a_date_at_the_start_of_the_file_name(name: str, date: str | None) -> None:
    assert parse_post("# 題\n\n本文\n".encode(), source_path=Path(name)).date == date


def test_a_plain_texts_first_line_is_its_title_and_a_header_date_its_date() -> None:
    text = "国際化 w3m\n                    2003/03/08\n                    坂本\n\nはじめに\n\n本文です。\n"
    post = parse_post(text.encode("euc_jp"), source_path=Path("README.m17n.txt"))
    assert post.title == "国際化 w3m" and post.date == "2003-03-08"
    assert not post.body.lstrip().startswith("国際化")


@pytest.mark.parametrize("text", [
    "メモ：来週の会議の資料を用意する。\n",  # one sentence: the text, not a title
    "今日は晴れ。\n\n明日は雨。\n",
    "最初の行\n続きの行がすぐ来る。\n",  # a paragraph's first line
    "=====\n本文\n",
])
def test_a_plain_text_that_opens_with_prose_keeps_it(text: str) -> None:
    from app.core.posts.render import render_post

    post = parse_post(text.encode(), source_path=Path("memo.txt"))
    assert post.title == "memo" and render_post(post).plain.text.startswith(text.strip().split("\n")[0])


def test_a_set_of_quoted_names_after_the_title_line_is_the_tags() -> None:
    post = parse_post('# はじめての記事\n\n{"mastodon", "はじめて"}\n\n本文です。\n'.encode(), source_path=Path("x.md"))
    assert post.title == "はじめての記事" and post.tags == ("mastodon", "はじめて")
    assert post.body.strip() == "本文です。"
    # Only right after the title, and only without front matter.
    later = parse_post('# 題\n\n本文です。\n\n{"a","b"}\n'.encode(), source_path=Path("x.md"))
    assert later.tags == () and '{"a","b"}' in later.body


def test_a_first_heading_that_repeats_the_front_matter_title_is_not_shown_twice() -> None:
    post = parse_post("---\ntitle: topコマンドのバッチモード\n---\n\n# top コマンドの バッチモード\n\n本文\n".encode(), source_path=Path("x.md"))
    assert post.title == "topコマンドのバッチモード" and post.body.strip() == "本文"
    other = parse_post("---\ntitle: 題名\n---\n\n# 別の見出し\n\n本文\n".encode(), source_path=Path("x.md"))
    assert other.body.lstrip().startswith("# 別の見出し")


def test_a_jekyll_post_written_in_html_takes_its_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "2014-04-20-matsue.html"
    path.write_text("---\nlayout: post\ntitle: 松江の勉強会\ndate: 2014-04-20 10:33:00 GMT\ntags: [ruby]\n---\n"
                    "<p>二日間の<b>勉強会</b>でした。</p>\n<ul><li>一日目</li></ul>\n", encoding="utf-8")
    post = load_post(path)
    assert (post.title, post.date, post.tags) == ("松江の勉強会", "2014-04-20T10:33:00+00:00", ("ruby",))
    assert post.front_matter_format == "yaml" and "layout" not in post.body and "<li>一日目</li>" in post.body


@pytest.mark.parametrize(("header", "date"), [
    ("                 Since: 15-Aug-2001\n                 Last Change: 17-Nov-2021.\n", "2021-11-17"),
    ("作成日：2019/04/01\n", "2019-04-01"),
    ("Version: 1.4.0\n", None),
])
def test_a_labelled_date_in_a_plain_texts_header(header: str, date: str | None) -> None:
    post = parse_post(f"説明書\n{header}\n本文です。\n".encode(), source_path=Path("README.txt"))
    assert post.date == date


def test_front_matter_with_a_lone_surrogate_or_base_60_numbers_opens() -> None:
    """YAML's "\\ud800" escape makes a string no text can hold; YAML 1.1 reads 59:59:59 as 215999."""
    post = parse_post(b'---\ntitle: "\\ud800abc"\ndate: 59:59:59\ntags: 1:2:3\nitems: ["\\udfff"]\n---\n\xe6\x9c\xac\xe6\x96\x87\n',
                      source_path=Path("x.md"))
    assert post.title == "\ufffdabc" and post.tags == ("1:2:3",) and post.date is None
    assert post.front_matter["items"] == ["\ufffd"]
    assert any("not valid text" in w for w in post.warnings) and any('"59:59:59"' in w for w in post.warnings)
    json.dumps(post_to_dict(post), ensure_ascii=False).encode("utf-8")  # every string is valid text
