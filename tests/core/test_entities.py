"""Tests for app.core.claims.entities: companies and chips by their aliases, as whole words, user file merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.claims.entities import bundled_file, find_entities, load_entities, read_entities, user_file


@pytest.fixture(scope="module")
def table():
    return load_entities("/nonexistent/entities.tsv")  # the bundled table only


ALIAS_CASES = [
    ("NVIDIAのGPU", [("company", "NVIDIA", "NVIDIA")]),
    ("Nvidiaが発表", [("company", "NVIDIA", "Nvidia")]),
    ("エヌビディアの株価", [("company", "NVIDIA", "エヌビディア")]),
    ("Googleの検索", [("company", "Google", "Google")]),
    ("グーグルのTPU", [("company", "Google", "グーグル"), ("chip", "TPU", "TPU")]),
    ("Alphabet決算", [("company", "Google", "Alphabet")]),
    ("Metaは投資する", [("company", "Meta", "Meta")]),
    ("TPU v7「Ironwood」", [("chip", "TPU v7", "TPU v7"), ("chip", "TPU v7", "Ironwood")]),
    ("TPUv7を発表", [("chip", "TPU v7", "TPUv7")]),
    ("H100とB200", [("chip", "H100", "H100"), ("chip", "B200", "B200")]),
    ("インテルはGaudi 3で", [("company", "Intel", "インテル"), ("chip", "Gaudi 3", "Gaudi 3")]),
    ("IntelのGaudiは", [("company", "Intel", "Intel"), ("chip", "Gaudi", "Gaudi")]),
    ("AMDはMI300Xを", [("company", "AMD", "AMD"), ("chip", "MI300X", "MI300X")]),
    ("MI300シリーズ", [("chip", "MI300", "MI300")]),
    ("東京エレクトロンの装置", [("company", "Tokyo Electron", "東京エレクトロン")]),
    ("ソフトバンクグループが出資", [("company", "SoftBank", "ソフトバンクグループ")]),
    ("Google TPUs are", [("company", "Google", "Google"), ("chip", "TPU", "TPUs")]),
    ("buying H100s in bulk", [("chip", "H100", "H100s")]),
    # Partial words never match.
    ("H1000という型番", []),
    ("GH1000", []),
    ("MetaverseとMetadata", []),
    ("メタバースの話", []),
    ("アップルパイ", []),
    ("BH100X", []),
    ("TPUsX", []),
    ("IntelliJを使う", []),
    ("nvidiaは小文字", []),
    ("meta-analysis", []),
    ("AMDX", []),
]


@pytest.mark.parametrize(("text", "expected"), ALIAS_CASES, ids=[t for t, _e in ALIAS_CASES])
def test_aliases(table, text, expected):
    """Aliases name their entity; only whole words match (H1000 is not H100, メタバース is not Meta)."""
    found = find_entities(text, table)
    assert [(m.kind, m.name, m.text) for m in found] == expected
    assert all(text[m.start : m.end] == m.text for m in found)


def test_offsets_index_a_longer_text(table):
    """Mention offsets index the whole text, across sentences and lines."""
    text = "前の文。\n次の行でNVIDIAとAMDが並ぶ。最後にB200。"
    found = find_entities(text, table)
    assert [text[m.start : m.end] for m in found] == ["NVIDIA", "AMD", "B200"]


def test_bundled_file_reads_cleanly():
    """Every line of the bundled table is valid and every chip's maker is a company in it."""
    entities, warnings = read_entities(bundled_file())
    assert warnings == []
    companies = {e.name for e in entities if e.kind == "company"}
    assert {"NVIDIA", "Google", "Meta", "AMD", "Intel"} <= companies
    assert all(e.maker in companies for e in entities if e.kind == "chip")


def test_user_file_merges_over_bundled(tmp_path: Path):
    """A user file adds aliases to a bundled entity of the same kind and name, and adds new ones."""
    path = tmp_path / "entities.tsv"
    path.write_text(
        "# mine\n"
        "company\tnvidia\tエヌビデア\n"  # same name, other case: merged
        "company\tミナト精工\tミナト精工|Minato Seiko\n"
        "chip\tMN-1\tMN-1|ミナト1号\tミナト精工\n"
        "gadget\tbad\tline\n"
        "company\tno aliases\n",
        encoding="utf-8",
    )
    table = load_entities(path)
    assert len(table.warnings) == 2 and all("entities.tsv line" in w for w in table.warnings)
    nvidia = table.named("company", "NVIDIA")
    assert "エヌビデア" in nvidia.aliases and "NVIDIA" in nvidia.aliases and nvidia.name == "NVIDIA"
    found = find_entities("エヌビデアとミナト精工のMN-1、NVIDIAのH100", table)
    assert [(m.name, m.text) for m in found] == [
        ("NVIDIA", "エヌビデア"), ("ミナト精工", "ミナト精工"), ("MN-1", "MN-1"), ("NVIDIA", "NVIDIA"), ("H100", "H100"),
    ]
    assert table.named("chip", "MN-1").maker == "ミナト精工"


def test_user_file_changes_are_picked_up(tmp_path: Path):
    """Editing the user file changes the table on the next load (cached only while unchanged)."""
    path = tmp_path / "entities.tsv"
    path.write_text("company\tFoo\tFooCorp\n", encoding="utf-8")
    assert [m.name for m in find_entities("FooCorpとBarCorp", load_entities(path))] == ["Foo"]
    path.write_text("company\tFoo\tFooCorp\ncompany\tBar\tBarCorp\n", encoding="utf-8")
    import os

    os.utime(path, ns=(1, 10**18))  # a different modification time, whatever the clock's resolution
    assert [m.name for m in find_entities("FooCorpとBarCorp", load_entities(path))] == ["Foo", "Bar"]


def test_missing_user_file_is_not_an_error(tmp_path: Path):
    """No user file: the bundled table alone, no warnings."""
    table = load_entities(tmp_path / "absent.tsv")
    assert table.warnings == () and table.named("company", "NVIDIA") is not None


def test_default_user_file_lives_in_the_data_folder(tmp_path: Path, monkeypatch):
    """Without a path, entities.tsv in $KAKIKOMI_HOME (the data folder) is merged in."""
    monkeypatch.setenv("KAKIKOMI_HOME", str(tmp_path))
    assert user_file() == tmp_path / "entities.tsv"
    (tmp_path / "entities.tsv").write_text("company\tHomeCo\tHomeCo\n", encoding="utf-8")
    assert [m.name for m in find_entities("HomeCoのH100", load_entities())] == ["HomeCo", "H100"]


def test_unreadable_user_file_is_a_warning(tmp_path: Path):
    """A user file that is not UTF-8 text is reported in warnings, not raised."""
    path = tmp_path / "entities.tsv"
    path.write_bytes(b"company\t\xff\xfe\x00bad\n")
    table = load_entities(path)
    assert len(table.warnings) == 1 and table.named("company", "Google") is not None
