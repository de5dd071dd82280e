"""Tests for app.core.library.actions: importing posts, and highlighting, tagging, deleting and re-attaching."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.library import actions as library
from app.core.store import COLORS, Store, StoreError, open_store

FACTORY = """---
title: 新しい工場
date: 2024-05-10
---

北陸の町に半導体の工場ができることになった。投資額は約二千億円と発表された。

地元では期待の声が多い一方で、水の使い方を心配する人もいる。

The plant is expected to employ about five hundred people.
"""

WEATHER = "# 週末の天気\n\n土曜日は晴れるが、日曜日は午後から雨が降るらしい。傘を忘れずに。\n"
ENGLISH = "# Notes on memory chips\n\nPrices for memory chips rose again this quarter.\n"


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "lib.sqlite3") as opened:
        yield opened


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def posts_folder(tmp_path: Path) -> Path:
    """A folder of posts: nested folders, a hidden folder, and files that are not posts."""
    root = tmp_path / "blog"
    write(root / "2024" / "factory.md", FACTORY)
    write(root / "2024" / "deep" / "weather.markdown", WEATHER)
    write(root / "memo.txt", "メモ：来週の会議の資料を用意する。\n")
    write(root / "chips.MD", ENGLISH)
    write(root / ".git" / "notes.md", "隠しフォルダーの中のファイル。\n")
    write(root / ".drafts" / "draft.md", "下書きです。\n")
    write(root / ".hidden.md", "隠しファイルです。\n")
    write(root / "readme.rst", "reStructuredText\n")
    write(root / "data.json", "{}\n")
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return root


def imported_post(store: Store, path: Path):
    return store.post(str(path.resolve()))


# --- importing --------------------------------------------------------------------------------


def test_a_folder_is_imported_recursively_with_post_files_only(store: Store, posts_folder: Path) -> None:
    """Folders are searched recursively for .md, .markdown and .txt files; hidden folders and files are skipped."""
    report = library.import_paths(store, [posts_folder])
    assert report.errors == [] and not report.cancelled
    assert len(report.added) == 4
    assert sorted(Path(p.source_path).name for p in store.posts()) == ["chips.MD", "factory.md", "memo.txt", "weather.markdown"]
    assert {p.title for p in store.posts()} == {"新しい工場", "週末の天気", "memo", "Notes on memory chips"}


def test_files_and_folders_can_be_mixed(store: Store, posts_folder: Path, tmp_path: Path) -> None:
    """import_paths() takes files and folders together, and a file named twice is imported once."""
    loose = write(tmp_path / "loose.md", "# 単独の記事\n\n本文です。\n")
    report = library.import_paths(store, [loose, posts_folder / "2024", loose])
    assert len(report.added) == 3
    assert report.errors == []


def test_a_post_is_stored_with_its_metadata_and_plain_text(store: Store, tmp_path: Path) -> None:
    """The stored post keeps the front matter's title and date, the resolved path and the rendered plain text."""
    path = write(tmp_path / "factory.md", FACTORY)
    library.import_paths(store, [path])
    post = imported_post(store, path)
    assert (post.title, post.date, post.encoding) == ("新しい工場", "2024-05-10", "utf-8")
    assert post.source_path == str(path.resolve())
    assert "投資額は約二千億円と発表された。" in post.text
    assert "---" not in post.text and "title:" not in post.text


def test_importing_the_same_file_twice_keeps_one_post(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second import of an unchanged file, even by another spelling of its path, reports it unchanged."""
    path = write(tmp_path / "factory.md", FACTORY)
    first = library.import_paths(store, [path])
    monkeypatch.chdir(tmp_path)
    second = library.import_paths(store, ["factory.md"])
    third = library.import_paths(store, [tmp_path / "." / "factory.md"])
    assert second.unchanged == first.added == third.unchanged
    assert second.added == second.updated == []
    assert len(store.posts()) == 1


def test_a_changed_file_is_updated_in_place(store: Store, tmp_path: Path) -> None:
    """A file whose content changed is "updated": same id, new text."""
    path = write(tmp_path / "factory.md", FACTORY)
    post_id = library.import_paths(store, [path]).added[0]
    write(path, FACTORY.replace("約二千億円", "約三千億円"))
    report = library.import_paths(store, [path])
    assert report.updated == [post_id] and report.added == []
    assert "約三千億円" in store.post(post_id).text
    assert len(store.posts()) == 1


def test_highlights_move_with_their_text_when_the_file_changes(store: Store, tmp_path: Path) -> None:
    """After an edit before them, highlights are re-anchored onto the same words at their new offsets."""
    path = write(tmp_path / "factory.md", FACTORY)
    library.import_paths(store, [path])
    post = imported_post(store, path)
    money = library.annotate_quote(store, post, "投資額は約二千億円", tags=["investment"], note="大きい")
    water = library.annotate_quote(store, post, "水の使い方を心配する人")
    write(path, FACTORY.replace("北陸の町に", "【追記あり】先週の発表によると、北陸の町に"))
    report = library.import_paths(store, [path])
    assert (report.reanchored, report.orphaned) == (2, 0)
    post = store.post(post.id)
    for before in (money, water):
        after = store.annotation(before.id)
        assert post.text[after.start : after.end] == before.exact == after.exact
        assert after.start > before.start
        assert not after.orphan
    assert store.annotation(money.id).tags == ("investment",) and store.annotation(money.id).note == "大きい"


def test_a_highlight_whose_text_was_deleted_is_kept_as_an_orphan(store: Store, tmp_path: Path) -> None:
    """A highlight whose passage is gone stays in the library, listed, with orphan True."""
    path = write(tmp_path / "factory.md", FACTORY)
    library.import_paths(store, [path])
    post = imported_post(store, path)
    lost = library.annotate_quote(store, post, "水の使い方を心配する人", note="あとで調べる")
    kept = library.annotate_quote(store, post, "半導体の工場")
    write(path, FACTORY.replace("地元では期待の声が多い一方で、水の使い方を心配する人もいる。\n\n", ""))
    report = library.import_paths(store, [path])
    assert report.orphaned == 1
    listed = {a.id: a for a in store.annotations(post.id)}
    assert set(listed) == {lost.id, kept.id}
    assert listed[lost.id].orphan is True and listed[lost.id].note == "あとで調べる"
    assert listed[kept.id].orphan is False
    # Importing the same edited file again changes nothing.
    again = library.import_paths(store, [path])
    assert again.unchanged == [post.id] and again.orphaned == 0


def test_an_orphan_comes_back_when_its_text_returns(store: Store, tmp_path: Path) -> None:
    """When a later version of the file has the passage again, the orphan is placed on it and is no longer an orphan."""
    path = write(tmp_path / "factory.md", FACTORY)
    library.import_paths(store, [path])
    post = imported_post(store, path)
    highlight = library.annotate_quote(store, post, "水の使い方を心配する人")
    write(path, FACTORY.replace("水の使い方を心配する人もいる。", "特に反対の声はない。"))
    library.import_paths(store, [path])
    assert store.annotation(highlight.id).orphan is True
    write(path, "はじめに一言。\n\n" + FACTORY)
    library.import_paths(store, [path])
    back = store.annotation(highlight.id)
    assert back.orphan is False
    assert store.post(post.id).text[back.start : back.end] == "水の使い方を心配する人"


def test_an_orphan_is_reattached_by_hand(store: Store, tmp_path: Path) -> None:
    """reattach() puts an orphan on a span of the current text, with fresh selectors, keeping its note and tags."""
    path = write(tmp_path / "factory.md", FACTORY)
    library.import_paths(store, [path])
    post = imported_post(store, path)
    orphan = library.annotate_quote(store, post, "水の使い方", tags=["question"], note="水資源")
    write(path, FACTORY.replace("水の使い方を心配する人もいる。", "地下水への影響を心配する人もいる。"))
    library.import_paths(store, [path])
    assert store.annotation(orphan.id).orphan is True
    post = store.post(post.id)
    start = post.text.index("地下水への影響")
    attached = library.reattach(store, orphan.id, start, start + len("地下水への影響"))
    assert (attached.exact, attached.start, attached.orphan, attached.tags, attached.note) == (
        "地下水への影響", start, False, ("question",), "水資源",
    )
    assert attached.prefix == post.text[max(0, start - 32) : start]
    assert store.annotation(orphan.id) == attached


@pytest.mark.parametrize(("start", "end"), [(5, 5), (-1, 3), (0, 10_000)])
def test_reattach_rejects_a_span_outside_the_text(store: Store, tmp_path: Path, start: int, end: int) -> None:
    """reattach() to an empty or out-of-range span is a StoreError, and the highlight is unchanged."""
    path = write(tmp_path / "factory.md", FACTORY)
    library.import_paths(store, [path])
    highlight = library.annotate_quote(store, imported_post(store, path), "半導体")
    with pytest.raises(StoreError, match="not inside the text"):
        library.reattach(store, highlight.id, start, end)
    assert store.annotation(highlight.id) == highlight


def test_a_highlight_restored_after_the_file_changed_points_at_its_text(store: Store, tmp_path: Path) -> None:
    """Deleting a highlight, re-importing an edited file, then undoing the deletion gives a highlight on its own words."""
    path = write(tmp_path / "factory.md", FACTORY)
    library.import_paths(store, [path])
    post = imported_post(store, path)
    highlight = library.annotate_quote(store, post, "水の使い方を心配する人")
    library.delete_annotation(store, highlight.id)
    write(path, FACTORY.replace("北陸の町に", "先週の発表によると、北陸の町に"))
    library.import_paths(store, [path])
    restored = library.restore_annotation(store, highlight.id)
    text = store.post(post.id).text
    assert restored.orphan or text[restored.start : restored.end] == restored.exact


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", b"", "is empty"),
        ("nul.md", "本文の途中に\x00があります。".encode(), "NUL"),
        ("picture.md", b"\x89PNG\r\n\x1a\n" + bytes(range(1, 200)), "binary"),
        ("controls.md", bytes(range(1, 32)) * 40, "binary"),
    ],
)
def test_a_bad_file_never_stops_the_rest(store: Store, posts_folder: Path, name: str, content: bytes, reason: str) -> None:
    """An empty, NUL-bearing or binary file is reported with its reason, and every other post is imported."""
    bad = posts_folder / "2024" / name
    bad.write_bytes(content)
    report = library.import_paths(store, [posts_folder])
    assert len(report.added) == 4
    assert len(report.errors) == 1
    path, message = report.errors[0]
    assert path == str(bad)
    assert reason in message and name in message
    assert "\n" not in message


def test_missing_paths_are_reported_and_the_rest_imported(store: Store, posts_folder: Path, tmp_path: Path) -> None:
    """A path that does not exist is an error in the report; the other paths are still imported."""
    report = library.import_paths(store, [tmp_path / "nowhere.md", posts_folder / "memo.txt"])
    assert len(report.added) == 1
    assert report.errors == [(str(tmp_path / "nowhere.md"), "nowhere.md does not exist.")]


def test_a_file_that_is_not_a_post_is_refused_when_named(store: Store, posts_folder: Path) -> None:
    """Naming a file of another kind is an error sentence, not a post."""
    report = library.import_paths(store, [posts_folder / "readme.rst"])
    assert report.added == []
    assert len(report.errors) == 1 and "only .md, .markdown, .txt, .html and .htm" in report.errors[0][1]


def test_progress_is_reported_once_per_file(store: Store, posts_folder: Path) -> None:
    """The progress callback gets (n, total, path) for every file, n counting from 1, bad files included."""
    (posts_folder / "broken.md").write_bytes(b"")
    calls: list[tuple[int, int, Path]] = []
    library.import_paths(store, [posts_folder], progress=lambda n, total, path: calls.append((n, total, path)))
    assert [n for n, _, _ in calls] == [1, 2, 3, 4, 5]
    assert {total for _, total, _ in calls} == {5}
    assert len({path for _, _, path in calls}) == 5
    assert posts_folder / "broken.md" in {path for _, _, path in calls}


def test_an_import_can_be_cancelled_between_files(store: Store, posts_folder: Path) -> None:
    """When cancelled() turns true the import stops before the next file; what was done is kept."""
    seen: list[int] = []
    report = library.import_paths(
        store, [posts_folder], progress=lambda n, total, path: seen.append(n), cancelled=lambda: len(seen) >= 2
    )
    assert report.cancelled
    assert seen == [1, 2]
    assert len(report.added) == 2
    assert len(store.posts()) == 2


def test_cancelling_before_the_first_file_imports_nothing(store: Store, posts_folder: Path) -> None:
    """An import cancelled at once reports cancelled and adds nothing."""
    report = library.import_paths(store, [posts_folder], cancelled=lambda: True)
    assert report.cancelled and report.added == [] and store.posts() == []


def test_the_import_report_is_json_ready(store: Store, posts_folder: Path) -> None:
    """ImportReport.to_json() lists ids and errors as plain JSON values."""
    (posts_folder / "broken.md").write_bytes(b"")
    data = library.import_paths(store, [posts_folder]).to_json()
    assert set(data) == {"added", "updated", "unchanged", "errors", "reanchored", "orphaned", "cancelled"}
    assert data["errors"] == [{"file": str(posts_folder / "broken.md"), "error": "broken.md is empty."}]


def test_undated_posts_are_listed_after_dated_ones_by_import_date(store: Store, tmp_path: Path) -> None:
    """The library lists posts newest date first; a post without a date is not taken for the newest
    (its import date is today): the undated ones follow, the last imported first."""
    first_undated = write(tmp_path / "memo-a.txt", "最初のメモ。\n")
    library.import_paths(store, [first_undated])
    dated = [write(tmp_path / f"{day}.md", f"---\ntitle: {day}\ndate: {day}\n---\n\n本文。\n") for day in ("2019-01-05", "2024-05-10")]
    library.import_paths(store, dated)
    second_undated = write(tmp_path / "memo-b.txt", "次のメモ。\n")
    library.import_paths(store, [second_undated])
    listed = store.posts()
    assert [p.title for p in listed] == ["2024-05-10", "2019-01-05", "memo-b", "memo-a"]
    assert [p.date is None for p in listed] == [False, False, True, True]
    assert [p.id for p in store.posts(with_text=True)] == [p.id for p in listed]


@pytest.mark.parametrize(
    ("saved", "total", "said"),
    [(1, 1, "1 of 1 file was imported"), (1, 3, "1 of 3 files was imported"), (2, 3, "2 of 3 files were imported"),
     (0, 2, "0 of 2 files were imported")],
)
def test_a_stopped_import_counts_in_words(saved: int, total: int, said: str) -> None:
    """The sentence for an import the disk stopped says 1 file / 2 files, was / were."""
    import errno

    report = library.ImportReport(added=list(range(saved)))
    message = str(library.ImportStopped(report, OSError(errno.ENOSPC, "No space left on device"), total))
    assert message.startswith("The disk is full: " + said + " and saved before that")


# --- highlighting ---------------------------------------------------------------------------

REPEATS = "---\ntitle: 繰り返し\n---\n# 反復\n\n工場の話をする。次の工場は大きい。最後の工場は小さい。\n"


@pytest.fixture
def repeats(store: Store, tmp_path: Path):
    path = write(tmp_path / "repeats.md", REPEATS)
    library.import_paths(store, [path])
    return imported_post(store, path)


@pytest.mark.parametrize("occurrence", [1, 2, 3])
def test_annotate_quote_takes_the_nth_occurrence(store: Store, repeats, occurrence: int) -> None:
    """annotate_quote(..., occurrence=N) highlights the N-th copy of the quote."""
    made = library.annotate_quote(store, repeats, "工場", occurrence=occurrence)
    starts = [i for i in range(len(repeats.text)) if repeats.text.startswith("工場", i)]
    assert (made.start, made.end) == (starts[occurrence - 1], starts[occurrence - 1] + 2)
    assert made.exact == "工場"
    assert made.prefix == repeats.text[max(0, made.start - 32) : made.start]
    assert made.suffix == repeats.text[made.end : made.end + 32]


@pytest.mark.parametrize(
    ("quote", "occurrence", "message"),
    [
        ("存在しない言葉", 1, "The quote '存在しない言葉' does not occur in the post."),
        ("工場", 4, "The quote '工場' occurs only 3 times."),
        ("反復", 2, "The quote '反復' occurs only 1 time."),
        ("工場", 0, "--occurrence counts from 1."),
        ("", 1, "The quote to highlight is empty."),
    ],
)
def test_a_quote_that_cannot_be_found_is_a_store_error(store: Store, repeats, quote: str, occurrence: int, message: str) -> None:
    """An unknown quote, too high an occurrence, 0 or an empty quote is a one-sentence StoreError; nothing is stored."""
    with pytest.raises(StoreError) as caught:
        library.annotate_quote(store, repeats, quote, occurrence=occurrence)
    assert str(caught.value) == message
    assert store.annotations(include_deleted=True) == []


def test_a_highlight_keeps_its_colour_note_and_cleaned_tags(store: Store, repeats) -> None:
    """Tags lose a leading # and surrounding spaces, blanks and repeats are dropped; colour and note are kept."""
    made = library.annotate_quote(store, repeats, "大きい", tags=["#chip", " claim ", "chip", "", "会社"], note="メモ", color="pink")
    assert (made.tags, made.note, made.color) == (("chip", "claim", "会社"), "メモ", "pink")
    assert store.annotation(made.id) == made
    assert made.created == made.updated and made.deleted is None and not made.orphan


@pytest.mark.parametrize("color", ["red", "Yellow", "", "#ff0000"])
def test_an_unknown_colour_is_a_store_error(store: Store, repeats, color: str) -> None:
    """Only the palette's colours are accepted; the error names them."""
    with pytest.raises(StoreError, match="Unknown colour .*yellow, green, blue, pink, purple"):
        library.annotate_quote(store, repeats, "工場", color=color)
    assert store.annotations(include_deleted=True) == []
    assert set(COLORS) == {"yellow", "green", "blue", "pink", "purple"}


@pytest.mark.parametrize("tag", ["two words", "全角\u3000スペース", "tab\there"])
def test_a_tag_with_spaces_is_a_store_error(store: Store, repeats, tag: str) -> None:
    """A tag with any kind of space in it is refused with a hint."""
    with pytest.raises(StoreError, match="cannot contain spaces"):
        library.annotate_quote(store, repeats, "工場", tags=[tag])
    assert store.annotations(include_deleted=True) == []


@pytest.mark.parametrize(("start", "end"), [(3, 3), (-2, 4), (0, 10_000)])
def test_annotate_span_rejects_bad_spans(store: Store, repeats, start: int, end: int) -> None:
    """An empty or out-of-range span is a StoreError."""
    with pytest.raises(StoreError):
        library.annotate_span(store, repeats, start, end)


def test_a_highlight_is_updated_deleted_and_restored(store: Store, repeats) -> None:
    """update changes note, tags and colour; delete hides it as a marker; restore brings it back unchanged."""
    made = library.annotate_quote(store, repeats, "小さい")
    changed = library.update_annotation(store, made.id, note="書き足した", tags=["question"], color="green")
    assert (changed.note, changed.tags, changed.color, changed.exact) == ("書き足した", ("question",), "green", "小さい")
    assert changed.updated >= made.updated and changed.created == made.created
    untouched = library.update_annotation(store, made.id)
    assert (untouched.note, untouched.tags, untouched.color) == ("書き足した", ("question",), "green")

    deleted = library.delete_annotation(store, made.id)
    assert deleted.deleted is not None
    assert store.annotations(repeats.id) == []
    assert [a.id for a in store.annotations(repeats.id, include_deleted=True)] == [made.id]

    restored = library.restore_annotation(store, made.id)
    assert restored.deleted is None
    assert [(a.id, a.note) for a in store.annotations(repeats.id)] == [(made.id, "書き足した")]


@pytest.mark.parametrize(
    "change",
    [
        lambda store, i: library.update_annotation(store, i, color="red"),
        lambda store, i: library.update_annotation(store, i, tags=["a b"]),
    ],
)
def test_a_bad_update_changes_nothing(store: Store, repeats, change) -> None:
    """A bad colour or tag in an update is a StoreError and the highlight stays as it was."""
    made = library.annotate_quote(store, repeats, "小さい", tags=["chip"])
    with pytest.raises(StoreError):
        change(store, made.id)
    assert store.annotation(made.id) == made


@pytest.mark.parametrize("action", [library.delete_annotation, library.restore_annotation, library.update_annotation])
def test_an_unknown_highlight_id_is_a_store_error(store: Store, action) -> None:
    """Updating, deleting or restoring a highlight that does not exist is a StoreError."""
    with pytest.raises(StoreError, match="No highlight"):
        action(store, "no-such-highlight")


# --- highlighting a span that is highlighted already ----------------------------------------


def _span(post, quote: str) -> tuple[int, int]:
    start = post.text.index(quote)
    return start, start + len(quote)


def test_the_same_span_again_updates_the_highlight(store: Store, repeats) -> None:
    """Highlighting exactly a live highlight's span updates it (tags added, note and colour
    replaced when given) and makes no second highlight."""
    made = library.annotate_quote(store, repeats, "大きい", tags=["chip"], note="最初", color="pink")
    again = library.highlight(store, repeats, made.start, made.end, tags=["claim", "chip"], note="書き直し", color="blue")
    assert again.outcome == "updated" and again.absorbed == ()
    assert again.annotation.id == made.id and again.annotation.created == made.created
    assert (again.annotation.tags, again.annotation.note, again.annotation.color) == (("chip", "claim"), "書き直し", "blue")
    assert store.annotations(repeats.id) == [again.annotation]
    # Nothing given: the highlight as it is, not written again.
    same = library.highlight(store, repeats, made.start, made.end)
    assert same.outcome == "unchanged" and same.annotation == again.annotation
    # Neither note nor colour given: both kept, the tag added.
    kept = library.annotate_quote(store, repeats, "大きい", tags=["question"])
    assert (kept.id, kept.note, kept.color, kept.tags) == (made.id, "書き直し", "blue", ("chip", "claim", "question"))
    assert len(store.annotations(repeats.id, include_deleted=True)) == 1


def test_a_span_inside_a_highlight_returns_that_highlight(store: Store, repeats) -> None:
    """A span strictly inside a live highlight updates that highlight with what was given; its span stays."""
    made = library.annotate_quote(store, repeats, "次の工場は大きい")
    start, end = _span(repeats, "工場は")
    result = library.highlight(store, repeats, start, end, note="中だけ")
    assert result.outcome == "updated" and result.annotation.id == made.id
    assert (result.annotation.start, result.annotation.end, result.annotation.note) == (made.start, made.end, "中だけ")
    assert [a.id for a in store.annotations(repeats.id, include_deleted=True)] == [made.id]


def test_a_span_overlapping_highlights_merges_them_into_the_first(store: Store, repeats) -> None:
    """A span that overlaps live highlights partly: the first grows to cover them all, with every tag,
    their notes joined by a blank line and the given colour; the others are marked deleted."""
    first = library.annotate_quote(store, repeats, "工場の話", tags=["chip"], note="一つ目", color="green")
    second = library.annotate_quote(store, repeats, "次の工場", tags=["claim"], note="二つ目")
    third = library.annotate_quote(store, repeats, "最後の工場", note="一つ目")
    start = repeats.text.index("話をする")
    end = repeats.text.index("最後") + 1
    result = library.highlight(store, repeats, start, end, tags=["question"], note="新しい", color="purple")
    merged = result.annotation
    assert result.outcome == "merged" and result.absorbed == (second.id, third.id)
    assert merged.id == first.id and merged.created == first.created
    assert (merged.start, merged.end) == (first.start, third.end)
    assert merged.exact == repeats.text[first.start : third.end]
    assert merged.tags == ("chip", "claim", "question")
    assert merged.note == "一つ目\n\n二つ目\n\n新しい"
    assert merged.color == "purple"
    assert [a.id for a in store.annotations(repeats.id)] == [first.id]
    assert all(store.annotation(i).deleted is not None for i in (second.id, third.id))
    # The merged highlight is found again by its quote, where it now stands.
    from app.core.posts.anchoring import anchor

    assert (found := anchor(repeats.text, merged.selectors)) is not None and (found.start, found.end) == (merged.start, merged.end)


def test_an_overlap_without_a_colour_keeps_the_first_highlights(store: Store, repeats) -> None:
    """Merging with no colour given keeps the first highlight's colour, and the span grows past the new one."""
    first = library.annotate_quote(store, repeats, "次の工場", color="blue")
    start, _ = _span(repeats, "工場は大きい")
    merged = library.annotate_span(store, repeats, start, start + len("工場は大きい"))
    assert merged.id == first.id and merged.color == "blue" and merged.exact == "次の工場は大きい"


def test_adjacent_orphaned_and_deleted_highlights_are_not_merged(store: Store, repeats) -> None:
    """Only live highlights in the text that overlap count: a touching one, a deleted one and an
    orphan leave the new span to a new highlight."""
    touching = library.annotate_quote(store, repeats, "工場の話")
    deleted = library.annotate_quote(store, repeats, "をする")
    library.delete_annotation(store, deleted.id)
    start = touching.end
    result = library.highlight(store, repeats, start, start + 4)
    assert result.outcome == "created" and result.annotation.id not in (touching.id, deleted.id)
    assert store.annotation(touching.id).end == touching.end and store.annotation(deleted.id).deleted is not None
    with store.transaction():
        store.conn.execute("UPDATE annotations SET orphan = 1 WHERE id = ?", [result.annotation.id])
    fresh = library.highlight(store, repeats, start, start + 4)
    assert fresh.outcome == "created" and fresh.annotation.id != result.annotation.id


def test_a_refused_merge_changes_nothing(store: Store, repeats) -> None:
    """A bad colour over existing highlights is refused before anything is written."""
    first = library.annotate_quote(store, repeats, "工場の話")
    with pytest.raises(StoreError, match="Unknown colour"):
        library.highlight(store, repeats, first.start + 1, first.end + 3, color="red")
    assert store.annotations(repeats.id, include_deleted=True) == [first]


# --- readings ----------------------------------------------------------------------------------


def _imported(store: Store, path: Path):
    library.import_file(store, path)
    return imported_post(store, path)


def _word(store: Store, post, surface: str, occurrence: int = 1):
    from app.core.reading import words

    start = -1
    for _ in range(occurrence):
        start = post.text.index(surface, start + 1)
    return words.word_at(post.text, start, store.reading_overrides(post.id))


def test_choosing_a_reading_for_this_post_applies_to_this_occurrence(store: Store, tmp_path: Path) -> None:
    """A reading chosen for one post keeps the word's context: it shows there and not in the
    post's other uses of the word, nor in other posts."""
    post = _imported(store, write(tmp_path / "town.md", "北陸の町に工場がある。\n\n隣の町にも工場がある。\n"))
    word = _word(store, post, "町", 1)
    made = library.choose_reading(store, post.id, word, "ちょう")
    assert (made.post_id, made.surface, made.reading) == (post.id, "町", "ちょう")
    assert _word(store, post, "町", 1).reading == "ちょう"
    assert _word(store, post, "町", 2).reading != "ちょう"  # the same word elsewhere in the post
    assert store.reading_overrides(None) == ()  # nothing for other posts


def test_a_reading_chosen_for_everywhere_replaces_the_posts_own(store: Store, tmp_path: Path) -> None:
    """The renderer takes the first correction that applies, the post's own first: choosing a
    reading for everywhere removes this post's correction of that occurrence, so the new one shows."""
    post = _imported(store, write(tmp_path / "town.md", "北陸の町に工場がある。\n"))
    library.choose_reading(store, post.id, _word(store, post, "町"), "ちょう")
    library.choose_reading(store, post.id, _word(store, post, "町"), "まち", everywhere=True)
    assert [(c.post_id, c.reading) for c in store.corrections(post.id)] == [(None, "まち")]
    assert _word(store, post, "町").reading == "まち"


def test_choosing_a_reading_is_one_transaction(store: Store, tmp_path: Path, monkeypatch) -> None:
    """If removing the shadowed correction fails, the new one is not saved either."""
    post = _imported(store, write(tmp_path / "town.md", "北陸の町に工場がある。\n"))
    library.choose_reading(store, post.id, _word(store, post, "町"), "ちょう")

    def refuse(*_args):
        raise StoreError("The disk refused.")

    monkeypatch.setattr(store, "remove_correction", refuse)
    with pytest.raises(StoreError):
        library.choose_reading(store, post.id, _word(store, post, "町"), "まち", everywhere=True)
    assert [(c.post_id, c.reading) for c in store.corrections(post.id)] == [(post.id, "ちょう")]


def test_a_post_stored_by_an_older_renderer_is_brought_in_line_when_opened(store: Store, tmp_path: Path) -> None:
    """The same file, stored with the text an older Kakikomi rendered from it: opening it
    stores the text the page now shows and moves its highlights onto it."""
    from app.core.library import opening
    from app.core.reading.furigana_mode import FuriganaMode

    path = write(tmp_path / "factory.md", FACTORY)
    library.import_file(store, path)
    post = imported_post(store, path)
    made = library.annotate_quote(store, post, "投資額", tags=["investment"])
    # What an older renderer stored: one more line at the top, and the highlight after it.
    extra = "{% include toc.html %}\n"
    with store.transaction():
        store.conn.execute("UPDATE posts SET text = ?, length = ? WHERE id = ?", [extra + post.text, len(extra + post.text), post.id])
        store.conn.execute('UPDATE annotations SET start = start + ?, "end" = "end" + ? WHERE id = ?', [len(extra), len(extra), made.id])
    opened = opening.open_post(store, post.id, FuriganaMode("all"))
    assert opened.record.text == opened.rendered.plain.text == post.text
    [moved] = store.annotations(post.id)
    assert post.text[moved.start : moved.end] == "投資額" and not moved.orphan
    assert [a.id for a in opened.annotations] == [made.id]
