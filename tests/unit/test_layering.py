"""Imports point down: ui -> reports/sync/devices -> records -> core (ARCHITECTURE.md).

The walker reads every ``.py`` file with ``ast`` (imports inside functions count too,
and so do ``importlib.import_module("...")``/``__import__("...")`` with a literal name)
and reports each forbidden import as ``path:line: message``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

QT_BINDINGS = frozenset(
    {"PySide6", "PySide2", "PyQt6", "PyQt5", "shiboken6", "shiboken2", "qtpy", "sip"}
)
# Devices may use Qt's event loop and serial port, never anything that draws.
DEVICES_QT_ALLOWED = frozenset({"PySide6", "PySide6.QtCore", "PySide6.QtSerialPort"})
NO_QT_LAYERS = ("core", "records", "sync", "reports")
HEADLESS_LAYERS = ("core", "records", "sync", "devices", "reports")
# Which of our own packages each layer may import (None: any except ui/admin).
OWN_IMPORTS_ALLOWED: dict[str, frozenset[str] | None] = {
    "core": frozenset({"core"}),
    "records": frozenset({"core", "records"}),
    "sync": None,
    "devices": None,
    "reports": None,
}
UI_QT_MODULE = Path("app/ui/qt.py")


@dataclass(frozen=True)
class ImportSite:
    """One imported module name and where it is imported."""

    path: Path
    line: int
    module: str


def _package_of(path: Path, root: Path) -> str:
    # Both app/x/mod.py and app/x/__init__.py resolve relative imports against app.x.
    return ".".join(path.relative_to(root).parent.parts)


def _resolve_from(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    base_parts = package.split(".")
    base_parts = base_parts[: len(base_parts) - (node.level - 1)]
    base = ".".join(base_parts)
    return f"{base}.{node.module}" if node.module else base


def _dynamic_import_name(node: ast.Call) -> str | None:
    func = node.func
    is_dynamic = (isinstance(func, ast.Name) and func.id in {"__import__", "import_module"}) or (
        isinstance(func, ast.Attribute) and func.attr == "import_module"
    )
    if is_dynamic and node.args:
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def imports_in(path: Path, root: Path) -> Iterator[ImportSite]:
    """Every module name ``path`` imports; ``from X import y`` yields X and X.y."""
    rel = path.relative_to(root)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(rel))
    package = _package_of(path, root)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield ImportSite(rel, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            module = _resolve_from(node, package)
            yield ImportSite(rel, node.lineno, module)
            for alias in node.names:
                if alias.name != "*":
                    yield ImportSite(rel, node.lineno, f"{module}.{alias.name}")
        elif isinstance(node, ast.Call):
            name = _dynamic_import_name(node)
            if name:
                yield ImportSite(rel, node.lineno, name)


def _is_qt(module: str) -> bool:
    return module.split(".", maxsplit=1)[0] in QT_BINDINGS


def _own_layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "app" or len(parts) < 2 or parts[1].startswith("__"):
        return None
    return parts[1]


def _layer_problem(layer: str, module: str) -> str | None:
    if _is_qt(module):
        if layer in NO_QT_LAYERS:
            return f"app/{layer} must not import Qt at all ({module})"
        if layer == "devices" and ".".join(module.split(".")[:2]) not in DEVICES_QT_ALLOWED:
            return f"app/devices may import only PySide6.QtCore/QtSerialPort, not {module}"
    own = _own_layer(module)
    if own is None:
        return None
    if own in {"ui", "admin"}:
        return f"app/{layer} must not import app.{own} ({module})"
    allowed = OWN_IMPORTS_ALLOWED[layer]
    if allowed is not None and own not in allowed:
        return f"app/{layer} may import only {sorted(allowed)} of app, not {module}"
    return None


def _python_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*.py") if "__pycache__" not in p.parts)


def _sites_or_error(path: Path, root: Path) -> tuple[list[ImportSite], str | None]:
    try:
        return list(imports_in(path, root)), None
    except SyntaxError as exc:
        return [], f"{path.relative_to(root)}:{exc.lineno}: cannot parse: {exc.msg}"


def layer_violations(root: Path, layer: str) -> list[str]:
    """Forbidden imports in ``root/app/<layer>``, as ``path:line: why``."""
    problems: list[str] = []
    for path in _python_files(root / "app" / layer):
        sites, error = _sites_or_error(path, root)
        if error:
            problems.append(error)
        for site in sites:
            why = _layer_problem(layer, site.module)
            if why:
                problems.append(f"{site.path}:{site.line}: {why}")
    return sorted(set(problems))


def ui_qt_violations(root: Path) -> list[str]:
    """Files of ``root/app/ui`` other than ``app/ui/qt.py`` that import a Qt binding."""
    problems: list[str] = []
    for path in _python_files(root / "app" / "ui"):
        if path.relative_to(root) == UI_QT_MODULE:
            continue
        sites, error = _sites_or_error(path, root)
        if error:
            problems.append(error)
        problems.extend(
            f"{site.path}:{site.line}: import Qt through app.ui.qt, not {site.module} directly"
            for site in sites
            if _is_qt(site.module)
        )
    return sorted(set(problems))


@pytest.mark.parametrize("layer", HEADLESS_LAYERS)
def test_layer_imports_point_down(layer: str) -> None:
    if not (REPO / "app" / layer).is_dir():
        pytest.skip(f"app/{layer} does not exist yet")
    problems = layer_violations(REPO, layer)
    assert not problems, "forbidden imports:\n" + "\n".join(problems)


def test_ui_imports_qt_in_one_place() -> None:
    if not (REPO / "app" / "ui").is_dir():
        pytest.skip("app/ui does not exist yet")
    problems = ui_qt_violations(REPO)
    assert not problems, "direct Qt imports in app/ui:\n" + "\n".join(problems)


def _write(root: Path, rel: str, source: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")


def test_walker_catches_bad_imports(tmp_path: Path) -> None:
    _write(tmp_path, "app/core/__init__.py", "")
    _write(tmp_path, "app/core/fine.py", "import os\nfrom app.core import errors\n")
    _write(
        tmp_path, "app/core/bad.py", "import os\n\ndef f():\n    from PySide6 import QtWidgets\n"
    )
    _write(tmp_path, "app/core/upward.py", "from app.records import service\n")
    _write(tmp_path, "app/records/model/x.py", "from ...ui import main_window\n")
    _write(tmp_path, "app/records/dyn.py", "import importlib\nimportlib.import_module('PyQt5')\n")
    _write(tmp_path, "app/sync/peer.py", "import app.admin.cli\nfrom app.records import x\n")
    _write(tmp_path, "app/devices/ok.py", "from PySide6.QtCore import QObject\n")
    _write(tmp_path, "app/devices/bad.py", "from PySide6 import QtCore, QtGui\n")
    _write(tmp_path, "app/reports/pdf.py", "import app.ui\n")
    _write(tmp_path, "app/ui/qt.py", "from PySide6 import QtWidgets\n")
    _write(tmp_path, "app/ui/chart.py", "from app.ui.qt import QtWidgets\nimport PySide6.QtGui\n")

    assert layer_violations(tmp_path, "core") == [
        "app/core/bad.py:4: app/core must not import Qt at all (PySide6)",
        "app/core/bad.py:4: app/core must not import Qt at all (PySide6.QtWidgets)",
        "app/core/upward.py:1: app/core may import only ['core'] of app, not app.records",
        "app/core/upward.py:1: app/core may import only ['core'] of app, not app.records.service",
    ]
    records = layer_violations(tmp_path, "records")
    assert "app/records/dyn.py:2: app/records must not import Qt at all (PyQt5)" in records
    assert "app/records/model/x.py:1: app/records must not import app.ui (app.ui)" in records
    assert layer_violations(tmp_path, "sync") == [
        "app/sync/peer.py:1: app/sync must not import app.admin (app.admin.cli)"
    ]
    assert layer_violations(tmp_path, "devices") == [
        "app/devices/bad.py:1: app/devices may import only PySide6.QtCore/QtSerialPort,"
        " not PySide6.QtGui"
    ]
    assert layer_violations(tmp_path, "reports") == [
        "app/reports/pdf.py:1: app/reports must not import app.ui (app.ui)"
    ]
    assert ui_qt_violations(tmp_path) == [
        "app/ui/chart.py:2: import Qt through app.ui.qt, not PySide6.QtGui directly"
    ]


def test_walker_reports_unparsable_files(tmp_path: Path) -> None:
    _write(tmp_path, "app/core/broken.py", "def f(:\n")
    problems = layer_violations(tmp_path, "core")
    assert len(problems) == 1
    assert problems[0].startswith("app/core/broken.py:1: cannot parse")
