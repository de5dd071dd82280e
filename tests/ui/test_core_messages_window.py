"""The core's errors and warnings reach the window in its language: a post's warnings in the status
bar, an export refused, the reasons of an import, the start-up process's reasons (which cross a pipe
with their ids). English stays the English the core wrote."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from app.core.common import messages
from app.core.common.messages import Message, translate
from app.core.posts.post import PostError, load_post
from app.ui import i18n
from tests.ui.conftest import open_and_wait

TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"
DAMAGED = "---\ntitle: 壊れた記事\n---\n\n文字が\ufffd壊れている。\n"


@pytest.fixture(autouse=True)
def fresh_catalogs(tmp_path, monkeypatch):
    """The core's catalogs are read again, and any built on demand go to tmp_path."""
    monkeypatch.setattr(messages, "cache_dir", lambda: tmp_path / "user-cache")
    messages.reload_catalogs()
    yield
    messages.reload_catalogs()


@pytest.fixture
def japanese(qapp, tmp_path):
    """The window speaks Japanese (its Qt translation installed from copies of the sources)."""
    folder = tmp_path / "translations"
    folder.mkdir()
    for ts in TRANSLATIONS.glob("*.ts"):
        shutil.copy2(ts, folder / ts.name)
    assert i18n.install_translators(qapp, "ja", source_dir=folder, cache=tmp_path / "qt-cache") == "ja"
    yield
    i18n.remove_translators(qapp)


def _warnings(monkeypatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *rest: said.append(text))
    return said


def test_post_warnings_show_in_japanese_in_the_status_bar(qtbot, window, japanese, tmp_path):
    post = tmp_path / "damaged.md"
    post.write_text(DAMAGED, encoding="utf-8")
    open_and_wait(qtbot, window, post)
    assert window.statusBar().currentMessage() == "本文が 1 か所で壊れているようです（\ufffd が含まれています）。"


def test_post_warnings_stay_english_in_the_english_window(qtbot, window, tmp_path):
    post = tmp_path / "damaged.md"
    post.write_text(DAMAGED, encoding="utf-8")
    open_and_wait(qtbot, window, post)
    assert window.statusBar().currentMessage() == "The text looks damaged in 1 place (it contains \ufffd)."


def test_a_refused_notebook_export_says_why_in_japanese(qtbot, window, japanese, tmp_path, monkeypatch):
    """Exporting over a file that is not UTF-8 text is refused, in the window's language."""
    from app.ui.notebook import show_notebook

    notebook = show_notebook(window)
    qtbot.addWidget(notebook)
    target = tmp_path / "old.md"
    target.write_bytes(b"\xff\xfe not utf-8 \x80")
    said = _warnings(monkeypatch)
    assert notebook.export_to(target) is None
    assert said == ["old.md は UTF-8 のテキストではないため、そのままにしました。"]
    assert target.read_bytes() == b"\xff\xfe not utf-8 \x80"


def test_import_reasons_show_in_japanese(qtbot, japanese, tmp_path):
    """The dialog listing files not imported shows a core reason in Japanese, other text as it is."""
    from app.ui.importer import ImportErrors

    binary = tmp_path / "photo.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(PostError) as caught:
        load_post(binary)
    dialog = ImportErrors([(str(binary), caught.value.args[0]), (str(tmp_path / "x.md"), "Plain reason.")])
    qtbot.addWidget(dialog)
    reasons = [dialog.table.topLevelItem(i).text(1) for i in range(dialog.table.topLevelItemCount())]
    assert reasons == ["photo.md はテキストではなくバイナリファイルのようです。", "Plain reason."]


def test_start_up_reasons_keep_their_ids_across_the_pipe(tmp_path):
    """The start-up process reads the files asked for and sends why one cannot be opened: the
    reason arrives as a Message (pickled with its id), so the parent can show it in Japanese."""
    from app.ui import prestart

    binary = tmp_path / "photo.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    _posts, problems = prestart.read_files([str(binary)])
    (arrived,) = pickle.loads(pickle.dumps(problems))
    assert isinstance(arrived, Message) and arrived.id == "post.binary"
    assert arrived == "photo.md looks like a binary file, not text."
    assert translate(arrived, "ja") == "photo.md はテキストではなくバイナリファイルのようです。"


def test_an_import_lists_what_it_could_not_import_in_japanese(qtbot, window, japanese, tmp_path):
    """File › Open on a file that is gone: the import's list of files not imported says why in
    Japanese (the reason crossed the import thread as a Message)."""
    from app.ui.importer import ImportErrors

    missing = tmp_path / "gone.md"
    with qtbot.waitSignal(window.importFinished, timeout=60_000):
        window.import_and_open([str(missing)])
    (dialog,) = window.findChildren(ImportErrors)
    qtbot.addWidget(dialog)
    assert dialog.table.topLevelItem(0).text(1) == "gone.md は存在しません。"
