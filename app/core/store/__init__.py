"""The library file: one SQLite database holding posts, highlights, tags and reading corrections.

The bottom layer of what is kept: schema, records, migrations and queries. It imports nothing from
search, claims, export or the UI; migrations that need derived data are given hooks.
"""

from app.core.store.database import (
    BUILTIN_TAGS,
    COLORS,
    DEFAULT_COLOR,
    Derivations,
    MIGRATIONS,
    SCHEMA_VERSION,
    Annotation,
    Correction,
    PostRecord,
    Store,
    StoreError,
    default_db_path,
    new_annotation_id,
    now,
    open_store,
)

__all__ = [
    "Annotation", "BUILTIN_TAGS", "COLORS", "Correction", "DEFAULT_COLOR", "Derivations", "MIGRATIONS", "PostRecord",
    "SCHEMA_VERSION", "Store", "StoreError", "default_db_path", "new_annotation_id", "now", "open_store",
]
