"""The real-post corpus (tests/corpus/): every post shows the way its author meant it.

One case per post in tests/corpus/expected.json, with the checks `python -m benchmarks.corpus`
prints (the same code): metadata as a careful reader expects, no site-generator syntax left in
the text outside code, every code fence the author wrote rendered as <pre>, no ruby inside code,
no HTML tags shown as text (unless the author wrote them as text), and furigana (`--furigana all`)
over at least 90% of the kanji in prose, raw-HTML prose included.
"""

from __future__ import annotations

import json

import pytest

from benchmarks.corpus import CORPUS, COVERAGE_TARGET, check

EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_post_shows_as_its_author_meant_it(name: str) -> None:
    result = check(CORPUS / "posts" / name, EXPECTED[name])
    assert "refused" not in result, result.get("refused")
    assert all(result["meta"].values()), {k: ok for k, ok in result["meta"].items() if not ok}
    assert result["syntax"] == []
    assert result["code_as_pre"], "a code fence is not a <pre>"
    assert not result["ruby_in_code"]
    assert result["shown_tags"] == []
    assert result["coverage"] >= COVERAGE_TARGET


def test_the_corpus_is_what_sources_md_lists() -> None:
    """Every post has its expected metadata and a row in SOURCES.md, and the halves are as stated."""
    files = sorted(p.name for p in (CORPUS / "posts").iterdir())
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    assert files == sorted(EXPECTED)
    assert all(f"`{name}`" in sources for name in files)
    assert len(files) >= 40 and {e["half"] for e in EXPECTED.values()} >= {"dev", "test"}
