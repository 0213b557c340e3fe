"""The layers of DESIGN.md, checked on the source: who may import what.

Read with ``ast`` (nothing is imported), so a lazy import inside a function counts as well, except where a
rule says so: the demo starts the fake Telegram only when it runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "moderator_app"


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module, at top level) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    found: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, id(node) in top))
    return found


def _modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


def _root(module: str) -> str:
    return module.split(".")[0]


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "moderator_app" and len(parts) > 1 else None


def _offences(folder: Path, forbidden: set[str], *, layers: frozenset[str] | set[str] = frozenset()) -> list[str]:
    out = []
    for path in _modules(folder):
        for module, _ in _imports(path):
            if _root(module) in forbidden or _layer(module) in layers:
                out.append(f"{path.relative_to(ROOT)} imports {module}")
    return out


def test_the_domain_is_pure() -> None:
    assert (
        _offences(
            PACKAGE / "domain",
            {"sqlalchemy", "telethon", "PySide6", "fake_telegram", "alembic"},
            layers={"store", "telegram", "ui", "importers", "reports", "app", "cli", "services"},
        )
        == []
    )


def test_only_the_telegram_package_imports_telethon() -> None:
    offences = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _modules(PACKAGE)
        if "telegram" not in path.relative_to(PACKAGE).parts[:1]
        for module, _ in _imports(path)
        if _root(module) == "telethon"
    ]
    assert offences == []


def test_only_the_ui_package_imports_widgets() -> None:
    allowed = {"ui", "launch.py", "demo.py", "app.py"}  # start-up: the QApplication and the window
    offences = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _modules(PACKAGE)
        if path.relative_to(PACKAGE).parts[0] not in allowed
        for module, _ in _imports(path)
        if module.startswith("PySide6.QtWidgets")
    ]
    assert offences == []


@pytest.mark.parametrize("layer", ["store", "importers", "reports"])
def test_lower_layers_do_not_reach_up(layer: str) -> None:
    assert (
        _offences(PACKAGE / layer, {"telethon", "PySide6", "fake_telegram"}, layers={"telegram", "ui", "app", "cli"})
        == []
    )


def test_the_product_starts_the_fake_telegram_only_in_the_demo() -> None:
    """The fake Telegram is a quarter of the code and no part of the product: only the demo loads it, and
    only when it runs."""
    offences = []
    for path in _modules(PACKAGE):
        for module, top in _imports(path):
            if _root(module) == "fake_telegram" and (path.name != "demo.py" or top):
                offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offences == []


def test_the_fake_telegram_does_not_import_the_product() -> None:
    """It stands for Telegram: it knows MTProto and Telethon's types, not our code."""
    assert _offences(ROOT / "fake_telegram", {"moderator_app", "PySide6", "sqlalchemy"}) == []


def test_the_window_reads_no_store_code() -> None:
    """What the window shows is domain data handed to it; how it is read and written is not its business."""
    assert _offences(PACKAGE / "ui", {"sqlalchemy", "alembic"}, layers={"store"}) == []


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _cycles() -> list[list[str]]:
    """Import circles among the product's modules, lazy imports included (they only hide a circle)."""
    modules = {_module_name(p): p for p in _modules(PACKAGE)}
    graph = {
        name: sorted({m for m, _ in _imports(path) if m in modules and m != name}) for name, path in modules.items()
    }
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                found.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    return found


def test_no_import_circles() -> None:
    assert _cycles() == []


def test_tests_share_helpers_through_tests_support() -> None:
    """A test module imported by another runs its own module-level code there, and its helpers change with
    its tests: shared helpers live in tests/support (and fixtures in conftest.py)."""
    offences = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for module, _ in _imports(path)
        if module.startswith("tests.") and module.split(".")[-1].startswith("test_")
    ]
    assert offences == []
