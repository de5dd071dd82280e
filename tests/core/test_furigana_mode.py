"""Tests for app.core.reading.furigana_mode: which readings are shown (off, all, by grade, by JLPT, known words)."""

from __future__ import annotations

import re

import pytest

from app.core.posts.render import RenderOptions, render_markdown
from app.core.reading.furigana_mode import MAX_GRADE, FuriganaMode, kanji_grade, kanji_jlpt

_RUBY = re.compile(r"<ruby>(.*?)<rt>(.*?)</rt></ruby>")


def ruby_pairs(body: str, mode: str, known_words: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(base, reading) of every ruby in the rendered body, in order."""
    html = render_markdown(body, RenderOptions(mode=FuriganaMode.parse(mode, known_words))).html
    return _RUBY.findall(html)


def bases(body: str, mode: str, known_words: frozenset[str] = frozenset()) -> set[str]:
    return {base for base, _reading in ruby_pairs(body, mode, known_words)}


# --- parse ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "level"),
    [
        ("off", "off", 0),
        ("all", "all", 0),
        (" ALL ", "all", 0),
        ("Off", "off", 0),
        ("grade:1", "grade", 1),
        ("grade:7", "grade", 7),
        ("GRADE:3", "grade", 3),
        ("jlpt:1", "jlpt", 1),
        ("jlpt:5", "jlpt", 5),
    ],
)
def test_parse_accepts_each_mode(text: str, kind: str, level: int) -> None:
    """parse reads off, all, grade:N (1-7) and jlpt:N (1-5), ignoring case and surrounding spaces."""
    mode = FuriganaMode.parse(text)
    assert (mode.kind, mode.level) == (kind, level)
    assert FuriganaMode.parse(str(mode)) == mode


def test_parse_keeps_known_words() -> None:
    """The known words given to parse stay on the mode."""
    assert FuriganaMode.parse("grade:2", frozenset({"行く"})).known_words == frozenset({"行く"})


def test_grade_limits_match_max_grade() -> None:
    """grade:N accepts exactly 1..MAX_GRADE-1 (MAX_GRADE means beyond jōyō, not a setting)."""
    FuriganaMode.parse(f"grade:{MAX_GRADE - 1}")
    with pytest.raises(ValueError):
        FuriganaMode.parse(f"grade:{MAX_GRADE}")


@pytest.mark.parametrize(
    "text",
    [
        "", " ", "some", "none", "grade", "grade:", "grade:0", "grade:8", "grade:-1", "grade:1.5",
        "grade: 3", "grade:x", "jlpt", "jlpt:0", "jlpt:6", "jlpt:N3", "all:1", "off:0", ":3",
        pytest.param("grade:²"),
    ],
)
def test_parse_rejects_bad_values_with_a_sentence(text: str) -> None:
    """A bad mode raises ValueError whose message is one sentence naming the value and the choices."""
    with pytest.raises(ValueError) as info:
        FuriganaMode.parse(text)
    message = str(info.value)
    assert message.startswith("Unknown furigana mode")
    assert repr(text) in message
    assert "off, all, unknown, grade:N" in message and "jlpt:N" in message
    assert "\n" not in message and message.endswith(".")


# --- kanji levels ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kanji", "grade", "jlpt"),
    [
        ("一", 1, 5), ("人", 1, 5), ("日", 1, 5), ("語", 2, 5), ("私", 6, 4),
        ("鬱", 7, 0), ("薔", 8, 0), ("薇", 8, 0), ("a", 8, 0),
    ],
)
def test_kanji_grade_and_jlpt_level(kanji: str, grade: int, jlpt: int) -> None:
    """Grades are 1-6 (kyōiku), 7 (other jōyō), 8 (beyond); JLPT levels 5..1, 0 when unlisted."""
    assert (kanji_grade(kanji), kanji_jlpt(kanji)) == (grade, jlpt)


@pytest.mark.parametrize(
    ("mode", "run", "shown"),
    [
        ("all", "一", True),
        ("off", "薔薇", False),
        ("grade:1", "一", False),
        ("grade:1", "語", True),
        ("grade:1", "一語", True),  # a run is shown when any of its kanji is above the grade
        ("grade:7", "鬱", False),
        ("grade:7", "薔薇", True),
        ("jlpt:5", "日", False),
        ("jlpt:5", "私", True),
        ("jlpt:4", "私", False),
        ("jlpt:1", "薔薇", True),  # unlisted kanji are harder than every level
    ],
)
def test_shows(mode: str, run: str, shown: bool) -> None:
    """shows() decides per run of kanji: above the grade, harder than the JLPT level, or always/never."""
    assert FuriganaMode.parse(mode).shows(run) is shown


# --- modes in rendering ---------------------------------------------------------------------

SENTENCE = "一人の日本人が薔薇と学校と会社の話をした。"


def test_all_shows_every_reading() -> None:
    """Mode all puts ruby over every word with kanji."""
    assert bases(SENTENCE, "all") >= {"一人", "日本", "人", "薔薇", "学校", "会社", "話"}


def test_grade_1_hides_first_grade_kanji_only() -> None:
    """grade:1 hides ruby over 一, 人, 日 and 学校 (first-grade kanji) but keeps it over 薔薇 and 会社."""
    shown = bases(SENTENCE, "grade:1")
    assert not shown & {"一人", "日本", "人", "学校"}
    assert {"薔薇", "会社", "話"} <= shown


def test_higher_grade_hides_more() -> None:
    """Each higher grade shows a subset of the ruby the grade below shows; 薔薇 is shown at every grade."""
    previous = bases(SENTENCE, "all")
    for grade in range(1, MAX_GRADE):
        shown = bases(SENTENCE, f"grade:{grade}")
        assert shown <= previous
        assert "薔薇" in shown
        previous = shown


def test_jlpt_5_hides_n5_kanji() -> None:
    """jlpt:5 hides ruby over N5 kanji (一, 人, 日, 本, 学, 校, 話) and keeps it over N4 (会社) and unlisted (薔薇)."""
    shown = bases(SENTENCE, "jlpt:5")
    assert not shown & {"一人", "日本", "人", "学校", "話"}
    assert {"会社", "薔薇"} <= shown


def test_jlpt_4_also_hides_n4_kanji() -> None:
    """jlpt:4 hides N4 kanji too (会社) but still shows 薔薇."""
    shown = bases(SENTENCE, "jlpt:4")
    assert "会社" not in shown and "薔薇" in shown


def test_readings_do_not_change_with_the_mode() -> None:
    """A filtering mode only hides ruby: the readings it keeps are the same as in mode all."""
    everything = dict(ruby_pairs(SENTENCE, "all"))
    for mode in ("grade:1", "grade:6", "jlpt:5", "jlpt:2"):
        for base, reading in ruby_pairs(SENTENCE, mode):
            assert everything[base] == reading


def test_known_words_hide_a_word_by_its_lemma() -> None:
    """In mode unknown, a known word's ruby is hidden in every inflection (行く: 行きます, 行った,
    行かない); other words keep theirs."""
    body = "明日は学校に行きます。昨日は駅まで行った。今日は行かない。"
    assert "行" in bases(body, "unknown")
    shown = bases(body, "unknown", frozenset({"行く"}))
    assert "行" not in shown
    assert {"明日", "学校", "昨日", "今日"} <= shown


def test_mode_all_shows_known_words_too() -> None:
    """Mode all shows every reading, the known words' as well; unknown is all without them."""
    body = "明日は学校に行きます。"
    known = frozenset({"行く", "学校"})
    assert bases(body, "all", known) == bases(body, "all") == bases(body, "unknown")
    assert bases(body, "unknown", known) == bases(body, "all") - {"行", "学校"}
    assert str(FuriganaMode.parse(" Unknown ")) == "unknown"


def test_known_words_apply_in_filtering_modes_too() -> None:
    """Known words are hidden under a grade mode as well."""
    assert "薔薇" not in bases(SENTENCE, "grade:3", frozenset({"薔薇"}))


def test_known_words_do_not_hide_other_words_sharing_a_kanji() -> None:
    """Knowing 会社 does not hide 社会: words are matched whole, by lemma."""
    shown = bases("会社と社会", "unknown", frozenset({"会社"}))
    assert "会社" not in shown and "社会" in shown


def test_off_shows_no_generated_ruby() -> None:
    """Mode off produces no <ruby> at all for plain prose."""
    html = render_markdown(SENTENCE, RenderOptions(mode=FuriganaMode.parse("off"))).html
    assert "<ruby>" not in html and "<rt>" not in html
    assert SENTENCE in html


@pytest.mark.parametrize("mode", ["off", "grade:7", "jlpt:1"])
def test_author_ruby_stays_in_every_mode(mode: str) -> None:
    """Ruby the author wrote (all three forms) is shown whatever the mode; only generated ruby is filtered."""
    body = "<ruby>本気<rt>マジ</rt></ruby>で｜未来《あした》を語る漢字《かんじ》。"
    pairs = ruby_pairs(body, mode)
    assert ("本気", "マジ") in pairs
    assert ("未来", "あした") in pairs
    assert ("漢字", "かんじ") in pairs
    if mode == "off":
        assert len(pairs) == 3


@pytest.mark.parametrize("mode", ["off", "all", "grade:1", "jlpt:3"])
def test_mode_does_not_change_text_or_structure(mode: str) -> None:
    """The mode changes only ruby: with ruby stripped, the HTML is the same as in mode off."""
    body = "# 見出し\n\n一人の日本人が**薔薇**を買った。\n\n- 学校\n- 会社\n"
    strip = lambda html: re.sub(r"<ruby>(.*?)<rt>.*?</rt></ruby>", r"\1", html)  # noqa: E731
    off = render_markdown(body, RenderOptions(mode=FuriganaMode.parse("off"))).html
    assert strip(render_markdown(body, RenderOptions(mode=FuriganaMode.parse(mode))).html) == off
