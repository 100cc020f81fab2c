"""Messages kept in the spool folder, read back so that they reach the inbox after all.

A runner writes a message's raw bytes to ``<spool>/<UTC time>-<driver>.raw`` when it
could not be stored (the record was busy or closed, a disk error) and the device had
already been acknowledged. When the devices start again, each file is read back with
its driver, handed over like a new message, and moved to ``<spool>/delivered``.
Files of unreadable messages (``-astm-rejected``) stay where they are for the admin.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from app.devices import bp, cms50
from app.devices.astm import decode_transcript
from app.devices.results import DeviceError, DeviceMessage

DELIVERED = "delivered"
UNREADABLE = "unreadable"
READABLE = ("astm", "bp", "cms50")  # the drivers whose raw bytes make the message again
_STAMP = "%Y%m%dT%H%M%S.%fZ"


class SpoolUnreadable(DeviceError):
    """A spooled file that no longer reads as a message."""


def spooled_files(spool_dir: Path) -> list[Path]:
    """The files waiting to be handed over again, oldest first."""
    if not spool_dir.is_dir():
        return []
    return sorted(path for path in spool_dir.glob("*.raw")
                  if path.is_file() and _driver(path) in READABLE)


def _driver(path: Path) -> str:
    return path.stem.rsplit("-", 1)[-1] if "-" in path.stem else ""


def spooled_at(path: Path) -> datetime | None:
    """When the runner kept the file (from its name: ``<UTC time>[.n]-<label>.raw``)."""
    head = path.name.split("-", 1)[0]
    stamp = head[:head.find("Z") + 1]
    try:
        return datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None


def read_spooled(path: Path) -> list[DeviceMessage]:
    """The messages in one spooled file; ``SpoolUnreadable`` when none can be made."""
    driver = _driver(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SpoolUnreadable(f"{path.name}: {exc.strerror or exc}") from exc
    if driver == "astm":
        messages = list(decode_transcript(data).messages)
    elif driver == "bp":
        readings = [item for item in bp.BpDecoder().feed(data)
                    if not isinstance(item, bp.BpError)]
        messages = [bp.to_message(reading, raw=data) for reading in readings]
    elif driver == "cms50":
        samples = cms50.Cms50Decoder().feed(data)
        try:
            messages = [cms50.spot_check(samples, seconds=len(samples) / cms50.SAMPLE_RATE_HZ,
                                         observed_at=spooled_at(path))]
        except cms50.SpotCheckRefused as exc:
            raise SpoolUnreadable(f"{path.name}: {exc}") from exc
    else:
        raise SpoolUnreadable(f"{path.name}: no reader for {driver!r}")
    if not messages:
        raise SpoolUnreadable(f"{path.name}: no message in the file")
    return messages


def set_aside(path: Path, folder_name: str = DELIVERED) -> Path:
    """Move a handed-over file to ``delivered``, or one that cannot be read to
    ``unreadable`` (kept either way: the bytes are the evidence)."""
    folder = path.parent / folder_name
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / path.name
    os.replace(path, target)
    return target
