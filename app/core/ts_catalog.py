"""Qt Linguist ``.ts`` catalogues read and written without Qt (the CLI has no Qt).

A catalogue is a folder of ``.ts`` files (one per area of the program, so that work on
different areas never edits one file); each message maps an English msgid (``source``)
to its translation. Qt Linguist opens these files as they are.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

CONTEXT = "medirete"


class CatalogError(ValueError):
    """A .ts file that cannot be read, or two files translating one msgid differently."""


def read_ts(path: Path) -> dict[str, str]:
    """The translated messages of one .ts file (unfinished or empty ones are left out)."""
    try:
        root = ET.parse(path).getroot()  # noqa: S314 - our own files, shipped with the app
    except ET.ParseError as exc:
        raise CatalogError(f"{path.name}: {exc}") from None
    messages: dict[str, str] = {}
    for message in root.iter("message"):
        source = message.findtext("source")
        element = message.find("translation")
        if source is None or element is None or element.get("type") in {"unfinished",
                                                                       "obsolete"}:
            continue
        if element.text:
            messages[source] = element.text
    return messages


def read_folder(folder: Path) -> dict[str, str]:
    """Every .ts file of a folder, merged; a msgid translated two ways is an error."""
    merged: dict[str, str] = {}
    origin: dict[str, str] = {}
    for path in sorted(folder.glob("*.ts")):
        for source, text in read_ts(path).items():
            if source in merged and merged[source] != text:
                raise CatalogError(
                    f"{source!r} translated differently in {origin[source]} and {path.name}")
            merged[source] = text
            origin.setdefault(source, path.name)
    return merged


def write_ts(path: Path, messages: dict[str, str], language: str = "it_IT") -> None:
    """Write ``messages`` as a .ts file, sorted by msgid (stable diffs)."""
    root = ET.Element("TS", version="2.1", language=language, sourcelanguage="en")
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    for source in sorted(messages):
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = source
        ET.SubElement(message, "translation").text = messages[source]
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n",
                    encoding="utf-8")


def add_messages(path: Path, new: dict[str, str]) -> None:
    """Add (or replace) messages in one .ts file, creating it if needed."""
    messages = read_ts(path) if path.exists() else {}
    messages.update(new)
    write_ts(path, messages)


def main(argv: list[str] | None = None) -> int:
    """``python -m app.core.ts_catalog FILE.ts MSGID TRANSLATION [MSGID TRANSLATION ...]``."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) < 3 or len(args) % 2 == 0:
        print("usage: python -m app.core.ts_catalog FILE.ts MSGID TRANSLATION [...]",
              file=sys.stderr)
        return 2
    path = Path(args[0])
    add_messages(path, dict(zip(args[1::2], args[2::2], strict=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
