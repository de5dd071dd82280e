"""Settings files that are not what they should be (issue #19, defects 3 and 4, settings): a path
whose name is not UTF-8 is saved as valid UTF-8 JSON and read back as the same path; a FIFO or a
device in place of settings.json gives the defaults with one warning, without waiting."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from app.core.settings import Settings, load_settings, save_settings

BAD = os.fsdecode(b"/tmp/caf\xe9-\xff.md")  # the name as Python holds it: lone surrogates


def test_a_path_that_is_not_utf8_is_saved_and_read_back(tmp_path: Path):
    settings = Settings(recent_files=[BAD, "/tmp/日本語.md"], allow_remote_images=[BAD], last_export_folder=BAD)
    path = save_settings(settings, tmp_path / "settings.json")
    data = json.loads(path.read_bytes().decode("utf-8"))  # valid UTF-8
    assert data["recent_files"][0] == BAD
    again = load_settings(path)
    assert again.recent_files == [BAD, "/tmp/日本語.md"]
    assert again.allow_remote_images == [BAD] and again.last_export_folder == BAD
    assert again.warnings == []
    assert os.fsencode(again.recent_files[0]) == b"/tmp/caf\xe9-\xff.md"


def test_utf8_paths_stay_readable_in_the_file(tmp_path: Path):
    path = save_settings(Settings(recent_files=["/tmp/日本語.md"]), tmp_path / "settings.json")
    assert "日本語" in path.read_text(encoding="utf-8")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_place_of_the_file_gives_the_defaults_without_waiting(tmp_path: Path):
    path = tmp_path / "settings.json"
    os.mkfifo(path)
    result: list = []
    reader = threading.Thread(target=lambda: result.append(load_settings(path)), daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # unblock the reader before failing, so the test run can end
        with open(path, "wb"):
            pass
        pytest.fail("load_settings waited on a FIFO")
    [settings] = result
    assert settings == Settings()
    assert len(settings.warnings) == 1 and "not a regular file" in settings.warnings[0]
    assert path.exists() and not (tmp_path / "settings.json.bad").exists()


def test_a_device_in_place_of_the_file_gives_the_defaults(tmp_path: Path):
    if not os.path.exists("/dev/null"):
        pytest.skip("no /dev/null")
    settings = load_settings("/dev/null")
    assert settings == Settings() and len(settings.warnings) == 1
