"""Claims as facts in the library (#20): read into every claim row, corrected by the reader,
compared across posts and drawn over time, from the core and from the command line."""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app.cli import main as cli
from app.core.claims import table as claims_store
from app.core.library import actions as library
from app.core.library.derived import open_library
from app.core.store import SCHEMA_VERSION, StoreError

POST_A = """---
title: AI投資の行方
date: 2025-11-30
---

Metaは2025年の設備投資を660億〜720億ドルに引き上げる。

TSMCの2025年第3四半期の売上高は前年同期比40%増となった。
"""
POST_B = """---
title: Meta決算速報
date: 2025-10-30
---

Metaは2025年の設備投資を700億ドルと見込む。
"""
POST_C = """---
title: 古い予想
date: 2025-01-30
---

Metaは2025年の設備投資を1000億ドルとする計画だ。
"""


@pytest.fixture
def lib(tmp_path: Path):
    with open_library(tmp_path / "lib.sqlite3") as store:
        ids = {}
        for name, text, quote in (
            ("a.md", POST_A, "Metaは2025年の設備投資を660億〜720億ドルに引き上げる。"),
            ("b.md", POST_B, "Metaは2025年の設備投資を700億ドルと見込む。"),
        ):
            path = tmp_path / name
            path.write_text(text, encoding="utf-8")
            assert not library.import_paths(store, [path]).errors
            post = store.post(str(path.resolve()))
            ids[name] = library.annotate_quote(store, post, quote, tags=("investment",)).id
        post_a = store.post(str((tmp_path / "a.md").resolve()))
        ids["tsmc"] = library.annotate_quote(store, post_a, "TSMCの2025年第3四半期の売上高は前年同期比40%増となった。", tags=("claim",)).id
        yield store, ids, tmp_path


def test_every_claim_row_has_its_fact(lib) -> None:
    store, ids, _ = lib
    rows = {r.annotation_id: r for r in claims_store.claims_table(store)}
    assert (rows[ids["a.md"]].entity, rows[ids["a.md"]].metric, rows[ids["a.md"]].fact_period) == ("Meta", "capex", "2025")
    assert (rows[ids["tsmc"]].entity, rows[ids["tsmc"]].metric, rows[ids["tsmc"]].fact_period) == ("TSMC", "revenue", "2025Q3")
    assert rows[ids["a.md"]].to_json()["fact"] == {"entity": "Meta", "metric": "capex", "period": "2025", "edited": False}


def test_the_readers_correction_wins_and_survives_a_rebuild(lib) -> None:
    store, ids, _ = lib
    row = library.set_claim_fact(store, ids["b.md"], metric="funding", period="FY2025")
    assert (row.entity, row.metric, row.fact_period, row.fact_edited) == ("Meta", "funding", "FY2025", True)
    claims_store.refresh_claims(store)  # everything derived anew
    again = claims_store.claim(store, ids["b.md"])
    assert (again.metric, again.fact_period) == ("funding", "FY2025")
    assert claims_store.claims_table(store, company="Meta")[0].metric in ("capex", "funding")  # the table sees it at once
    with pytest.raises(StoreError, match="Unknown metric"):
        library.set_claim_fact(store, ids["b.md"], metric="profit!")
    with pytest.raises(StoreError, match="Unknown period"):
        library.set_claim_fact(store, ids["b.md"], period="next year")
    with pytest.raises(StoreError, match="No claim"):
        library.set_claim_fact(store, "nope", metric="capex")


def test_two_posts_on_the_same_figure_are_one_group(lib) -> None:
    store, ids, tmp_path = lib
    [group] = claims_store.compare_claims(store)
    assert (group.entity, group.metric, group.period, group.agree) == ("Meta", "capex", "2025", True)
    assert {f.claim for f in group.figures} == {ids["a.md"], ids["b.md"]}
    path = tmp_path / "c.md"
    path.write_text(POST_C, encoding="utf-8")
    library.import_paths(store, [path])
    library.annotate_quote(store, store.post(str(path.resolve())), "Metaは2025年の設備投資を1000億ドルとする計画だ。", tags=("claim",))
    [group] = claims_store.compare_claims(store, entity="meta", metric="capex")
    assert group.agree is False and len(group.figures) == 3
    svg = claims_store.claims_timeline(store, "Meta", metric="capex")
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert len(root.findall(".//s:rect[@class='range']", ns)) == 1 and len(root.findall(".//s:circle[@class='point']", ns)) == 2
    assert "AI投資の行方" in svg and "Meta決算速報" in svg


def test_an_older_library_gets_facts_when_upgraded(lib) -> None:
    store, ids, tmp_path = lib
    db = store.path
    store.close()
    conn = sqlite3.connect(db)
    conn.execute("DROP INDEX claims_fact")
    for column in ("entity", "metric", "fact_period"):
        conn.execute(f"ALTER TABLE claims DROP COLUMN {column}")
    conn.execute("DROP TABLE claim_facts")
    conn.execute("PRAGMA user_version = 7")  # a library from before migration 8 (facts); later ones run too
    conn.commit()
    conn.close()
    with open_library(db) as upgraded:
        assert upgraded.version == SCHEMA_VERSION
        assert claims_store.claim(upgraded, ids["a.md"]).entity == "Meta"


# --- the command line ------------------------------------------------------------------------------


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_compare_chart_and_claim_set(lib, capsys, tmp_path: Path) -> None:
    store, ids, _ = lib
    db = str(store.path)
    store.close()
    code, out, err = run(capsys, "claims", "--compare", "--json", "--db", db)
    assert code == 0 and err == ""
    [group] = json.loads(out)["groups"]
    assert set(group) == {"entity", "metric", "period", "agree", "figures"}
    assert set(group["figures"][0]) == {"post", "claim", "text", "currency", "low", "high", "approx"}
    assert (group["entity"], group["metric"], group["period"], group["agree"]) == ("Meta", "capex", "2025", True)

    chart = tmp_path / "chart.svg"
    code, out, err = run(capsys, "claims", "--chart", "--company", "Meta", "-o", str(chart), "--db", db)
    assert code == 0 and chart.read_text(encoding="utf-8").startswith("<svg")
    code, _out, err = run(capsys, "claims", "--chart", "-o", str(chart), "--db", db)
    assert code == 2 and "--company" in err

    prefix = ids["b.md"][:8]
    code, out, err = run(capsys, "claim-set", prefix, "--metric", "funding", "--json", "--db", db)
    assert code == 0 and json.loads(out)["fact"] == {"entity": "Meta", "metric": "funding", "period": "2025", "edited": True}
    code, out, err = run(capsys, "claim-status", prefix, "confirmed", "--json", "--db", db)
    assert code == 0 and json.loads(out)["status"] == "confirmed"
    code, _out, err = run(capsys, "claim-set", prefix, "--db", db)
    assert code == 2 and "--entity, --metric or --period" in err
    code, _out, err = run(capsys, "claim-set", prefix, "--period", "someday", "--db", db)
    assert code == 2 and err.count("\n") == 1 and "Unknown period" in err
    code, _out, err = run(capsys, "claim-set", "", "--metric", "capex", "--db", db)
    assert code == 2 and "several" in err


def test_tampered_amounts_are_one_sentence(lib, capsys) -> None:
    store, ids, _ = lib
    store.db.execute("UPDATE claims SET amounts = '{bad' WHERE annotation_id = ?", [ids["a.md"]])
    with pytest.raises(StoreError, match="damaged"):
        claims_store.claims_table(store)
    db = str(store.path)
    store.close()
    code, _out, err = run(capsys, "claims", "--all", "--db", db)
    assert code == 2 and err.count("\n") == 1 and "damaged" in err
