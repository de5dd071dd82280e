"""The core and the command line never import PySide6 (or shiboken): they must run headless."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CORE = REPO_ROOT / "app" / "core"
QT_PREFIXES = ("PySide6", "shiboken")

# Imports every core module and the CLI, then renders the sample post through the CLI (which
# reaches the lazy imports inside functions), recording every attempt to import a Qt module, even
# one that a try/except would swallow.
_PROBE = r"""
import importlib, json, pkgutil, sys, tempfile, os

attempts = []

class Recorder:
    def find_spec(self, name, path=None, target=None):
        if name.startswith(("PySide6", "shiboken")):
            attempts.append(name)
        return None

sys.meta_path.insert(0, Recorder())

import app.core
modules = [info.name for info in pkgutil.walk_packages(app.core.__path__, "app.core.")]
for name in modules + ["app.cli.main", "app.cli.library", "app.cli.claims", "app.__main__"]:
    importlib.import_module(name)

from app.cli import main as cli
from app.core.common.paths import sample_post_path
with tempfile.TemporaryDirectory() as tmp:
    code = cli.run(["render", str(sample_post_path()), "-o", os.path.join(tmp, "page.html")])

loaded = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken")))
print(json.dumps({"modules": modules, "loaded": loaded, "attempts": attempts, "code": code}))
"""


def test_core_and_cli_import_no_qt() -> None:
    """Importing every app.core module, app.cli's modules and app.__main__ and rendering a post loads no PySide6 or shiboken module."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert "app.core.posts.render" in report["modules"] and "app.core.reading.furigana" in report["modules"]
    assert report["code"] == 0
    assert report["loaded"] == []
    assert report["attempts"] == []


def qt_imports(source: str, filename: str = "<source>") -> list[str]:
    """Every import of a PySide6/shiboken module in `source`: import statements and importlib calls by name."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            found += [f"{filename}:{node.lineno} import {a.name}" for a in node.names if a.name.startswith(QT_PREFIXES)]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(QT_PREFIXES):
            found.append(f"{filename}:{node.lineno} from {node.module} import ...")
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            target = node.args[0].value
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and isinstance(target, str) and target.startswith(QT_PREFIXES):
                found.append(f"{filename}:{node.lineno} {name}({target!r})")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "import PySide6",
        "from PySide6.QtCore import QObject",
        "def f():\n    from PySide6 import QtWidgets\n",
        "try:\n    import shiboken6\nexcept ImportError:\n    pass\n",
        "import importlib\nimportlib.import_module('PySide6.QtGui')",
        "__import__('PySide6')",
        "import os, PySide6.QtCore as qc",
    ],
)
def test_static_scan_finds_qt_imports(source: str) -> None:
    """The scanner used below does find each way of importing Qt (so a clean scan means something)."""
    assert qt_imports(source)


def test_core_and_cli_sources_have_no_qt_import() -> None:
    """No file under app/core (nor app/cli/, app/__main__.py) contains an import of PySide6 or shiboken."""
    files = sorted(CORE.rglob("*.py")) + sorted((REPO_ROOT / "app" / "cli").rglob("*.py")) + [REPO_ROOT / "app" / "__main__.py"]
    assert len(files) > 5
    found = []
    for path in files:
        found += qt_imports(path.read_text(encoding="utf-8"), str(path.relative_to(REPO_ROOT)))
    assert found == []
