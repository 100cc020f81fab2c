"""A process that holds a center the way another program would, until its stdin closes.

Modes: ``open`` (a GP has the record open: the center lock shared), ``rekey`` (a re-key
is running: the lock exclusive, as ``rekey`` holds it), ``die-before-pragma`` (a re-key
that dies after writing keys.json.next and before PRAGMA rekey, as a crash would).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import app.records.storage.rekey as rekey_module
from app.records.services import Records
from app.records.storage.lock import CenterLock


def main() -> None:
    mode, root, username, password = sys.argv[1], Path(sys.argv[2]), *sys.argv[3:5]
    if mode == "die-before-pragma":
        rekey_module._reencrypt = lambda *_args: os._exit(9)  # the crash, at that moment
        records = Records.open(root, username, password)
        records.maintenance.rekey()
        raise AssertionError("not reached")
    if mode == "open":
        holding: Records | CenterLock = Records.open(root, username, password)
    else:
        holding = CenterLock(root)
        holding.exclusive(0)
    print("READY", flush=True)
    sys.stdin.read()  # until the test closes our stdin (or kills us)
    holding.close()


if __name__ == "__main__":
    main()
