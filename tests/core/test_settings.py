"""Tests for app.core.settings: typed defaults, JSON in the config folder, repairs and upgrades."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest

from app.core import settings as settings_module
from app.core.common.paths import config_dir
from app.core.settings import (
    MAX_RECENT_FILES,
    SCHEMA_VERSION,
    UPGRADES,
    VALIDATORS,
    Settings,
    load_settings,
    save_settings,
    settings_path,
)


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """Every test gets its own KAKIKOMI_HOME, so the default path never touches the real config."""
    monkeypatch.setenv("KAKIKOMI_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def write(path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_defaults_when_no_file_exists():
    """Without a settings file, load gives the documented defaults and no warnings."""
    settings = load_settings()
    assert settings == Settings()
    assert settings.warnings == []
    assert (settings.theme, settings.furigana, settings.vertical, settings.font_scale) == ("auto", "all", False, 1.0)
    assert (settings.language, settings.first_run_done, settings.last_export_folder) == ("system", False, None)
    assert settings.recent_files == [] and settings.allow_remote_images == []
    assert settings.underline_words is False


def test_settings_live_in_the_config_folder(home):
    """The default file is settings.json under KAKIKOMI_HOME/config, beside data and cache."""
    assert config_dir() == home / "config"
    assert settings_path() == home / "config" / "settings.json"


def test_round_trip_keeps_every_field(tmp_path):
    """Saving then loading gives back the same values, with a version key in the file."""
    original = Settings(
        theme="sepia",
        furigana="jlpt:3",
        vertical=True,
        underline_words=True,
        font_scale=1.25,
        language="ja",
        recent_files=["/posts/a.md", "/posts/b.md"],
        last_export_folder="/exports",
        allow_remote_images=["/posts/a.md"],
        window_geometry="AdnQywADAAA=",
        splitter_state=None,
        first_run_done=True,
        last_post="/posts/b.md",
    )
    path = save_settings(original)
    assert path == settings_path()
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["version"] == SCHEMA_VERSION
    loaded = load_settings()
    assert loaded == original
    assert loaded.warnings == []


def test_last_post_keeps_a_path_or_a_url(tmp_path):
    """The post open at the last close is kept as its source, a file path or a web page's URL,
    including a path that is not UTF-8; by default there is none (the newest post opens)."""
    assert Settings().last_post is None
    path = tmp_path / "settings.json"
    for source in ("/posts/記事.md", "https://example.com/post", "/posts/\udcff.md"):
        save_settings(Settings(last_post=source), path)
        assert load_settings(path).last_post == source


def test_save_creates_the_folder_and_leaves_no_temporary_file(tmp_path):
    """save_settings creates missing folders and writes through write_atomic (no stray temp file)."""
    path = tmp_path / "deep" / "er" / "settings.json"
    save_settings(Settings(theme="dark"), path)
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]
    assert load_settings(path).theme == "dark"


def test_unknown_keys_are_ignored(tmp_path):
    """Keys this version does not know are skipped without a warning."""
    path = tmp_path / "settings.json"
    write(path, {"version": 1, "theme": "dark", "toolbar_colour": "teal"})
    settings = load_settings(path)
    assert settings.theme == "dark"
    assert settings.warnings == []


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("theme", "purple"),
        ("theme", 3),
        ("furigana", "grade:12"),
        ("furigana", None),
        ("vertical", "yes"),
        ("vertical", 1),
        ("underline_words", "on"),
        ("font_scale", "big"),
        ("font_scale", True),
        ("font_scale", float("nan")),
        ("language", "fr"),
        ("recent_files", "/posts/a.md"),
        ("last_export_folder", 42),
        ("last_export_folder", ""),
        ("allow_remote_images", {"a": 1}),
        ("window_geometry", "not base64!"),
        ("splitter_state", ["AA=="]),
        ("first_run_done", "true"),
        ("last_post", 7),
        ("last_post", ""),
        ("last_post", ["/posts/a.md"]),
        ("last_post", "/posts/a\x00.md"),
    ],
)
def test_invalid_value_falls_back_to_its_default_with_a_warning(tmp_path, key, value):
    """A wrong type or invalid value becomes the field's default and a warning naming the field."""
    other, other_value = ("language", "ja") if key != "language" else ("theme", "dark")
    path = tmp_path / "settings.json"
    write(path, {"version": 1, key: value, other: other_value})
    settings = load_settings(path)
    assert getattr(settings, key) == getattr(Settings(), key)
    assert len(settings.warnings) == 1 and settings.warnings[0].startswith(key)
    assert getattr(settings, other) == other_value  # the valid key beside it is kept


def test_furigana_modes_are_normalised(tmp_path):
    """Furigana modes are checked with FuriganaMode.parse and stored lower-case; "unknown words
    only" is kept, and "known", its older name, is read as it."""
    path = tmp_path / "settings.json"
    cases = [("GRADE:6", "grade:6"), (" jlpt:2 ", "jlpt:2"), ("Unknown", "unknown"), ("Known", "unknown"), ("grade:1", "grade:1"), ("off", "off")]
    for stored, expected in cases:
        write(path, {"furigana": stored})
        settings = load_settings(path)
        assert settings.furigana == expected and settings.warnings == []


def test_font_scale_is_clamped(tmp_path):
    """A font scale outside 0.5–3.0 is clamped to the nearest bound, with a warning."""
    path = tmp_path / "settings.json"
    write(path, {"font_scale": 7})
    big = load_settings(path)
    write(path, {"font_scale": 0.1})
    small = load_settings(path)
    write(path, {"font_scale": 2})
    fine = load_settings(path)
    assert (big.font_scale, small.font_scale, fine.font_scale) == (3.0, 0.5, 2.0)
    assert len(big.warnings) == 1 and len(small.warnings) == 1 and fine.warnings == []


def test_path_lists_drop_junk_and_duplicates(tmp_path):
    """Lists of paths lose non-strings and repeats; recent files keep only the newest ten."""
    path = tmp_path / "settings.json"
    recent = [f"/p/{n}.md" for n in range(15)]
    write(path, {"recent_files": ["/p/0.md", *recent, 5], "allow_remote_images": ["/a.md", "/a.md", None]})
    settings = load_settings(path)
    assert settings.recent_files == recent[:MAX_RECENT_FILES]
    assert settings.allow_remote_images == ["/a.md"]
    assert len(settings.warnings) == 2


def test_add_recent_puts_the_path_first_once():
    """add_recent moves a path to the front, removes its older entry and keeps at most ten."""
    settings = Settings()
    for n in range(12):
        settings.add_recent(f"/p/{n}.md")
    settings.add_recent("/p/5.md")
    assert settings.recent_files[0] == "/p/5.md"
    assert settings.recent_files.count("/p/5.md") == 1
    assert len(settings.recent_files) == MAX_RECENT_FILES
    assert settings.recent_files[1:3] == ["/p/11.md", "/p/10.md"]


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"[1, 2, 3]", b"\xff\xfe\x00garbage", b"", b"[" * 100_000],
    ids=["syntax", "not-an-object", "not-utf8", "empty", "too-deep"],
)
def test_corrupt_file_gives_defaults_and_is_kept_aside(tmp_path, content):
    """A file that is not a JSON object gives defaults and survives as settings.json.bad."""
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    settings = load_settings(path)
    assert settings == Settings()
    assert settings.warnings and "settings.json.bad" in settings.warnings[-1]
    assert not path.exists()
    assert (tmp_path / "settings.json.bad").read_bytes() == content
    save_settings(settings, path)  # the next save does not touch the kept copy
    assert (tmp_path / "settings.json.bad").read_bytes() == content


def test_save_writes_defaults_for_invalid_values(tmp_path):
    """Values set wrongly in code are saved as their defaults, so the file always reloads cleanly."""
    path = tmp_path / "settings.json"
    save_settings(Settings(theme="neon", font_scale=9.0), path)
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["theme"] == "auto" and stored["font_scale"] == 3.0
    assert "warnings" not in stored
    assert load_settings(path).warnings == []


def test_every_stored_field_has_a_validator():
    """Each stored field is declared with a validator, and only `warnings` is left unstored."""
    stored = {f.name for f in fields(Settings) if f.metadata.get("stored", True)}
    assert stored == set(VALIDATORS)
    assert {f.name for f in fields(Settings)} - stored == {"warnings"}


def test_upgrades_cover_every_version():
    """There is one numbered upgrade for each version after the first."""
    assert set(UPGRADES) == set(range(2, SCHEMA_VERSION + 1))


def test_an_upgrade_runs_on_an_older_file(tmp_path, monkeypatch):
    """A version 1 file passes through UPGRADES[2] when the schema is at 2, and is saved as 2."""

    def upgrade_to_v2(data):
        # an imaginary release that renamed "dark_mode": true to "theme": "dark"
        if data.pop("dark_mode", False) is True:
            data["theme"] = "dark"

    monkeypatch.setattr(settings_module, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(settings_module, "UPGRADES", {2: upgrade_to_v2})
    path = tmp_path / "settings.json"
    write(path, {"version": 1, "dark_mode": True, "vertical": True})
    settings = load_settings(path)
    assert (settings.theme, settings.vertical, settings.warnings) == ("dark", True, [])
    save_settings(settings, path)
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["version"] == 2 and "dark_mode" not in stored


def test_a_newer_file_is_read_with_a_warning(tmp_path):
    """A file from a newer Kakikomi is read for the keys this version knows, with a warning."""
    path = tmp_path / "settings.json"
    write(path, {"version": SCHEMA_VERSION + 1, "theme": "sepia"})
    settings = load_settings(path)
    assert settings.theme == "sepia"
    assert len(settings.warnings) == 1 and "newer" in settings.warnings[0]


def test_a_bad_version_is_read_as_version_one(tmp_path):
    """A version that is not a positive integer is reported and the file read as version 1."""
    path = tmp_path / "settings.json"
    write(path, {"version": "one", "theme": "light"})
    settings = load_settings(path)
    assert settings.theme == "light"
    assert len(settings.warnings) == 1 and settings.warnings[0].startswith("version")


def test_a_folder_in_place_of_the_file_gives_defaults(tmp_path):
    """A folder where the settings file should be gives defaults and warnings, and stays in place."""
    path = tmp_path / "settings.json"
    path.mkdir()
    settings = load_settings(path)
    assert settings == Settings()
    assert len(settings.warnings) == 2 and "not a file" in settings.warnings[1]
    assert path.is_dir() and not (tmp_path / "settings.json.bad").exists()


def test_an_unreadable_file_gives_defaults_and_is_kept_aside(tmp_path, monkeypatch):
    """A file that cannot be read (permission denied) gives defaults and is moved aside."""
    path = tmp_path / "settings.json"
    write(path, {"theme": "dark"})

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)  # root reads every file, so chmod cannot show it
    settings = load_settings(path)
    assert settings == Settings()
    assert (tmp_path / "settings.json.bad").exists() and not path.exists()
