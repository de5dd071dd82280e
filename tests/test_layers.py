"""The import graph of app/, read from the source (AST): no cycles anywhere, and imports run one
way, from a higher layer to a lower one (or within a layer), never up."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

# Low to high. A module belongs to the first entry its dotted name starts with; it may import
# modules of its own layer and of the layers before it. Every module of app/ must have a layer.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("app.lazy", "app.commands", "app.core.common"),
    ("app.core.reading",),
    ("app.core.posts",),
    ("app.core.store",),
    ("app.core.claims",),
    ("app.core.library",),
    ("app.core.settings",),
    ("app.ui",),
    ("app.cli",),
    ("app.__main__",),
)
# The packages themselves (their __init__ docstrings) sit at the bottom: they import nothing.
PACKAGES_AT_THE_BOTTOM = ("app", "app.core")


def module_name(path: Path, root: Path = APP) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def app_modules(root: Path = APP) -> dict[str, Path]:
    return {module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module of app/ that importing `name` runs last (a submodule, else its package)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(path: Path, modules: dict[str, Path], root: Path = APP) -> set[str]:
    """Every module of app/ that `path` imports, at the top, inside functions or for type checking."""
    this = module_name(path, root)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from app.core.library import search` imports the submodule, and runs the package's
            # __init__ first; `from app.core.store import Store` imports the package.
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
            names.append(base)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "lazy_module" and node.args:
            arg = node.args[0]
            names = [arg.value] if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else []
        else:
            continue
        for name in names:
            if name == "app" or name.startswith("app."):
                target = _resolve(name, modules)
                if target and target != this and target not in PACKAGES_AT_THE_BOTTOM:
                    found.add(target)
    return found


def import_graph(root: Path = APP) -> dict[str, set[str]]:
    modules = app_modules(root)
    return {name: imports_of(path, modules, root) for name, path in modules.items()}


def layer_of(module: str) -> int:
    for number, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return number
    if module in PACKAGES_AT_THE_BOTTOM:
        return -1
    raise AssertionError(f"{module} has no layer: add it to LAYERS in {Path(__file__).name}")


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:  # Tarjan's algorithm, iterative (no recursion limit)
        nonlocal counter
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in graph.get(node, ()):
                        found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{source} (layer {layer_of(source)}) imports {target} (layer {layer_of(target)})"
        for source, targets in graph.items()
        for target in targets
        if layer_of(target) > layer_of(source)
    )


def test_no_import_cycles_in_app() -> None:
    """No chain of imports in app/ leads back to where it started."""
    assert cycles(import_graph()) == []


def test_imports_run_down_the_layers() -> None:
    """Every module of app/ has a layer, and none imports a module of a higher layer."""
    assert upward_imports(import_graph()) == []


def test_the_store_imports_nothing_above_it() -> None:
    """The store (the bottom of what is kept) imports nothing from search, claims, export or the UI."""
    graph = import_graph()
    store = {name: targets for name, targets in graph.items() if name.startswith("app.core.store")}
    assert store
    above = {t for targets in store.values() for t in targets if layer_of(t) > layer_of("app.core.store")}
    assert above == set()


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "app" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "app"


@pytest.mark.parametrize(
    "files, cycle",
    [
        ({"__init__.py": "", "a.py": "from app import b\n", "b.py": "import app.a\n"}, ["app.a", "app.b"]),
        # A cycle through an import inside a function (loaded when needed) is still a cycle.
        ({"__init__.py": "", "a.py": "def f():\n    from app.b import x\n", "b.py": "from app.a import y\n"}, ["app.a", "app.b"]),
        ({"__init__.py": "", "p/__init__.py": "", "p/a.py": "from .b import x\n", "p/b.py": "from app.p import a\n"}, ["app.p.a", "app.p.b"]),
        # Through a package's __init__: `from app.p import a` runs app/p/__init__.py, which imports b.
        ({"__init__.py": "", "p/__init__.py": "from app.p.b import x\n", "p/a.py": "", "q.py": "from app.p import a\n",
          "p/b.py": "from app.q import y\n"}, ["app.p", "app.p.b", "app.q"]),
    ],
)
def test_the_cycle_check_finds_cycles(tmp_path: Path, files: dict[str, str], cycle: list[str]) -> None:
    """The checker itself sees a cycle made on purpose (top-level, lazy and relative imports)."""
    root = _write(tmp_path, files)
    assert cycles(import_graph(root)) == [cycle]


def test_the_layer_check_finds_an_upward_import(tmp_path: Path) -> None:
    """An import from the store up to the library is reported."""
    root = _write(
        tmp_path,
        {
            "__init__.py": "", "core/__init__.py": "", "core/store/__init__.py": "", "core/library/__init__.py": "",
            "core/store/database.py": "def f():\n    from app.core.library import search\n",
            "core/library/search.py": "",
        },
    )
    store, library = layer_of("app.core.store"), layer_of("app.core.library")
    assert upward_imports(import_graph(root)) == [
        f"app.core.store.database (layer {store}) imports app.core.library (layer {library})",  # its __init__ runs first
        f"app.core.store.database (layer {store}) imports app.core.library.search (layer {library})",
    ]
