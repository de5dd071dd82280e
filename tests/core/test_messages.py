"""Tests for app.core.common.messages: the core's sentences with ids, their gettext catalogs in
English and Japanese, and translate()."""

from __future__ import annotations

import ast
import json
import os
import pickle
import shutil
import time
from pathlib import Path

import pytest

from app.core.common import messages
from app.core.common.messages import ExtractError, Message, as_message, clause, core_language, translate
from app.core.library.derived import open_library
from app.core.library.webanno import import_json
from app.core.posts.post import PostError, load_post, parse_post

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "resources" / "messages"

# The modules whose every error and warning is a Message: none may raise or warn with a bare
# English string again.
CONVERTED = [
    "app/core/posts/post.py", "app/core/posts/webpage.py", "app/core/posts/render.py", "app/core/posts/dialects.py",
    "app/core/posts/plain_text.py", "app/core/store/records.py", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "app/core/claims").glob("*.py")),
    "app/core/library/webanno.py", "app/core/library/annotation_schema.py", "app/core/reading/dictionary.py",
    "app/core/reading/lookup.py",
    "app/core/library/notebook.py", "app/core/library/anki.py", "app/core/posts/anchoring.py", "app/core/posts/page.py",
    "app/core/common/fileio.py", "app/core/settings.py", "app/core/store/database.py", "app/core/library/actions.py",
    "app/core/library/export.py", "app/core/library/claims_export.py", "app/core/library/history.py",
    "app/core/library/search.py", "app/core/library/prepare.py",
]


@pytest.fixture(autouse=True)
def fresh_catalogs(tmp_path, monkeypatch):
    """Each test reads the catalogs again (none sees another's monkeypatched folders), and a
    catalog built on demand goes to tmp_path, not the user's cache folder."""
    monkeypatch.setattr(messages, "cache_dir", lambda: tmp_path / "user-cache")
    messages.reload_catalogs()
    yield
    messages.reload_catalogs()


@pytest.fixture
def sources(tmp_path) -> Path:
    """A folder holding copies of the real .po files, and nothing built."""
    folder = tmp_path / "messages"
    folder.mkdir()
    for po in SOURCES.glob("*.po"):
        shutil.copy2(po, folder / po.name)
    return folder


# --- the catalogs --------------------------------------------------------------------------------


def test_every_message_id_is_in_both_catalogs_with_a_sentence():
    """Each Message("id", ...) in app/ has a non-empty msgstr in en.po and in ja.po."""
    found = messages.extract_messages()
    assert len(found) > 90  # the extractor really reads the code
    for language in messages.LANGUAGES:
        catalog = messages.read_po(SOURCES / f"{language}.po")
        missing = [i for i in found if not catalog.get(i)]
        assert not missing, f"{language}.po lacks {missing}: run python -m app.core.common.messages extract and translate"


def test_english_catalog_is_the_code(sources):
    """en.po says exactly what the code says: extract would change nothing (nor in ja.po)."""
    added = messages.extract(sources)
    assert added == {"en": [], "ja": []}
    for po in SOURCES.glob("*.po"):
        assert (sources / po.name).read_text(encoding="utf-8") == po.read_text(encoding="utf-8"), po.name
    english = messages.read_po(SOURCES / "en.po")
    assert english == {i: template for i, (template, _where) in messages.extract_messages().items()}


def test_japanese_templates_have_the_english_placeholders():
    english, japanese = messages.read_po(SOURCES / "en.po"), messages.read_po(SOURCES / "ja.po")
    for message_id, template in english.items():
        assert messages.placeholders(japanese[message_id]) == messages.placeholders(template), message_id


def test_japanese_catalog_holds_japanese():
    """No sentence was left in English (every ja msgstr has kana or kanji)."""
    japanese = messages.read_po(SOURCES / "ja.po")
    untranslated = [i for i, text in japanese.items() if not any("\u3040" <= ch <= "\u9fff" for ch in text)]
    assert not untranslated


def test_converted_modules_raise_and_warn_only_messages():
    """In the converted modules no exception is raised with, and no warning appended as, an
    f-string or a string literal."""
    offenders = []
    for relative in CONVERTED:
        tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            call = None
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                call = node.exc
            elif _appends_to_warnings(node):
                call = node
            if call is not None and call.args and _is_text(call.args[0]):
                offenders.append(ast.unparse(call))
    assert sorted(offenders) == sorted(NOT_SENTENCES)


def _appends_to_warnings(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append"
        and "warnings" in ast.unparse(node.func.value)
    )


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


# Strings that are no sentence for a reader: a clamped time noted as data inside a Message
# ("modified 2099-01-01T00:00:00Z"), a programming error no user action can cause.
NOT_SENTENCES = ["warnings.append(f'{field} {value}')", "ValueError('give a form, a reading or both')"]


# --- Message and translate ------------------------------------------------------------------------


def test_a_message_is_its_english_sentence():
    message = Message("post.empty", "{name} is empty.", name="a.md")
    assert message == "a.md is empty." and isinstance(message, str)
    assert (message.id, message.args) == ("post.empty", {"name": "a.md"})
    assert json.dumps([message]) == '["a.md is empty."]'
    assert type(str(message)) is str


def test_arguments_are_never_read_as_templates():
    message = Message("post.empty", "{name} is empty.", name="{name} {0} {x!r}")
    assert message == "{name} {0} {x!r} is empty."
    assert translate(message, "ja") == "{name} {0} {x!r} は空です。"


def test_translate_an_exception_a_warning_and_plain_text():
    error = PostError(Message("post.folder", "{name} is a folder, not a post.", name="posts"))
    assert translate(error, "ja") == "posts は記事ではなくフォルダーです。"
    assert translate(error, "en") == str(error) == "posts is a folder, not a post."
    warning = Message("post.page_without_text", "No article text was found in the page.")
    assert translate(warning, "ja") == "ページに記事の本文が見つかりませんでした。"
    assert translate("Plain English.", "ja") == "Plain English."
    assert translate(ValueError("not a message"), "ja") == "not a message"
    assert translate(None, "ja") == "None"


def test_nested_messages_are_translated_and_clauses_lose_their_stop():
    inner = Message("annotations.missing", "its {field} is missing", field="quote")
    outer = Message("annotations.skipped", "Annotation {label} was skipped: {why}.", label="#1", why=inner)
    assert outer == "Annotation #1 was skipped: its quote is missing."
    assert translate(outer, "ja") == "ハイライト #1 は読み込みませんでした: quote がありません。"
    sentence = Message("post.empty", "{name} is empty.", name="a.md")
    wrapped = Message("post.unreadable", "{name} could not be read: {reason}.", name="b.md", reason=clause(PostError(sentence)))
    assert wrapped == "b.md could not be read: a.md is empty."
    assert translate(wrapped, "ja") == "b.md を読み込めませんでした: a.md は空です。"
    assert clause("Plain.") == "Plain" and as_message(PostError(sentence)) is sentence


def test_missing_id_and_unknown_language_fall_back_to_english():
    message = Message("nowhere.to_be_found", "Only {what}.", what="English")
    assert translate(message, "ja") == "Only English."
    assert translate(Message("post.empty", "{name} is empty.", name="a.md"), "fr") == "a.md is empty."


def test_a_translation_that_does_not_fit_falls_back_to_english(sources, tmp_path, monkeypatch):
    po = sources / "ja.po"
    po.write_text(po.read_text(encoding="utf-8").replace('"{name} は空です。"', '"{nom} は空です。"'), encoding="utf-8")
    monkeypatch.setattr(messages, "messages_dir", lambda: sources)
    monkeypatch.setattr(messages, "cache_dir", lambda: tmp_path / "cache")
    assert translate(Message("post.empty", "{name} is empty.", name="a.md"), "ja") == "a.md is empty."


def test_messages_survive_pickling_with_their_id():
    """Posts cross process boundaries (library.prepare) with their warnings."""
    message = clause(Message("post.empty", "{name} is empty.", name="a.md"))
    copy = pickle.loads(pickle.dumps(message))
    assert (type(copy), copy, copy.id, translate(copy, "ja")) == (Message, "a.md is empty", "post.empty", "a.md は空です")


# --- real errors and warnings ------------------------------------------------------------------------


def test_a_bad_file_is_refused_in_japanese(tmp_path):
    binary = tmp_path / "photo.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(PostError) as caught:
        load_post(binary)
    assert str(caught.value) == "photo.md looks like a binary file, not text."
    assert translate(caught.value, "ja") == "photo.md はテキストではなくバイナリファイルのようです。"
    with pytest.raises(PostError) as caught:
        load_post(tmp_path / "missing.md")
    assert translate(caught.value, "ja").startswith("missing.md を読み込めませんでした: ")


def test_sizes_inside_a_refusal_are_translated(tmp_path):
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * 30)
    with pytest.raises(PostError) as caught:
        load_post(big, max_bytes=3)
    assert str(caught.value) == "big.md is 30 bytes; posts larger than 3 bytes are not opened."
    assert translate(caught.value, "ja") == "big.md は大きすぎるため開きません（30 バイト、上限 3 バイト）。"


def test_post_warnings_translate_one_by_one(tmp_path):
    post = parse_post(b"---\ntitle: [broken\n---\nA \xef\xbf\xbd and \xef\xbf\xbd.", source_path=tmp_path / "a.md")
    assert [translate(w, "ja") for w in post.warnings] == [
        "フロントマターが正しい YAML ではないため、title を 1 行ずつ読み取りました。",
        "本文が 2 か所で壊れているようです（\ufffd が含まれています）。",
    ]
    assert post.warnings[1] == "The text looks damaged in 2 places (it contains \ufffd)."


def test_import_errors_keep_their_ids(tmp_path):
    """An annotation file's skipped items say why in Japanese, reason inside the sentence."""
    store = open_library(tmp_path / "library.sqlite3")
    try:
        source = tmp_path / "notes.json"
        source.write_text(json.dumps([{"type": "Annotation", "target": {"source": "/x.md", "selector": [{"type": "TextQuoteSelector"}]}}]))
        summary = import_json(store, source)
    finally:
        store.close()
    assert summary.errors == ["Annotation #1 was skipped: its quote is missing."]
    assert translate(summary.errors[0], "ja") == "ハイライト #1 は読み込みませんでした: quote がありません。"


# --- choosing the language -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "environ", "expected"),
    [
        ("ja", {"LANG": "en_US.UTF-8"}, "ja"),
        ("en", {"LANG": "ja_JP.UTF-8"}, "en"),
        ("system", {"LANG": "ja_JP.UTF-8"}, "ja"),
        ("system", {"LANGUAGE": "en_GB:ja", "LANG": "ja_JP.UTF-8"}, "en"),
        ("system", {"LANGUAGE": "ja:en", "LANG": "C.UTF-8"}, "ja"),
        ("system", {"LC_ALL": "ja_JP.eucJP"}, "ja"),
        ("system", {"LC_MESSAGES": "de_DE.UTF-8", "LANG": "ja_JP.UTF-8"}, "en"),
        ("system", {}, "en"),
    ],
)
def test_core_language(setting, environ, expected):
    assert core_language(setting, environ) == expected


# --- building catalogs ---------------------------------------------------------------------------


def test_missing_mo_is_compiled_into_the_cache(sources, tmp_path):
    cache = tmp_path / "cache"
    built = messages.compiled_catalog("ja", sources, cache)
    assert built is not None and built.parent == cache and built.name.startswith("ja-")
    assert not (sources / "ja.mo").exists()
    assert messages._load(built).gettext("post.empty") == "{name} は空です。"
    assert messages.compiled_catalog("ja", sources, cache) == built  # reused, not built again


def test_stale_mo_is_rebuilt_into_the_cache_and_a_fresh_one_used(sources, tmp_path):
    cache = tmp_path / "cache"
    (stale,) = messages.build([sources / "ja.po"])
    past = time.time() - 60
    os.utime(stale, (past, past))
    os.utime(sources / "ja.po", None)
    built = messages.compiled_catalog("ja", sources, cache)
    assert built is not None and built.parent == cache
    future = time.time() + 60
    os.utime(stale, (future, future))
    assert messages.compiled_catalog("ja", sources, cache) == stale


def test_edited_po_gets_a_new_cached_build(sources, tmp_path):
    cache = tmp_path / "cache"
    first = messages.compiled_catalog("ja", sources, cache)
    po = sources / "ja.po"
    po.write_text(po.read_text(encoding="utf-8").replace("{name} は空です。", "{name} には何もありません。"), encoding="utf-8")
    second = messages.compiled_catalog("ja", sources, cache)
    assert second != first and not first.exists()
    assert messages._load(second).gettext("post.empty") == "{name} には何もありません。"


def test_no_catalog_at_all_stays_english(tmp_path, monkeypatch):
    monkeypatch.setattr(messages, "messages_dir", lambda: tmp_path / "nothing")
    assert messages.compiled_catalog("ja") is None
    assert translate(Message("post.empty", "{name} is empty.", name="a.md"), "ja") == "a.md is empty."


def test_build_into_another_folder(sources, tmp_path):
    """What the packaged app ships: .mo files built elsewhere, the sources left alone."""
    built = messages.build(sorted(sources.glob("*.po")), tmp_path / "bundle")
    assert [p.name for p in built] == ["en.mo", "ja.mo"] and all(p.parent == tmp_path / "bundle" for p in built)
    assert not list(sources.glob("*.mo"))
    assert messages._load(built[1]).gettext("post.folder") == "{name} は記事ではなくフォルダーです。"


def test_build_command_writes_beside_the_sources(sources):
    assert messages.main(["build", str(sources / "en.po"), str(sources / "ja.po")]) == 0
    assert sorted(p.name for p in sources.glob("*.mo")) == ["en.mo", "ja.mo"]
    assert messages._load(sources / "en.mo").gettext("post.empty") == "{name} is empty."


def test_extract_adds_new_ids_and_keeps_translations(sources, tmp_path):
    code = tmp_path / "app"
    code.mkdir()
    (code / "a.py").write_text(
        'from x import Message\nMessage("post.empty", "{name} is empty.", name=n)\nMessage("demo.new", "New {thing}.", thing=t)\n'
    )
    assert messages.extract(sources, code) == {"en": ["demo.new"], "ja": ["demo.new"]}
    assert messages.read_po(sources / "ja.po") == {"post.empty": "{name} は空です。", "demo.new": ""}
    assert messages.read_po(sources / "en.po") == {"demo.new": "New {thing}.", "post.empty": "{name} is empty."}


@pytest.mark.parametrize(
    ("call", "complaint"),
    [
        ('Message(some_id, "Text.")', "literal id"),
        ('Message("post.x", f"{a} text.", a=a)', "literal id"),
        ('Message("NoDots", "Text.")', "not a message id"),
        ('Message("post.x", "{a} and {b}.", a=a)', "is given"),
        ('Message("post.x", "{a:,} items.", a=a)', "format spec"),
        ('Message("post.x", "One.")\nMessage("post.x", "Two.")', "two different"),
    ],
)
def test_extract_refuses_what_it_cannot_read(tmp_path, call, complaint):
    code = tmp_path / "app"
    code.mkdir()
    (code / "bad.py").write_text(call + "\n")
    with pytest.raises(ExtractError, match=complaint):
        messages.extract_messages(code)


def test_a_damaged_mo_leaves_the_sentences_in_english(sources, monkeypatch):
    (sources / "ja.mo").write_bytes(b"not a catalog at all")
    os.utime(sources / "ja.mo", (time.time() + 60, time.time() + 60))  # newer than its .po: used as is
    monkeypatch.setattr(messages, "messages_dir", lambda: sources)
    assert translate(Message("post.empty", "{name} is empty.", name="a.md"), "ja") == "a.md is empty."


# --- the modules converted later: notebook, Anki, anchoring, settings ------------------------------


def test_notebook_refusals_in_japanese(tmp_path):
    from app.core.library.notebook import NotebookFilter, notebook

    store = open_library(tmp_path / "library.sqlite3")
    try:
        with pytest.raises(ValueError) as caught:
            notebook(store, NotebookFilter(since="2025-13-01"))
        assert str(caught.value) == "The first date '2025-13-01' is not a date like 2025-12-31."
        assert translate(caught.value, "ja") == "開始日 '2025-13-01' は 2025-12-31 のような日付ではありません。"
        with pytest.raises(ValueError) as caught:
            notebook(store, NotebookFilter(since="2025-12-31", until="2025-01-01"))
        assert translate(caught.value, "ja") == "開始日（2025-12-31）が終了日（2025-01-01）より後になっています。"
        with pytest.raises(ValueError) as caught:
            notebook(store, sort="sideways")
        assert translate(caught.value, "ja") == "並び順 'sideways' はありません。post, newest, oldest のいずれかを指定してください。"
    finally:
        store.close()


def test_anki_and_anchoring_refusals_in_japanese(tmp_path):
    from app.core.library.anki import AnkiExportError, write_deck
    from app.core.posts.anchoring import Selectors, describe

    with pytest.raises(AnkiExportError) as caught:
        write_deck(tmp_path / "cards.doc", [])
    assert str(caught.value) == "Cannot tell the Anki format from 'cards.doc': name the file .apkg or .txt."
    assert translate(caught.value, "ja") == "'cards.doc' からは Anki の形式がわかりません。ファイル名を .apkg か .txt にしてください。"
    with pytest.raises(ValueError) as caught:
        describe("abc", 2, 9)
    assert translate(caught.value, "ja") == "範囲 2-9 がテキスト（長さ 3）の中にありません。"
    with pytest.raises(ValueError) as caught:
        Selectors.from_json([{"type": "TextPositionSelector", "start": 0, "end": 1}])
    assert translate(caught.value, "ja") == "ハイライトに引用（exact）を持つ TextQuoteSelector がありません。"


def test_settings_repairs_in_japanese(tmp_path):
    """Each repair of a settings file is a sentence in Japanese too, the reason inside it translated;
    the English stays what it was."""
    from app.core.settings import load_settings

    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"theme": "blue", "font_scale": 99, "vertical": "yes"}), encoding="utf-8")
    warnings = load_settings(path).warnings
    assert warnings == [
        "theme = 'blue' is not valid (expected one of auto, light, sepia, dark); using 'auto'.",
        "vertical = 'yes' is not valid (expected true or false); using False.",
        "font_scale 99 is outside 0.5–3.0; using 3.0.",
    ]
    assert [translate(w, "ja") for w in warnings] == [
        "theme = 'blue' は正しくない（auto, light, sepia, dark のいずれかが必要です）ため、'auto' を使います。",
        "vertical = 'yes' は正しくない（true か false が必要です）ため、False を使います。",
        "font_scale 99 が 0.5–3.0 の範囲外のため、3.0 を使います。",
    ]
    path.write_text("[1, 2]", encoding="utf-8")
    (unreadable, kept) = load_settings(path).warnings
    assert translate(unreadable, "ja") == f"{path} を読み込めなかった（JSON の list が入っていて、オブジェクトではありません）ため、既定の設定を使います。"
    assert translate(kept, "ja") == f"読み込めなかったファイルは {path}.bad として残しました。"


def test_the_command_line_reads_only_the_stored_language(tmp_path):
    """stored_language: the settings' language, "system" for anything missing, invalid or not a
    file (a FIFO is not waited on), and the file is never moved aside."""
    from app.core.settings import stored_language

    path = tmp_path / "settings.json"
    assert stored_language(path) == "system"
    path.write_text(json.dumps({"version": 1, "language": "ja", "theme": "blue"}), encoding="utf-8")
    assert stored_language(path) == "ja"
    for damaged in ('{"language": "klingon"}', "[1, 2]", "{not json", '{"language": 3}'):
        path.write_text(damaged, encoding="utf-8")
        assert stored_language(path) == "system", damaged
        assert path.read_text(encoding="utf-8") == damaged
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    assert stored_language(fifo) == "system"


def test_import_reasons_and_search_refusals_keep_their_ids(tmp_path):
    """A file an import skips has a reason with its id (also from the worker processes), as has a
    refused search, and a library that is not one."""
    from app.core.library import actions
    from app.core.library.search import search
    from app.core.store import StoreError

    store = open_library(tmp_path / "library.sqlite3")
    try:
        binary = tmp_path / "photo.md"
        binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
        for workers in (0, 2):
            report = actions.import_paths(store, [binary, tmp_path / "gone.md"], workers=workers)
            assert [translate(reason, "ja") for _path, reason in report.errors] == [
                "gone.md は存在しません。", "photo.md はテキストではなくバイナリファイルのようです。",
            ]
            assert report.to_json()["errors"][1]["error"] == "photo.md looks like a binary file, not text."
        with pytest.raises(ValueError) as caught:
            search(store, '  ""  ')
        assert translate(caught.value, "ja") == "検索する語を入力してください。"
    finally:
        store.close()
    not_a_library = tmp_path / "notes.sqlite3"
    not_a_library.write_text("hello", encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        open_library(not_a_library)
    assert translate(caught.value, "ja") == f"{not_a_library} は Kakikomi のライブラリではありません（SQLite のファイルではありません）。そのままにしました。"
