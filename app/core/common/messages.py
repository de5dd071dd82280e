"""The core's sentences for people (errors and warnings), in English or Japanese, without Qt.

A sentence is made where it is raised, in English, with an id and its arguments:

    raise PostError(Message("post.empty", "{name} is empty.", name=name))

`Message` is a str whose value is the English sentence, so everything that takes text keeps
working (str(exc) is English, warnings stay JSON); `translate(exc_or_message, "ja")` gives the
same sentence from the Japanese catalog, formatted with the same arguments. An argument that is
itself a Message is translated too (a reason inside a sentence); any other argument is shown as
it is, never read as a template. `str(message)` is a plain str: code that must keep the id
passes the Message itself (`exc.args[0]`).

The catalogs are gettext `.po` files in resources/messages/, kept in git: en.po is written from
the code (`python -m app.core.common.messages extract`, which reads every
`Message("id", "template", ...)` in app/ and adds new ids to ja.po with an empty translation);
ja.po holds the translations. The `.mo` files read at run time are built from them
(`python -m app.core.common.messages build`, run by `make`), or, when missing or older than their
`.po` (a fresh checkout run without make), built into the user's cache folder at first use.
"""

from __future__ import annotations

import ast
import gettext
import logging
import os
import re
import string
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Self

from app.core.common import catalogs
from app.core.common.paths import cache_dir, resource

LANGUAGES = ("en", "ja")
SOURCE_LANGUAGE = "en"
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+")

log = logging.getLogger(__name__)


class Message(str):
    """One sentence for a person: its English text (the str value), its `id` in the catalogs and
    the `args` its template is formatted with."""

    id: str
    template: str
    args: dict[str, object]
    is_clause: bool

    def __new__(cls, message_id: str, template: str, /, **args: object) -> Self:
        self = super().__new__(cls, template.format(**{key: str(value) for key, value in args.items()}))
        self.id, self.template, self.args, self.is_clause = message_id, template, args, False
        return self

    def clause(self) -> Message:
        """The same sentence without its final full stop, to stand inside another one."""
        value = _clause_of(str(self))
        inner = str.__new__(Message, value)
        inner.id, inner.template, inner.args, inner.is_clause = self.id, self.template, self.args, True
        return inner

    def translated(self, language: str) -> str:
        """The sentence in `language` ("en" or "ja"); English when the catalog lacks it."""
        if language == SOURCE_LANGUAGE:
            return str(self)
        template = _catalog(language).gettext(self.id)
        if template == self.id:  # not in the catalog (or not translated yet)
            return str(self)
        try:
            text = template.format(**{key: translate(value, language) for key, value in self.args.items()})
        except (KeyError, IndexError, ValueError) as exc:  # a placeholder the English does not have
            log.warning("The %s message %s does not fit its arguments: %s", language, self.id, exc)
            return str(self)
        return _clause_of(text) if self.is_clause else text

    def __reduce__(self):  # pickled with its id (posts cross process boundaries with their warnings)
        return _rebuild, (self.id, self.template, self.args, self.is_clause)

    def __repr__(self) -> str:
        return f"Message({self.id!r}, {str(self)!r})"


def _rebuild(message_id: str, template: str, args: dict[str, object], is_clause: bool) -> Message:
    message = Message(message_id, template, **args)
    return message.clause() if is_clause else message


def _clause_of(text: str) -> str:
    return text[:-1] if text.endswith((".", "。")) else text


def clause(reason: object) -> str:
    """`reason` (a Message, an exception carrying one, or any text) without its final full stop,
    keeping the id when there is one: the reason inside a longer sentence."""
    message = _message_of(reason)
    if message is not None:
        return message.clause()
    return _clause_of(str(reason))


def as_message(obj: object) -> str:
    """The Message `obj` is or carries (an exception whose only argument is one), else str(obj):
    how to pass an error's sentence on without losing its id."""
    message = _message_of(obj)
    return str(obj) if message is None else message


def _message_of(obj: object) -> Message | None:
    if isinstance(obj, Message):
        return obj
    if isinstance(obj, BaseException) and len(obj.args) == 1 and isinstance(obj.args[0], Message):
        return obj.args[0]
    return None


def translate(obj: object, language: str) -> str:
    """`obj` for a reader of `language` ("en" or "ja"): a Message, or an exception whose only
    argument is one, translated; anything else as str(obj)."""
    message = _message_of(obj)
    if message is None:
        return str(obj)
    return message.translated(language)


def core_language(setting: str, environ: Mapping[str, str] | None = None) -> str:
    """"en" or "ja" for the settings' language: itself when it is one of them; for "system" (or
    anything else) Japanese when the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, the first one
    set) starts with "ja", else English."""
    if setting in LANGUAGES:
        return setting
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            first = value.split(":")[0].strip().lower()
            return "ja" if first.startswith("ja") else SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


# --- the catalogs at run time ------------------------------------------------------------------

_catalogs: dict[str, gettext.NullTranslations] = {}


def messages_dir() -> Path:
    """resources/messages: the `.po` sources (and the `.mo` files `make` builds beside them)."""
    return resource("messages")


def _catalog(language: str) -> gettext.NullTranslations:
    if language not in _catalogs:
        _catalogs[language] = _load(compiled_catalog(language))
    return _catalogs[language]


def reload_catalogs() -> None:
    """Forget the catalogs read so far (a test, or a `.po` just rebuilt)."""
    _catalogs.clear()


def _load(mo: Path | None) -> gettext.NullTranslations:
    """The catalog in `mo`; an empty one (every sentence stays English) when there is none."""
    if mo is None:
        return gettext.NullTranslations()
    try:
        with open(mo, "rb") as handle:
            return gettext.GNUTranslations(handle)
    except (OSError, ValueError) as exc:  # ValueError: gettext's "bad magic number" and the like
        log.warning("Cannot read %s: %s", mo, exc)
        return gettext.NullTranslations()


def compiled_catalog(language: str, source_dir: Path | None = None, cache: Path | None = None) -> Path | None:
    """The up-to-date <language>.mo, building it into the cache when needed; None when there is
    none and none can be built (the sentences then stay in English).

    Order: the `.mo` beside the `.po` when it is at least as new (what `make` builds; in a bundle,
    whatever `.mo` ships); else one in `cache` (default cache_dir()/messages) built from this very
    `.po` (its name carries a hash of the source); else a new build into `cache`; else, as a last
    resort, a stale `.mo` beside the `.po`.
    """
    folder = messages_dir() if source_dir is None else source_dir
    po, shipped = folder / f"{language}.po", folder / f"{language}.mo"
    if getattr(sys, "frozen", False):
        return shipped if shipped.is_file() else None
    cache_folder = (cache_dir() / "messages") if cache is None else cache
    return catalogs.compiled(po, shipped, cache_folder, _compile, (ImportError, OSError, ValueError))


def _compile(po: Path, mo: Path) -> None:
    """Compile `po` into `mo` with Babel, written under a temporary name and renamed."""
    from babel.messages.mofile import write_mo  # only a source newer than its .mo needs Babel
    from babel.messages.pofile import read_po

    with open(po, "rb") as handle:
        catalog = read_po(handle, locale=po.stem)
    mo.parent.mkdir(parents=True, exist_ok=True)
    partial = mo.with_name(f".{mo.name}.{os.getpid()}.tmp")
    try:
        with open(partial, "wb") as handle:
            write_mo(handle, catalog)
        os.replace(partial, mo)
    finally:
        partial.unlink(missing_ok=True)


def build(sources: Iterable[Path] | None = None, out_dir: Path | None = None) -> list[Path]:
    """Compile each `.po` (default: every language's in resources/messages) into a `.mo` of the
    same name in `out_dir` (default: beside its source). Returns the `.mo` paths."""
    po_files = [messages_dir() / f"{language}.po" for language in LANGUAGES] if sources is None else [Path(s) for s in sources]
    built = []
    for po in po_files:
        mo = (po.parent if out_dir is None else out_dir) / f"{po.stem}.mo"
        _compile(po, mo)
        built.append(mo)
    return built


# --- reading the code: the catalogs' sources ----------------------------------------------------


class ExtractError(ValueError):
    """A Message call the extractor cannot read (not literal strings, a bad id, one id with two
    templates); the text names the file and line."""


def app_dir() -> Path:
    return Path(__file__).resolve().parents[2]


def extract_messages(root: Path | None = None) -> dict[str, tuple[str, str]]:
    """Every `Message("id", "template", ...)` in the Python files under `root` (default app/):
    {id: (English template, the file it is in, relative to root's parent)}, ordered by id.
    Raises ExtractError for a call it cannot read."""
    base = app_dir() if root is None else root
    found: dict[str, tuple[str, str]] = {}
    for path in sorted(base.rglob("*.py")):
        if "__pycache__" in path.parts or path == Path(__file__).resolve():
            continue
        where = path.relative_to(base.parent).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _called_name(node.func) == "Message"):
                continue
            first_two = node.args[:2]
            if len(first_two) < 2 or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in first_two):
                raise ExtractError(f"{where}:{node.lineno}: Message() needs a literal id and a literal English template.")
            message_id, template = first_two[0].value, first_two[1].value
            if not ID_PATTERN.fullmatch(message_id):
                raise ExtractError(f"{where}:{node.lineno}: {message_id!r} is not a message id (like post.empty).")
            if any(spec or conversion for _t, _f, spec, conversion in string.Formatter().parse(template)):
                raise ExtractError(f"{where}:{node.lineno}: {message_id}: pass formatted text, not a format spec.")
            names = {k.arg for k in node.keywords}
            if None not in names and placeholders(template) != names:
                raise ExtractError(f"{where}:{node.lineno}: {message_id} is given {sorted(names)} for {template!r}.")
            if message_id in found and found[message_id][0] != template:
                raise ExtractError(f"{where}:{node.lineno}: {message_id} has two different English templates.")
            found.setdefault(message_id, (template, where))
    return dict(sorted(found.items()))


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def placeholders(template: str) -> set[str]:
    """The names a template formats: "{name} is {size}." -> {"name", "size"}."""
    return {field for _text, field, _spec, _conv in string.Formatter().parse(template) if field is not None}


def read_po(path: Path) -> dict[str, str]:
    """{msgid: msgstr} of a `.po` file (the header left out)."""
    from babel.messages.pofile import read_po as babel_read_po

    with open(path, "rb") as handle:
        catalog = babel_read_po(handle)
    return {str(m.id): str(m.string or "") for m in catalog if m.id and isinstance(m.id, str)}


def _quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


def po_text(language: str, entries: Iterable[tuple[str, str, str, str]]) -> str:
    """A `.po` file: a header, then (id, translation, the English, the file it is in) entries."""
    about = (
        "# Written from the code by `python -m app.core.common.messages extract`; do not edit it by hand."
        if language == SOURCE_LANGUAGE
        else "# Translate each msgstr (the English is the #. line above it); `extract` adds new ids here."
    )
    lines = [
        f"# Kakikomi's core messages ({language}): msgid is the message id, msgstr the sentence.",
        about,
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        f'"Language: {language}\\n"',
        "",
    ]
    for message_id, translation, english, where in entries:
        if language != SOURCE_LANGUAGE:
            lines.append(f"#. {english}")
        lines += [f"#: {where}", f"msgid {_quoted(message_id)}", f"msgstr {_quoted(translation)}", ""]
    return "\n".join(lines)


def extract(source_dir: Path | None = None, root: Path | None = None) -> dict[str, list[str]]:
    """Write en.po from the code and bring every other language's `.po` up to it (new ids with an
    empty translation, translations of ids no longer in the code dropped). Returns, per language,
    the ids added to it."""
    folder = messages_dir() if source_dir is None else source_dir
    found = extract_messages(root)
    added: dict[str, list[str]] = {}
    for language in LANGUAGES:
        po = folder / f"{language}.po"
        old = read_po(po) if po.is_file() else {}
        added[language] = [i for i in found if i not in old]
        entries = [
            (message_id, template if language == SOURCE_LANGUAGE else old.get(message_id, ""), template, where)
            for message_id, (template, where) in found.items()
        ]
        text = po_text(language, entries)
        if not po.is_file() or po.read_text(encoding="utf-8") != text:
            folder.mkdir(parents=True, exist_ok=True)
            po.write_text(text, encoding="utf-8")
    return added


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m app.core.common.messages extract` or `... build [FILE.po...]`."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args == ["extract"]:
            for language, ids in extract().items():
                print(f"{language}.po: {len(ids)} new id(s)" + (f": {', '.join(ids)}" if ids else ""))
        elif args[:1] == ["build"]:
            for mo in build([Path(a) for a in args[1:]] or None):
                print(f"built {mo}")
        else:
            print("usage: python -m app.core.common.messages extract | build [FILE.po...]", file=sys.stderr)
            return 2
    except (ExtractError, OSError, SyntaxError) as exc:
        print(f"messages: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
