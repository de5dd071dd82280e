"""English and Japanese for the window, through Qt's translation files.

The `.ts` files in resources/translations/ are the sources kept in git; the `.qm` files Qt loads
are built from them, never committed. `make` builds them beside the sources
(`python -m app.ui.i18n build`); when they are missing or older than their `.ts` (a fresh
checkout run without make, a `.ts` edited since), install_translators builds them into the user's
cache folder instead, and when that is impossible the window stays in English.
`python -m app.ui.i18n update` re-reads the tr() strings of app/ui/ into the `.ts` files, keeping
the translations already made.

English is the source language; kakikomi_en.ts holds only the plural messages ("%n highlight(s)"
→ "1 highlight", "2 highlights").
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator

from app.core.common import catalogs
from app.core.common.paths import cache_dir, resource

SOURCE_LANGUAGE = "en"
LANGUAGES = ("en", "ja")
CATALOG = "kakikomi"  # kakikomi_<language>.ts / .qm
UI_SOURCES = Path(__file__).resolve().parent

log = logging.getLogger(__name__)

# The translators now installed, kept so that a language switch can remove them (and so that
# Python does not collect them while Qt still uses them).
_installed: list[QTranslator] = []
# The language the window speaks now, for the core's messages too (plain() translates them).
_current = SOURCE_LANGUAGE


class TranslationToolError(RuntimeError):
    """lrelease or lupdate is missing or failed; the message says which and why."""


def translations_dir() -> Path:
    """The folder of the `.ts` sources (and of the `.qm` files `make` builds)."""
    return resource("translations")


class Counts(QObject):
    """Counted phrases that several views show, translated once in the "Counts" context.

    lupdate marks a message as plural only in a `self.tr(text, "", n)` call inside a class (not in
    QCoreApplication.translate, nor inside an f-string), hence a class for them.
    """

    def highlights(self, n: int) -> str:
        return self.tr("%n highlight(s)", "", n)


_counts: Counts | None = None


def highlight_count(n: int) -> str:
    """The number of highlights in the UI language: "1 highlight", "2 highlights", "ハイライト 2 件"."""
    global _counts
    if _counts is None:
        _counts = Counts()
    return _counts.highlights(n)


# --- choosing a language ------------------------------------------------------------------------


def current_language() -> str:
    """"en" or "ja": the language of the translators now installed ("en" when none are)."""
    return _current


def choose_language(language: str, locale: QLocale | str | None = None) -> str:
    """"en" or "ja": `language` itself when it is one of them; for "system" (or anything else) the
    first of the locale's UI languages that Kakikomi has, else English.

    `locale` defaults to QLocale.system(); tests pass one in.
    """
    if language in LANGUAGES:
        return language
    if locale is None:
        locale = QLocale.system()
    elif isinstance(locale, str):
        locale = QLocale(locale)
    for tag in locale.uiLanguages():
        base = tag.replace("_", "-").split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return SOURCE_LANGUAGE


# --- finding and running the Linguist tools -----------------------------------------------------


def find_tool(name: str) -> Path:
    """The `lrelease` or `lupdate` that PySide6 ships: its binary in the PySide6 package folder, or
    the `pyside6-<name>` script next to this Python or on PATH. Raises TranslationToolError."""
    suffix = ".exe" if sys.platform == "win32" else ""
    candidates = []
    try:
        import PySide6

        candidates.append(Path(PySide6.__file__).resolve().parent / f"{name}{suffix}")
    except ImportError:  # pragma: no cover - this module imports PySide6 already
        pass
    candidates.append(Path(sys.executable).parent / f"pyside6-{name}{suffix}")
    on_path = shutil.which(f"pyside6-{name}")
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise TranslationToolError(
        f"Cannot find Qt's {name}: looked for {', '.join(str(c) for c in candidates)}. "
        "It comes with PySide6 (pip install PySide6); without it the window stays in English."
    )


def _run(tool: str, args: Sequence[str]) -> None:
    import subprocess  # here: only a source newer than its .qm needs it, and it is slow to import

    command = [str(find_tool(tool)), *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TranslationToolError(f"{tool} could not run: {exc}") from exc
    if done.returncode != 0:
        output = (done.stderr or done.stdout).strip()
        raise TranslationToolError(f"{tool} failed (exit {done.returncode}): {output}")


# --- building .qm files -------------------------------------------------------------------------


def build(sources: Iterable[Path] | None = None, out_dir: Path | None = None) -> list[Path]:
    """Compile each `.ts` (default: every one in translations_dir()) into a `.qm` of the same name
    in `out_dir` (default: beside its source). Returns the `.qm` paths; raises TranslationToolError.

    Each file is written under a temporary name and renamed, so a reader never sees half of one.
    """
    ts_files = sorted(translations_dir().glob("*.ts")) if sources is None else [Path(s) for s in sources]
    built = []
    for ts in ts_files:
        folder = ts.parent if out_dir is None else out_dir
        folder.mkdir(parents=True, exist_ok=True)
        _compile(ts, folder / f"{ts.stem}.qm")
        built.append(folder / f"{ts.stem}.qm")
    return built


def _compile(ts: Path, qm: Path) -> None:
    partial = qm.with_name(f".{qm.name}.{os.getpid()}.tmp")
    try:
        _run("lrelease", ["-silent", str(ts), "-qm", str(partial)])
        if not partial.is_file():
            raise TranslationToolError(f"lrelease wrote no {qm.name} for {ts}")
        os.replace(partial, qm)
    finally:
        partial.unlink(missing_ok=True)


def compiled_catalog(language: str, source_dir: Path | None = None, cache: Path | None = None) -> Path | None:
    """The up-to-date kakikomi_<language>.qm, building it into the cache when needed; None if
    there is none and none can be built.

    Order: the `.qm` beside the `.ts` when it is at least as new (what `make` builds; in a
    bundle without `.ts`, whatever `.qm` ships); else one in `cache` (default
    cache_dir()/translations) built from this very `.ts` (its name carries a hash of the source);
    else a new build into `cache`; else, as a last resort, a stale `.qm` beside the `.ts`.
    """
    folder = translations_dir() if source_dir is None else source_dir
    ts, shipped = folder / f"{CATALOG}_{language}.ts", folder / f"{CATALOG}_{language}.qm"
    cache_folder = (cache_dir() / "translations") if cache is None else cache
    return catalogs.compiled(ts, shipped, cache_folder, _compile, (TranslationToolError, OSError))


# --- installing translators ---------------------------------------------------------------------


def install_translators(
    app: QCoreApplication,
    language: str,
    locale: QLocale | str | None = None,
    *,
    source_dir: Path | None = None,
    cache: Path | None = None,
) -> str:
    """Install Kakikomi's translation for `language` ("system", "en" or "ja"), with Qt's own
    (qtbase: standard buttons, dialogs) for Japanese, in place of any installed before. Returns
    the language now in use: "ja", or "en" also when Japanese was asked for and cannot be loaded.
    Never raises for missing or unbuildable files.

    Widgets built before a switch must retranslate on QEvent.LanguageChange. The core's messages
    follow (current_language(), used by app.ui.plain).
    """
    global _current
    remove_translators(app)
    chosen = choose_language(language, locale)
    ours = _load(app, compiled_catalog(chosen, source_dir, cache))
    if ours is None and chosen != SOURCE_LANGUAGE:
        log.warning("No usable %s translation; the window stays in English.", chosen)
        chosen = SOURCE_LANGUAGE
        ours = _load(app, compiled_catalog(chosen, source_dir, cache))
    if chosen != SOURCE_LANGUAGE:
        qt_folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        _load(app, qt_folder / f"qtbase_{chosen}.qm")  # absent in some installs: our own still works
    _current = chosen
    return chosen


def remove_translators(app: QCoreApplication) -> None:
    """Take out the translators install_translators put in: the UI goes back to English."""
    global _current
    _current = SOURCE_LANGUAGE
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()


def _load(app: QCoreApplication, qm: Path | None) -> QTranslator | None:
    if qm is None or not qm.is_file():
        return None
    translator = QTranslator(app)
    if not translator.load(str(qm)):
        log.warning("Qt could not load %s", qm)
        return None
    app.installTranslator(translator)
    _installed.append(translator)
    return translator


# --- refreshing the .ts sources -----------------------------------------------------------------


def update(source_dir: Path | None = None, ui_sources: Path | None = None) -> list[Path]:
    """Re-read the tr() strings of every app/ui/*.py into each kakikomi_<language>.ts, keeping the
    translations already there (strings no longer in the code are kept, marked vanished).

    The English file gets only plural messages: every other English string is its own source.
    Locations are not written, so the `.ts` diffs show only changed strings.
    """
    folder = translations_dir() if source_dir is None else source_dir
    python_files = sorted(str(p) for p in (UI_SOURCES if ui_sources is None else ui_sources).glob("*.py"))
    written = []
    for language in LANGUAGES:
        ts = folder / f"{CATALOG}_{language}.ts"
        options = ["-silent", "-locations", "none", "-source-language", SOURCE_LANGUAGE, "-target-language", language]
        if language == SOURCE_LANGUAGE:
            options.append("-pluralonly")
        _run("lupdate", [*options, *python_files, "-ts", str(ts)])
        written.append(ts)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m app.ui.i18n build [FILE.ts...]` or `python -m app.ui.i18n update`."""
    args = list(sys.argv[1:] if argv is None else argv)
    command = args.pop(0) if args else ""
    try:
        if command == "build":
            for qm in build([Path(a) for a in args] or None):
                print(f"built {qm}")
        elif command == "update" and not args:
            for ts in update():
                print(f"updated {ts}")
        else:
            print("usage: python -m app.ui.i18n build [FILE.ts...] | update", file=sys.stderr)
            return 2
    except TranslationToolError as exc:
        print(f"i18n: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
