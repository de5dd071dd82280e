"""Claims kept in the library: highlights tagged chip, investment or claim, with their figures.

A live highlight carrying one of CLAIM_TAGS is a claim. `refresh_claims` (called by app.core.library.actions
and app.core.library.webanno inside the transaction of every change to a highlight) extracts the money
amounts, years, companies and chips of its quote (app.core.claims.amounts, app.core.claims.entities) into the
`claims` table; a highlight that loses its claim tags, or is deleted, loses its row. The reader's
verdict (STATUSES, with a note) lives in `claim_status` and is never dropped with the row, so an
undo or a restore brings it back. `claims_table` lists claims across the library, filtered and
sorted in SQL. Suggested claims (app.core.claims.sentences) are offered for a post's sentences that are not
highlighted and were not dismissed; dismissals are remembered by sentence (the offsets only tell
two copies of one sentence apart), so an edit of the post that keeps the sentence keeps it dismissed.

Amounts are shown (`ClaimRow.amount_text`) in Japanese units, exact: 兆 (10^12), 億 (10^8), 万
(10^4), e.g. "660億–720億 USD", "約1.5兆 JPY", "≥ 300億 JPY", "200億 USD/year"; "約" marks an
approximate amount, "≥"/"≤" an open bound, "/year" or "/month" a period.
"""

from __future__ import annotations

import json
import re
import secrets
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter

from app.core.claims.amounts import Amount, find_figures
from app.core.claims.entities import find_entities, load_entities
from app.core.claims.facts import METRICS, read_fact
from app.core.common.messages import Message
from app.core.store import Annotation, Store, StoreError, now

CLAIM_TAGS = frozenset({"chip", "investment", "claim"})
STATUSES = ("unverified", "confirmed", "disputed", "outdated")
SORTS = ("amount", "date", "post", "status", "quote", "position")
# Lists of names kept in one text column: a separator no name or tag contains.
_SEP = "\x1f"
# SQLite integers are 64-bit: a larger figure is stored as a real (the exact one stays in `amounts`).
_MAX_INT = 2**63 - 1
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class ClaimRow:
    """One claim: a claim-tagged highlight, its post, the names and figures of its quote, its status.

    `currency`, `low`, `high`, `period` and `approx` are the main amount's (the first in the quote),
    all None/False when the quote states none. `years` are the years the quote states. Amount
    offsets are into the quote.
    """

    annotation_id: str
    post_id: int
    post_title: str
    post_date: str | None
    quote: str
    start: int
    tags: tuple[str, ...]
    companies: tuple[str, ...]
    chips: tuple[str, ...]
    amounts: tuple[Amount, ...]
    currency: str | None
    low: int | float | None
    high: int | float | None
    period: str | None
    approx: bool
    years: tuple[int, ...]
    status: str
    status_note: str
    orphan: bool
    entity: str | None = None  # the fact (app.core.claims.facts), the reader's corrections applied
    metric: str | None = None
    fact_period: str | None = None
    fact_edited: bool = False

    @property
    def amount_text(self) -> str:
        """The main amount for a person, "約660億–720億 USD/year"; "" without an amount."""
        if self.currency is None:
            return ""
        return format_amount(self.low, self.high, self.currency, self.period, self.approx)

    def to_json(self) -> dict:
        return {
            "id": self.annotation_id, "post": self.post_id, "post_title": self.post_title, "post_date": self.post_date,
            "quote": self.quote, "start": self.start, "tags": list(self.tags), "companies": list(self.companies),
            "chips": list(self.chips), "amounts": [a.to_json() for a in self.amounts], "currency": self.currency,
            "low": self.low, "high": self.high, "period": self.period, "approx": self.approx,
            "amount_text": self.amount_text, "years": list(self.years), "status": self.status,
            "status_note": self.status_note, "orphan": self.orphan,
            "fact": {"entity": self.entity, "metric": self.metric, "period": self.fact_period, "edited": self.fact_edited},
        }

    @classmethod
    def _fast(cls, values: dict) -> ClaimRow:
        # The generated __init__ of a frozen dataclass sets each field through object.__setattr__:
        # six microseconds a row, most of a 10,000-row table's budget. The values come from our
        # own columns, so they are filled in directly.
        row = object.__new__(cls)
        row.__dict__.update(values)
        return row


# --- amounts for a person ----------------------------------------------------------------------

_UNITS = ((10**12, "兆"), (10**8, "億"), (10**4, "万"))


def _japanese(value: int | float) -> str:
    """A figure in 兆/億/万, exact: 66000000000 -> 660億, 1.5e12 -> 1.5兆, 123456789 -> 1億2345万6789."""
    number = Decimal(str(value))
    sign = "-" if number < 0 else ""
    number = abs(number)
    for size, unit in _UNITS:
        if number >= size:
            scaled = number / size
            if scaled == scaled.quantize(Decimal("0.01")):  # 1.5兆 reads better than 1兆5000億
                return f"{sign}{scaled.normalize():f}{unit}"
            break
    parts, rest = [], number
    for size, unit in _UNITS:
        if rest >= size:
            whole = int(rest // size)
            parts.append(f"{whole}{unit}")
            rest -= whole * size
    if rest or not parts:
        parts.append(f"{rest.normalize():f}" if rest != int(rest) else f"{int(rest):,}" if not parts else str(int(rest)))
    return sign + "".join(parts)


def format_amount(low, high, currency: str, period: str | None = None, approx: bool = False) -> str:
    """"約660億–720億 USD/year": an amount in Japanese units (see the module's docstring)."""
    if low is not None and high is not None:
        figure = _japanese(low) if low == high else f"{_japanese(low)}–{_japanese(high)}"
    elif low is not None:
        figure = f"≥ {_japanese(low)}"
    elif high is not None:
        figure = f"≤ {_japanese(high)}"
    else:
        figure = "?"
    return ("約" if approx else "") + f"{figure} {currency}" + (f"/{period}" if period else "")


# --- keeping claims in step with highlights ----------------------------------------------------


def _batches(items: Sequence, size: int = 500) -> Iterable[Sequence]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _storable(value: int | float | None) -> int | float | None:
    if isinstance(value, int) and abs(value) > _MAX_INT:
        return float(value)
    return value


def _revision() -> int:
    """A new revision for a written row (see migration 5): random, so no two writes share one."""
    return secrets.randbits(62)


def _year_of(date: str | None) -> int | None:
    match = _YEAR.match(date or "")
    return int(match.group()) if match else None


def _claim_values(annotation: Annotation, post_date: str | None, entities, stamp: str) -> tuple[dict, list[tuple[str, str]]]:
    """The claims row of a highlight and its terms (kind, value) for the filters."""
    post_year = _year_of(post_date)
    figures = find_figures(annotation.exact)
    fact = read_fact(annotation.exact, post_date=(post_date or "")[:10] or None, entities=entities)
    mentions = find_entities(annotation.exact, entities)
    companies = tuple(dict.fromkeys(m.name for m in mentions if m.kind == "company"))
    chips = tuple(dict.fromkeys(m.name for m in mentions if m.kind == "chip"))
    years = tuple(dict.fromkeys(y.year for y in figures.years))
    main = figures.amounts[0] if figures.amounts else None
    row = {
        "annotation_id": annotation.id, "post_id": annotation.post_id, "start": annotation.start,
        "currency": main.currency if main else None, "low": _storable(main.low) if main else None,
        "high": _storable(main.high) if main else None, "period": main.period if main else None,
        "approx": int(bool(main and main.approx)), "orphan": int(annotation.orphan), "updated": stamp,
        "revision": _revision(),
        "tags": _SEP.join(annotation.tags), "companies": _SEP.join(companies), "chips": _SEP.join(chips),
        "years": _SEP.join(map(str, years)),
        "amounts": json.dumps([a.to_json() for a in figures.amounts], ensure_ascii=False),
        "quote": annotation.exact, "entity": fact.entity, "metric": fact.metric, "fact_period": fact.period,
    }
    # The year filter finds a claim by a year its quote states or by its post's year.
    year_terms = dict.fromkeys([*years, *([post_year] if post_year is not None else [])])
    terms = [
        *(("company", name) for name in companies), *(("chip", name) for name in chips),
        *(("tag", tag) for tag in annotation.tags), *(("year", str(year)) for year in year_terms),
    ]
    return row, list(dict.fromkeys(terms))


_CLAIM_COLUMNS = (
    "annotation_id", "post_id", "start", "currency", "low", "high", "period", "approx", "orphan", "updated", "revision",
    "tags", "companies", "chips", "years", "amounts", "quote", "entity", "metric", "fact_period",
)
_INSERT_CLAIM = (
    f"INSERT OR REPLACE INTO claims ({', '.join(_CLAIM_COLUMNS)}) VALUES ({', '.join('?' * len(_CLAIM_COLUMNS))})"
)


def refresh_claims(store: Store, annotation_ids: Iterable[str] | None = None) -> int:
    """(Re)extract and store the claims of these highlights (every highlight when None).

    A live highlight with a claim tag gets a row (and a status, "unverified" unless it has one);
    one without, or deleted, loses its row but keeps its status. Returns the rows written.
    Runs inside the caller's transaction, or its own.
    """
    with store.transaction():
        if annotation_ids is None:
            annotations = store.annotations(include_deleted=True)
            store.db.execute("DELETE FROM claim_terms")
            store.db.execute("DELETE FROM claims")
        else:
            wanted = list(dict.fromkeys(annotation_ids))
            annotations = []
            for chunk in _batches(wanted):
                marks = ", ".join("?" * len(chunk))
                annotations.extend(store._annotations(f"id IN ({marks})", list(chunk)))
                # Terms first: foreign keys are off during a migration, so the cascade may not run.
                store.db.execute(f"DELETE FROM claim_terms WHERE annotation_id IN ({marks})", list(chunk))
                store.db.execute(f"DELETE FROM claims WHERE annotation_id IN ({marks})", list(chunk))
        claims = [a for a in annotations if a.deleted is None and CLAIM_TAGS.intersection(a.tags)]
        if not claims:
            return 0
        post_dates: dict[int, str | None] = {}
        for chunk in _batches(sorted({a.post_id for a in claims})):
            post_dates.update(
                store.db.execute(f"SELECT id, date FROM posts WHERE id IN ({', '.join('?' * len(chunk))})", list(chunk)).fetchall()
            )
        entities = load_entities()
        stamp = now()
        rows, terms = [], []
        for annotation in claims:
            row, found = _claim_values(annotation, post_dates.get(annotation.post_id), entities, stamp)
            rows.append([row[c] for c in _CLAIM_COLUMNS])
            terms.extend((kind, value, annotation.id) for kind, value in found)
        conn = store.db.conn
        conn.executemany(_INSERT_CLAIM, rows)
        conn.executemany("INSERT OR IGNORE INTO claim_terms (kind, value, annotation_id) VALUES (?, ?, ?)", terms)
        conn.executemany(
            "INSERT OR IGNORE INTO claim_status (annotation_id, status, note, updated, revision) "
            "VALUES (?, 'unverified', '', ?, ?)",
            [(a.id, stamp, _revision()) for a in claims],
        )
    return len(rows)


def refresh_post_claims(store: Store, post_id: int) -> int:
    """Refresh the claims of every highlight of a post (after its text or date changed)."""
    ids = [r[0] for r in store.db.execute("SELECT id FROM annotations WHERE post_id = ?", [post_id])]
    return refresh_claims(store, ids) if ids else 0


# --- the table ---------------------------------------------------------------------------------

_FROM = (
    " FROM claims c JOIN claim_status s ON s.annotation_id = c.annotation_id JOIN posts p ON p.id = c.post_id"
    " LEFT JOIN claim_facts f ON f.annotation_id = c.annotation_id"
)
_STATUS_INDEX = {name: i for i, name in enumerate(STATUSES)}


class _Entry:
    """A built row with its sort keys, computed once: making keys for every sort cost more than
    sorting. Amount and status keys are ranks among all claims (ints compare fastest)."""

    __slots__ = ("stamps", "row", "amount_key", "amount_down_key", "amount", "amount_down", "status", "status_down",
                 "date", "post", "quote")

    def __init__(self, stamps: tuple, row: ClaimRow, date: str) -> None:
        self.stamps = stamps
        self.row = row
        self.amount_key = _amount_key(row, False)
        self.amount_down_key = _amount_key(row, True)
        self.amount = self.amount_down = self.status = self.status_down = 0
        self.date = date
        self.post = row.post_title.casefold()
        self.quote = row.quote.casefold()


def _rank(entries: list[_Entry], *, amounts: bool = True) -> None:
    """Give every entry its amount ranks (unless they still hold) and status ranks; ties keep the
    reading order of `entries`."""
    size = len(entries)
    if amounts:
        for rank, e in enumerate(sorted(entries, key=attrgetter("amount_key"))):
            e.amount = rank
        for rank, e in enumerate(sorted(entries, key=attrgetter("amount_down_key"))):
            e.amount_down = rank
    last = len(STATUSES) - 1
    for e in entries:
        index = _STATUS_INDEX[e.row.status]
        e.status = index * size + e.amount
        e.status_down = (last - index) * size + e.amount_down


class _Rows:
    """The claims of one open library as built rows, kept in step with the file.

    Building 10,000 rows costs far more than the 50 ms a sort or a filter may take, and an SQL
    ORDER BY over the joined tables costs most of it again: the rows are built once, rebuilt only
    when a change is seen (this connection's change count or SQLite's data_version for other
    connections; then each row's stamps say which ones), kept in reading order (post, position)
    and sorted in Python on keys computed when built.
    """

    def __init__(self) -> None:
        self.seen: tuple[int, int] | None = None
        self.entries: dict[str, _Entry] = {}  # in reading order
        self.ordered: list[tuple[str, _Entry]] = []

    def sync(self, store: Store) -> list[tuple[str, _Entry]]:
        conn = store.db.conn
        seen = (conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0])
        if seen == self.seen:
            return self.ordered
        stamps = {
            r[0]: r[1:]
            for r in conn.execute(
                f"SELECT c.annotation_id, c.revision, s.revision, p.title, p.date, p.imported_at{_FROM} ORDER BY c.post_id, c.start"
            )
        }
        old = self.entries
        fresh = [k for k, stamp in stamps.items() if (e := old.get(k)) is None or e.stamps != stamp]
        built: dict[str, _Entry] = {}
        select = (
            f"SELECT c.revision, s.revision, p.title, p.date, p.imported_at, coalesce(p.date, p.imported_at), {_ROW_COLUMNS}{_FROM}"
        )
        if len(fresh) > 1000:  # most rows: one scan beats thousands of look-ups
            wanted = set(fresh)
            for r in conn.execute(select):
                if r[6] in wanted:
                    built[r[6]] = _Entry(r[:5], _build(r[6:]), r[5])
        else:
            for chunk in _batches(fresh):
                for r in conn.execute(f"{select} WHERE c.annotation_id IN ({', '.join('?' * len(chunk))})", list(chunk)):
                    built[r[6]] = _Entry(r[:5], _build(r[6:]), r[5])
        # Only a status changed (the usual edit in the table): the amount ranks still hold.
        same_claims = stamps.keys() == old.keys() and all(old[k].stamps[0] == stamps[k][0] for k in built)
        if same_claims:
            for k, entry in built.items():
                entry.amount, entry.amount_down = old[k].amount, old[k].amount_down
        self.entries = {k: built.get(k) or old[k] for k in stamps}
        self.ordered = list(self.entries.items())
        _rank([e for _k, e in self.ordered], amounts=not same_claims)
        self.seen = (conn.total_changes, conn.execute("PRAGMA data_version").fetchone()[0])
        return self.ordered


_cache: weakref.WeakKeyDictionary[Store, _Rows] = weakref.WeakKeyDictionary()


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split(_SEP)) if text else ()


def _build(values: tuple) -> ClaimRow:
    (annotation_id, post_id, title, date, quote, start, tags, companies, chips, amounts, currency, low, high,
     period, approx, years, status, note, orphan, entity, metric, fact_period, edited) = values
    return ClaimRow._fast({
        "annotation_id": annotation_id, "post_id": post_id, "post_title": title, "post_date": date, "quote": quote,
        "start": start, "tags": _split(tags), "companies": _split(companies), "chips": _split(chips),
        "amounts": _amounts(annotation_id, amounts),
        "currency": currency, "low": low, "high": high, "period": period, "approx": bool(approx),
        "years": tuple(int(y) for y in _split(years)), "status": status, "status_note": note, "orphan": bool(orphan),
        "entity": entity or None, "metric": metric, "fact_period": fact_period, "fact_edited": bool(edited),
    })


def _amounts(annotation_id: str, text: str) -> tuple[Amount, ...]:
    """The stored amounts of a claim; a value edited into something else is a StoreError that says so."""
    if text == "[]":
        return ()
    try:
        return tuple(Amount(**a) for a in json.loads(text))
    except (TypeError, ValueError, RecursionError):
        raise StoreError(Message(
            "claims.damaged_amounts",
            "The library is damaged: claim {id} holds amounts Kakikomi did not write; re-import its post to read them again, or restore a backup.",
            id=annotation_id,
        )) from None


_ROW_COLUMNS = (
    "c.annotation_id, c.post_id, p.title, p.date, c.quote, c.start, c.tags, c.companies, c.chips, c.amounts, "
    "c.currency, c.low, c.high, c.period, c.approx, c.years, s.status, s.note, c.orphan, "
    "coalesce(f.entity, c.entity), coalesce(f.metric, c.metric), coalesce(f.period, c.fact_period), f.annotation_id IS NOT NULL"
)


def _amount_key(row: ClaimRow, descending: bool) -> tuple:
    # Within a currency by the lower bound (else the upper), then the upper; no amount last.
    low = row.low if row.low is not None else row.high
    high = row.high if row.high is not None else row.low
    if low is None:
        return (row.currency is None, row.currency or "", True, 0, 0)
    sign = -1 if descending else 1
    return (row.currency is None, row.currency or "", False, sign * low, sign * high)


def _sorted(entries: list[_Entry], sort: str, descending: bool) -> list[ClaimRow]:
    # `entries` come in reading order, and Python's sort is stable (reversed too): ties stay in
    # reading order.
    if sort == "position":
        return [e.row for e in (reversed(entries) if descending else entries)]
    if sort in ("amount", "status"):  # ranks: the direction is in them (currencies stay A–Z)
        return [e.row for e in sorted(entries, key=attrgetter(f"{sort}_down" if descending else sort))]
    return [e.row for e in sorted(entries, key=attrgetter(sort), reverse=descending)]


def claims_table(
    store: Store,
    *,
    company: str | None = None,
    chip: str | None = None,
    tag: str | None = None,
    year: int | str | None = None,
    status: str | None = None,
    currency: str | None = None,
    post_id: int | None = None,
    sort: str = "amount",
    descending: bool = False,
    limit: int | None = None,
) -> list[ClaimRow]:
    """The claims of the library, filtered and sorted (SORTS); `limit` keeps the first rows only.

    Filters combine: a company or chip its quote names, a tag of its highlight, a year its quote
    states or its post's year, its status, its main amount's currency, its post. Sort "amount"
    groups by currency (A–Z), then the amount (its lower bound, else its upper), claims without
    an amount last; `descending` reverses the amount, not the currency grouping. "date" is the
    post's date (else when it was imported), "post" its title, "status" the order of STATUSES
    (then the amount), "quote" the quote's text, "position" the post (by id) and the place in it.
    Ties go by post and position.
    """
    if sort not in SORTS:
        raise StoreError(Message("claims.unknown_sort", "Unknown sort {sort}: use one of {choices}.", sort=repr(sort), choices=", ".join(SORTS)))
    if status is not None and status not in STATUSES:
        raise StoreError(Message("claims.unknown_status", "Unknown status {status}: use one of {choices}.", status=repr(status), choices=", ".join(STATUSES)))
    ordered = _cache.setdefault(store, _Rows()).sync(store)
    clauses, params = [], []
    for kind, value in (("company", company), ("chip", chip), ("tag", tag), ("year", year)):
        if value is not None and value != "":
            clauses.append("c.annotation_id IN (SELECT annotation_id FROM claim_terms WHERE kind = ? AND value = ?)")
            params.extend([kind, str(value)])
    for column, value in (("c.currency", currency), ("c.post_id", post_id)):
        if value is not None and value != "":
            clauses.append(f"{column} = ?")
            params.append(value)
    join = ""
    if status is not None:
        join = " JOIN claim_status s ON s.annotation_id = c.annotation_id"
        clauses.append("s.status = ?")
        params.append(status)
    if clauses:
        ids = {r[0] for r in store.db.execute(f"SELECT c.annotation_id FROM claims c{join} WHERE {' AND '.join(clauses)}", params)}
        entries = [e for k, e in ordered if k in ids]
    else:
        entries = [e for _k, e in ordered]
    found = _sorted(entries, sort, descending)
    return found[:limit] if limit is not None else found


def claim(store: Store, annotation_id: str) -> ClaimRow:
    """One claim by its highlight's id; StoreError when that highlight is not a claim."""
    row = store.db.execute(f"SELECT {_ROW_COLUMNS}{_FROM} WHERE c.annotation_id = ?", [annotation_id]).fetchone()
    if row is None:
        raise StoreError(Message(
            "claims.not_a_claim", "No claim {id}: a claim is a highlight tagged {tags}.", id=repr(annotation_id), tags=", ".join(sorted(CLAIM_TAGS))
        ))
    return _build(row)


def claim_facets(store: Store) -> dict[str, list]:
    """What the table's filters can choose from: companies, chips, tags, years, currencies and
    statuses, each as [value, number of claims] sorted by value."""
    facets: dict[str, list] = {"company": [], "chip": [], "tag": [], "year": []}
    for kind, value, count in store.db.execute(
        "SELECT kind, value, count(*) FROM claim_terms GROUP BY kind, value ORDER BY kind, value"
    ):
        facets[kind].append([int(value) if kind == "year" else value, count])
    facets["currency"] = [list(r) for r in store.db.execute(
        "SELECT currency, count(*) FROM claims WHERE currency IS NOT NULL GROUP BY currency ORDER BY currency"
    )]
    counts = dict(store.db.execute(f"SELECT s.status, count(*){_FROM} GROUP BY s.status").fetchall())
    facets["status"] = [[name, counts.get(name, 0)] for name in STATUSES]
    return facets


def set_claim_status(store: Store, annotation_id: str, status: str, note: str | None = None) -> ClaimRow:
    """Set a claim's status (one of STATUSES) and, unless None, its note; returns the claim."""
    if status not in STATUSES:
        raise StoreError(Message("claims.unknown_status", "Unknown status {status}: use one of {choices}.", status=repr(status), choices=", ".join(STATUSES)))
    with store.transaction():
        claim(store, annotation_id)  # raises for a highlight that is not a claim
        store.db.execute(
            "UPDATE claim_status SET status = ?, note = coalesce(?, note), updated = ?, revision = ? WHERE annotation_id = ?",
            [status, note, now(), _revision(), annotation_id],
        )
    return claim(store, annotation_id)


# --- facts: the reader's corrections -------------------------------------------------------------

_PERIOD = re.compile(r"(?:19|20)\d\d(?:Q[1-4]|H[12])?|FY(?:19|20)\d\d|asof:\d{4}-\d{2}-\d{2}")


def set_claim_fact(
    store: Store, annotation_id: str, *, entity: str | None = None, metric: str | None = None, period: str | None = None
) -> ClaimRow:
    """Correct a claim's fact: each given field replaces what was read ("" for the entity: none);
    a field left None keeps its value. StoreError (one sentence) for a metric or period that is
    not one Kakikomi knows. Returns the claim."""
    if metric is not None and metric not in (*METRICS, "other"):
        raise StoreError(Message("claims.unknown_metric", "Unknown metric {metric}: use one of {choices}.", metric=repr(metric), choices=", ".join((*METRICS, "other"))))
    if period is not None and not _PERIOD.fullmatch(period):
        raise StoreError(Message(
            "claims.unknown_period", "Unknown period {period}: write a year (2025), FY2025, 2025Q3, 2025H1 or asof:2025-11-30.", period=repr(period)
        ))
    with store.transaction():
        claim(store, annotation_id)  # raises for a highlight that is not a claim
        stamp = now()
        store.db.execute(
            "INSERT INTO claim_facts (annotation_id, entity, metric, period, updated) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(annotation_id) DO UPDATE SET entity = coalesce(excluded.entity, entity), "
            "metric = coalesce(excluded.metric, metric), period = coalesce(excluded.period, period), updated = excluded.updated",
            [annotation_id, entity, metric, period, stamp],
        )
        # The status row's revision tells the table's cache that this row changed.
        store.db.execute("UPDATE claim_status SET revision = ? WHERE annotation_id = ?", [_revision(), annotation_id])
    return claim(store, annotation_id)


# --- compared across posts, and over time -------------------------------------------------------


def _fact_items(store: Store, entity: str | None, metric: str | None) -> list[tuple[ClaimRow, object]]:
    """(row, Fact) for the claims with a fact (the reader's corrections applied), filtered."""
    from app.core.claims.facts import Fact

    out = []
    for row in claims_table(store, sort="position"):
        if row.entity is None or (entity is not None and row.entity.casefold() != entity.casefold()):
            continue
        if metric is not None and row.metric != metric:
            continue
        value = row.amounts[0] if row.amounts else read_fact(row.quote, post_date=(row.post_date or "")[:10] or None).value
        out.append((row, Fact(row.entity, row.metric or "other", value, row.fact_period or "")))
    return out


def compare_claims(store: Store, *, entity: str | None = None, metric: str | None = None, rates=None) -> list:
    """The library's claims grouped by entity, metric and period across posts, each group saying
    whether its figures agree (app.core.claims.compare); only groups with two posts or more."""
    from app.core.claims.compare import compare

    return compare(((row.post_id, row.annotation_id, fact) for row, fact in _fact_items(store, entity, metric)), rates)


def claims_timeline(store: Store, entity: str, *, metric: str | None = None, rates=None) -> str:
    """An SVG drawing of `entity`'s figures over time (app.core.claims.timeline), one colour per post."""
    from app.core.claims.compare import Figure
    from app.core.claims.timeline import Point, timeline_svg

    points = []
    for row, fact in _fact_items(store, entity, metric):
        if fact.value is None or fact.currency is None:
            continue
        figure = Figure(row.post_id, row.annotation_id, fact.value.text, fact.currency, fact.low, fact.high,
                        bool(getattr(fact.value, "approx", False)))
        points.append(Point(fact.period, row.post_title, figure))
    title = f"{entity} — {metric}" if metric else entity
    return timeline_svg(points, title=title, rates=rates)
