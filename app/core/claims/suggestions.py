"""A post's suggested claims in the library: the sentences worth keeping (app.core.claims.sentences)
that no live highlight overlaps and the reader did not dismiss.

Dismissals are remembered by sentence (the offsets only tell two copies of one sentence apart), so
an edit of the post that keeps the sentence keeps it dismissed. Each post's raw suggestions are
cached for the last few posts opened, so a highlight made or removed only filters them again.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections import OrderedDict

from app.core.claims.entities import EntityTable, load_entities
from app.core.claims.sentences import Suggestion, not_overlapping, suggest_claims
from app.core.common.messages import Message
from app.core.store import PostRecord, Store, StoreError, now


def _dismissed(store: Store, post_id: int) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for sentence, start in store.db.execute(
        "SELECT sentence, start FROM dismissed_suggestions WHERE post_id = ? ORDER BY start", [post_id]
    ):
        found.setdefault(sentence, []).append(start)
    return found


def _nearest(candidates: list[int], hints: list[int]) -> set[int]:
    """The candidates (starts of one sentence's copies) each hint claims: the nearest one left."""
    if len(hints) >= len(candidates):
        return set(candidates)
    left = sorted(candidates)
    chosen = set()
    for hint in hints:
        i = bisect.bisect_left(left, hint)
        options = [j for j in (i - 1, i) if 0 <= j < len(left)]
        best = min(options, key=lambda j: abs(left[j] - hint))
        chosen.add(left.pop(best))
    return chosen


# Each post's suggestions before highlights and dismissals take theirs out, for the last few posts
# opened: a highlight made or removed filters them again instead of reading the post's every word
# again (MeCab, the amounts, the names). Keyed by library, post, text and entity table.
_RAW_SUGGESTIONS: OrderedDict[tuple, list[Suggestion]] = OrderedDict()
_RAW_KEPT = 8
_raw_lock = threading.Lock()


def _raw_key(store: Store, post: PostRecord, entities: EntityTable) -> tuple:
    return (str(store.path), post.id, post.content_hash, entities.entities)


def raw_suggestions(store: Store, post_id: int, *, entities: EntityTable | None = None) -> list[Suggestion]:
    """Every sentence of the post worth suggesting, highlighted or dismissed or not (cached)."""
    post = store.post(post_id)
    table = entities or load_entities()
    key = _raw_key(store, post, table)
    with _raw_lock:
        found = _RAW_SUGGESTIONS.get(key)
        if found is not None:
            _RAW_SUGGESTIONS.move_to_end(key)
            return found
    # The stored block spans say which lines are table rows or code (None for a post an older
    # Kakikomi imported and nobody opened since: then sentences only).
    found = suggest_claims(post.text, blocks=store.post_blocks(post_id), entities=table)
    _remember(key, found)
    return found


def remember_suggestions(store: Store, post_id: int, found: list[Suggestion], *, entities: EntityTable | None = None) -> None:
    """Keep `found` as the post's raw suggestions (another process may have computed them)."""
    _remember(_raw_key(store, store.post(post_id), entities or load_entities()), found)


def _remember(key: tuple, found: list[Suggestion]) -> None:
    with _raw_lock:
        _RAW_SUGGESTIONS[key] = found
        _RAW_SUGGESTIONS.move_to_end(key)
        while len(_RAW_SUGGESTIONS) > _RAW_KEPT:
            _RAW_SUGGESTIONS.popitem(last=False)


def suggestions_for(store: Store, post_id: int, *, entities: EntityTable | None = None) -> list[Suggestion]:
    """The post's suggested claims: sentences with an amount, or a chip with a company, that no
    live highlight overlaps and the reader did not dismiss. Offsets are into the stored text."""
    highlighted = [(a.start, a.end) for a in store.annotations(post_id) if not a.orphan]
    found = not_overlapping(raw_suggestions(store, post_id, entities=entities), highlighted)
    dismissed = _dismissed(store, post_id)
    if not dismissed:
        return found
    by_sentence: dict[str, list[int]] = {}
    for s in found:
        if s.sentence in dismissed:
            by_sentence.setdefault(s.sentence, []).append(s.start)
    hidden = {(sentence, start) for sentence, starts in by_sentence.items() for start in _nearest(starts, dismissed[sentence])}
    return [s for s in found if (s.sentence, s.start) not in hidden]


def dismiss_suggestion(store: Store, post_id: int, suggestion: Suggestion) -> None:
    """Remember that the reader does not want this sentence of the post offered again."""
    with store.transaction():
        store.db.execute(
            'INSERT OR IGNORE INTO dismissed_suggestions (post_id, sentence, start, "end", created) VALUES (?, ?, ?, ?, ?)',
            [post_id, suggestion.sentence, suggestion.start, suggestion.end, now()],
        )


def undismiss_suggestion(store: Store, post_id: int, suggestion: Suggestion) -> None:
    """Offer a dismissed sentence again (the dismissal nearest its position is forgotten)."""
    with store.transaction():
        rows = store.db.execute(
            "SELECT id, start FROM dismissed_suggestions WHERE post_id = ? AND sentence = ?", [post_id, suggestion.sentence]
        ).fetchall()
        if rows:
            nearest = min(rows, key=lambda r: abs(r[1] - suggestion.start))
            store.db.execute("DELETE FROM dismissed_suggestions WHERE id = ?", [nearest[0]])


def dismissed_suggestions(store: Store, post_id: int) -> list[dict]:
    """The post's dismissed sentences: {sentence, start, end, created}, in the order of the text."""
    return list(store._rows(
        'SELECT sentence, start, "end", created FROM dismissed_suggestions WHERE post_id = ? ORDER BY start', [post_id]
    ))


def suggestion_tags(suggestion: Suggestion) -> tuple[str, ...]:
    """The tags an accepted suggestion gets: claim, plus investment (an amount), chip, company."""
    return ("claim",) + tuple(
        tag for tag, on in (("investment", suggestion.amounts), ("chip", suggestion.chips), ("company", suggestion.companies)) if on
    )


def locate(text: str, suggestion: Suggestion) -> tuple[int, int]:
    """Where the suggested sentence is now: its own offsets, else its copy nearest them."""
    if text[suggestion.start : suggestion.end] == suggestion.sentence:
        return suggestion.start, suggestion.end
    starts = [m.start() for m in re.finditer(re.escape(suggestion.sentence), text)] if suggestion.sentence else []
    if not starts:
        raise StoreError(Message(
            "claims.suggestion_gone", "The suggested sentence is no longer in the post (it was edited); look at the suggestions again."
        ))
    start = min(starts, key=lambda s: abs(s - suggestion.start))
    return start, start + len(suggestion.sentence)
