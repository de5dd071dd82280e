"""Modules imported on first use, so the window can open before the parts it does not need yet.

`library = lazy_module("app.core.library.actions")` reads like the module and imports it at the first
attribute looked up. Unlike importlib.util.LazyLoader (not thread-safe before Python 3.12), each
lookup goes through importlib.import_module, which takes the import lock: worker threads may use
the same name.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class _LazyModule:
    __slots__ = ("_name",)

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute: str):
        return getattr(importlib.import_module(self._name), attribute)

    def __repr__(self) -> str:
        return f"<module {self._name!r}, imported on first use>"


def lazy_module(name: str) -> ModuleType:
    """A stand-in for module `name` that imports it when first used."""
    return _LazyModule(name)  # type: ignore[return-value]
