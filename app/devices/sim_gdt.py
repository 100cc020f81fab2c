"""A spirometer program that speaks GDT through folders (``devsim gdt``).

It watches its request folder for 6302 records addressed to it (8315 = ``device_id``),
takes each (the request file is consumed, as real programs do), "runs the test" for
``delay`` seconds and writes a 6310 result with plausible FEV1, FVC, FEV1/FVC and PEF
for the patient's age and sex (ECSC 1993 predicted values, at an assumed height, times
a factor drawn per patient), plus a flow-volume curve file it references in 6305.
"""

from __future__ import annotations

import logging
import random
import threading
import zlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app.devices.gdt import (
    VERSION,
    GdtError,
    GdtRecord,
    decode_record,
    encode_record,
    write_atomic,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GdtSimOptions:
    """How the simulated spirometer program behaves."""

    device_id: str = "SPIRO"  # its GDT id: requests must name it in 8315
    test_id: str = "LUFU01"  # 8402, the device/test identifier it reports
    delay: float = 0.5  # seconds "spent on the test" before the result appears
    curve: bool = True  # also write a flow-volume curve file (CSV) referenced in 6305
    poll_interval: float = 0.2


@dataclass(frozen=True)
class Spirometry:
    """The measured values of one simulated test."""

    fev1: float  # L
    fvc: float  # L
    pef: float  # L/s

    @property
    def ratio(self) -> float:
        """FEV1/FVC in %."""
        return 100 * self.fev1 / self.fvc


def _age(birth: str, today: date) -> int:
    """Age in years from GDT DDMMYYYY (50 when unknown), kept within 18-90."""
    try:
        born = date(int(birth[4:8]), int(birth[2:4]), int(birth[:2]))
    except ValueError:
        return 50
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return max(18, min(90, years))


def spirometry_for(request: GdtRecord, today: date) -> Spirometry:
    """Plausible values for the requested patient, the same every time for one patient."""
    age, male = _age(request.first("3103"), today), request.first("3110") != "2"
    height = 1.75 if male else 1.62
    if male:
        fvc, fev1 = 5.76 * height - 0.026 * age - 4.34, 4.30 * height - 0.029 * age - 2.49
        pef = 6.14 * height - 0.043 * age + 0.15
    else:
        fvc, fev1 = 4.43 * height - 0.026 * age - 2.89, 3.95 * height - 0.025 * age - 2.60
        pef = 5.50 * height - 0.030 * age - 1.11
    rng = random.Random(zlib.crc32(request.first("3000").encode("utf-8")))
    factor, obstruction = rng.uniform(0.8, 1.05), rng.uniform(0.85, 1.0)
    fvc = max(1.0, fvc * factor)
    return Spirometry(
        fev1=round(min(fev1 * factor * obstruction, fvc * 0.95), 2),
        fvc=round(fvc, 2),
        pef=round(max(2.0, pef * factor * obstruction), 2),
    )


def curve_csv(values: Spirometry, points: int = 50) -> bytes:
    """A synthetic flow-volume curve: flow rises to PEF, then falls to zero at FVC."""
    lines = ["volume_l;flow_l_s"]
    for i in range(points + 1):
        volume = values.fvc * i / points
        rise = volume / (0.15 * values.fvc)
        flow = values.pef * (rise if rise < 1 else (values.fvc - volume) / (0.85 * values.fvc))
        lines.append(f"{volume:.3f};{flow:.3f}")
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def _comma(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}".replace(".", ",")  # as European device programs write


def result_record(
    request: GdtRecord, options: GdtSimOptions, now: datetime, curve_name: str = ""
) -> GdtRecord:
    """The 6310 answer to a 6302 ``request``."""
    values = spirometry_for(request, now.date())
    fields = [
        ("8315", request.first("8316")),
        ("8316", options.device_id),
        ("9206", "3"),
        ("9218", VERSION),
    ]
    fields += [
        (f, request.first(f)) for f in ("3000", "3101", "3102", "3103", "3110") if request.first(f)
    ]
    fields += [
        ("6200", now.strftime("%d%m%Y")),
        ("6201", now.strftime("%H%M%S")),
        ("8402", options.test_id),
    ]
    for test_id, name, value, unit in (
        ("FEV1", "Volume espiratorio massimo al 1° secondo", _comma(values.fev1), "l"),
        ("FVC", "Capacità vitale forzata", _comma(values.fvc), "l"),
        ("FEV1%FVC", "Indice di Tiffeneau (FEV1/FVC)", _comma(values.ratio, 1), "%"),
        ("PEF", "Picco di flusso espiratorio", _comma(values.pef), "l/s"),
        ("FET", "Tempo di espirazione forzata", "6,2", "s"),
    ):
        fields += [("8410", test_id), ("8411", name), ("8420", value), ("8421", unit)]
    fields.append(("6220", "Spirometria simulata (Medirete devsim), non per uso clinico"))
    if curve_name:
        fields += [("6303", "CSV"), ("6304", "Curva flusso-volume"), ("6305", curve_name)]
    return GdtRecord("6310", tuple(fields))


def _free(folder: Path, stem: str, suffix: str) -> Path:
    path, n = folder / f"{stem}{suffix}", 1
    while path.exists():
        path, n = folder / f"{stem}-{n}{suffix}", n + 1
    return path


def answer(request: GdtRecord, result_folder: Path, options: GdtSimOptions) -> Path:
    """Write the curve (if any), then the 6310 result file; returns the result's path."""
    now = datetime.now().replace(microsecond=0)
    result = _free(result_folder, f"{request.first('8316')}{options.device_id}", ".gdt")
    curve_name = ""
    if options.curve:
        curve = _free(result_folder, f"{result.stem}_curve", ".csv")
        write_atomic(curve, curve_csv(spirometry_for(request, now.date())))
        curve_name = curve.name
    write_atomic(result, encode_record(result_record(request, options, now, curve_name)))
    return result


def take_request(path: Path, options: GdtSimOptions) -> GdtRecord | None:
    """The 6302 record of ``path`` if it is addressed to us (the file is then consumed)."""
    try:
        record = decode_record(path.read_bytes())
    except (GdtError, OSError) as exc:
        log.info("simulator skips %s: %s", path.name, exc)
        return None
    if record.record_type != "6302" or record.first("8315", options.device_id) != options.device_id:
        return None
    path.unlink(missing_ok=True)
    return record


def simulate_gdt(
    request_folder: Path,
    stop: threading.Event,
    *,
    result_folder: Path | None = None,
    options: GdtSimOptions | None = None,
) -> None:
    """Answer every 6302 request appearing in ``request_folder`` until ``stop`` is set."""
    opts = options or GdtSimOptions()
    results = result_folder or request_folder
    skipped: dict[Path, float] = {}  # files that are not requests for us, by mtime
    while not stop.is_set():
        for path in sorted(request_folder.glob("*")):
            if path.suffix.lower() != ".gdt" or path.name.startswith(".") or not path.is_file():
                continue
            try:
                mtime = path.stat().st_mtime
            except OSError:
                continue
            if skipped.get(path) == mtime:
                continue
            request = take_request(path, opts)
            if request is None:
                skipped[path] = mtime
            elif not stop.wait(opts.delay):
                log.info("simulator answers %s with %s", path.name, answer(request, results, opts))
        stop.wait(opts.poll_interval)
