"""Reading accuracy on the hand-built gold lists stays at the foundation's target."""

from __future__ import annotations

import pytest

from benchmarks import reading_accuracy

TARGET = 0.98


@pytest.mark.parametrize("name", reading_accuracy.GOLD_FILES)
def test_gold_list_accuracy_meets_target(name):
    """At least 98% of the gold words show the reading a native reader expects in context."""
    path = reading_accuracy.DATA / name
    if not path.exists():
        pytest.skip(f"{name} is not in this checkout")
    result = reading_accuracy.measure(path)
    misses = "\n".join(f"{m.word}: expected {m.expected}, shown {m.shown} ({m.sentence})" for m in result.misses)
    assert result.rows >= 300
    assert result.ratio >= TARGET, misses


def test_digits_compare_only_what_follows_them():
    """For a word written with Arabic digits only the ruby after the digits is compared."""
    assert reading_accuracy.is_right("3ぼん", "さんぼん")
    assert not reading_accuracy.is_right("3ほん", "さんぼん")
    assert not reading_accuracy.is_right(None, "さんぼん")
    assert reading_accuracy.shown_reading("木を三本切った。", "三本") == "さんぼん"
