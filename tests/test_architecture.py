"""The package layout is the architecture: this test walks every import of bot/ and fails on a layer crossed.

Layers, lowest first: bot.core (transport-free) < bot.storage < bot.calendar, bot.review < bot.telegram < the edge
(bot.cli, bot.config, bot.assembly, bot.__main__). Function-level and TYPE_CHECKING imports count too: a lazy import
is still a dependency (the old render ↔ deadline_text cycle was one).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[1] / "bot"

# What each package may import from bot (itself included); anything not listed is a higher layer.
ALLOWED = {
    "bot.core": {"bot.core"},
    "bot.storage": {"bot.core", "bot.storage"},
    "bot.calendar": {"bot.core", "bot.storage", "bot.calendar"},
    "bot.review": {"bot.core", "bot.storage", "bot.review"},
    "bot.telegram": {
        "bot.core",
        "bot.storage",
        "bot.calendar",
        "bot.review",
        "bot.telegram",
        "bot.config",
        "bot.assembly",
    },
}
TELEGRAM_PACKAGES = {"telegram"}  # python-telegram-bot's top-level package


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path) -> set[str]:
    """Every module `path` imports, anywhere in the file, with relative imports resolved."""
    here = module_name(path, root)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module → the modules of the same tree it imports (names that are packages or modules of the tree)."""
    files = {module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        graph[name] = {m for m in imports_of(path, root) if m in files and m != name}
    return graph


def layer_of(module: str) -> str | None:
    return next((p for p in ALLOWED if module == p or module.startswith(p + ".")), None)


def violations(root: Path) -> list[str]:
    problems = []
    files = {module_name(p, root): p for p in root.rglob("*.py")}
    for name, path in sorted(files.items()):
        layer = layer_of(name)
        for imported in sorted(imports_of(path, root)):
            top = imported.split(".")[0]
            if top in TELEGRAM_PACKAGES and layer != "bot.telegram":
                problems.append(f"{name} imports {imported}: only bot.telegram may use python-telegram-bot")
            if layer is None or not imported.startswith("bot.") or imported not in files:
                continue
            target = layer_of(imported) or imported
            if target not in ALLOWED[layer] and imported not in ALLOWED[layer]:
                problems.append(f"{name} imports {imported}: {layer} may import only {sorted(ALLOWED[layer])}")
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _module_graph_without_packages(root: Path) -> dict[str, set[str]]:
    # `from bot.core import x` names the package bot.core; an __init__ holds no code here, so keep module edges only.
    graph = import_graph(root)
    packages = {module_name(p, root) for p in root.rglob("__init__.py")}
    return {m: {t for t in deps if t not in packages} for m, deps in graph.items() if m not in packages}


def test_no_module_crosses_its_layer() -> None:
    assert violations(BOT) == []


def test_no_import_cycles() -> None:
    assert cycles(_module_graph_without_packages(BOT)) == []


def test_every_package_says_what_it_is_and_may_import() -> None:
    for init in BOT.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "import" in doc, f"{init}: one-line docstring naming what the package may import"


# -- the checker itself catches what it is meant to catch --------------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "bot"
    for rel, source in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        (folder / "__init__.py").touch()
    return root


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"core/a.py": "import telegram\n"}, "bot.core.a imports telegram"),
        (
            {"core/a.py": "def f():\n    from bot.config import X\n", "config.py": "X = 1\n"},
            "bot.core.a imports bot.config",
        ),
        ({"core/a.py": "from bot.storage.db import S\n", "storage/db.py": "S = 1\n"}, "bot.core.a imports bot.storage"),
        (
            {"storage/db.py": "from bot.calendar import deadlines\n", "calendar/deadlines.py": ""},
            "bot.storage.db imports",
        ),
        (
            {"review/r.py": "from ..telegram.h import H\n", "telegram/h.py": "H = 1\n"},
            "bot.review.r imports bot.telegram",
        ),
    ],
)
def test_checker_reports_forbidden_imports(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    problems = violations(_tree(tmp_path, files))
    assert any(p.startswith(expected) for p in problems), problems


def test_checker_reports_a_lazy_cycle(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "core/render.py": "def f():\n    from bot.core.text import g\n",
            "core/text.py": "from bot.core.render import f\n",
            "core/ok.py": "from bot.core.render import f\n",
        },
    )
    assert cycles(_module_graph_without_packages(root)) == [["bot.core.render", "bot.core.text"]]
    assert violations(root) == []
