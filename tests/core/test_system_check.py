"""packaging/system_check.py, the Makefile's check of the system libraries Qt needs (#18 item 1):
what `ldd` reports missing becomes Debian/Ubuntu package names, installed as root or with the
user's consent, otherwise one message naming the exact command."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("system_check", ROOT / "packaging" / "system_check.py")
system_check = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(system_check)

LDD_MISSING = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibQt6Gui.so.6 => /opt/PySide6/Qt/lib/libQt6Gui.so.6 (0x00007f)
\tlibasound.so.2 => not found
"""


class FakeSystem:
    """Answers ldd, fc-list and apt-cache as a machine would, and records every command run."""

    def __init__(self, *, ldd=LDD_MISSING, fonts="Noto Sans CJK JP\n", known=("libasound2t64",), install_rc=0):
        self.ldd, self.fonts, self.known, self.install_rc = ldd, fonts, set(known), install_rc
        self.commands: list[list[str]] = []

    def __call__(self, command, **_kwargs):
        self.commands.append(list(command))
        name = Path(command[0]).name
        if name == "ldd":
            return SimpleNamespace(returncode=0, stdout=self.ldd)
        if name == "fc-list":
            return SimpleNamespace(returncode=0, stdout=self.fonts)
        if name == "apt-cache":
            package = command[-1]
            known = package in self.known or not package.startswith("libasound")
            return SimpleNamespace(returncode=0 if known else 100, stdout=f"Package: {package}\n" if known else "")
        return SimpleNamespace(returncode=self.install_rc, stdout="")

    def installs(self) -> list[list[str]]:
        return [c for c in self.commands if "install" in c]


@pytest.fixture
def tools(monkeypatch):
    present = {"apt-get", "apt-cache", "sudo", "fc-list"}
    monkeypatch.setattr(system_check.shutil, "which", lambda name: f"/usr/bin/{name}" if name in present else None)
    return present


def _missing(fake, tmp_path) -> object:
    binary = tmp_path / "libqxcb.so"
    binary.write_bytes(b"")
    missing = system_check.Missing()
    missing.libraries = system_check.missing_libraries([binary, tmp_path / "absent.so"], fake)
    missing.font = not system_check.has_japanese_font(fake)
    return missing


def test_ldd_not_found_lines_become_sonames_and_package_names(tools, tmp_path):
    fake = FakeSystem()
    missing = _missing(fake, tmp_path)
    assert missing.libraries == ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libasound.so.2"]
    assert not missing.font
    packages, unknown = system_check.packages_for(missing, fake)
    # Debian 13 / Ubuntu 24.04 know libasound2t64; Debian 12 only libasound2.
    assert packages == ["libxcb-cursor0", "libxcb-icccm4", "libasound2t64"] and unknown == []
    debian12 = FakeSystem(known=("libasound2",))
    assert system_check.packages_for(missing, debian12)[0][-1] == "libasound2"


def test_without_root_or_consent_one_message_names_the_exact_command(tools, tmp_path, capsys):
    fake = FakeSystem(fonts="")
    missing = _missing(fake, tmp_path)
    assert missing.font
    status = system_check.resolve(missing, run=fake, environ={}, as_root=False, interactive=False)
    assert status == 1 and fake.installs() == []
    message = capsys.readouterr().err.strip()
    assert len(message.splitlines()) == 1
    assert message.endswith("Install them with: sudo apt-get install -y --no-install-recommends "
                            "libxcb-cursor0 libxcb-icccm4 libasound2t64 fonts-noto-cjk")


def test_root_installs_with_apt_get(tools, tmp_path):
    fake = FakeSystem()
    status = system_check.resolve(_missing(fake, tmp_path), run=fake, environ={}, as_root=True)
    assert status == 0
    (install,) = fake.installs()
    assert install[:2] == ["apt-get", "install"] and install[-3:] == ["libxcb-cursor0", "libxcb-icccm4", "libasound2t64"]
    assert ["apt-get", "update", "-qq"] in fake.commands


@pytest.mark.parametrize(("answer", "installs"), [("y", True), ("yes", True), ("", False), ("n", False)])
def test_sudo_asks_first(tools, tmp_path, answer, installs):
    fake = FakeSystem()
    questions = []

    def ask(question):
        questions.append(question)
        return answer

    status = system_check.resolve(_missing(fake, tmp_path), run=fake, environ={}, ask=ask, as_root=False, interactive=True)
    assert len(questions) == 1 and "sudo apt-get install" in questions[0]
    assert (status == 0) is installs
    assert bool(fake.installs()) is installs
    if installs:
        assert fake.installs()[0][0] == "sudo"


def test_consent_by_environment_and_a_failed_install(tools, tmp_path, capsys):
    fake = FakeSystem(install_rc=100)
    status = system_check.resolve(_missing(fake, tmp_path), run=fake, environ={"KAKIKOMI_INSTALL_SYSTEM_PACKAGES": "yes"},
                                  as_root=False, interactive=False)
    assert status == 1 and fake.installs()[0][0] == "sudo"
    assert "installing the packages failed; install them with: sudo apt-get install" in capsys.readouterr().err


def test_without_apt_the_packages_are_named(tools, tmp_path, capsys):
    tools.discard("apt-get")
    tools.discard("apt-cache")
    fake = FakeSystem()
    assert system_check.resolve(_missing(fake, tmp_path), run=fake, environ={}, as_root=True) == 1
    err = capsys.readouterr().err
    assert "with your system's package manager: libxcb-cursor0 libxcb-icccm4 libasound2" in err
    assert fake.installs() == []


def test_an_unknown_library_is_named_as_it_is(tools, tmp_path, capsys):
    fake = FakeSystem(ldd="\tlibsomething-new.so.7 => not found\n")
    missing = _missing(fake, tmp_path)
    assert system_check.resolve(missing, run=fake, environ={}, as_root=True) == 1
    assert "libsomething-new.so.7" in capsys.readouterr().err


def test_nothing_missing_runs_nothing(tools):
    fake = FakeSystem()
    assert system_check.resolve(system_check.Missing(), run=fake, environ={}) == 0
    assert fake.commands == []


def test_the_files_checked_exist_in_the_installed_pyside6():
    # A PySide6 that moved its files would make the check pass without checking anything.
    import PySide6

    pyside = Path(PySide6.__file__).resolve().parent
    for purpose in system_check.QT_PLATFORM:
        for path in system_check.qt_files(purpose, pyside, environ={"WAYLAND_DISPLAY": "wayland-0"}):
            assert path.exists(), path


def test_this_machine_passes_for_real():
    for purpose in ("run", "test"):
        done = subprocess.run([sys.executable, str(ROOT / "packaging" / "system_check.py"), "qt", "--for", purpose],
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
    done = subprocess.run([sys.executable, str(ROOT / "packaging" / "system_check.py"), "python"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
