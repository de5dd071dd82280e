"""A translation catalog compiled when its source is newer: the window's Qt catalogs (.ts -> .qm,
app.ui.i18n) and the core's gettext catalogs (.po -> .mo, app.core.common.messages) are found the
same way."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)


def compiled(
    source: Path, shipped: Path, cache_folder: Path, compile_to: Callable[[Path, Path], None],
    errors: tuple[type[BaseException], ...],
) -> Path | None:
    """The up-to-date compiled catalog of `source`; None when there is none and none can be built.

    Order: `shipped` (beside the source) when it is at least as new (what `make` builds; without
    a source, whatever ships); else one in `cache_folder` built from this very source (its name
    carries a hash of the source); else a new build there by `compile_to(source, target)`, whose
    failures are `errors`; else, as a last resort, a stale `shipped`. Older builds in the cache
    are removed.
    """
    fallback = shipped if shipped.is_file() else None
    if not source.is_file():
        return fallback
    if fallback is not None and shipped.stat().st_mtime >= source.stat().st_mtime:
        return shipped
    try:
        digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    except OSError as exc:
        log.warning("Cannot read %s: %s", source, exc)
        return fallback
    cached = cache_folder / f"{shipped.stem}-{digest}{shipped.suffix}"
    if cached.is_file():
        return cached
    try:
        cache_folder.mkdir(parents=True, exist_ok=True)
        compile_to(source, cached)
    except errors as exc:
        log.warning("Cannot build %s: %s", cached, exc)
        return fallback
    for old in cache_folder.glob(f"{shipped.stem}-*{shipped.suffix}"):  # builds of earlier sources
        if old != cached:
            old.unlink(missing_ok=True)
    return cached
