"""What a filed document is and what it says: type from its bytes, a PDF's text, matching.

The type is read from the file's first bytes, never trusted from its name. A PDF's text
is extracted with pypdf for full-text search; a damaged or password-protected PDF is
still a document (its text is then empty), so extraction never raises.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata

log = logging.getLogger(__name__)

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
GIF = "image/gif"
BMP = "image/bmp"
WEBP = "image/webp"
IMAGE_TYPES = frozenset({PNG, JPEG, TIFF, GIF, BMP, WEBP})
# Where a PDF's header may start: readers accept a little junk before it (spec: 1024 bytes).
PDF_HEADER_WINDOW = 1024
# Extraction stops here: a 900-page scan bundle must not hold the writer for minutes.
MAX_PAGES = 300
MAX_TEXT_CHARS = 2_000_000
EXCERPT_CHARS = 140

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
)
_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def sniff_mime(content: bytes) -> str | None:
    """The media type the bytes say they are (PDF or an image Qt shows), or None."""
    if b"%PDF-" in content[:PDF_HEADER_WINDOW]:
        return PDF
    for signature, mime in _SIGNATURES:
        if content.startswith(signature):
            return mime
    if content.startswith(b"RIFF") and content[8:12] == b"WEBP":
        return WEBP
    if _is_bmp(content):
        return BMP
    return None


def _is_bmp(content: bytes) -> bool:
    # "BM" alone is too weak (a text file may start so): the header's reserved bytes are 0
    # and its pixel offset lies inside the file.
    if len(content) < 26 or not content.startswith(b"BM"):
        return False
    reserved = content[6:10]
    offset = int.from_bytes(content[10:14], "little")
    return reserved == b"\x00\x00\x00\x00" and 26 <= offset < len(content)


def extension_type(filename: str) -> str | None:
    """The type a file name claims by its extension (None: unknown or none)."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return {
        "pdf": PDF, "png": PNG, "jpg": JPEG, "jpeg": JPEG, "jpe": JPEG, "tif": TIFF,
        "tiff": TIFF, "gif": GIF, "bmp": BMP, "webp": WEBP,
    }.get(suffix)


def pdf_text(content: bytes) -> str:
    """The text of a PDF's pages, whitespace collapsed; "" when there is none to read.

    A scanned PDF has no text; a damaged or encrypted one cannot be read: all give "".
    """
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            return ""  # a real user password: the document is filed, unsearchable
        parts: list[str] = []
        length = 0
        for number, page in enumerate(reader.pages):
            if number >= MAX_PAGES or length >= MAX_TEXT_CHARS:
                break
            text = _SPACES.sub(" ", page.extract_text() or "").strip()
            parts.append(text)
            length += len(text) + 1
    # pypdf raises many kinds of error on a broken file (its own, ValueError, KeyError,
    # struct errors...): any of them only means there is no text to search.
    except Exception as exc:  # noqa: BLE001
        log.warning("no text extracted from a PDF: %s", type(exc).__name__)
        return ""
    return " ".join(p for p in parts if p)[:MAX_TEXT_CHARS]


# -- matching -------------------------------------------------------------------------
# Whole-string operations only (a 100-page report is 400,000 characters): NFKD splits
# accents from their letters, the marks are dropped, then everything not a letter or a
# digit becomes a space.
_MARKS = re.compile("[\u0300-\u036f]+")


def fold(text: str) -> str:
    """Text reduced for matching: lower case, no accents, words between single spaces."""
    plain = _MARKS.sub("", unicodedata.normalize("NFKD", text)).lower()
    return " " + " ".join(_NOT_WORD.sub(" ", plain).split()) + " "


def query_words(text: str) -> list[str]:
    """The words of a search, folded; each must begin a word of the document."""
    return fold(text).split()


def matches(words: list[str], *texts: str | None) -> bool:
    """Whether every word begins some word of ``texts`` (accents and case ignored)."""
    folded = fold(" ".join(t for t in texts if t))
    return all(f" {word}" in folded for word in words)


def _word_pattern(word: str) -> re.Pattern[str]:
    """``word`` at the start of a word of an NFD text, whatever accents its letters carry."""
    letters = "".join(re.escape(c) + "[\u0300-\u036f]*" for c in word)
    return re.compile(r"(?<![0-9A-Za-z\u0300-\u036f])" + letters, re.IGNORECASE)


def excerpt(text: str | None, words: list[str], width: int = EXCERPT_CHARS) -> str:
    """A short piece of ``text`` around the first word found ("" when none is in it)."""
    if not text or not words:
        return ""
    decomposed = unicodedata.normalize("NFD", text)
    starts = [m.start() for w in words if (m := _word_pattern(w).search(decomposed))]
    if not starts:
        return ""
    begin = max(0, min(starts) - width // 3)
    end = min(len(decomposed), begin + width)
    piece = unicodedata.normalize("NFC", decomposed[begin:end]).strip()
    return ("…" if begin > 0 else "") + piece + ("…" if end < len(decomposed) else "")
