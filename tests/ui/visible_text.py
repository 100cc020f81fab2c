"""What a window shows a person, read back from its widgets, and the checks on it.

``visible_texts`` walks a window: titles, labels, buttons, menus and their actions,
placeholders, tooltips, tab and group titles, combo items, the headers and cells of item
views. ``problems_in`` reports the texts left in English: an English msgid that Italian
translates differently, an English interface word, a number with a decimal point.
Used by tests/ui/test_ui_translations.py; extend ``ENGLISH_WORDS`` or ``ALLOWED_WORDS``
here.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass

from app.core import i18n
from app.core.formats import drop_context
from app.ui.qt import (
    QAbstractItemView,
    QAbstractListModel,
    QAction,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QModelIndex,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStatusBar,
    Qt,
    QTabWidget,
    QTextBrowser,
    QTextDocument,
    QToolButton,
    QWidget,
)

# Common English words of an interface. Left out on purpose, being Italian words too or
# the usual Italian UI term: a, in, no, all (all'), file, menu, password, email, account,
# demo, driver, test, link, note, state, fine, male, per, come, data, code, case, agenda,
# backup, OK.
ENGLISH_WORDS = frozenset("""
    the and of to for with from your you is are not this that these those there here
    what which who when where has have was were be been will can cannot please an on at
    by or if then than more first last only also any some none
    low high very abnormal normal
    search find cancel save open close edit help yes delete remove add new print preview
    back next previous apply reset settings options select copy paste cut undo redo clear
    today tomorrow yesterday week day month year years months days born female
    patient patients name surname date time phone address mobile postcode city
    book booked arrived seen cancelled waiting room results result inbox devices device
    error warning exit quit lock locked unlock user users log chart show hide view window
    language summary allergy allergies intolerance problems problem therapy exemptions
    history family mother father active chronic resolved recorded loading opening opened
    accepted rejected pending connected stopped visit visits type length reason clinician
    center welcome doctor nurse secretary administrator gp role
    received matched sent value flag message messages raw reading wave pulse finger
    signal list
""".split())
# Words of a visible text that are right in Italian (names, codes, products).
ALLOWED_WORDS = frozenset({"Medirete", "SpO", "HbA", "LOINC", "ATC", "ICD", "CM", "ATS", "ASL"})
# Path-like chunks (a center's folder) and command lines are data, not words.
PATH_CHUNK = re.compile(r"\S*[/\\]\S*[/\\]\S*")
# A certificate fingerprint in groups of four hex digits ("45BE 4282 ..."): not words.
FINGERPRINT = re.compile(r"\b(?:[0-9A-F]{4} ){3,}[0-9A-F]{4}\b")
# A one-time invitation code ("W4Z3-AN5U-KB32"): random letters, not words.
INVITATION_CODE = re.compile(r"\b(?:[0-9A-Z]{4}-){2,}[0-9A-Z]{4}\b")
# Identifiers mixing letters and digits (an entry id's tail "3fa9be12"): not words.
MIXED_TOKEN = re.compile(r"\b(?=[^\W_]*\d)(?=[^\W_]*[^\W\d_])[^\W_]+\b")
CODE_SPAN = re.compile(r"<code>.*?</code>", re.DOTALL)
WORD = re.compile(r"[^\W\d_]+")
# "0.72" is English; Italian writes "0,72" and groups thousands as "1.234". Codes with a
# dot (ICD-9-CM 401.9) are introduced by their system's name.
DECIMAL_POINT = re.compile(r"(?<![\w.,])(?<!ICD-9-CM )\d+\.\d+(?![\w.,])")
ITALIAN_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
SEGMENT_SEPARATORS = re.compile(r"\s+[·\u00b7\-–]\s+|\n|\t")
MAX_ROWS = 50
TEXT_WIDGETS = (QLabel, QPushButton, QCheckBox, QRadioButton, QToolButton)


# -- reading what is on screen ----------------------------------------------------------
def plain(text: str) -> str:
    """Rich text as the user reads it; mnemonics and shortcut columns dropped."""
    text = text.split("\t", 1)[0]
    if "<" in text and ">" in text:
        document = QTextDocument()
        document.setHtml(CODE_SPAN.sub(" ", text))
        text = document.toPlainText()
    return re.sub(r"&(?!&)", "", text).replace("&&", "&").strip()


def named(widget: QWidget | QAction) -> str:
    name = widget.objectName()
    return f"{type(widget).__name__}{f'#{name}' if name else ''}"


def _own_texts(widget: QWidget) -> Iterator[str]:
    yield widget.toolTip()
    yield widget.statusTip()
    yield widget.whatsThis()
    if widget.isWindow():
        yield widget.windowTitle()
    if isinstance(widget, TEXT_WIDGETS):
        yield widget.text()
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        yield widget.placeholderText()
    if isinstance(widget, QTextBrowser):
        yield widget.toPlainText()
    if isinstance(widget, QMenu | QGroupBox):
        yield widget.title()
    if isinstance(widget, QTabWidget):
        yield from (widget.tabText(i) for i in range(widget.count()))
    if isinstance(widget, QComboBox):
        yield from (widget.itemText(i) for i in range(widget.count()))
    if isinstance(widget, QSpinBox):
        yield widget.prefix()
        yield widget.suffix()
    if isinstance(widget, QStatusBar):
        yield widget.currentMessage()
    if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView) \
            and widget.model() is not None:  # a header shows its table's model
        yield from _model_texts(widget)


def _model_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    display = Qt.ItemDataRole.DisplayRole
    # A list model's columnCount is private in C++: it has one column.
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(QModelIndex())
    for column in range(columns):
        yield str(model.headerData(column, Qt.Orientation.Horizontal, display) or "")
        for row in range(min(model.rowCount(QModelIndex()), MAX_ROWS)):
            index = model.index(row, column)
            for role in (display, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if isinstance(value, str):
                    yield value


def _in(window: QWidget, thing: QWidget | QAction) -> bool:
    """Part of ``window`` itself, not of a dialog over it (read as a window of its own)."""
    owner = thing if isinstance(thing, QWidget) else thing.parent()
    return not isinstance(owner, QWidget) or owner.window() is window


def visible_texts(window: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for the window, every child widget and every action."""
    for widget in (window, *window.findChildren(QWidget)):
        if not _in(window, widget):
            continue
        for text in _own_texts(widget):
            if text and text.strip():
                yield named(widget), plain(text)
    for action in window.findChildren(QAction):
        if not _in(window, action):
            continue
        for text in (action.text(), action.toolTip(), action.statusTip(), action.iconText()):
            if text and text.strip():
                yield named(action), plain(text)


# -- the checks --------------------------------------------------------------------------
def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def _pattern(msgid: str) -> re.Pattern[str] | None:
    """A msgid with fields as a regex; None when its fixed words are too few to tell."""
    parts = []
    letters = 0
    for literal, name, _spec, _conv in string.Formatter().parse(msgid):
        parts.append(re.escape(literal))
        letters += sum(len(w) for w in WORD.findall(literal))
        if name is not None:
            parts.append(".+?")
    return re.compile("".join(parts)) if letters >= 5 else None


@dataclass(frozen=True)
class Untranslated:
    """The English forms of msgids that Italian writes differently."""

    exact: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def from_catalog(cls, catalog: dict[str, str]) -> Untranslated:
        differing = [drop_context(m) for m, it in catalog.items() if drop_context(m) != it]
        exact = frozenset(plain(m) for m in differing if not _fields(m))
        patterns = tuple(p for m in differing if _fields(m) and (p := _pattern(m)))
        return cls(exact, patterns)

    def find(self, text: str) -> str | None:
        """The piece of ``text`` that is an untranslated msgid, if any."""
        pieces = [text, *SEGMENT_SEPARATORS.split(text)]
        for piece in (p.strip() for p in pieces):
            if piece in self.exact:
                return piece
            if any(p.fullmatch(piece) for p in self.patterns):
                return piece
        return None


UNTRANSLATED = Untranslated.from_catalog(i18n.catalog("it"))


def english_words(text: str) -> list[str]:
    """Words of ``text`` that are English UI words."""
    for pattern in (PATH_CHUNK, FINGERPRINT, INVITATION_CODE, MIXED_TOKEN):
        text = pattern.sub(" ", text)
    return [w for w in WORD.findall(text)
            if w.lower() in ENGLISH_WORDS and w not in ALLOWED_WORDS]


def english_numbers(text: str) -> list[str]:
    """Numbers of ``text`` written with a decimal point."""
    return [m.group() for m in DECIMAL_POINT.finditer(PATH_CHUNK.sub(" ", text))
            if not ITALIAN_THOUSANDS.fullmatch(m.group())]


def problems_in(windows: list[QWidget]) -> list[str]:
    """Every text of ``windows`` left in English."""
    found: set[str] = set()
    for window in windows:
        for where, text in visible_texts(window):
            piece = UNTRANSLATED.find(text)
            if piece is not None:
                found.add(f"{named(window)} > {where}: untranslated {piece!r} in {text!r}")
            words = english_words(text)
            if words:
                found.add(f"{named(window)} > {where}: English {words} in {text!r}")
            numbers = english_numbers(text)
            if numbers:
                found.add(f"{named(window)} > {where}: decimal point {numbers} in {text!r}")
    return sorted(found)
