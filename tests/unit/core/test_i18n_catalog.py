"""Every user-facing msgid in app/ has an Italian translation (STYLE.md habit 8).

Msgids are found with ``ast``: ``_("...")`` calls, ``message = "..."`` on
MedireteError subclasses, and ``SomeError("...")`` / ``SomeError(message="...")``.
"""

from __future__ import annotations

import ast
import string
from dataclasses import dataclass
from pathlib import Path

from app.core import i18n
from app.core.errors import MedireteError, WrongPassword

APP = Path(__file__).resolve().parents[3] / "app"
ROOT_ERROR = "MedireteError"
ITALIAN = i18n.catalog("it")


@dataclass(frozen=True)
class Msgid:
    """A msgid and where it appears."""

    text: str
    where: str


def _parse_all(app: Path) -> dict[str, ast.Module]:
    files = sorted(p for p in app.rglob("*.py") if "__pycache__" not in p.parts)
    return {
        str(p.relative_to(app.parent)): ast.parse(p.read_text(encoding="utf-8"), str(p))
        for p in files
    }


def _base_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def error_class_names(trees: dict[str, ast.Module]) -> set[str]:
    """Names of MedireteError and every class that derives from it, across app/."""
    bases: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                names = {n for n in map(_base_name, node.bases) if n}
                bases.setdefault(node.name, set()).update(names)
    errors = {ROOT_ERROR}
    grew = True
    while grew:
        new = {name for name, parents in bases.items() if parents & errors} - errors
        errors |= new
        grew = bool(new)
    return errors


def _literal(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _class_messages(node: ast.ClassDef, where: str) -> list[Msgid]:
    found = []
    for stmt in node.body:
        target: ast.expr | None = None
        value: ast.expr | None = None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign):
            target, value = stmt.target, stmt.value
        text = _literal(value)
        if isinstance(target, ast.Name) and target.id == "message" and text is not None:
            found.append(Msgid(text, f"{where}:{stmt.lineno} ({node.name}.message)"))
    return found


def _call_msgids(node: ast.Call, errors: set[str], where: str) -> list[Msgid]:
    name = _base_name(node.func)
    loc = f"{where}:{node.lineno}"
    if name == "_":
        text = _literal(node.args[0]) if node.args else None
        return [Msgid(text, loc)] if text is not None else []
    if name not in errors:
        return []
    found = []
    if node.args and (text := _literal(node.args[0])) is not None:
        found.append(Msgid(text, f"{loc} ({name})"))
    for keyword in node.keywords:
        if keyword.arg == "message" and (text := _literal(keyword.value)) is not None:
            found.append(Msgid(text, f"{loc} ({name})"))
    return found


def collect_msgids(trees: dict[str, ast.Module]) -> list[Msgid]:
    """Every literal msgid in the trees, with its location."""
    errors = error_class_names(trees)
    found: list[Msgid] = []
    for where, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in errors:
                found.extend(_class_messages(node, where))
            elif isinstance(node, ast.Call):
                found.extend(_call_msgids(node, errors, where))
    return found


def formatted_calls_to_underscore(trees: dict[str, ast.Module]) -> list[str]:
    """``_(f"...")`` can never match the catalogue: the msgid must be a plain literal."""
    return [
        f"{where}:{node.lineno}"
        for where, tree in trees.items()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and _base_name(node.func) == "_"
        and node.args
        and isinstance(node.args[0], ast.JoinedStr)
    ]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _by_location(entry: str) -> tuple[str, int]:
    path, line, _rest = entry.split(":", 2)
    return path, int(line.split()[0])


def test_every_msgid_has_italian() -> None:
    msgids = collect_msgids(_parse_all(APP))
    missing = sorted(
        {f"{m.where}: {m.text!r}" for m in msgids if not ITALIAN.get(m.text)}, key=_by_location
    )
    used = {m.text for m in msgids}
    unused = sorted(set(ITALIAN) - used)
    if unused:
        # Only a hint: some msgids are built at run time (e.g. ``_(self.message)``).
        print("ITALIAN entries not found as literals in app/:", *unused, sep="\n  ")
    assert not missing, (
        f"{len(missing)} msgid(s) without Italian in app/i18n/it/*.ts:\n"
        + "\n".join(missing)
    )


def test_msgids_are_literals() -> None:
    bad = formatted_calls_to_underscore(_parse_all(APP))
    assert not bad, "_() called with an f-string (format after translating):\n" + "\n".join(bad)


def test_italian_keeps_the_placeholders() -> None:
    mismatched = [
        f"{en!r}: {sorted(_fields(en))} vs {sorted(_fields(it))}"
        for en, it in ITALIAN.items()
        if _fields(en) != _fields(it)
    ]
    assert not mismatched, "placeholders differ between English and Italian:\n" + "\n".join(
        mismatched
    )


def test_scanner_finds_each_kind_of_msgid() -> None:
    source = (
        "class Boom(MedireteError):\n"
        "    message = 'Boom {x}'\n"
        "class Bang(Boom):\n"
        "    message: str = 'Bang'\n"
        "class Other(Exception):\n"
        "    message = 'not ours'\n"
        "def f():\n"
        "    print(_('Hello'))\n"
        "    raise Bang('Custom {y}', y=1)\n"
        "def g():\n"
        "    raise errors.Boom(message='Keyword')\n"
        "def h(name):\n"
        "    return _(f'Hi {name}')\n"
    )
    trees = {"app/x.py": ast.parse(source)}
    texts = {m.text for m in collect_msgids(trees)}
    assert texts == {"Boom {x}", "Bang", "Hello", "Custom {y}", "Keyword"}
    assert formatted_calls_to_underscore(trees) == ["app/x.py:13"]


def test_translate_returns_english_for_en(monkeypatch) -> None:
    monkeypatch.setattr(i18n, "_current", i18n._current)  # restored after the test
    msgid = WrongPassword.message
    assert i18n.translate(msgid, "en") == msgid
    i18n.set_language("en")
    assert i18n._(msgid) == msgid
    assert WrongPassword().user_message() == msgid
    assert MedireteError("Not found: {what}", what="x").user_message("en") == "Not found: x"
    if msgid in ITALIAN:
        assert i18n.translate(msgid, "it") == ITALIAN[msgid]


def test_ts_files_round_trip(tmp_path: Path) -> None:
    from app.core.ts_catalog import add_messages, read_ts

    target = tmp_path / "x.ts"
    add_messages(target, {"Save & close <now>": "Salva e chiudi <ora>", "A": "B"})
    add_messages(target, {"A": "C"})
    assert read_ts(target) == {"Save & close <now>": "Salva e chiudi <ora>", "A": "C"}


def test_one_msgid_translated_two_ways_is_refused(tmp_path: Path) -> None:
    import pytest

    from app.core.ts_catalog import CatalogError, read_folder, write_ts

    write_ts(tmp_path / "a.ts", {"Book": "Prenota"})
    write_ts(tmp_path / "b.ts", {"Book": "Libro"})
    with pytest.raises(CatalogError, match="Book"):
        read_folder(tmp_path)
