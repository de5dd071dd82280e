"""Tests for app.core.reading.context_model (homographs read by a small trained model) and its
build script. Every sentence here was written for these tests.
"""

from __future__ import annotations

import collections
import os

import pytest

from app.core.common.paths import resource
from app.core.reading import build_context_model, context_model, furigana, homographs
from app.core.reading.context_model import Evidence
from tests.core.test_furigana import annotate


@pytest.fixture
def model_in_use():
    """Use a hand-made model for one test, then the shipped one again."""
    yield lambda lines: homographs.use_model(context_model.parse(lines))
    homographs.use_model(None)


def _evidence(**counts: int) -> Evidence:
    return Evidence.of(counts)


# --- the evidence and the decision ------------------------------------------------------------


def test_a_rule_needs_support_precision_and_score():
    assert _evidence(かた=6).is_rule  # score(6, 6) = 4.1
    assert not _evidence(かた=4).is_rule  # too few: score 3.7
    assert not _evidence(かた=30, ほう=1).is_rule  # one miss in 31: score 3.3
    assert _evidence(かた=60, ほう=1).is_rule
    assert not _evidence(かた=10, ほう=2).is_rule  # precision 0.83
    evidence = _evidence(ほう=3, かた=9)
    assert evidence.reading == "かた" and evidence.total == 12
    assert evidence.share("ほう") == 0.25 and evidence.share("まま") == 0.0


def _model(table: dict[str, dict[str, int]]) -> context_model.Model:
    return context_model.Model({"方": {f: Evidence.of(c) for f, c in table.items()}})


def test_the_best_matching_rule_decides():
    model = _model({"n1=は": {"かた": 10}, "p1=の": {"ほう": 20}, "n1=が": {"ほう": 5, "かた": 5}})
    assert model.choose("方", ["n1=は"], "ほう") == "かた"
    assert model.choose("方", ["p1=の", "n1=が"], "かた") == "ほう"  # n1=が is no rule, nor a veto
    assert model.choose("方", ["p1=の", "n1=は"], "かた") is None  # evidence both ways: MeCab's stays
    assert model.choose("方", ["n1=は"], "かた") is None  # MeCab already agrees
    assert model.choose("方", ["n1=で"], "ほう") is None  # nothing matches
    assert model.choose("他", ["n1=は"], "ほう") is None  # not a word of the model


def test_a_rule_on_the_word_alone_never_overrules_mecab():
    model = _model({"s=方": {"かた": 50}, "r=ほう": {"かた": 40}, "n1=は": {"かた": 10}})
    assert model.choose("方", ["s=方", "r=ほう"], "ほう") is None
    # ... but it may confirm MeCab's reading against weaker evidence
    model = _model({"r=ほう": {"ほう": 50}, "n1=は": {"かた": 10}})
    assert model.choose("方", ["r=ほう", "n1=は"], "ほう") is None


def test_a_feature_that_often_saw_another_reading_vetoes():
    model = _model({"n1=は": {"かた": 14}, "p1=の": {"ほう": 12, "かた": 11}})
    assert model.choose("方", ["p1=の", "n1=は"], "ほう") is None  # の方は: かた only 48% after の
    assert model.choose("方", ["p1=ある", "n1=は"], "ほう") == "かた"
    rare = _model({"n1=は": {"かた": 14}, "p1=の": {"ほう": 2}})  # seen twice: too rare to veto
    assert rare.choose("方", ["p1=の", "n1=は"], "ほう") == "かた"


# --- the file ---------------------------------------------------------------------------------


def test_parse_reads_counts_and_skips_comments():
    model = context_model.parse(["# a comment\n", "\n", "方\tn1=は\tかた:14 ほう:1\n", "方\tp1=の\tほう:3\n"])
    evidence = model.words["方"]["n1=は"]
    assert evidence.counts == (("かた", 14), ("ほう", 1)) and evidence.total == 15
    assert model.first_chars == frozenset("方")


@pytest.mark.parametrize(
    "line",
    [
        "方\tn1=は\n",  # no counts
        "ほう\tn1=は\tかた:3\n",  # the word is not kanji
        "方\tn1は\tかた:3\n",  # no feature name
        "方\tn1=は\tかた3\n",  # no colon
        "方\tn1=は\tkata:3\n",  # not hiragana
        "方\tn1=は\tかた:0\n",  # a count must be at least 1
        "方\tn1=は\t \n",  # empty counts
    ],
)
def test_parse_rejects_a_bad_line(line):
    with pytest.raises(ValueError, match="line 1"):
        context_model.parse([line])


def test_format_line_round_trips():
    line = context_model.format_line("他", "n1=の", {"た": 1, "ほか": 26})
    assert line == "他\tn1=の\tほか:26 た:1"
    assert context_model.parse([line]).words["他"]["n1=の"].counts == (("ほか", 26), ("た", 1))


def test_the_shipped_model_loads_and_is_small():
    path = resource("furigana", context_model.FILE_NAME)
    assert os.path.getsize(path) < 300_000
    model = context_model.load()
    assert model.words, "the shipped model has no words"
    assert any(e.is_rule for table in model.words.values() for e in table.values())


# --- in the reading pipeline ------------------------------------------------------------------


def test_the_model_reads_after_the_hand_rules(model_in_use):
    model_in_use(["方\tn1=は\tかた:14\n"])
    assert "方《かた》" in annotate("背の高い方は前に来てください。")
    model_in_use([])
    assert "方《ほう》" in annotate("背の高い方は前に来てください。")


def test_the_hand_rules_win_over_the_model(model_in_use):
    # homographs.tsv reads 他 ほか before に; a model that says た must not change it.
    model_in_use(["他\tn1=に\tた:40\n"])
    assert "他《ほか》に" in annotate("他に方法はない。")


def test_compounds_and_counters_are_left_alone(model_in_use):
    model_in_use(["時\tn1=に\tとき:40\n", "方\tn1=は\tかた:14\n"])
    assert "3時《じ》に" in annotate("3時に会う。")  # after a number: the counter rules' word
    assert "午後《ごご》" in annotate("午後3時に会う。")
    tokens = furigana.tokenize("味方は強い。", detail=True)  # 味|方 would be a compound
    assert not any(t.surface == "方" and t.reading == "かた" for t in tokens)


# (sentence, the word as it must read in it): the shipped model's words, where it changes MeCab's
# reading and where it must not.
SHIPPED = [
    ("他、三名が参加した。", "他《ほか》、"),
    ("その他にも問題がある。", "その他《ほか》にも"),
    ("他アーティストと共演した。", "他《た》アーティスト"),  # a prefix stays た
    ("子供の時には泳げなかった。", "時《とき》には"),
    ("3時には帰る。", "3時《じ》には"),  # after a number: a counter
]


@pytest.mark.parametrize(("text", "expected"), SHIPPED)
def test_the_shipped_model_reads_its_words(text: str, expected: str):
    assert expected in annotate(text)


def test_mecabs_reading_stays_on_offer():
    """Where the model changed a reading, the dictionary's is among the alternatives, in both paths."""
    text = "他、三名が参加した。"
    entry = next(e for e in furigana.token_entries(text) if e.surface == "他")
    assert entry.reading == "ほか" and "た" in entry.alternatives
    tokens = furigana.tokenize(text, detail=True)
    furigana.alternatives(text, tokens)
    token = next(t for t in tokens if t.surface == "他")
    assert token.reading == "ほか" and "た" in token.alternatives


def test_every_word_of_the_shipped_model_is_tested():
    tested = "".join(expected for _text, expected in SHIPPED)
    assert [word for word in context_model.load().words if f"{word}《" not in tested] == []


def test_the_benchmark_counts_the_model_words_as_named():
    assert set(context_model.load().words) <= homographs.words()


def test_use_model_none_goes_back_to_the_shipped_one(model_in_use):
    model_in_use([])
    assert homographs.model() is not context_model.load()
    homographs.use_model(None)
    assert homographs.model() is context_model.load()


# --- the build --------------------------------------------------------------------------------


def _example(gold: str, mecab: str, *facts: str) -> build_context_model.Example:
    return build_context_model.Example("方", gold, mecab, ("s=方", "r=" + mecab, *facts), "doc")


def test_train_keeps_a_word_only_where_its_evidence_changes_something():
    examples = [_example("かた", "ほう", "n1=は") for _ in range(6)] + [_example("ほう", "ほう", "n1=が") for _ in range(4)]
    counts = build_context_model.train(examples)
    assert counts["方"]["n1=は"] == collections.Counter(かた=6)
    assert counts["方"]["s=方"] == collections.Counter(かた=6, ほう=4)
    text = build_context_model.render(counts)
    assert "方\tn1=は\tかた:6" in text.splitlines()
    assert context_model.parse(text.splitlines()).words["方"]["n1=は"].is_rule
    # Evidence that would change nothing keeps the word out.
    agreeing = [_example("ほう", "ほう", "n1=が") for _ in range(8)] + [_example("かた", "かた", "n1=は")]
    assert build_context_model.train(agreeing) == {}


def test_examples_come_from_whole_runs_the_source_reads():
    homographs.use_model(context_model.EMPTY)
    try:
        sentence = "背の高い方は前に来てください。"
        start = sentence.index("方")
        found = build_context_model.examples_in(sentence, {start: ("方", "かた")}, "doc")
    finally:
        homographs.use_model(None)
    assert [(e.word, e.gold, e.mecab) for e in found] == [("方", "かた", "ほう")]
    assert {"p1=高い", "n1=は", "p2p1=の_高い", "r=ほう"} <= set(found[0].features)


def test_cross_validation_counts_what_the_model_changed():
    examples = [
        build_context_model.Example("方", "かた", "ほう", ("n1=は",), f"gsd:{k}") for k in range(40)
    ]
    tally = build_context_model.cross_validate(examples)["gsd"]
    assert tally["examples"] == 40 and tally["made right"] == 40 and tally["made wrong"] == 0


def test_the_build_refuses_a_missing_source(capsys):
    assert build_context_model.main(["/nonexistent/repo.git"]) == 2
    assert "usage" in capsys.readouterr().err


def _git(cwd, *args: str) -> str:
    import subprocess

    names = ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")
    env = {**os.environ, **dict.fromkeys(names, "t")}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


def test_gsd_rows_are_read_from_git_at_a_commit(tmp_path, monkeypatch):
    """A made-up repository in the source's layout: the reading in katakana becomes hiragana, the
    1-based index finds the kanji, a row whose index misses it is counted, other files are not
    read."""
    (tmp_path / "data" / "train").mkdir(parents=True)
    (tmp_path / "data" / "dev").mkdir(parents=True)
    header = "kanji\tindex\treading\tsentence\n"
    rows = ["方\t4\tかた\t背 の 高い 方 は 前 に 来 て ください 。\n", "方\t1\tかた\t背 の 高い 方 は 来 た 。\n"]
    (tmp_path / "data" / "train" / "方.tsv").write_text(header + "".join(rows), encoding="utf-8")
    other = "他\t1\tタ\t他 アーティスト と 共演 し た 。\n"
    (tmp_path / "data" / "dev" / "他.tsv").write_text(header + other, encoding="utf-8")
    (tmp_path / "data" / "dev" / "notes.txt").write_text("not data\n", encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "data")
    commit = _git(tmp_path, "rev-parse", "HEAD")
    monkeypatch.setattr(build_context_model, "GSD_COMMIT", commit)
    rows = list(build_context_model.gsd_rows(tmp_path / ".git", commit))
    assert len(rows) == 3
    homographs.use_model(context_model.EMPTY)
    try:
        found, misfits = build_context_model.gsd_examples(tmp_path / ".git")
    finally:
        homographs.use_model(None)
    assert misfits == 1
    assert sorted((e.word, e.gold, e.mecab) for e in found) == [("他", "た", "た"), ("方", "かた", "ほう")]
    assert all(e.group.startswith("gsd:") for e in found)
