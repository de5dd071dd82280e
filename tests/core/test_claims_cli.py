"""Tests for `kakikomi amounts` and `kakikomi claims` (app.cli.claims), run in-process through app.cli.run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main as cli
from app.core.common.paths import sample_post_path
from app.core.posts.post import load_post
from app.core.posts.render import RenderOptions, render_post
from app.core.reading.furigana_mode import FuriganaMode

POST = """---
title: 工場の話
---

北陸の町に半導体の工場ができる。投資額は約二千億円と発表された。

NVIDIAのH100を千台買うという。

地元では期待の声が多い。
"""


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch) -> Path:
    """Every command sees an empty data folder in the test's own folder (no user entities file)."""
    monkeypatch.setenv("KAKIKOMI_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LANGUAGE", "en")  # the sentences on stderr in English whatever the machine's locale
    return tmp_path / "home"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_amounts_json(capsys):
    """`amounts TEXT --json` prints the amounts (text, currency, low, high, approx, period), percentages and years."""
    code, out, err = run(capsys, "amounts", "Metaは2025年にAIインフラへ660億–720億ドルを投じる", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    [amount] = data["amounts"]
    assert {k: amount[k] for k in ("text", "currency", "low", "high", "approx", "period")} == {
        "text": "660億–720億ドル", "currency": "USD", "low": 66000000000, "high": 72000000000, "approx": False, "period": None,
    }
    assert '"high": 72000000000' in out  # an integer, not 7.2e10
    assert [(y["year"], y["text"], y["fiscal"], y["bound"]) for y in data["years"]] == [(2025, "2025年", False, None)]
    assert data["percentages"] == []


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("約1.5兆円", {"currency": "JPY", "low": 1500000000000, "high": 1500000000000, "approx": True, "period": None}),
        ("$5 billion per year", {"currency": "USD", "low": 5000000000, "high": 5000000000, "approx": False, "period": "year"}),
        ("三百億円以上", {"currency": "JPY", "low": 30000000000, "high": None, "approx": False, "period": None}),
    ],
)
def test_amounts_json_examples(capsys, text, fields):
    """The issue's examples, through the command line."""
    code, out, _err = run(capsys, "amounts", text, "--json")
    assert code == 0
    [amount] = json.loads(out)["amounts"]
    assert {k: amount[k] for k in fields} == fields and amount["text"] == text


def test_amounts_percentage_json(capsys):
    """Percentages carry value and direction."""
    code, out, _err = run(capsys, "amounts", "前年比20%増", "--json")
    assert code == 0
    assert json.loads(out)["percentages"] == [{"text": "前年比20%増", "value": 20, "direction": "up", "start": 0, "end": 7}]


def test_amounts_listing(capsys):
    """Without --json: one readable line per amount, percentage and year."""
    code, out, _err = run(capsys, "amounts", "2025年度に約3兆円、前年比20%増。三百億円以上。")
    assert code == 0
    assert out.splitlines() == [
        "約3兆円  JPY 3,000,000,000,000 (approx)",
        "三百億円以上  JPY ≥ 30,000,000,000",
        "前年比20%増  20% (up)",
        "2025年度  year 2025 (fiscal)",
    ]


def test_amounts_nothing_found(capsys):
    """A text with no figures says so, and succeeds."""
    code, out, _err = run(capsys, "amounts", "型番H100、電話03-1234-5678")
    assert code == 0 and out == "No amounts, percentages or years found.\n"


def test_amounts_reads_standard_input(capsys, monkeypatch):
    """TEXT "-" reads the text from standard input."""
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("年間200億ドル"))
    code, out, _err = run(capsys, "amounts", "-", "--json")
    assert code == 0 and json.loads(out)["amounts"][0]["period"] == "year"


def test_claims_json_offsets_point_into_the_posts_plain_text(capsys, tmp_path: Path):
    """`claims FILE --json`: suggestions whose offsets index the post's plain text (what highlights use)."""
    post = tmp_path / "factory.md"
    post.write_text(POST, encoding="utf-8")
    code, out, err = run(capsys, "claims", str(post), "--json")
    assert code == 0 and err == ""
    suggestions = json.loads(out)
    text = render_post(load_post(post), RenderOptions(mode=FuriganaMode("off"))).plain.text
    assert [s["sentence"] for s in suggestions] == ["投資額は約二千億円と発表された。", "NVIDIAのH100を千台買うという。"]
    for s in suggestions:
        assert text[s["start"] : s["end"]] == s["sentence"]
        assert set(s) >= {"sentence", "start", "end", "companies", "chips", "amounts"}
    money, chips = suggestions
    assert money["amounts"][0] | {"start": 0, "end": 0} == {
        "text": "約二千億円", "currency": "JPY", "low": 200000000000, "high": 200000000000, "approx": True, "period": None,
        "per": None, "start": 0, "end": 0,
    }
    assert text[money["amounts"][0]["start"] : money["amounts"][0]["end"]] == "約二千億円"
    assert (chips["companies"], chips["chips"], chips["amounts"]) == (["NVIDIA"], ["H100"], [])


def test_claims_on_the_sample_post(capsys):
    """The bundled sample post gives its suggestions, readable and as JSON, the same ones."""
    code, out, _err = run(capsys, "claims", str(sample_post_path()), "--json")
    assert code == 0
    suggestions = json.loads(out)
    assert len(suggestions) == 15  # 13 with exact figures, 2 with vague ones (数千億円, 数百億ドル)
    assert any(a["text"] == "500億〜600億ドル" and a["low"] == 50000000000 for s in suggestions for a in s["amounts"])
    code, listing, _err = run(capsys, "claims", str(sample_post_path()))
    assert code == 0
    headers = [line for line in listing.splitlines() if not line.startswith("    ")]
    assert len(headers) == 15  # with the two vague figures (数千億円, 数百億ドル)
    assert headers[0].startswith(f"{suggestions[0]['start']}-{suggestions[0]['end']}  代表選手はエヌビディア")
    assert "    companies: NVIDIA; chips: H100" in listing
    assert "    年間200億ドル  USD 20,000,000,000 (per year)" in listing


def test_claims_user_entities_file(capsys, tmp_path: Path):
    """--entities merges the user's companies and chips; its bad lines are warnings on stderr."""
    post = tmp_path / "minato.md"
    post.write_text("# 取材\n\nミナト精工はMN-1を量産する。\n", encoding="utf-8")
    entities = tmp_path / "mine.tsv"
    entities.write_text("company\tミナト精工\tミナト精工\nchip\tMN-1\tMN-1\tミナト精工\nnonsense\n", encoding="utf-8")
    code, out, err = run(capsys, "claims", str(post), "--json")
    assert code == 0 and json.loads(out) == []
    code, out, err = run(capsys, "claims", str(post), "--json", "--entities", str(entities))
    assert code == 0
    [suggestion] = json.loads(out)
    assert (suggestion["companies"], suggestion["chips"]) == (["ミナト精工"], ["MN-1"])
    assert err.startswith("kakikomi: warning: mine.tsv line 3:") and len(err.splitlines()) == 1


def test_claims_nothing_to_suggest(capsys, tmp_path: Path):
    """A post with no claims says so and succeeds."""
    post = tmp_path / "quiet.md"
    post.write_text("# 日記\n\n今日は晴れ。\n", encoding="utf-8")
    code, out, _err = run(capsys, "claims", str(post))
    assert code == 0 and out == "No claims to suggest in “日記”.\n"


def test_claims_missing_file_is_a_user_error(capsys, tmp_path: Path):
    """A file that cannot be opened: exit 2 and one line on stderr, no traceback."""
    code, out, err = run(capsys, "claims", str(tmp_path / "absent.md"))
    assert code == cli.EXIT_USER_ERROR and out == ""
    assert err.startswith("kakikomi: ") and len(err.splitlines()) == 1 and "Traceback" not in err


def test_claims_missing_entities_file_is_a_user_error(capsys, tmp_path: Path):
    """--entities naming no file is a user error (a typo must not silently drop the user's names)."""
    code, out, err = run(capsys, "claims", str(sample_post_path()), "--entities", str(tmp_path / "typo.tsv"))
    assert code == cli.EXIT_USER_ERROR and out == ""
    assert "typo.tsv is not a file of entities" in err and len(err.splitlines()) == 1


def test_amounts_without_text_is_a_user_error(capsys):
    """A missing argument is a usage error: exit 2, one line."""
    code, _out, err = run(capsys, "amounts")
    assert code == cli.EXIT_USER_ERROR and len(err.splitlines()) == 1


def test_commands_are_known_to_the_launcher():
    """`kakikomi amounts` / `kakikomi claims` run commands, not open files named so."""
    assert {"amounts", "claims"} <= cli.COMMANDS


# --- claims of library posts, the claims table, claim-status ----------------------------------


@pytest.fixture
def library_post(capsys, tmp_path: Path) -> tuple[Path, int]:
    """POST imported into the default library, its money sentence highlighted as an investment."""
    post = tmp_path / "factory.md"
    post.write_text(POST, encoding="utf-8")
    assert run(capsys, "import", str(post))[0] == 0
    code, out, _err = run(capsys, "annotate", "1", "--quote", "投資額は約二千億円と発表された。", "--tag", "investment", "--json")
    assert code == 0
    return post, json.loads(out)["id"]


def test_claims_of_a_library_post_json(capsys, library_post):
    """`claims POST --json` (an id) gives the post, its stored claims and its remaining suggestions."""
    _path, claim_id = library_post
    code, out, err = run(capsys, "claims", "1", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["post"]["id"] == 1 and data["post"]["title"] == "工場の話"
    [claim] = data["claims"]
    assert claim["id"] == claim_id and claim["tags"] == ["investment"] and claim["status"] == "unverified"
    assert (claim["currency"], claim["low"], claim["high"], claim["approx"]) == ("JPY", 200000000000, 200000000000, True)
    assert claim["amount_text"] == "約2000億 JPY" and claim["quote"] == "投資額は約二千億円と発表された。"
    [suggestion] = data["suggestions"]
    assert suggestion["sentence"] == "NVIDIAのH100を千台買うという。"
    assert set(suggestion) >= {"sentence", "start", "end", "companies", "chips", "amounts"}


def test_claims_of_an_imported_file_is_the_library_post(capsys, library_post):
    """A FILE that was imported is read as its library post (claims and suggestions), by path too."""
    path, claim_id = library_post
    code, out, _err = run(capsys, "claims", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    assert [c["id"] for c in data["claims"]] == [claim_id] and len(data["suggestions"]) == 1
    code, listing, _err = run(capsys, "claims", str(path))
    assert code == 0
    assert "Claims (1):" in listing and "[unverified]  約2000億 JPY  投資額は約二千億円と発表された。" in listing
    assert "Suggested (1):" in listing and "    companies: NVIDIA; chips: H100" in listing


def test_claims_of_a_file_outside_the_library_are_suggestions_only(capsys, library_post, tmp_path: Path):
    """Another file, with a library present, still gives the plain list of suggestions."""
    other = tmp_path / "other.md"
    other.write_text(POST, encoding="utf-8")
    code, out, _err = run(capsys, "claims", str(other), "--json")
    assert code == 0 and [s["sentence"] for s in json.loads(out)] == ["投資額は約二千億円と発表された。", "NVIDIAのH100を千台買うという。"]


def test_claims_of_an_unknown_post_is_a_user_error(capsys, library_post):
    """An id the library does not hold: exit 2, one line."""
    code, out, err = run(capsys, "claims", "99")
    assert code == cli.EXIT_USER_ERROR and out == "" and "No post '99'" in err and len(err.splitlines()) == 1


def test_claims_all_json_with_filters(capsys, library_post):
    """`claims --all --json` prints the claims table; filters narrow it."""
    _path, claim_id = library_post
    code, out, _err = run(capsys, "claims", "--all", "--json")
    assert code == 0 and [r["id"] for r in json.loads(out)] == [claim_id]
    code, out, _err = run(capsys, "claims", "--all", "--json", "--currency", "usd")
    assert code == 0 and json.loads(out) == []
    code, out, _err = run(capsys, "claims", "--all", "--json", "--status", "unverified", "--tag", "investment", "--sort", "date")
    assert code == 0 and len(json.loads(out)) == 1
    code, listing, _err = run(capsys, "claims", "--all")
    assert code == 0 and listing.startswith("[unverified]  約2000億 JPY")


@pytest.mark.parametrize(("name", "fmt", "first"), [("claims.csv", None, "\ufeffid,post,title"), ("claims.md", None, "# Claims"), ("out.txt", "md", "# Claims")])
def test_claims_all_export(capsys, library_post, tmp_path: Path, name, fmt, first):
    """`claims --all -o PATH` writes CSV or Markdown (from --format, else the suffix) and prints the path."""
    target = tmp_path / name
    code, out, _err = run(capsys, "claims", "--all", "-o", str(target), *(["--format", fmt] if fmt else []))
    assert code == 0 and out.strip() == str(target)
    assert target.read_text(encoding="utf-8").startswith(first)


@pytest.mark.parametrize(("fmt", "first"), [("md", "# Claims\n"), ("csv", "id,post,title,date,quote"), (None, "id,post,title")])
def test_claims_all_to_standard_output(capsys, library_post, tmp_path: Path, monkeypatch, fmt, first):
    """`claims --all [--format md|csv] -o -` prints the table (CSV unless --format md) and writes no file."""
    _path, claim_id = library_post
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "claims", "--all", "-o", "-", *(["--format", fmt] if fmt else []))
    assert code == 0 and err == ""
    assert out.startswith(first) and claim_id in out and out.endswith("\n") and "\r" not in out
    assert not (tmp_path / "-").exists()
    if fmt == "md":
        assert "1 claim," in out and "投資額は約二千億円と発表された。" in out


def test_claim_status_command(capsys, library_post):
    """`claim-status ID STATUS --note` sets the status; the table shows it; a bad status is a user error."""
    _path, claim_id = library_post
    code, out, _err = run(capsys, "claim-status", claim_id, "confirmed", "--note", "県の発表で確認", "--json")
    assert code == 0 and (json.loads(out)["status"], json.loads(out)["status_note"]) == ("confirmed", "県の発表で確認")
    code, out, _err = run(capsys, "claims", "--all", "--json", "--status", "confirmed")
    assert [r["id"] for r in json.loads(out)] == [claim_id]
    code, _out, err = run(capsys, "claim-status", claim_id, "maybe")
    assert code == cli.EXIT_USER_ERROR and len(err.splitlines()) == 1
    code, _out, err = run(capsys, "claim-status", "nope", "confirmed")
    assert code == cli.EXIT_USER_ERROR and "No claim 'nope'" in err


def test_claims_usage_mistakes(capsys, library_post):
    """No post and no --all, both, or -o without --all: one-line user errors."""
    for args in (("claims",), ("claims", "1", "--all"), ("claims", "1", "-o", "x.csv"), ("claims", "--all", "--format", "md")):
        code, out, err = run(capsys, *args)
        assert code == cli.EXIT_USER_ERROR and out == "" and len(err.splitlines()) == 1, args


def test_claims_all_without_a_library_is_a_user_error(capsys, tmp_path: Path):
    """--all with no library file says so instead of creating one."""
    code, _out, err = run(capsys, "claims", "--all", "--db", str(tmp_path / "none.sqlite3"))
    assert code == cli.EXIT_USER_ERROR and "There is no library" in err
    assert not (tmp_path / "none.sqlite3").exists()


def test_cli_choices_match_the_core():
    """The parser's statuses, sorts and formats are app.core.claims.table's."""
    from app.cli import claims as cli_claims
    from app.core.claims import table as claims_store
    from app.core.library import claims_export

    assert cli_claims.STATUSES == claims_store.STATUSES
    assert cli_claims.SORTS == claims_store.SORTS
    assert cli_claims.EXPORT_FORMATS == claims_export.EXPORT_FORMATS
    assert "claim-status" in cli.COMMANDS
