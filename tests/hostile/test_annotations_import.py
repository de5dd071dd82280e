"""Hostile `import-annotations` files (issue #19, defects 5, 6 and 13): bogus data never wins over
the library, bad input is skipped with a reason or refused in one sentence, and an annotation's
`source` never makes Kakikomi read a local file unless asked to.

Real SQLite libraries in tmp_path; the CLI is run as `python -m app` in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.library import actions as library
from app.core.library.derived import open_library
from app.core.library.export import ExportError
from app.core.library.webanno import export_json, import_json
from app.core.store import Store

REPO_ROOT = Path(__file__).resolve().parents[2]
POST = "---\ntitle: 天気の話\n---\n\n今日は良い天気です。明日は雨が降るでしょう。\n\nThe weather is fine today.\n"
OTHER = "---\ntitle: 別の話\n---\n\n工場の話です。\n"
ID = "6f1c2a8e-1111-4222-8333-944455556666"


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "KAKIKOMI_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=REPO_ROOT, env=environment, capture_output=True, text=True,
        encoding="utf-8", errors="replace", timeout=120, check=False,
    )


def no_internal_error(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode in (0, 2), (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


@pytest.fixture
def shelf(tmp_path: Path):
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "weather.md").write_text(POST, encoding="utf-8")
    (posts / "other.md").write_text(OTHER, encoding="utf-8")
    store = open_library(tmp_path / "lib.sqlite3")
    library.import_paths(store, [posts / "weather.md", posts / "other.md"])
    weather = store.post(str(posts / "weather.md"))
    made = library.annotate_quote(store, weather, "良い天気", tags=["sky"], note="the original note")
    yield store, made, posts
    store.close()


def item(source: Path | str, quote: str = "良い天気", **extra) -> dict:
    uri = source.as_uri() if isinstance(source, Path) else source
    return {"type": "Annotation", "target": {"source": uri, "selector": {"type": "TextQuoteSelector", "exact": quote}}, **extra}


def write(tmp_path: Path, document: object, name: str = "in.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def edit(made, posts: Path, **extra) -> dict:
    body = [{"type": "TextualBody", "purpose": "commenting", "value": "a bogus note"},
            {"type": "TextualBody", "purpose": "tagging", "value": "bogus"}]
    values = {"id": f"urn:uuid:{made.id}", "body": body, "target": {
        "source": (posts / "weather.md").as_uri(), "styleClass": "pink",
        "selector": [{"type": "TextQuoteSelector", "exact": "明日は雨"}]}}
    return {"type": "Annotation", **values, **extra}


# --- defect 5: bogus data never wins ---------------------------------------------------------


def test_garbage_modified_is_skipped_and_a_later_genuine_edit_still_wins(shelf, tmp_path):
    """`modified: "zzzz-garbage"` replaced the highlight before; now it is skipped with its reason,
    and a genuine edit afterwards is imported (not "unchanged" by string comparison)."""
    store, made, posts = shelf
    summary = import_json(store, write(tmp_path, edit(made, posts, modified="zzzz-garbage")))
    kept = store.annotation(made.id)
    assert (kept.note, kept.tags, kept.color, kept.exact) == ("the original note", ("sky",), made.color, "良い天気")
    assert summary.skipped == [made.id] and "modified" in summary.errors[0] and "RFC 3339" in summary.errors[0]
    genuine = stamp(datetime.now(timezone.utc))
    summary = import_json(store, write(tmp_path, edit(made, posts, modified=genuine), "genuine.json"))
    assert summary.updated == [made.id] and store.annotation(made.id).note == "a bogus note"


def test_a_garbage_time_already_in_the_library_loses_to_a_genuine_edit(shelf, tmp_path):
    """A library that took a garbage `updated` from an older Kakikomi still accepts genuine edits."""
    store, made, posts = shelf
    store.db.execute("UPDATE annotations SET updated = 'zzzz-garbage' WHERE id = ?", [made.id])
    summary = import_json(store, write(tmp_path, edit(made, posts, modified=stamp(datetime.now(timezone.utc)))))
    assert summary.updated == [made.id]


def test_times_are_compared_as_times_not_strings(shelf, tmp_path):
    """11:00+02:00 is 09:00Z: older than a 10:00Z edit, though it sorts later as text."""
    store, made, posts = shelf
    store.db.execute("UPDATE annotations SET updated = '2026-01-01T10:00:00.000000Z' WHERE id = ?", [made.id])
    summary = import_json(store, write(tmp_path, edit(made, posts, modified="2026-01-01T11:00:00+02:00")))
    assert summary.unchanged == [made.id] and store.annotation(made.id).note == "the original note"
    summary = import_json(store, write(tmp_path, edit(made, posts, modified="2026-01-01T12:00:00+01:00"), "b.json"))
    assert summary.updated == [made.id]
    assert store.annotation(made.id).updated == "2026-01-01T11:00:00.000000Z"  # kept in UTC


def test_a_future_time_is_clamped_to_now_and_warned(shelf, tmp_path):
    store, made, posts = shelf
    before = datetime.now(timezone.utc)
    summary = import_json(store, write(tmp_path, edit(made, posts, modified="2099-01-01T00:00:00Z")))
    assert summary.updated == [made.id]
    updated = datetime.fromisoformat(store.annotation(made.id).updated.replace("Z", "+00:00"))
    assert before <= updated <= datetime.now(timezone.utc)
    assert any("future" in w and made.id in w for w in summary.warnings)
    # The same file again changes nothing (the content is the same), however often.
    again = import_json(store, write(tmp_path, edit(made, posts, modified="2099-01-01T00:00:00Z"), "again.json"))
    assert again.unchanged == [made.id]


def test_a_known_highlight_is_never_moved_to_another_post(shelf, tmp_path):
    """`modified: 2099…` with another post's source moved the highlight there before."""
    store, made, posts = shelf
    moved = edit(made, posts, modified="2099-01-01T00:00:00Z")
    moved["target"]["source"] = (posts / "other.md").as_uri()
    moved["target"]["selector"] = [{"type": "TextQuoteSelector", "exact": "工場"}]
    summary = import_json(store, write(tmp_path, moved))
    assert summary.skipped == [made.id] and "another post" in summary.errors[0]
    kept = store.annotation(made.id)
    assert (kept.post_id, kept.exact, kept.note) == (made.post_id, "良い天気", "the original note")


@pytest.mark.parametrize("marker", [1, "yes", {"when": "now"}, [True], "2099-13-45T99:00:00Z"])
def test_a_deletion_marker_that_is_not_a_time_or_boolean_is_refused(shelf, tmp_path, marker):
    store, made, posts = shelf
    summary = import_json(store, write(tmp_path, edit(made, posts, modified="2099-01-01T00:00:00Z", **{"kk:deleted": marker})))
    assert summary.skipped == [made.id] and "kk:deleted" in summary.errors[0]
    assert store.annotation(made.id).deleted is None


def test_a_boolean_or_future_deletion_marker_is_read_as_a_time(shelf, tmp_path):
    store, made, posts = shelf
    summary = import_json(store, write(tmp_path, edit(made, posts, modified="2099-01-01T00:00:00Z", **{"kk:deleted": "2099-01-01T00:00:00Z"})))
    deleted = store.annotation(made.id).deleted
    assert summary.updated == [made.id] and deleted is not None and deleted < "2099"
    assert len(summary.warnings) == 1  # one warning per annotation, naming both fields
    summary = import_json(store, write(tmp_path, edit(made, posts, modified="2099-01-02T00:00:00Z", **{"kk:deleted": False}), "b.json"))
    assert store.annotation(made.id).deleted is None


# --- defect 6: bad files give one sentence, bad items are skipped ----------------------------


def test_deeply_nested_json_is_one_sentence_exit_2(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run("import-annotations", "--db", str(tmp_path / "lib.sqlite3"), str(path), home=tmp_path / "home")
    no_internal_error(result)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1 and "nested" in result.stderr


def test_hostile_values_skip_their_item_and_the_rest_imports(shelf, tmp_path):
    """Infinity, a 5,000-digit integer, lone surrogates and an over-long source path: each item
    skipped with its reason, the good one imported, no internal error."""
    store, _made, posts = shelf
    weather = posts / "weather.md"
    good = item(weather, "明日は雨", id="7f1c2a8e-1111-4222-8333-944455556666")
    infinite = item(weather, "雨")
    infinite["target"]["selector"] = [infinite["target"]["selector"], {"type": "TextPositionSelector", "start": "INF", "end": 3}]
    huge = item(weather, "降る")
    huge["target"]["selector"] = [huge["target"]["selector"], {"type": "TextPositionSelector", "start": 0, "end": "HUGE"}]
    text = json.dumps([
        good, infinite, huge,
        item(weather, "SURROGATE"),
        item(weather, "今日", body={"type": "TextualBody", "value": "SURROGATE"}),
        item(weather, "今日", body={"type": "TextualBody", "purpose": "tagging", "value": "SURROGATE"}),
        item("file:///" + "long/" * 10 + "x" * 300 + ".md", "今日"),
    ], ensure_ascii=False)
    text = text.replace('"INF"', "Infinity").replace('"HUGE"', "9" * 5000).replace("SURROGATE", "\\ud800")
    path = tmp_path / "hostile.json"
    path.write_text(text, encoding="utf-8")
    summary = import_json(store, path)
    assert summary.added == ["7f1c2a8e-1111-4222-8333-944455556666"]
    assert len(summary.skipped) == 6 and len(summary.errors) == 6
    result = run("import-annotations", "--db", str(store.path), str(path), "--read-post-files", home=tmp_path / "home")
    no_internal_error(result)
    assert result.returncode == 0 and "0 added" in result.stdout and "6 skipped" in result.stdout


def test_big_items_are_bounded_and_report_progress(shelf, tmp_path):
    """A long quote that is nowhere in the text becomes an orphan quickly (no unbounded fuzzy
    search), an over-long note is skipped, and progress is reported as items are done."""
    store, _made, posts = shelf
    weather = posts / "weather.md"
    long_quote = item(weather, "あいうえお" * 4000, id="8f1c2a8e-1111-4222-8333-944455556666")
    big_note = item(weather, "今日", body={"type": "TextualBody", "value": "x" * 3_000_000})
    many = [item(weather, "今日", id=f"urn:x:{n}") for n in range(300)]
    seen = []
    started = datetime.now(timezone.utc)
    summary = import_json(store, write(tmp_path, [long_quote, big_note, *many]), progress=lambda done, total: seen.append((done, total)))
    assert datetime.now(timezone.utc) - started < timedelta(seconds=20)
    assert store.annotation("8f1c2a8e-1111-4222-8333-944455556666").orphan
    assert len(summary.skipped) == 1 and "note" in summary.errors[0] and len(summary.added) == 301
    assert seen and seen[-1] == (302, 302)


def test_cli_prints_the_import_report_with_reasons(shelf, tmp_path):
    store, made, posts = shelf
    path = write(tmp_path, [edit(made, posts, modified="not a time"), item(posts / "weather.md", "明日", id=ID)])
    result = run("import-annotations", "--db", str(store.path), str(path), home=tmp_path / "home")
    no_internal_error(result)
    assert result.returncode == 0
    assert "1 added, 0 updated, 0 unchanged, 1 skipped" in result.stdout
    assert "modified" in result.stderr and made.id in result.stderr
    as_json = json.loads(run("import-annotations", "--db", str(store.path), str(path), "--json", home=tmp_path / "home").stdout)
    assert as_json["unchanged"] == 1 and as_json["skipped"] == 1 and len(as_json["errors"]) == 1
    assert as_json["skipped_items"][0]["id"] == made.id and "modified" in as_json["skipped_items"][0]["why"]


def test_a_file_of_nothing_but_bad_items_exits_2(tmp_path):
    path = write(tmp_path, [{"type": "Annotation", "target": {"source": "x"}}, "not an object"])
    result = run("import-annotations", "--db", str(tmp_path / "lib.sqlite3"), str(path), home=tmp_path / "home")
    no_internal_error(result)
    assert result.returncode == 2 and "2 skipped" in result.stdout


# --- defect 13: privacy -------------------------------------------------------------------------


def test_a_source_naming_a_local_file_never_reads_it(shelf, tmp_path):
    """file:///…/private-diary.md was imported into the library (and the next JSON export) before."""
    store, _made, _posts = shelf
    diary = tmp_path / "private" / "private-diary.md"
    diary.parent.mkdir()
    diary.write_text("---\ntitle: 日記\n---\n\n秘密の日記です。\n", encoding="utf-8")
    summary = import_json(store, write(tmp_path, item(diary, "秘密", id=ID)))
    assert summary.skipped == [ID] and "--read-post-files" in summary.errors[0]
    assert store.post_by_path(str(diary)) is None
    out = export_json(store, tmp_path / "backup.json")
    assert "秘密の日記" not in out.read_text(encoding="utf-8")


def test_a_restored_post_takes_its_text_from_the_backup_never_the_local_file(shelf, tmp_path):
    store, _made, _posts = shelf
    diary = tmp_path / "private-diary.md"
    diary.write_text("---\ntitle: 日記\n---\n\n秘密の日記です。\n", encoding="utf-8")
    snapshot = {"source": diary.as_uri(), "title": "公開", "text": "公開の文章です。"}
    document = {"type": "AnnotationCollection", "kk:posts": [snapshot], "items": [item(diary, "公開", id=ID)]}
    summary = import_json(store, write(tmp_path, document))
    assert summary.added == [ID]
    assert store.post_by_path(str(diary)).text == "公開の文章です。"


def test_reading_local_post_files_takes_an_explicit_flag(tmp_path):
    diary = tmp_path / "diary.md"
    diary.write_text("---\ntitle: 日記\n---\n\n秘密の日記です。\n", encoding="utf-8")
    path = write(tmp_path, item(diary, "秘密", id=ID))
    db = tmp_path / "lib.sqlite3"
    result = run("import-annotations", "--db", str(db), str(path), home=tmp_path / "home")
    no_internal_error(result)
    assert "--read-post-files" in result.stderr
    result = run("import-annotations", "--db", str(db), str(path), "--read-post-files", home=tmp_path / "home")
    assert result.returncode == 0 and "1 added" in result.stdout, result.stderr


# --- the schema under fuzzing -----------------------------------------------------------------

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["2026-01-01T00:00:00Z", "2099-01-01T00:00:00Z", "zzzz", "", "urn:uuid:" + ID, "\ud800"]),
)
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12)
_selector = st.fixed_dictionaries({"type": st.sampled_from(["TextQuoteSelector", "TextPositionSelector", "Other"])}, optional={
    "exact": st.one_of(st.sampled_from(["良い天気", "雨", "\ud800"]), _values), "prefix": _values, "suffix": _values,
    "start": _values, "end": _values,
})
_annotation = st.fixed_dictionaries({"type": st.just("Annotation")}, optional={
    "id": _values, "created": _values, "modified": _values, "kk:deleted": _values, "body": _values, "bodyValue": _values,
    "tags": _values, "target": st.fixed_dictionaries({}, optional={
        "source": st.one_of(st.just("WEATHER"), _values), "styleClass": _values,
        "selector": st.one_of(_selector, st.lists(_selector, max_size=3), _values)}),
})


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(items=st.lists(st.one_of(_annotation, _values), max_size=4))
def test_fuzzed_annotation_files_never_fail_inside(shelf, tmp_path, items):
    """Whatever the items hold: ExportError or a summary whose counts add up; the highlight made
    in the library is never changed by an item that is skipped."""
    store, made, posts = shelf
    text = json.dumps(items).replace('"WEATHER"', json.dumps((posts / "weather.md").as_uri()))
    path = tmp_path / "fuzz.json"
    path.write_text(text, encoding="utf-8")
    try:
        summary = import_json(store, path)
    except ExportError as exc:
        assert str(exc).endswith(".")
        return
    counted = len(summary.added) + len(summary.updated) + len(summary.unchanged) + len(summary.skipped)
    assert counted == len(items)
    assert len(summary.errors) == len(summary.skipped)
    assert isinstance(store, Store) and store.annotation(made.id).exact == "良い天気"


@pytest.mark.parametrize(("text", "utc"), [
    ("2026-01-02T03:04:05Z", "2026-01-02T03:04:05.000000Z"),
    ("2026-01-02t03:04:05.123456789z", "2026-01-02T03:04:05.123456Z"),
    ("2026-01-02 03:04:05+09:00", "2026-01-01T18:04:05.000000Z"),
    ("2026-01-02T03:04:05-01:30", "2026-01-02T04:34:05.000000Z"),
    ("2026-12-31T23:59:60Z", "2026-12-31T23:59:59.000000Z"),  # a leap second
    ("2026-01-02T03:04:05", "2026-01-02T03:04:05.000000Z"),  # no offset: read as UTC
])
def test_rfc3339_times_are_read_as_utc(text, utc):
    from app.core.library.annotation_schema import format_time, parse_time

    assert format_time(parse_time(text)) == utc


@pytest.mark.parametrize("text", [
    "zzzz-garbage", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-01-01", "0000-01-01T00:00:00Z",
    "2026-01-01T00:00:00+24:00", "=1+2", "+2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z" + " " * 100, 20260101, None,
])
def test_anything_else_is_not_a_time(text):
    from app.core.library.annotation_schema import parse_time

    assert parse_time(text) is None
