"""A process that changes one patient's phone number, as a desk would, and says when done.

``python -m tests.integration.sync_edit ROOT USER PATIENT PHONE``, the password on stdin.
Run through ``Center.start``, it keeps its workstation's clock (libfaketime).
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.records.services import Records


def main() -> None:
    root, username, patient, phone = Path(sys.argv[1]), *sys.argv[2:5]
    records = Records.open(root, username, sys.stdin.readline().rstrip("\n"))
    try:
        records.patients.update_contacts(patient, {"phone": phone})
    finally:
        records.close()
    print("EDITED", flush=True)  # printed only once the change is committed


if __name__ == "__main__":
    main()
