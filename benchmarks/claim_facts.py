"""`python -m benchmarks.claim_facts`: how well claims are read as facts (entity, metric, value,
period), field by field, on the gold set in benchmarks/data/claim_facts/ (see its README).

The dev set was read while writing the rules in app/core/claims/facts.py; the test set was
written apart from them and is only scored here. A field is right when it is exactly the gold
value; `value` is right when currency, low and high all are.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from app.core.claims.entities import load_entities
from app.core.claims.facts import read_fact

DATA = Path(__file__).resolve().parent / "data" / "claim_facts"
FIELDS = ("entity", "metric", "value", "period")
TARGET = 0.90


def _number(text: str):
    if text == "-":
        return None
    value = float(text)
    return int(value) if value == int(value) else value


def score(path: Path, *, show: bool = False) -> dict:
    """Per-field accuracy on one gold file (and the misses when `show`)."""
    table = load_entities(user_path=Path("/nonexistent"))  # the bundled table only: a user's file must not move the figures
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    right = dict.fromkeys(FIELDS, 0)
    misses: list[str] = []
    for row in rows:
        fact = read_fact(row["sentence"], post_date=row["post_date"], entities=table)
        got = {
            "entity": fact.entity or "-", "metric": fact.metric, "period": fact.period,
            "value": (fact.currency, fact.low, fact.high),
        }
        want = {
            "entity": row["entity"], "metric": row["metric"], "period": row["period"],
            "value": (row["currency"], _number(row["low"]), _number(row["high"])),
        }
        for field in FIELDS:
            if got[field] == want[field]:
                right[field] += 1
            elif show:
                misses.append(f"  {field}: got {got[field]!r}, want {want[field]!r} in {row['sentence'][:70]}")
    result = {"sentences": len(rows), **{field: right[field] / len(rows) if rows else 0.0 for field in FIELDS}}
    if show:
        result["misses"] = misses
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.claim_facts", description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list the dev set's misses (never the test set's)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = {}
    for name in ("dev", "test"):
        path = DATA / f"{name}.tsv"
        if path.exists():
            results[name] = score(path, show=args.misses and name == "dev")
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for name, result in results.items():
        fields = "  ".join(f"{field} {100 * result[field]:5.1f}%" for field in FIELDS)
        met = all(result[field] >= TARGET for field in FIELDS)
        print(f"{name:<5} {result['sentences']:3d} sentences  {fields}  ({'each field >= 90%: met' if met else 'below 90% somewhere'})")
        for miss in result.get("misses", []):
            print(miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
