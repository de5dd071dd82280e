"""The system packages Kakikomi needs from the operating system, checked before `make run` and
`make test` (standard library only: it runs before the virtual environment exists).

    python3 packaging/system_check.py python            # before the venv: can Python make one?
    .venv/bin/python packaging/system_check.py qt --for run|test

`python` checks that `python3 -m venv` works (Debian and Ubuntu ship it apart, as python3-venv).
`qt` asks the dynamic linker (`ldd`) which shared libraries Qt, its platform plugin (xcb for a
window, offscreen for the tests) and QtWebEngine cannot find, and looks for a Japanese font; each
missing library is named by the Debian/Ubuntu package that ships it (the names differ between
Debian 12, Debian 13 and Ubuntu 24.04: the first one the package manager knows is taken).

When something is missing: as root the packages are installed with apt-get; with sudo and a
terminal the user is asked first; otherwise one message names the exact command and the check
fails (exit 1), so make stops before Qt aborts with a less helpful message.
KAKIKOMI_SKIP_SYSTEM_CHECK=1 skips the check; KAKIKOMI_INSTALL_SYSTEM_PACKAGES=yes consents to
installing with sudo without asking (for scripts).
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# Shared library (soname prefix) -> the Debian/Ubuntu packages that ship it, in order of
# preference; the first one the package manager knows is installed (t64 names are Debian 13 and
# Ubuntu 24.04).
LIBRARY_PACKAGES: dict[str, tuple[str, ...]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0",),
    "libxcb-icccm.so.4": ("libxcb-icccm4",),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1",),
    "libxcb-image.so.0": ("libxcb-image0",),
    "libxcb-render-util.so.0": ("libxcb-render-util0",),
    "libxcb-randr.so.0": ("libxcb-randr0",),
    "libxcb-shape.so.0": ("libxcb-shape0",),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0",),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0",),
    "libxcb-xkb.so.1": ("libxcb-xkb1",),
    "libxcb-sync.so.1": ("libxcb-sync1",),
    "libxcb-shm.so.0": ("libxcb-shm0",),
    "libxcb-render.so.0": ("libxcb-render0",),
    "libxcb-dri3.so.0": ("libxcb-dri3-0",),
    "libxcb-util.so.1": ("libxcb-util1",),
    "libxcb.so.1": ("libxcb1",),
    "libX11-xcb.so.1": ("libx11-xcb1",),
    "libX11.so.6": ("libx11-6",),
    "libXau.so.6": ("libxau6",),
    "libXdmcp.so.6": ("libxdmcp6",),
    "libXext.so.6": ("libxext6",),
    "libXfixes.so.3": ("libxfixes3",),
    "libXrender.so.1": ("libxrender1",),
    "libXcomposite.so.1": ("libxcomposite1",),
    "libXdamage.so.1": ("libxdamage1",),
    "libXrandr.so.2": ("libxrandr2",),
    "libXtst.so.6": ("libxtst6",),
    "libXi.so.6": ("libxi6",),
    "libxkbcommon.so.0": ("libxkbcommon0",),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0",),
    "libxkbfile.so.1": ("libxkbfile1",),
    "libxshmfence.so.1": ("libxshmfence1",),
    "libwayland-client.so.0": ("libwayland-client0",),
    "libwayland-cursor.so.0": ("libwayland-cursor0",),
    "libwayland-egl.so.1": ("libwayland-egl1",),
    "libwayland-server.so.0": ("libwayland-server0",),
    "libnss3.so": ("libnss3",),
    "libnssutil3.so": ("libnss3",),
    "libsmime3.so": ("libnss3",),
    "libnspr4.so": ("libnspr4",),
    "libplc4.so": ("libnspr4",),
    "libplds4.so": ("libnspr4",),
    "libasound.so.2": ("libasound2t64", "libasound2"),
    "libgbm.so.1": ("libgbm1",),
    "libdrm.so.2": ("libdrm2",),
    "libEGL.so.1": ("libegl1",),
    "libGL.so.1": ("libgl1",),
    "libGLX.so.0": ("libglx0",),
    "libOpenGL.so.0": ("libopengl0",),
    "libGLdispatch.so.0": ("libglvnd0",),
    "libfontconfig.so.1": ("libfontconfig1",),
    "libfreetype.so.6": ("libfreetype6",),
    "libdbus-1.so.3": ("libdbus-1-3",),
    "libglib-2.0.so.0": ("libglib2.0-0t64", "libglib2.0-0"),
    "libgthread-2.0.so.0": ("libglib2.0-0t64", "libglib2.0-0"),
    "libexpat.so.1": ("libexpat1",),
    "libpng16.so.16": ("libpng16-16t64", "libpng16-16"),
    "libudev.so.1": ("libudev1",),
    "libgssapi_krb5.so.2": ("libgssapi-krb5-2",),
    "libkrb5.so.3": ("libkrb5-3",),
    "libk5crypto.so.3": ("libk5crypto3",),
    "libcups.so.2": ("libcups2t64", "libcups2"),
    "libxml2.so.2": ("libxml2",),
    "libxslt.so.1": ("libxslt1.1",),
    "libminizip.so.1": ("libminizip1t64", "libminizip1"),
}
FONT_PACKAGES = ("fonts-noto-cjk",)
VENV_PACKAGES = ("python{major}.{minor}-venv", "python3-venv")

# Which Qt files must load, relative to PySide6's folder: the libraries every use needs, then the
# platform plugin of each purpose.
QT_COMMON = ("Qt/lib/libQt6Gui.so.6", "Qt/lib/libQt6Widgets.so.6", "Qt/lib/libQt6WebEngineCore.so.6",
             "Qt/lib/libQt6WebEngineWidgets.so.6", "Qt/libexec/QtWebEngineProcess")
QT_PLATFORM = {
    "run": ("Qt/plugins/platforms/libqxcb.so", "Qt/lib/libQt6XcbQpa.so.6"),
    "test": ("Qt/plugins/platforms/libqoffscreen.so",),
}
QT_WAYLAND = ("Qt/plugins/platforms/libqwayland.so",)


class Missing:
    """What the check found missing: shared libraries (by soname), a Japanese font, venv."""

    def __init__(self) -> None:
        self.libraries: list[str] = []
        self.font = False
        self.venv = False

    def __bool__(self) -> bool:
        return bool(self.libraries or self.font or self.venv)

    def describe(self) -> str:
        parts = []
        if self.libraries:
            parts.append("the shared libraries " + ", ".join(self.libraries))
        if self.font:
            parts.append("a Japanese font")
        if self.venv:
            parts.append("Python's venv module")
        return " and ".join(parts)


# --- what is missing ----------------------------------------------------------------------------


def missing_libraries(files: list[Path], run=subprocess.run) -> list[str]:
    """The sonames `ldd` reports as "not found" for these files, in a stable order."""
    found: list[str] = []
    for path in files:
        if not path.exists():
            continue
        done = run(["ldd", str(path)], capture_output=True, text=True, check=False)
        for line in done.stdout.splitlines():
            match = re.match(r"\s*(\S+)\s+=>\s+not found", line)
            if match and match.group(1) not in found:
                found.append(match.group(1))
    return found


def has_japanese_font(run=subprocess.run) -> bool:
    """A font that covers Japanese, as fontconfig sees it (or a Noto CJK file where fontconfig is
    absent)."""
    if shutil.which("fc-list"):
        done = run(["fc-list", ":lang=ja", "family"], capture_output=True, text=True, check=False)
        return bool(done.stdout.strip())
    return bool(glob.glob("/usr/share/fonts/**/*CJK*", recursive=True))


def qt_files(purpose: str, pyside: Path, environ=os.environ) -> list[Path]:
    names = list(QT_COMMON) + list(QT_PLATFORM[purpose])
    if purpose == "run" and environ.get("WAYLAND_DISPLAY"):
        names += QT_WAYLAND
    return [pyside / name for name in names]


def check_qt(purpose: str, pyside: Path, run=subprocess.run, environ=os.environ) -> Missing:
    missing = Missing()
    missing.libraries = missing_libraries(qt_files(purpose, pyside, environ), run)
    missing.font = not has_japanese_font(run)
    return missing


def check_python(run=subprocess.run) -> Missing:
    missing = Missing()
    done = run([sys.executable, "-c", "import ensurepip, venv"], capture_output=True, text=True, check=False)
    missing.venv = done.returncode != 0
    return missing


# --- which packages -----------------------------------------------------------------------------


def known_package(candidates: tuple[str, ...], run=subprocess.run) -> str:
    """The first candidate the package manager knows (the last one when none is known)."""
    if shutil.which("apt-cache"):
        for name in candidates:
            done = run(["apt-cache", "show", name], capture_output=True, text=True, check=False)
            if done.returncode == 0 and done.stdout.strip():
                return name
    return candidates[-1]


def packages_for(missing: Missing, run=subprocess.run) -> tuple[list[str], list[str]]:
    """(packages to install, sonames no known package ships)."""
    packages: list[str] = []
    unknown: list[str] = []

    def add(name: str) -> None:
        if name not in packages:
            packages.append(name)

    for soname in missing.libraries:
        candidates = LIBRARY_PACKAGES.get(soname)
        if candidates is None:
            unknown.append(soname)
        else:
            add(known_package(candidates, run))
    if missing.font:
        add(FONT_PACKAGES[0])
    if missing.venv:
        version = {"major": sys.version_info.major, "minor": sys.version_info.minor}
        add(known_package(tuple(name.format(**version) for name in VENV_PACKAGES), run))
    return packages, unknown


# --- installing ---------------------------------------------------------------------------------


def install_command(packages: list[str], as_root: bool) -> list[str]:
    return ([] if as_root else ["sudo"]) + ["apt-get", "install", "-y", "--no-install-recommends", *packages]


def _say(text: str) -> None:
    print(f"kakikomi: {text}", file=sys.stderr, flush=True)


def resolve(missing: Missing, *, run=subprocess.run, environ=os.environ, ask=input,
            interactive: bool | None = None, as_root: bool | None = None) -> int:
    """Install what is missing when allowed, else name the command. 0 when nothing is missing
    any more."""
    if not missing:
        return 0
    packages, unknown = packages_for(missing, run)
    if unknown:
        _say(f"Qt cannot load {', '.join(unknown)}; install the packages that provide them.")
    if not packages:
        return 1
    as_root = (os.geteuid() == 0) if as_root is None else as_root
    command = install_command(packages, as_root)
    shown = " ".join(command)
    if not shutil.which("apt-get"):
        _say(f"Kakikomi needs {missing.describe()}: install these packages (Debian/Ubuntu names) "
             f"with your system's package manager: {' '.join(packages)}")
        return 1
    consent = as_root or environ.get("KAKIKOMI_INSTALL_SYSTEM_PACKAGES", "").lower() in ("1", "yes", "true")
    if not consent and shutil.which("sudo"):
        interactive = sys.stdin.isatty() if interactive is None else interactive
        if interactive:
            try:
                answer = ask(f"kakikomi: Kakikomi needs {missing.describe()}. Run `{shown}` now? [y/N] ")
            except EOFError:
                answer = ""
            consent = answer.strip().lower() in ("y", "yes")
    if not consent:
        _say(f"Kakikomi needs {missing.describe()}. Install them with: {shown}")
        return 1
    _say(f"installing {' '.join(packages)}")
    update = ([] if as_root else ["sudo"]) + ["apt-get", "update", "-qq"]
    environment = dict(environ, DEBIAN_FRONTEND="noninteractive")
    run(update, check=False, env=environment)
    done = run([*command[:-len(packages)], "-qq", *packages], check=False, env=environment)
    if done.returncode != 0:
        _say(f"installing the packages failed; install them with: {shown}")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="system_check", description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("python", "qt"))
    parser.add_argument("--for", dest="purpose", choices=tuple(QT_PLATFORM), default="run")
    args = parser.parse_args(argv)
    if os.environ.get("KAKIKOMI_SKIP_SYSTEM_CHECK") or not sys.platform.startswith("linux"):
        return 0
    if args.what == "python":
        return resolve(check_python())
    try:
        import PySide6
    except ImportError:
        _say("PySide6 is not installed in this environment; run make again.")
        return 1
    pyside = Path(PySide6.__file__).resolve().parent
    missing = check_qt(args.purpose, pyside)
    if not missing:
        return 0
    status = resolve(missing)
    if status == 0:
        # What was installed must now load: check once more (a package can lack a library).
        still = check_qt(args.purpose, pyside)
        if still:
            _say(f"still missing after installing: {still.describe()}")
            return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
