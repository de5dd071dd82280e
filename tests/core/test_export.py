"""Tests for app.core.library.export: Markdown, JSON and CSV out of a real library, and JSON back in.

Markdown golden files live in tests/fixtures/export/; run with KAKIKOMI_UPDATE_GOLDEN=1 to rewrite
them after a deliberate format change (and read the diff before committing).
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from app.core.library import actions as library
from app.core.library import export, search, webanno
from app.core.library.export import ExportError, export_csv, export_markdown
from app.core.library.webanno import export_json, import_json
from app.core.store import Annotation, Store, open_store
from app.core.store import now as store_now

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "export"
NOW = "2026-01-02T03:04:05Z"

CHIPS = """---
title: 半導体と投資のメモ
date: 2025-11-30
tags: [tech, 日本語]
author: 山田花子
---

新しい工場で半導体を作る計画が発表された。株式会社の投資額は一兆円だという。

Chip makers raised prices by 20% this year, analysts said.

\\# 記号で始まる行です。

1\\. 番号のように見える行です。

\\- ダッシュで始まる行です。

この段落は後で書き換えられる予定です。
"""

READING = """---
title: Reading notes 読書メモ
date: 2025-12-01
tags: [books]
---

I read a book about semiconductors on the train.

毎朝電車で日本語の本を読んでいます。
"""

OLD_CHIPS = """---
title: 古い半導体のメモ
date: 2024-01-15
---

昔の工場の話です。
"""


FIRST_NOTE = "工場の場所は未定。\nSecond line, with a comma."


@dataclass
class Library:
    store: Store
    root: Path
    chips: int
    reading: int
    old_chips: int
    ids: list[str]  # every highlight, in the order it was made

    def normalise(self, text: str) -> str:
        """Output with the temporary folder and the random highlight ids made fixed."""
        for number, annotation_id in enumerate(self.ids, 1):
            text = text.replace(annotation_id, f"00000000-0000-4000-8000-{number:012d}")
        return text.replace(str(self.root), "/TMP")


def _write_post(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _make_library(root: Path, name: str = "lib.sqlite3") -> Library:
    store = open_store(root / name)
    posts = root / "posts"
    chips_file = _write_post(posts / "2025-11-30-chips.md", CHIPS)
    _write_post(posts / "2025-12-01-reading.md", READING)
    _write_post(posts / "archive" / "2025-11-30-chips.md", OLD_CHIPS)
    report = library.import_paths(store, [posts])
    assert not report.errors
    by_title = {p.title: p for p in store.posts()}
    chips, reading, old = (by_title[t] for t in ("半導体と投資のメモ", "Reading notes 読書メモ", "古い半導体のメモ"))
    ids = []

    def mark(post, quote, **options):
        ids.append(library.annotate_quote(store, post, quote, **options).id)
        return ids[-1]

    mark(chips, "半導体を作る計画", tags=["chip", "investment"], note=FIRST_NOTE)
    mark(chips, "株式会社の投資額は一兆円", tags=["investment"], color="green")
    mark(chips, "Chip makers raised prices by 20%", tags=["chip", "question"], color="blue", note='Check: "20%" or 25%?')
    mark(chips, "# 記号で始まる行です。\n1. 番号のように見える行です。\n- ダッシュ", color="pink",
         note="Markdown special characters stay inside the quote.")
    library.delete_annotation(store, mark(chips, "this year", tags=["claim"], note="Deleted, so never exported."))
    mark(chips, "この段落は後で書き換えられる予定です。", tags=["claim"], note="Will be orphaned.")
    mark(reading, "毎朝電車で日本語の本を読んでいます", tags=["books"])
    mark(reading, "I read a book", color="green")
    mark(old, "昔の工場")
    # The last paragraph is rewritten: its highlight cannot be placed any more and becomes an orphan.
    rewritten = CHIPS.replace("この段落は後で書き換えられる予定です。", "まったく別の文章になりました。")
    chips_file.write_text(rewritten, encoding="utf-8")
    assert library.import_paths(store, [chips_file]).orphaned == 1
    return Library(store, root, chips.id, reading.id, old.id, ids)


@pytest.fixture
def lib(tmp_path):
    made = _make_library(tmp_path)
    yield made
    made.store.close()


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("KAKIKOMI_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"missing golden file {name}; run with KAKIKOMI_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def _note_of(store: Store, annotation_id: str) -> str:
    return store.annotation(annotation_id).note


# --- Markdown ----------------------------------------------------------------------------------


def test_markdown_by_position_matches_golden(lib, tmp_path):
    """A post's file holds front matter, live highlights in reading order and the orphans last."""
    written = export_markdown(lib.store, tmp_path / "out", post_ids=[lib.chips], now=NOW)
    assert [p.name for p in written] == ["2025-11-30-chips.md"]
    text = written[0].read_text(encoding="utf-8")
    _check_golden("chips-position.md", lib.normalise(text))
    assert "Deleted, so never exported." not in text
    assert text.index("### Orphaned highlights") > text.index("Chip makers")


def test_markdown_by_tag_matches_golden(lib, tmp_path):
    """Grouped by tag, a highlight appears under each of its tags but carries its block id once."""
    written = export_markdown(lib.store, tmp_path / "out", post_ids=[lib.chips], group_by="tag", now=NOW)
    text = written[0].read_text(encoding="utf-8")
    _check_golden("chips-tag.md", lib.normalise(text))
    headings = re.findall(r"^## .*$", text, flags=re.M)
    assert headings == ["## #chip", "## #investment", "## #question", "## Untagged"]
    for annotation in lib.store.annotations(lib.chips):
        assert text.count(f"^kk-{annotation.id}") == 1
    assert text.count("半導体を作る計画") == 2


@pytest.mark.parametrize("style", ["aozora", "ruby"])
def test_markdown_furigana_matches_golden(lib, tmp_path, style):
    """Quotes carry readings in Aozora Bunko notation or as HTML ruby, read in their context."""
    written = export_markdown(lib.store, tmp_path / "out", post_ids=[lib.chips], furigana=style, now=NOW)
    text = written[0].read_text(encoding="utf-8")
    _check_golden(f"chips-{style}.md", lib.normalise(text))
    if style == "aozora":
        assert "計画《けいかく》" in text
        # After another reading's 》 the base is unambiguous, so no ｜ is written there.
        assert "株式《かぶしき》会社《がいしゃ》" in text
    else:
        assert "<ruby>計画<rt>けいかく</rt></ruby>" in text


def test_markdown_without_furigana_has_no_readings(lib, tmp_path):
    """furigana='none' writes the quote exactly as the post's text has it."""
    text = export_markdown(lib.store, tmp_path / "out", post_ids=[lib.chips], now=NOW)[0].read_text(encoding="utf-8")
    assert "> 半導体を作る計画 ^kk-" in text
    assert "《" not in text and "<ruby>" not in text


def test_markdown_one_file_matches_golden(lib, tmp_path):
    """A target ending in .md gets every selected post in one file, a `# title` section each."""
    written = export_markdown(lib.store, tmp_path / "all.md", post_ids=[lib.chips, lib.reading], now=NOW)
    assert written == [tmp_path / "all.md"]
    text = written[0].read_text(encoding="utf-8")
    _check_golden("one-file.md", lib.normalise(text))
    assert re.findall(r"^# .*$", text, flags=re.M) == ["# 半導体と投資のメモ", "# Reading notes 読書メモ"]


def test_folder_export_names_files_after_their_sources(lib, tmp_path):
    """Each post gets <source stem>.md; a shared stem adds -<post id> to the later post only."""
    written = export_markdown(lib.store, tmp_path / "vault" / "kakikomi", now=NOW)
    names = sorted(p.name for p in written)
    assert names == sorted(["2025-11-30-chips.md", "2025-12-01-reading.md", f"2025-11-30-chips-{lib.old_chips}.md"])
    again = export_markdown(lib.store, tmp_path / "vault" / "kakikomi", now=NOW)
    assert sorted(p.name for p in again) == names


def test_folder_export_without_collision_keeps_plain_stem(lib, tmp_path):
    """A post whose stem is shared with an unselected post keeps its plain name."""
    written = export_markdown(lib.store, tmp_path / "out", post_ids=[lib.old_chips], now=NOW)
    assert [p.name for p in written] == ["2025-11-30-chips.md"]
    assert "古い半導体のメモ" in written[0].read_text(encoding="utf-8")


def test_one_file_flag_overrides_the_suffix(lib, tmp_path):
    """one_file=False makes even a name ending in .md a folder; one_file=True makes any name a file."""
    folder = export_markdown(lib.store, tmp_path / "odd.md", post_ids=[lib.reading], one_file=False, now=NOW)
    assert folder == [tmp_path / "odd.md" / "2025-12-01-reading.md"]
    single = export_markdown(lib.store, tmp_path / "notes.txt", post_ids=[lib.reading], one_file=True, now=NOW)
    assert single == [tmp_path / "notes.txt"] and single[0].is_file()


def test_front_matter_carries_the_post_metadata(lib, tmp_path):
    """The front matter has title, source, date, tags and the pinned export time."""
    text = export_markdown(lib.store, tmp_path / "out", post_ids=[lib.chips], now=NOW)[0].read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    post = lib.store.post(lib.chips)
    assert front == {
        "title": post.title, "source": post.source_path, "date": "2025-11-30", "tags": ["tech", "日本語"], "exported": NOW,
    }


def test_reexport_keeps_user_text_and_user_front_matter(lib, tmp_path):
    """Re-exporting replaces only the generated part and our keys; the reader's words stay byte for byte."""
    path = export_markdown(lib.store, tmp_path / "out", post_ids=[lib.chips], now=NOW)[0]
    text = path.read_text(encoding="utf-8")
    head, generated_and_after = text.split(export.BEGIN_MARKER)
    front, body_before = head.split("---\n")[1], head.split("---\n", 2)[2]
    user_front = "aliases: [チップ]\n# my own comment\ntitle: changed by me\nrating: 5\n"
    before = body_before + "My thoughts before the highlights.\n\n"
    after = "\n## 感想\n\nMy own conclusion, written by hand.\n"
    ours = front.replace("title: 半導体と投資のメモ\n", "")
    edited = "---\n" + user_front + ours + "---\n" + before + export.BEGIN_MARKER + generated_and_after + after
    path.write_text(edited, encoding="utf-8")

    library.update_annotation(lib.store, lib.ids[1], note="新しいメモ")
    export_markdown(lib.store, tmp_path / "out", post_ids=[lib.chips], now="2026-02-02T00:00:00Z")
    result = path.read_text(encoding="utf-8")

    assert result.endswith(export.END_MARKER + "\n" + after)
    assert "---\n" + before + export.BEGIN_MARKER in result
    assert "新しいメモ" in result
    new_front_text = result.split("---\n")[1]
    assert new_front_text.startswith("aliases: [チップ]\n# my own comment\ntitle: 半導体と投資のメモ\nrating: 5\n")
    new_front = yaml.safe_load(new_front_text)
    assert list(new_front)[:3] == ["aliases", "title", "rating"]
    assert new_front["exported"] == "2026-02-02T00:00:00Z"


def test_a_file_written_before_the_blank_line_and_the_dateless_front_matter_is_merged(lib, tmp_path):
    """A file an older Kakikomi wrote (the note right under the tag line, `date: null`, no final
    line end) and the reader wrote around: a re-export replaces our part with the new layout,
    drops `date: null`, keeps the reader's text and ends the file with a line end."""
    old = (GOLDEN / "old-format-one-file.md").read_text(encoding="utf-8")
    assert "date: null" in old and "· yellow\n工場の場所は未定。" in old and not old.endswith("\n")
    target = tmp_path / "all.md"
    target.write_text(old.replace("/TMP", str(lib.root)), encoding="utf-8")
    export_markdown(lib.store, target, post_ids=[lib.chips, lib.reading], now=NOW)
    merged = lib.normalise(target.read_text(encoding="utf-8"))
    fresh = (GOLDEN / "one-file.md").read_text(encoding="utf-8")
    assert "date" not in yaml.safe_load(merged.split("---\n")[1])
    assert "date:" not in merged.split("---\n")[1]
    assert merged.endswith("My own conclusion, no line end at the very end.\n")
    assert "---\n\nMy reading plan, written by hand.\n\n" + export.BEGIN_MARKER in merged
    ours = fresh[fresh.index(export.BEGIN_MARKER) : fresh.index(export.END_MARKER)]
    assert ours in merged and "· yellow\n\n工場の場所は未定。" in merged
    # Merging again changes nothing but the export time.
    export_markdown(lib.store, target, post_ids=[lib.chips, lib.reading], now=NOW)
    assert lib.normalise(target.read_text(encoding="utf-8")) == merged


def test_an_undated_post_has_no_date_key(lib, tmp_path):
    """A post without a date is exported without a `date` key, never `date: null`."""
    undated = _write_post(tmp_path / "posts" / "undated.md", "# 日付なし\n\n日付のない記事です。\n")
    library.import_paths(lib.store, [undated])
    post = lib.store.post(str(undated.resolve()))
    assert post.date is None
    library.annotate_quote(lib.store, post, "日付のない記事")
    [path] = export_markdown(lib.store, tmp_path / "out", post_ids=[post.id], now=NOW)
    front = path.read_text(encoding="utf-8").split("---\n")[1]
    assert "date" not in yaml.safe_load(front) and "null" not in front


def test_every_export_ends_with_a_line_end(lib, tmp_path):
    """Markdown (a folder and one file), CSV, JSON and the claims table all end with a line end;
    markdown_text is what a new FILE.md holds."""
    from app.core.library import claims_export

    paths = export_markdown(lib.store, tmp_path / "folder", now=NOW)
    paths += export_markdown(lib.store, tmp_path / "all.md", now=NOW)
    paths.append(export_csv(lib.store, tmp_path / "h.csv"))
    paths.append(export_json(lib.store, tmp_path / "h.json"))
    for fmt in claims_export.EXPORT_FORMATS:
        paths.append(claims_export.export_claims(lib.store, tmp_path / f"claims.{fmt}", fmt))
    assert len(paths) == 3 + 1 + 1 + 1 + 2
    for path in paths:
        data = path.read_bytes()
        assert data.endswith(b"\n") and not data.endswith(b"\n\n\n"), path.name
    assert export.markdown_text(lib.store, now=NOW) == (tmp_path / "all.md").read_text(encoding="utf-8")
    assert export.highlights_csv(lib.store) == (tmp_path / "h.csv").read_bytes().decode("utf-8-sig")


def test_reexport_with_broken_front_matter_replaces_only_the_generated_part(lib, tmp_path):
    """A front matter that is not valid YAML is kept exactly as it is."""
    path = export_markdown(lib.store, tmp_path / "out", post_ids=[lib.chips], now=NOW)[0]
    generated = path.read_text(encoding="utf-8").split("---\n", 2)[2]
    broken = "---\ntitle: [unclosed\n: :\n---\n"
    path.write_text(broken + generated, encoding="utf-8")
    library.update_annotation(lib.store, lib.ids[0], note="changed")
    export_markdown(lib.store, tmp_path / "out", post_ids=[lib.chips], now=NOW)
    result = path.read_text(encoding="utf-8")
    assert result.startswith(broken)
    assert "changed" in result and "工場の場所は未定。" not in result


def test_file_without_markers_gets_the_generated_part_appended(lib, tmp_path):
    """An existing note without our markers is kept whole, our part added at its end."""
    path = tmp_path / "out" / "2025-11-30-chips.md"
    path.parent.mkdir()
    mine = "---\ncssclass: wide\n---\n# My note\n\nNothing generated here yet."
    path.write_text(mine, encoding="utf-8")
    export_markdown(lib.store, tmp_path / "out", post_ids=[lib.chips], now=NOW)
    result = path.read_text(encoding="utf-8")
    assert result.split("---\n", 2)[2].startswith("# My note\n\nNothing generated here yet.\n\n" + export.BEGIN_MARKER + "\n")
    assert result.rstrip("\n").endswith(export.END_MARKER)
    assert yaml.safe_load(result.split("---\n")[1])["cssclass"] == "wide"


def test_file_without_front_matter_gets_ours_in_front(lib, tmp_path):
    """A plain note gains our front matter at the top and keeps its text after it."""
    path = tmp_path / "note.md"
    path.write_text("Just text.\n", encoding="utf-8")
    export_markdown(lib.store, path, post_ids=[lib.reading], now=NOW)
    result = path.read_text(encoding="utf-8")
    assert result.startswith("---\ntitle: Reading notes 読書メモ\n")
    assert "---\n\nJust text.\n\n" + export.BEGIN_MARKER in result


def test_crlf_file_stays_crlf(lib, tmp_path):
    """A note saved with Windows line endings keeps them, our part included."""
    path = tmp_path / "note.md"
    export_markdown(lib.store, path, post_ids=[lib.reading], now=NOW)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n") + b"Mine.\r\n")
    export_markdown(lib.store, path, post_ids=[lib.reading], now=NOW)
    data = path.read_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert data.endswith(b"<!-- kakikomi:end -->\r\nMine.\r\n")


def test_lonely_marker_is_refused(lib, tmp_path):
    """A begin marker without its end marker stops the export instead of eating the reader's text."""
    path = tmp_path / "note.md"
    original = "# Mine\n\n" + export.BEGIN_MARKER + "\n\nMy text after a lost end marker.\n"
    path.write_text(original, encoding="utf-8")
    with pytest.raises(ExportError, match="without an end marker"):
        export_markdown(lib.store, path, post_ids=[lib.reading], now=NOW)
    assert path.read_text(encoding="utf-8") == original


def test_export_never_overwrites_a_post_file(lib, tmp_path):
    """Exporting into the posts' own folder is refused, so a post cannot be overwritten."""
    source = lib.store.post(lib.chips).source_path
    before = Path(source).read_bytes()
    with pytest.raises(ExportError, match="overwrite a post"):
        export_markdown(lib.store, Path(source).parent, post_ids=[lib.chips], now=NOW)
    assert Path(source).read_bytes() == before


def test_bad_options_are_refused(lib, tmp_path):
    """Unknown furigana styles, groupings and post ids raise ExportError."""
    with pytest.raises(ExportError, match="furigana"):
        export_markdown(lib.store, tmp_path / "a.md", furigana="hiragana")
    with pytest.raises(ExportError, match="grouping"):
        export_markdown(lib.store, tmp_path / "a.md", group_by="colour")
    with pytest.raises(ExportError, match="No post"):
        export_markdown(lib.store, tmp_path / "a.md", post_ids=[9999])


def _annotation(exact: str, **fields) -> Annotation:
    return Annotation(id="id", post_id=1, exact=exact, prefix="", suffix="", start=0, end=len(exact), **fields)


@pytest.mark.parametrize(
    ("exact", "lines"),
    [
        ("# not a heading", ["\\# not a heading"]),
        ("#tag-looking", ["\\#tag-looking"]),
        ("> not nested", ["\\> not nested"]),
        ("- not a list", ["\\- not a list"]),
        ("+ plus", ["\\+ plus"]),
        ("* star", ["\\* star"]),
        ("*emphasis* stays", ["*emphasis* stays"]),
        ("1. not ordered", ["1\\. not ordered"]),
        ("2024) also", ["2024\\) also"]),
        ("2024年の話", ["2024年の話"]),
        ("text\n---", ["text", "\\---"]),
        ("text\n===", ["text", "\\==="]),
        ("```code", ["\\```code"]),
        ("<div>raw</div>", ["\\<div>raw</div>"]),
        ("| a | b |", ["\\| a | b |"]),
        ("[x]: https://example.com", ["\\[x]: https://example.com"]),
        ("  # indented", ["  \\# indented"]),
        ("one\n\n\n\ntwo\n\n", ["one", "", "two"]),
        ("\n\nlead", ["lead"]),
        ("日本語の文。", ["日本語の文。"]),
    ],
)
def test_quote_lines_escape_block_markers_minimally(exact, lines):
    """Only what would start a Markdown block at a line start is escaped; blank runs become one."""
    assert export.quote_lines(_annotation(exact)) == lines


def test_highlight_block_keeps_the_quote_together():
    """Each quote line is prefixed, blank lines stay inside the quote and the id ends the last line."""
    block = export.highlight_markdown(_annotation("first\n\n- second", tags=("chip",), note="a\nb"))
    assert block == "> first\n>\n> \\- second ^kk-id\n\n#chip · yellow\n\na\nb"


def test_note_lines_that_look_like_markers_are_escaped():
    """A note cannot end the generated part early by containing our end marker."""
    block = export.highlight_markdown(_annotation("quote", note="before\n" + export.END_MARKER + "\nafter"))
    assert "\n" + export.END_MARKER not in block
    assert "\\" + export.END_MARKER in block


def test_update_front_matter_keeps_comments_and_order():
    """Our keys are replaced in place; other keys, comments and blank lines stay as written."""
    text = "# comment\ntitle: old\nlist:\n  - a\n  - b\n\ntags:\n- x\nrating: 5\n"
    result = export.update_front_matter(text, {"title": "新", "tags": ["y"], "exported": NOW})
    assert result == "# comment\ntitle: 新\nlist:\n  - a\n  - b\n\ntags:\n- y\nrating: 5\nexported: '2026-01-02T03:04:05Z'\n"
    assert export.update_front_matter("- a list\n", {"title": "x"}) is None
    assert export.update_front_matter("title: [broken\n", {"title": "x"}) is None


def test_update_front_matter_falls_back_for_flow_mappings():
    """A layout line editing cannot handle is written out again, values and order intact."""
    result = export.update_front_matter("{a: 1, title: old, b: 2}\n", {"title": "new"})
    assert list(yaml.safe_load(result).items()) == [("a", 1), ("title", "new"), ("b", 2)]


# --- JSON ------------------------------------------------------------------------------------


def test_json_export_is_a_web_annotation_collection(lib, tmp_path):
    """The file is a W3C AnnotationCollection with every highlight, deleted ones and orphans included."""
    path = export_json(lib.store, tmp_path / "backup.json", now=NOW)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert data["@context"][1]["kk"] == "urn:kakikomi:"
    assert data["type"] == "AnnotationCollection" and data["generated"] == NOW
    assert data["generator"]["name"].startswith("Kakikomi")
    items = data["first"]["items"]
    assert data["first"]["type"] == "AnnotationPage"
    assert data["total"] == len(items) == len(lib.ids)
    by_id = {item["id"]: item for item in items}
    first = by_id[f"urn:uuid:{lib.ids[0]}"]
    assert first["type"] == "Annotation" and first["motivation"] == "commenting"
    assert {"type": "TextualBody", "purpose": "tagging", "value": "chip"} in first["body"]
    assert [b["value"] for b in first["body"] if b["purpose"] == "commenting"] == [FIRST_NOTE]
    assert first["target"]["source"] == Path(lib.store.post(lib.chips).source_path).as_uri()
    assert first["target"]["styleClass"] == "yellow"
    assert [s["type"] for s in first["target"]["selector"]] == ["TextQuoteSelector", "TextPositionSelector"]
    assert by_id[f"urn:uuid:{lib.ids[1]}"]["motivation"] == "highlighting"
    assert by_id[f"urn:uuid:{lib.ids[4]}"]["kk:deleted"] is not None
    assert by_id[f"urn:uuid:{lib.ids[5]}"]["kk:orphan"] is True
    assert first["modified"] == lib.store.annotation(lib.ids[0]).updated
    snapshots = {p["title"]: p for p in data["kk:posts"]}
    assert snapshots["半導体と投資のメモ"]["text"] == lib.store.post(lib.chips).text
    assert snapshots["半導体と投資のメモ"]["author"] == "山田花子"
    assert "株式会社" in path.read_text(encoding="utf-8")  # not \\u-escaped


def _comparable(store: Store) -> dict:
    return {
        a.id: (a.exact, a.tags, a.note, a.color, a.deleted, a.orphan, a.created, a.updated)
        for a in store.annotations(include_deleted=True)
    }


def test_json_round_trip_into_a_fresh_library_from_the_files(lib, tmp_path):
    """An empty library importing the backup with read_post_files gets every highlight, its posts
    imported from disk (without it, their text comes from the backup's copies only)."""
    path = export_json(lib.store, tmp_path / "backup.json")
    with open_store(tmp_path / "other.sqlite3") as other:
        summary = import_json(other, path, read_post_files=True)
        assert sorted(summary.added) == sorted(lib.ids) and not summary.errors
        assert len(summary.posts_added) == 3
        assert _comparable(other) == _comparable(lib.store)
        assert other.post_by_path(lib.store.post(lib.chips).source_path).content_hash == lib.store.post(lib.chips).content_hash


def test_json_round_trip_restores_posts_from_the_snapshot(lib, tmp_path):
    """With the post files gone, the posts come back from the backup's text snapshots."""
    path = export_json(lib.store, tmp_path / "backup.json")
    for post in lib.store.posts():
        Path(post.source_path).unlink()
    with open_store(tmp_path / "other.sqlite3") as other:
        summary = import_json(other, path)
        assert len(summary.added) == len(lib.ids) and not summary.errors
        assert _comparable(other) == _comparable(lib.store)
        restored = other.post_by_path(lib.store.post(lib.chips).source_path)
        original = lib.store.post(lib.chips)
        for name in ("title", "text", "tags", "author", "date", "content_hash"):
            assert getattr(restored, name) == getattr(original, name)
        assert [h.annotation_id for h in search.search(other, "工場の場所") if h.kind == "note"] == [lib.ids[0]]


def test_restore_post_inserts_once(lib, tmp_path):
    """restore_post adds a post from a snapshot, and returns the existing one the second time."""
    snapshot = webanno.PostSnapshot.of(lib.store.post(lib.reading))
    with open_store(tmp_path / "other.sqlite3") as other:
        first = webanno.restore_post(other, snapshot)
        second = webanno.restore_post(other, snapshot)
        assert first.id == second.id and len(other.posts()) == 1
        assert first.text == snapshot.text
        assert [h.kind for h in search.search(other, "毎朝電車")] == ["text"]


def test_importing_the_same_file_twice_changes_nothing(lib, tmp_path):
    """The second import of one file finds every highlight unchanged."""
    path = export_json(lib.store, tmp_path / "backup.json")
    with open_store(tmp_path / "other.sqlite3") as other:
        import_json(other, path)
        before = _comparable(other)
        summary = import_json(other, path)
        assert sorted(summary.unchanged) == sorted(lib.ids)
        assert not (summary.added or summary.updated or summary.skipped or summary.errors or summary.posts_added)
        assert _comparable(other) == before
    assert sorted(import_json(lib.store, path).unchanged) == sorted(lib.ids)


def _edited_backup(lib: Library, tmp_path: Path, name: str, annotation_id: str, **changes) -> Path:
    """A backup of the library with one highlight's JSON changed."""
    path = export_json(lib.store, tmp_path / f"{name}.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    for item in data["first"]["items"]:
        if item["id"] == f"urn:uuid:{annotation_id}":
            note = changes.pop("note", None)
            if note is not None:
                item["body"] = [b for b in item["body"] if b["purpose"] != "commenting"]
                item["body"].append({"type": "TextualBody", "purpose": "commenting", "value": note})
            item.update(changes)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_newer_edit_wins_and_older_is_ignored(lib, tmp_path):
    """A known highlight is replaced only when the file's `modified` is strictly newer."""
    target = lib.ids[1]
    later = store_now()  # after the highlight was made; a time in the future would be read as now
    older = _edited_backup(lib, tmp_path, "older", target, note="old idea", modified="2000-01-01T00:00:00.000000Z")
    newer = _edited_backup(lib, tmp_path, "newer", target, note="new idea", modified=later)
    summary = import_json(lib.store, older)
    assert target in summary.unchanged and _note_of(lib.store, target) == ""
    summary = import_json(lib.store, newer)
    assert summary.updated == [target] and _note_of(lib.store, target) == "new idea"
    assert lib.store.annotation(target).updated == later
    assert import_json(lib.store, newer).updated == []


def test_edits_made_in_another_library_merge_back(lib, tmp_path):
    """A note edited in library B after a sync reaches library A through B's export."""
    with open_store(tmp_path / "other.sqlite3") as other:
        import_json(other, export_json(lib.store, tmp_path / "a.json"))
        library.update_annotation(other, lib.ids[2], note="edited in B", tags=["chip"])
        summary = import_json(lib.store, export_json(other, tmp_path / "b.json"))
    assert summary.updated == [lib.ids[2]]
    changed = lib.store.annotation(lib.ids[2])
    assert (changed.note, changed.tags) == ("edited in B", ("chip",))


def test_deletion_marker_newer_deletes_and_older_does_not(lib, tmp_path):
    """A deletion travels like any edit: newer than the library's copy it deletes, older it is ignored."""
    target = lib.ids[0]
    stored = lib.store.annotation(target).updated
    old, new = "2000-01-01T00:00:00.000000Z", store_now()
    old_delete = _edited_backup(lib, tmp_path, "old", target, **{"kk:deleted": old, "modified": old})
    new_delete = _edited_backup(lib, tmp_path, "new", target, **{"kk:deleted": new, "modified": new})
    import_json(lib.store, old_delete)
    assert lib.store.annotation(target).deleted is None and lib.store.annotation(target).updated == stored
    import_json(lib.store, new_delete)
    assert lib.store.annotation(target).deleted == new
    assert target not in {a.id for a in lib.store.annotations(lib.chips)}
    assert not [h for h in search.search(lib.store, "工場の場所") if h.kind == "note"]
    # And an undelete that is newer still brings it back.
    restore = _edited_backup(lib, tmp_path, "restore", target, **{"kk:deleted": None, "modified": store_now()})
    import_json(lib.store, restore)
    assert lib.store.annotation(target).deleted is None


def _uri(lib: Library, post_id: int) -> str:
    return Path(lib.store.post(post_id).source_path).as_uri()


def _bare(lib: Library, quote: str, **extra) -> dict:
    """A minimal annotation another tool might write: a quote selector and nothing else of ours."""
    selector = {"type": "TextQuoteSelector", "exact": quote}
    return {"type": "Annotation", "target": {"source": _uri(lib, lib.reading), "selector": selector}, **extra}


@pytest.mark.parametrize(
    "shape",
    ["annotation", "list", "page", "collection-items", "untyped-annotation"],
)
def test_import_accepts_other_tools_shapes(lib, tmp_path, shape):
    """A single annotation, a list, a page or a collection is read, ids with or without urn:uuid:."""
    plain_id = "6f1c2a8e-1111-4222-8333-944455556666"
    one = _bare(lib, "on the train", id=plain_id, body=[
        {"type": "TextualBody", "purpose": "tagging", "value": "#transport"},
        {"type": "TextualBody", "purpose": "commenting", "value": "電車の話"},
    ])
    two = _bare(lib, "日本語の本", id="urn:uuid:7f1c2a8e-1111-4222-8333-944455556666", bodyValue="本のメモ")
    document = {
        "annotation": one,
        "list": [one, two],
        "page": {"type": "AnnotationPage", "items": [one, two]},
        "collection-items": {"type": ["AnnotationCollection", "OrderedCollection"], "items": [one, two]},
        "untyped-annotation": {k: v for k, v in one.items() if k != "type"},
    }[shape]
    path = tmp_path / "in.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    summary = import_json(lib.store, path)
    assert plain_id in summary.added and not summary.errors
    added = lib.store.annotation(plain_id)
    post = lib.store.post(lib.reading)
    assert post.text[added.start : added.end] == "on the train"  # placed without a position selector
    assert (added.tags, added.note, added.color, added.orphan) == (("transport",), "電車の話", "yellow", False)
    if shape != "annotation" and shape != "untyped-annotation":
        assert lib.store.annotation("7f1c2a8e-1111-4222-8333-944455556666").note == "本のメモ"
    assert import_json(lib.store, path).unchanged == summary.added


def test_foreign_ids_become_stable_uuids(lib, tmp_path):
    """An id that is not a uuid (or none at all) maps to the same uuid on every import."""
    path = tmp_path / "in.json"
    path.write_text(json.dumps([_bare(lib, "I read", id="https://example.com/a/1"), _bare(lib, "a book")]), encoding="utf-8")
    first = import_json(lib.store, path)
    second = import_json(lib.store, path)
    assert len(first.added) == 2 and second.unchanged == first.added


def test_quote_that_cannot_be_placed_is_kept_as_orphan(lib, tmp_path):
    """A new highlight whose quote is not in the post's text is imported as an orphan, selectors kept."""
    path = tmp_path / "in.json"
    gone = _bare(lib, "この文はどこにもありません", id="8f1c2a8e-1111-4222-8333-944455556666")
    gone["target"]["selector"] = [gone["target"]["selector"], {"type": "TextPositionSelector", "start": 3, "end": 16}]
    path.write_text(json.dumps(gone, ensure_ascii=False), encoding="utf-8")
    import_json(lib.store, path)
    orphan = lib.store.annotation("8f1c2a8e-1111-4222-8333-944455556666")
    assert orphan.orphan and (orphan.exact, orphan.start, orphan.end) == ("この文はどこにもありません", 3, 16)


def test_annotations_of_unknown_posts_are_skipped_and_others_kept(lib, tmp_path):
    """A highlight whose post is nowhere is skipped with a sentence; the rest of the file still imports."""
    stray = _bare(lib, "whatever", id="9f1c2a8e-1111-4222-8333-944455556666")
    stray["target"]["source"] = (tmp_path / "nowhere" / "missing.md").as_uri()
    web = _bare(lib, "whatever", id="af1c2a8e-1111-4222-8333-944455556666")
    web["target"]["source"] = "https://example.com/post"
    good = _bare(lib, "on the train", id="bf1c2a8e-1111-4222-8333-944455556666")
    path = tmp_path / "in.json"
    no_selector = {"type": "Annotation", "target": {"source": "x"}}
    path.write_text(json.dumps([stray, "not an object", web, no_selector, good]), encoding="utf-8")
    summary = import_json(lib.store, path)
    assert summary.added == ["bf1c2a8e-1111-4222-8333-944455556666"]
    assert len(summary.skipped) == 4 and len(summary.errors) == 4
    assert "missing.md" in summary.errors[0] and summary.errors[0].endswith(".")
    assert all(error.count(". ") == 0 for error in summary.errors)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"42", "no Web Annotations"),
        (b'{"type": "Something"}', "no Web Annotations"),
        (b'{"type": "AnnotationCollection", "first": "https://example.com/page1"}', "pages are not in the file"),
        (b"\xff\xfe\x00broken", "not UTF-8"),
    ],
)
def test_malformed_input_raises_a_clear_error(lib, tmp_path, content, message):
    """Input that is not Web Annotation JSON raises ExportError and changes nothing."""
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = _comparable(lib.store)
    with pytest.raises(ExportError, match=message):
        import_json(lib.store, path)
    assert _comparable(lib.store) == before


def test_missing_import_file_raises(lib, tmp_path):
    """A file that does not exist raises ExportError naming it."""
    with pytest.raises(ExportError, match="Could not read"):
        import_json(lib.store, tmp_path / "nope.json")


def test_failed_import_leaves_the_library_as_it_was(lib, tmp_path, monkeypatch):
    """An error halfway through rolls back every highlight and post the import had added."""
    path = export_json(lib.store, tmp_path / "backup.json")
    for post in lib.store.posts():
        Path(post.source_path).unlink()
    calls = []

    def failing(store, annotation):
        calls.append(annotation.id)
        if len(calls) == 3:
            raise RuntimeError("disk on fire")

    monkeypatch.setattr(search, "index_annotation", failing)
    with open_store(tmp_path / "other.sqlite3") as other:
        with pytest.raises(RuntimeError):
            import_json(other, path)
        assert other.annotations(include_deleted=True) == [] and other.posts() == []


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_has_the_columns_a_bom_and_survives_awkward_notes(lib, tmp_path):
    """One row per live highlight, UTF-8 with BOM, and a note with comma, quote and newline intact."""
    awkward = 'one, two "three"\nfour'
    library.update_annotation(lib.store, lib.ids[1], note=awkward)
    path = export_csv(lib.store, tmp_path / "h.csv", post_ids=[lib.chips])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(export.HIGHLIGHT_CSV_COLUMNS)
    assert [r["id"] for r in rows] == [lib.ids[i] for i in (0, 1, 2, 3, 5)]  # the deleted one is left out
    row = {r["id"]: r for r in rows}[lib.ids[1]]
    assert row["note"] == awkward and row["quote"] == "株式会社の投資額は一兆円"
    assert (row["post"], row["title"], row["colour"]) == (str(lib.chips), "半導体と投資のメモ", "green")
    assert (row["tags"], row["orphan"]) == ("investment", "no")
    assert row["source"] == lib.store.post(lib.chips).source_path
    assert {r["id"]: r for r in rows}[lib.ids[0]]["tags"] == "chip investment"
    assert {r["id"]: r for r in rows}[lib.ids[5]]["orphan"] == "yes"
    start, end = int(row["start"]), int(row["end"])
    assert lib.store.post(lib.chips).text[start:end] == row["quote"]


def test_csv_neutralises_formula_cells(lib, tmp_path):
    """A note Excel would run as a formula is written with a leading apostrophe."""
    library.update_annotation(lib.store, lib.ids[1], note='=HYPERLINK("http://example.com")')
    path = export_csv(lib.store, tmp_path / "h.csv", post_ids=[lib.chips])
    with open(path, encoding="utf-8-sig", newline="") as f:
        notes = {r["id"]: r["note"] for r in csv.DictReader(f)}
    assert notes[lib.ids[1]] == "'=HYPERLINK(\"http://example.com\")"


# --- atomic writes -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["markdown", "json", "csv"])
def test_failed_write_keeps_the_old_file_and_no_temp_file(lib, tmp_path, monkeypatch, kind):
    """If the final rename fails, the previous export is intact and no temporary file is left."""
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / {"markdown": "all.md", "json": "b.json", "csv": "h.csv"}[kind]
    path.write_text("the previous export\n", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(ExportError, match="No space left"):
        if kind == "markdown":
            export_markdown(lib.store, path, post_ids=[lib.chips], now=NOW)
        elif kind == "json":
            export_json(lib.store, path)
        else:
            export_csv(lib.store, path)
    assert path.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in folder.iterdir()) == [path.name]


def test_unwritable_folder_raises_export_error(lib, tmp_path):
    """A target inside a file (not a folder) gives an ExportError, not an OSError."""
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ExportError):
        export_markdown(lib.store, blocker / "sub", now=NOW)
    with pytest.raises(ExportError):
        export_json(lib.store, blocker / "b.json")
    with pytest.raises(ExportError):
        export_csv(lib.store, blocker / "h.csv")


def test_export_leaves_the_library_unchanged(lib, tmp_path):
    """Exporting reads the library only: highlights and their edit times are untouched."""
    before = _comparable(lib.store)
    export_markdown(lib.store, tmp_path / "md", now=NOW)
    export_json(lib.store, tmp_path / "b.json")
    export_csv(lib.store, tmp_path / "h.csv")
    assert _comparable(lib.store) == before


def test_markdown_quotes_use_the_readers_own_readings(tmp_path):
    """A reading the reader corrected shows in exported quotes as it does in the reader."""
    store = open_store(tmp_path / "lib.sqlite3")
    post_file = tmp_path / "market.md"
    post_file.write_text("---\ntitle: 朝の買い物\n---\n\n近所の市場で野菜を買った。\n", encoding="utf-8")
    library.import_paths(store, [post_file])
    post = store.post(str(post_file))
    library.annotate_quote(store, post, "近所の市場で野菜を買った。")
    store.add_correction("市場", "いちば", post_id=post.id)
    written = export_markdown(store, tmp_path / "out", furigana="aozora")
    text = written[0].read_text(encoding="utf-8")
    store.close()
    assert "市場《いちば》" in text
    assert "しじょう" not in text
