"""A process that writes observations in a loop and acknowledges each commit on stdout."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from app.records.services import Records


def main() -> None:
    root, username, password, patient_id = Path(sys.argv[1]), *sys.argv[2:5]
    records = Records.open(root, username, password)
    print("READY", flush=True)
    count = 0
    while True:
        count += 1
        entry = records.clinical.record_observation(
            patient_id, "8867-4", datetime.now(UTC), value_num=60 + count % 40, unit="/min"
        )
        # Printed only after the commit returned: an acknowledged write.
        print(f"ACK {entry}", flush=True)


if __name__ == "__main__":
    main()
