"""The hostile corpus through the real command line: nothing crashes, nothing runs, offsets stay right.

Every kind in tests/fixtures/hostile/corpus.py is built into a temporary folder once per session,
then `kakikomi info` and `kakikomi render` run on it as child processes with a CPU and memory
budget (tests/helpers/cli_runner.py). The children are forked from a server that imported
Kakikomi once (tests/helpers/cli_zygote.py), which saves the 0.4 s start of every run; a sample
of kinds also runs through a plain `python -m app`. The Unicode kinds are also checked
in-process: their plain text is exactly what was written, and a highlight inside or after the
tricky sequences is found at the right offsets, before and after an edit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.posts.anchoring import anchor, describe
from app.core.posts.post import DEFAULT_MAX_BYTES, load_post, parse_post
from app.core.posts.render import RenderOptions, render_post
from app.core.reading.furigana_mode import FuriganaMode
from tests.fixtures.hostile.corpus import BY_NAME, HERE, KINDS, LABELLED, REFUSES, RENDERS, STATIC, generate
from tests.helpers.cli_runner import ForkServer, outcome_problems, run_both, run_cli
from tests.helpers.html_safety import check

UNICODE_KINDS = [k for k in KINDS if k.plain_text is not None]
# In-process rendering of the small kinds that open (the big ones are rendered by the CLI test).
SMALL_OPENING_KINDS = [k for k in KINDS if k.expect == RENDERS and k.name not in {
    "at-limit", "large", "long-line", "nested-lists", "footnotes", "wide-table"}]


def _param(kind) -> pytest.param:
    """The kind as a test parameter; a kind known to break the promise is a strict xfail."""
    marks = [pytest.mark.xfail(strict=True, raises=AssertionError, reason=kind.known_issue)] if kind.known_issue else []
    return pytest.param(kind, id=kind.name, marks=marks)


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[ForkServer, ForkServer]]:
    """Two CLI fork servers, one per core."""
    pair = (ForkServer(), ForkServer())
    yield pair
    for server in pair:
        server.close()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every kind built once, name -> path."""
    return generate(tmp_path_factory.mktemp("hostile-corpus"))


def test_the_corpus_covers_every_kind_the_issue_names() -> None:
    """The manifest holds at least 20 kinds with unique names, including each family the issue lists."""
    names = [k.name for k in KINDS]
    assert len(names) == len(set(names)) >= 20
    required = {
        "empty", "front-matter-only", "front-matter-unclosed", "front-matter-invalid", "front-matter-not-mapping",
        "nul-bytes", "invalid-utf8-middle", "shift-jis-as-utf8", "euc-jp-as-utf8", "png-renamed", "at-limit",
        "over-limit", "long-line", "nested-lists", "nested-quotes", "footnotes", "script", "img-onerror",
        "svg-onload", "iframe", "meta-refresh", "css", "links-inline", "links-reference", "links-autolink",
        "links-image", "links-raw-html", "ruby-payloads", "aozora-ruby-payloads", "half-width-kana", "combining",
        "variation-selectors", "emoji-zwj", "right-to-left",
    }
    assert required <= set(names)
    assert all(k.expect in (RENDERS, REFUSES) for k in KINDS)
    assert all(k.words for k in KINDS if k.expect == REFUSES)


def test_every_hand_written_fixture_is_in_the_manifest() -> None:
    """Each .md file beside the manifest is one of its kinds, so none escapes the command-line check."""
    assert {p.stem for p in HERE.glob("*.md")} == {name for name, _how in STATIC}


def test_the_generated_files_are_what_the_manifest_says(corpus: dict[str, Path]) -> None:
    """The big kinds have their promised sizes and the binary kinds their promised bytes."""
    assert corpus["at-limit"].stat().st_size == DEFAULT_MAX_BYTES
    assert corpus["over-limit"].stat().st_size == DEFAULT_MAX_BYTES + 1
    long_line = max(corpus["long-line"].read_bytes().split(b"\n"), key=len)
    assert len(long_line) >= 200_000
    assert corpus["png-renamed"].read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert b"\x00" in corpus["nul-bytes"].read_bytes()
    nested = corpus["nested-lists"].read_text(encoding="utf-8")
    assert nested.startswith("- " * 5000) and "  " * 999 + "- 項目" in nested
    assert corpus["footnotes"].read_text(encoding="utf-8").count("[^n") >= 6000


@pytest.mark.parametrize("kind", [_param(k) for k in KINDS])
def test_info_and_render_keep_their_promise(kind, corpus: dict[str, Path], servers) -> None:
    """`kakikomi info` and `render` on each hostile kind exit 0 with safe output or 2 with one sentence, within budget."""
    # A kind known to break the budget is shown to break it by `info` alone (render costs more).
    path = corpus[kind.name]
    results = [servers[0].run("info", str(path))] if kind.known_issue else run_both(path, servers)
    problems = [problem for result in results for problem in outcome_problems(kind, result)]
    assert problems == []


@pytest.mark.parametrize("name", ["empty", "png-renamed", "shift-jis-as-utf8", "emoji-zwj", "script"])
def test_a_plain_python_dash_m_app_keeps_the_promise_too(name: str, corpus: dict[str, Path]) -> None:
    """A sample of kinds through `python -m app` itself (interpreter start and imports under the same limits)."""
    kind = BY_NAME[name]
    problems = [problem for result in run_both(corpus[name]) for problem in outcome_problems(kind, result)]
    assert problems == []


@pytest.mark.parametrize("kind", [pytest.param(k, id=k.name) for k in SMALL_OPENING_KINDS])
def test_the_plain_text_does_not_depend_on_the_furigana_mode(kind, corpus: dict[str, Path]) -> None:
    """Each hostile kind that opens renders safely with furigana on and off, and to the same plain text."""
    post = load_post(corpus[kind.name])
    shown = render_post(post, RenderOptions(mode=FuriganaMode.parse("all")))
    hidden = render_post(post, RenderOptions(mode=FuriganaMode.parse("off")))
    assert check(shown.html).problems == [] and check(hidden.html).problems == []
    assert shown.plain.text == hidden.plain.text


def test_render_refuses_a_post_over_the_limit_without_reading_it(corpus: dict[str, Path]) -> None:
    """One byte over 20 MB is refused by size alone (little CPU, little memory, exit 2), its size said exactly."""
    result = run_cli("render", str(corpus["over-limit"]))
    assert result.code == 2
    # The size is said exactly: rounded, 20 MB and one byte would read "20 MB".
    assert result.stderr.strip() == "kakikomi: over-limit.md is 20,971,521 bytes; posts larger than 20 MB are not opened."
    assert result.cpu_seconds < 2 and 0 < result.max_rss_kb < 200 * 1024


@pytest.mark.parametrize("name", ["shift-jis-as-utf8", "euc-jp-as-utf8"])
def test_mislabelled_legacy_encodings_decode_to_the_right_text(name: str, corpus: dict[str, Path]) -> None:
    """Shift_JIS and EUC-JP files that claim to be UTF-8 are read in their real encoding, every character right."""
    post = load_post(corpus[name])
    assert post.encoding == {"shift-jis-as-utf8": "cp932", "euc-jp-as-utf8": "euc-jp"}[name]
    assert post.title == "文字コードの記事"
    assert post.body == LABELLED.split("---\n", 2)[2].lstrip("\n")
    assert "\ufffd" not in render_post(post).plain.text


def test_damaged_utf8_keeps_the_good_text_and_warns(corpus: dict[str, Path]) -> None:
    """Stray bytes in a UTF-8 post become U+FFFD in place; the text around them is intact and a warning says so."""
    post = load_post(corpus["invalid-utf8-middle"])
    assert post.encoding == "utf-8"
    assert any("damaged" in w for w in post.warnings)
    assert post.body.count("半導体の会社が新しい工場を建てると発表した。") >= 40


def test_front_matter_that_is_not_fields_is_shown_as_text(corpus: dict[str, Path]) -> None:
    """Front matter that is unclosed, a list or an alias bomb opens, with its lines visible and a warning; invalid YAML keeps its title line."""
    for name, visible in [
        ("front-matter-unclosed", "title: 閉じない"), ("front-matter-not-mapping", "- 一つ目"),
        ("front-matter-toml-invalid", "title ="), ("front-matter-aliases", "a: &a"),
    ]:
        post = load_post(corpus[name])
        assert post.front_matter == {} and post.warnings, name
        assert visible in render_post(post, RenderOptions(mode=FuriganaMode("off"))).plain.text, name
    # YAML that does not parse but has a title line: the title is read from that line, with a warning.
    post = load_post(corpus["front-matter-invalid"])
    assert post.title == "[閉じない" and post.warnings == ("The front matter is not valid YAML; its title was read line by line.",)


# --- Unicode: offsets stay right -----------------------------------------------------------------


@pytest.mark.parametrize("kind", [pytest.param(k, id=k.name) for k in UNICODE_KINDS])
def test_unicode_plain_text_is_exactly_what_was_written(kind, corpus: dict[str, Path]) -> None:
    """The plain text of each Unicode kind equals its source, code point for code point, in every furigana mode."""
    post = load_post(corpus[kind.name])
    for mode in ("all", "off", "grade:1"):
        assert render_post(post, RenderOptions(mode=FuriganaMode.parse(mode))).plain.text == kind.plain_text


@pytest.mark.parametrize("kind", [pytest.param(k, id=k.name) for k in UNICODE_KINDS])
def test_quotes_inside_and_after_unicode_sequences_anchor_exactly(kind, corpus: dict[str, Path]) -> None:
    """A highlight of the tricky sequence itself, and one of the word after it, anchor to their own spans."""
    text = render_post(load_post(corpus[kind.name])).plain.text
    middle_start = text.index("目印一") + len("目印一 ")
    middle_end = text.index(" 目印二")
    after_start = text.index("目印二")
    for start, end in [(middle_start, middle_end), (after_start, after_start + 3), (middle_start, middle_start + 1)]:
        selectors = describe(text, start, end)
        found = anchor(text, selectors)
        assert found is not None and (found.start, found.end) == (start, end)
        assert text[found.start : found.end] == selectors.quote.exact


@pytest.mark.parametrize("kind", [pytest.param(k, id=k.name) for k in UNICODE_KINDS])
def test_unicode_highlights_follow_an_edit_before_them(kind) -> None:
    """After a paragraph is added above, the highlight of the sequence and of the word after it move by its length exactly."""
    old_text = render_post(parse_post(kind.plain_text.encode("utf-8"))).plain.text
    added = "前に加えた段落。\n\n"
    new_text = render_post(parse_post((added + kind.plain_text).encode("utf-8"))).plain.text
    shift = len("前に加えた段落。\n")
    assert new_text == "前に加えた段落。\n" + old_text
    middle = (old_text.index("目印一") + 4, old_text.index(" 目印二"))
    after = (old_text.index("目印二"), old_text.index("目印二") + 3)
    for start, end in (middle, after):
        found = anchor(new_text, describe(old_text, start, end))
        assert found is not None and (found.start, found.end) == (start + shift, end + shift)


def test_info_counts_characters_as_code_points(corpus: dict[str, Path]) -> None:
    """`kakikomi info` reports the plain text's length in code points, the unit every offset uses."""
    kind = BY_NAME["emoji-zwj"]
    result = run_cli("info", str(corpus[kind.name]))
    assert result.code == 0
    assert json.loads(result.stdout)["characters"] == len(kind.plain_text)


def test_thousands_of_nested_inline_tags_render_in_linear_time() -> None:
    """20,000 nested <sup> tags (160 KB) render in well under 5 CPU seconds; the tag bookkeeping was quadratic (18 s)."""
    import time

    from app.core.posts.render import render_markdown

    body = "前 " + "<sup>" * 20_000 + "上" + "</sup>" * 20_000 + " 後\n\n" + "<sub>" * 20_000 + "閉じない\n"
    started = time.process_time()
    rendered = render_markdown(body)
    assert time.process_time() - started < 5
    assert rendered.plain.text == "前 上 後\n閉じない\n"
    assert rendered.html.count("<sup>") == rendered.html.count("</sup>") == 20_000
