"""`python -m benchmarks.claims`: how fast claims are suggested for a long post.

Builds a post of about 150,000 characters of plain text from the bundled sample post's paragraphs,
repeated in a seeded-random order with every Arabic number changed (so no two copies of a
sentence are the same text), renders it once, then times `suggest_claims` on its plain text and,
on the same text, plain fugashi tokenization (fugashi's own Tagger on unidic-lite, producing a
node per word: the floor any word-aware pass pays). Figures are medians of several runs (the
machines are shared and noisy); the target is a median of at most 300 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import time
from collections.abc import Callable

from app.core.claims import suggest_claims
from app.core.entities import load_entities
from app.core.furigana_mode import FuriganaMode
from app.core.paths import sample_post_path
from app.core.post import load_post
from app.core.render import RenderOptions, render_markdown

TARGET_MS = 300.0
TARGET_CHARS = 150_000


def median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), times


def long_post_body(chars: int, seed: int = 7) -> str:
    """About `chars` characters of Markdown made from the sample post, numbers varied."""
    body = load_post(sample_post_path()).body
    paragraphs = [p for p in re.split(r"\n{2,}", body) if p.strip() and "```" not in p and not p.startswith("[^")]
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < chars:
        paragraph = rng.choice(paragraphs)
        paragraph = re.sub(r"\d+", lambda m: str(max(1, int(m.group()) + rng.randint(-9, 9))), paragraph)
        out.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(out)


def fugashi_words(text: str) -> int:
    """Plain fugashi: a node object per word, as a user would tokenize on unidic-lite."""
    import fugashi
    import unidic_lite

    tagger = _raw_tagger.get("tagger")
    if tagger is None:
        rc = os.path.join(unidic_lite.DICDIR, "mecabrc")
        tagger = _raw_tagger["tagger"] = fugashi.Tagger(f'-r "{rc}" -d "{unidic_lite.DICDIR}"')
    return len(tagger(text))


_raw_tagger: dict[str, object] = {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.claims", description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=TARGET_CHARS, help="plain-text size of the generated post")
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure (the median is reported)")
    args = parser.parse_args(argv)

    options = RenderOptions(mode=FuriganaMode("off"))
    # Markdown markup is not plain text: render a first guess, then scale the body to the target.
    body_chars = args.chars
    plain = render_markdown(long_post_body(body_chars), options).plain
    if len(plain.text) < args.chars:
        body_chars = int(body_chars * args.chars / len(plain.text)) + 200
        plain = render_markdown(long_post_body(body_chars), options).plain
    text = plain.text
    table = load_entities()  # the table is cached by the app too; loading it is not the measure
    suggestions = suggest_claims(text, blocks=plain.blocks, entities=table)
    with_amounts = sum(1 for s in suggestions if s.amounts)

    claims_ms, claims_runs = median_ms(lambda: suggest_claims(text, blocks=plain.blocks, entities=table), args.repeat)
    fugashi_words(text[:100])  # open the tagger outside the timing
    words = fugashi_words(text)
    fugashi_ms, _runs = median_ms(lambda: fugashi_words(text), args.repeat)

    print(f"post: {len(text):,} characters of plain text, {len(plain.blocks):,} blocks, {words:,} fugashi words")
    print(f"suggestions: {len(suggestions):,} ({with_amounts:,} with amounts)")
    print(
        f"suggest_claims: median {claims_ms:.0f} ms over {args.repeat} runs "
        f"(min {min(claims_runs):.0f}, max {max(claims_runs):.0f}); target <= {TARGET_MS:.0f} ms: "
        f"{'met' if claims_ms <= TARGET_MS else 'NOT met'}"
    )
    print(f"plain fugashi tokenization of the same text: median {fugashi_ms:.0f} ms")
    print(f"ratio suggest_claims / fugashi: {claims_ms / fugashi_ms:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
