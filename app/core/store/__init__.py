"""The library file: one SQLite database holding posts, highlights, tags and reading corrections.

The bottom layer of what is kept: `records` (what it keeps, as dataclasses), `schema` (numbered
migrations), `database` (the open file: queries and writes, one transaction per user action).
It imports nothing from search, claims, export or the UI; migrations that need derived data are
given hooks (`Derivations`, from app.core.library.derived).
"""

from app.core.store.database import BUSY_TIMEOUT_MS, DB_NAME, Derivations, Store, default_db_path, open_store
from app.core.store.records import (
    BUILTIN_TAGS,
    COLORS,
    DEFAULT_COLOR,
    Annotation,
    Correction,
    PostRecord,
    StoreError,
    new_annotation_id,
    now,
)
from app.core.store.schema import MIGRATIONS, SCHEMA_VERSION

__all__ = [
    "Annotation", "BUILTIN_TAGS", "BUSY_TIMEOUT_MS", "COLORS", "Correction", "DB_NAME", "DEFAULT_COLOR", "Derivations",
    "MIGRATIONS", "PostRecord", "SCHEMA_VERSION", "Store", "StoreError", "default_db_path", "new_annotation_id", "now",
    "open_store",
]
