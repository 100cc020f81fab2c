"""Reading passwords: a hidden prompt on a terminal, else one line per password on stdin."""

from __future__ import annotations

import getpass
import sys

from app.core.errors import InvalidInput
from app.core.i18n import _


def read_password(prompt: str, *, confirm: bool = False) -> str:
    """One password; never from argv. On a pipe, each call consumes one line."""
    if sys.stdin.isatty():
        first = _valid(getpass.getpass(prompt + ": "))
        if confirm and getpass.getpass(_("Repeat the password") + ": ") != first:
            raise InvalidInput(detail=_("the two passwords differ"))
        return first
    line = sys.stdin.readline()
    if not line:
        raise InvalidInput(detail=_("no password on standard input"))
    return _valid(line.rstrip("\r\n"))


def _valid(password: str) -> str:
    """Refuse bytes that are not UTF-8 text (they arrive as lone surrogates)."""
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(detail=_("the password is not valid text (UTF-8)")) from None
    return password
