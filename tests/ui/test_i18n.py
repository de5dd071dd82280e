"""Tests for app.ui.i18n: building .qm files, choosing and installing the UI language, plurals.

Every test works on copies of the .ts sources in tmp_path, so none depends on a .qm built by hand
(or by make) in resources/translations/, and none writes there.
"""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.ui import i18n
from app.ui.i18n import TranslationToolError, choose_language, highlight_count, install_translators

SOURCES = Path(__file__).resolve().parents[2] / "resources" / "translations"


@pytest.fixture
def app(qapp):
    """The test QApplication, back in English after each test."""
    yield qapp
    i18n.remove_translators(qapp)


@pytest.fixture
def sources(tmp_path) -> Path:
    """A folder holding copies of the real .ts files, and nothing built."""
    folder = tmp_path / "translations"
    folder.mkdir()
    for ts in SOURCES.glob("*.ts"):
        shutil.copy2(ts, folder / ts.name)
    return folder


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache"


def no_tools(monkeypatch) -> None:
    def missing(name):
        raise TranslationToolError(f"no {name} in this test")

    monkeypatch.setattr(i18n, "find_tool", missing)


def finished_messages(ts: Path):
    """(context, source, translation) of every translated, non-plural message in a .ts file."""
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            if message.get("numerus") != "yes" and translation.get("type") is None and translation.text:
                yield name, message.findtext("source"), translation.text


def test_both_languages_have_sources():
    """The Japanese and English .ts sources are in resources/translations/."""
    assert (SOURCES / "kakikomi_ja.ts").is_file()
    assert (SOURCES / "kakikomi_en.ts").is_file()


def test_build_produces_a_qm_for_each_ts(sources, tmp_path):
    """build() compiles each .ts into a .qm of the same name that Qt can load."""
    out = tmp_path / "out"
    built = i18n.build(sorted(sources.glob("*.ts")), out)
    assert sorted(p.name for p in built) == ["kakikomi_en.qm", "kakikomi_ja.qm"]
    for qm in built:
        assert QTranslator().load(str(qm)), qm
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_build_command_writes_beside_the_sources(sources):
    """`python -m app.ui.i18n build FILE.ts` writes FILE.qm beside it and exits 0."""
    assert i18n.main(["build", str(sources / "kakikomi_ja.ts")]) == 0
    assert (sources / "kakikomi_ja.qm").is_file()


def test_japanese_translates_every_finished_message(app, sources, cache):
    """With "ja", each translated string of kakikomi_ja.ts comes back through QCoreApplication.translate."""
    assert install_translators(app, "ja", source_dir=sources, cache=cache) == "ja"
    messages = list(finished_messages(sources / "kakikomi_ja.ts"))
    assert len(messages) > 10
    for context, source, translation in messages:
        assert QCoreApplication.translate(context, source) == translation, (context, source)


def test_english_plurals(app, sources, cache):
    """In English "%n highlight(s)" reads "1 highlight" and "2 highlights"."""
    assert install_translators(app, "en", source_dir=sources, cache=cache) == "en"
    assert highlight_count(1) == "1 highlight"
    assert highlight_count(2) == "2 highlights"
    assert highlight_count(0) == "0 highlights"


def test_japanese_plurals(app, sources, cache):
    """In Japanese the one plural form counts with 件 whatever the number."""
    install_translators(app, "ja", source_dir=sources, cache=cache)
    assert highlight_count(1) == "ハイライト 1 件"
    assert highlight_count(12) == "ハイライト 12 件"


def test_qt_own_japanese_is_installed_too(app, sources, cache):
    """With "ja", Qt's own strings (standard buttons) are Japanese too, when Qt ships qtbase_ja."""
    qtbase = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / "qtbase_ja.qm"
    if not qtbase.is_file():
        pytest.skip("this Qt has no qtbase_ja.qm")
    install_translators(app, "ja", source_dir=sources, cache=cache)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "キャンセル"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("ja_JP", "ja"), ("en_US", "en"), ("fr_FR", "en"), ("de_DE", "en")],
)
def test_system_follows_the_locale(locale, expected):
    """"system" picks Japanese for a Japanese locale and English for any other."""
    assert choose_language("system", QLocale(locale)) == expected
    assert choose_language("system", locale) == expected


def test_explicit_language_wins_over_the_locale():
    """An explicit "en" or "ja" is used whatever the locale says."""
    assert choose_language("en", QLocale("ja_JP")) == "en"
    assert choose_language("ja", QLocale("en_US")) == "ja"


def test_system_with_a_japanese_locale_installs_japanese(app, sources, cache):
    """install_translators(app, "system", Japanese locale) returns "ja" and translates plurals."""
    assert install_translators(app, "system", QLocale(QLocale.Language.Japanese, QLocale.Country.Japan), source_dir=sources, cache=cache) == "ja"
    assert highlight_count(3) == "ハイライト 3 件"


def test_missing_qm_is_built_into_the_cache(app, sources, cache):
    """Without a .qm beside the .ts, one is built into the cache and used; the sources stay untouched."""
    assert install_translators(app, "ja", source_dir=sources, cache=cache) == "ja"
    assert [p.name for p in cache.glob("kakikomi_ja-*.qm")]
    assert not list(sources.glob("*.qm"))
    assert highlight_count(2) == "ハイライト 2 件"


def test_stale_qm_is_rebuilt_into_the_cache(app, sources, cache, tmp_path):
    """A .qm older than its .ts is not used: the current .ts is built into the cache instead."""
    old_ts = tmp_path / "old" / "kakikomi_ja.ts"
    old_ts.parent.mkdir()
    text = (sources / "kakikomi_ja.ts").read_text(encoding="utf-8")
    old_ts.write_text(text.replace("ハイライト %n 件", "古いハイライト %n 件"), encoding="utf-8")
    stale = sources / "kakikomi_ja.qm"
    i18n.build([old_ts], sources)
    an_hour_ago = (sources / "kakikomi_ja.ts").stat().st_mtime - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))

    assert install_translators(app, "ja", source_dir=sources, cache=cache) == "ja"
    assert highlight_count(2) == "ハイライト 2 件"
    assert list(cache.glob("kakikomi_ja-*.qm"))


def test_fresh_qm_beside_the_ts_is_used_as_is(app, sources, cache):
    """A .qm at least as new as its .ts (what make builds) is loaded directly, with no cache build."""
    i18n.build(sorted(sources.glob("*.ts")))
    assert install_translators(app, "ja", source_dir=sources, cache=cache) == "ja"
    assert not cache.exists()


def test_cached_build_is_reused(app, sources, cache, monkeypatch):
    """A .qm built into the cache from the same .ts is used again without lrelease."""
    install_translators(app, "ja", source_dir=sources, cache=cache)
    no_tools(monkeypatch)
    assert install_translators(app, "ja", source_dir=sources, cache=cache) == "ja"
    assert highlight_count(2) == "ハイライト 2 件"


def test_impossible_build_falls_back_to_english(app, sources, cache, monkeypatch):
    """Without lrelease and without any .qm, "ja" gives English and no exception."""
    no_tools(monkeypatch)
    assert install_translators(app, "ja", source_dir=sources, cache=cache) == "en"
    assert QCoreApplication.translate("Counts", "%n highlight(s)", "", 2) == "2 highlight(s)"


def test_unwritable_cache_falls_back_to_english(app, sources, tmp_path):
    """When the cache cannot be created (a file stands in its way), "ja" gives English, no exception."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    assert install_translators(app, "ja", source_dir=sources, cache=blocker / "translations") == "en"


def test_no_translation_files_at_all_falls_back_to_english(app, tmp_path):
    """A translations folder with neither .ts nor .qm gives English."""
    empty = tmp_path / "empty"
    empty.mkdir()
    assert install_translators(app, "system", QLocale("ja_JP"), source_dir=empty, cache=tmp_path / "cache") == "en"


def test_missing_lrelease_is_a_clear_error(sources, monkeypatch):
    """build() without lrelease raises TranslationToolError naming the tool; the CLI exits 1."""
    monkeypatch.setattr(i18n.sys, "executable", str(sources / "no-python"))
    monkeypatch.setattr(i18n.shutil, "which", lambda _name: None)
    import PySide6

    monkeypatch.setattr(PySide6, "__file__", str(sources / "no-pyside" / "__init__.py"))
    with pytest.raises(TranslationToolError, match="lrelease"):
        i18n.build([sources / "kakikomi_ja.ts"])
    assert i18n.main(["build", str(sources / "kakikomi_ja.ts")]) == 1


def test_switching_language_replaces_the_translators(app, sources, cache):
    """Installing "en" after "ja" removes the Japanese translators."""
    install_translators(app, "ja", source_dir=sources, cache=cache)
    install_translators(app, "en", source_dir=sources, cache=cache)
    assert highlight_count(2) == "2 highlights"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_update_adds_new_strings_and_keeps_translations(tmp_path):
    """update() adds a new tr() string to each .ts and keeps the translations already made."""
    ui = tmp_path / "ui"
    ui.mkdir()
    (ui / "panel.py").write_text(
        "from PySide6.QtCore import QObject\n\n\n"
        "class Panel(QObject):\n"
        "    def labels(self, n):\n"
        "        return self.tr('Old string'), self.tr('New string'), self.tr('%n note(s)', '', n)\n",
        encoding="utf-8",
    )
    folder = tmp_path / "translations"
    folder.mkdir()
    (folder / "kakikomi_ja.ts").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n<TS version="2.1" language="ja" sourcelanguage="en">\n'
        "<context><name>Panel</name><message><source>Old string</source><translation>古い文字列</translation></message></context>\n"
        "</TS>\n",
        encoding="utf-8",
    )
    i18n.update(folder, ui)
    ja = {m.findtext("source"): m for m in ET.parse(folder / "kakikomi_ja.ts").getroot().iter("message")}
    assert ja["Old string"].findtext("translation") == "古い文字列"
    assert ja["New string"].find("translation").get("type") == "unfinished"
    en = [m.findtext("source") for m in ET.parse(folder / "kakikomi_en.ts").getroot().iter("message")]
    assert en == ["%n note(s)"]  # English keeps only plurals


def test_core_errors_follow_the_window_language(app, sources, cache, tmp_path):
    """A PostError shown through plain() is Japanese in the Japanese window, English in the English
    one, and still shown literally (a file name that looks like HTML stays text)."""
    from PySide6.QtWidgets import QLabel

    from app.core.posts.post import PostError, load_post
    from app.ui.plain import plain, plain_label

    binary = tmp_path / "<b>photo.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(PostError) as caught:
        load_post(binary)
    error = caught.value

    assert install_translators(app, "ja", source_dir=sources, cache=cache) == "ja"
    assert i18n.current_language() == "ja"
    label = QLabel()
    label.setText(plain(error))
    assert "はテキストではなくバイナリファイルのようです。" in label.text()
    assert "&lt;b&gt;photo.md" in label.text() and "<b>" not in label.text()
    assert plain_label(error.args[0]).text() == "<b>photo.md はテキストではなくバイナリファイルのようです。"

    install_translators(app, "en", source_dir=sources, cache=cache)
    assert i18n.current_language() == "en"
    assert plain_label(error.args[0]).text() == "<b>photo.md looks like a binary file, not text."
    i18n.remove_translators(app)
    assert i18n.current_language() == "en"
