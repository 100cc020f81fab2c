"""A 12-lead ECG as a PDF at true scale, for the patient or a cardiologist (reportlab).

One A4 landscape page: the patient and the recording above, the standard paper
(``app.reports.ecg_paper``: 3×4 leads of 2.5 s and a 10 s rhythm strip of lead II, a
1 mV calibration pulse on every row) on a millimetre grid at 25 mm/s, the cart's
measurements and statements, and the scale printed in words, so a ruler on the paper
reads 25 mm per second when the page is printed at 100 % ("actual size"). Drawn in PDF
points (1 mm = 72/25.4 pt): the scale depends on nothing but the page.

The words follow the UI language (the GP prints it for an Italian patient or
colleague). No Qt here.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.core.errors import MedireteError
from app.core.files import replace_privately
from app.core.formats import format_date, format_datetime, format_decimal
from app.core.i18n import _
from app.devices.ecg.model import EcgMeasurements, EcgRecording
from app.reports.ecg_paper import (
    PAGE_S,
    Paper,
    Scale,
    Segment,
    grid_lines,
    layout,
    pulse_points,
    segment_samples,
    trace_xy,
)
from app.reports.promemoria import printable

PAGE = landscape(A4)  # 297 × 210 mm
MARGIN_MM = 10.0
HEADER_MM = 30.0  # patient, recording, measurements, statements
ROW_MM = 34.0  # four rows of 34 mm fit under the header at any gain
SPEED_MM_S = 25.0  # a page holds 10 s at 25 mm/s
BUCKET_MM = 0.05  # at most two points per 0.05 mm: finer than any printer's pen
FINE = colors.HexColor("#f4c2c2")
BOLD = colors.HexColor("#e08a8a")
INK = colors.HexColor("#111111")
LABEL = colors.HexColor("#555555")
MAX_STATEMENTS = 4


class EcgPdfNotWritten(MedireteError):
    message = "The ECG PDF could not be written to {path}: check the folder and the free space"


@dataclass(frozen=True)
class EcgHeading:
    """Whose ECG: the chart's patient when known, else the patient as the cart sent it."""

    patient: str = ""  # "Rossi Mario"
    codice_fiscale: str = ""
    birth_date: date | None = None


def _number(value: float) -> str:
    return format_decimal(round(value))


def measurement_items(m: EcgMeasurements) -> list[tuple[str, str]]:
    """The cart's measurements as (label, value) pairs, only those the file gives."""
    items: list[tuple[str, str]] = []
    if m.heart_rate_bpm is not None:
        items.append((_("Heart rate"), f"{_number(m.heart_rate_bpm)}/min"))
    for label, value in (("PR", m.pr_ms), ("QRS", m.qrs_ms), ("QT", m.qt_ms),
                         ("QTc", m.qtc_ms)):
        if value is not None:
            items.append((label, f"{_number(value)} ms"))
    axes = (m.p_axis_deg, m.qrs_axis_deg, m.t_axis_deg)
    if any(a is not None for a in axes):
        shown = " / ".join("-" if a is None else f"{_number(a)}°" for a in axes)
        items.append((_("Axes P / QRS / T"), shown))
    return items


def patient_text(recording: EcgRecording, heading: EcgHeading) -> str:
    """The patient line: the chart's patient, or what the cart sent (said so)."""
    if heading.patient:
        parts = [heading.patient, heading.codice_fiscale]
        if heading.birth_date is not None:
            parts.append(_("born {date}").format(date=format_date(heading.birth_date)))
        return " · ".join(p for p in parts if p)
    sent = recording.patient
    name = " ".join(p for p in (sent.family_name, sent.given_name) if p)
    parts = [name, sent.identifier]
    return _("as sent by the device: {patient}").format(
        patient=" · ".join(p for p in parts if p) or _("no patient"))


def recording_text(recording: EcgRecording) -> str:
    """When and with what the ECG was taken, its sampling rate and length."""
    parts = []
    if recording.acquired_at is not None:
        parts.append(_("acquired {when}").format(when=format_datetime(recording.acquired_at)))
    if recording.device:
        parts.append(recording.device)
    parts.append(f"{format_decimal(recording.sampling_rate, 0)} Hz")
    parts.append(f"{format_decimal(round(recording.duration_s(), 1))} s")
    return " · ".join(parts)


def scale_text(scale: Scale) -> str:
    """The scale in words, as it is printed on the page and shown on screen."""
    return (f"{format_decimal(scale.speed_mm_s)} mm/s · "
            f"{format_decimal(scale.gain_mm_mv)} mm/mV")


def ecg_pdf_bytes(recording: EcgRecording, heading: EcgHeading = EcgHeading(), *,
                  gain_mm_mv: float = 10.0) -> bytes:
    """The ECG page as PDF bytes (25 mm/s; the gain as chosen, 10 mm/mV by default)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, pageCompression=1)
    canvas.setTitle(_("12-lead ECG"))
    canvas.setCreator("Medirete")
    _EcgPage(canvas, recording, Scale(SPEED_MM_S, gain_mm_mv)).draw(heading)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def write_ecg_pdf(path: Path, recording: EcgRecording, heading: EcgHeading = EcgHeading(),
                  *, gain_mm_mv: float = 10.0) -> None:
    """Write the PDF to ``path``: owner-only (it names a patient), never half a file."""
    content = ecg_pdf_bytes(recording, heading, gain_mm_mv=gain_mm_mv)
    try:
        replace_privately(path, content, ".ecg-")
    except OSError:
        raise EcgPdfNotWritten(path=str(path)) from None


def paper_for_page(recording: EcgRecording, scale: Scale) -> Paper:
    """The paper a printed page holds: the first 10 s, rows of ``ROW_MM``."""
    lengths = {name: len(data) for name, data in recording.leads.items()}
    return layout(lengths, recording.sampling_rate, scale=scale,
                  starts=recording.start_samples, derived=recording.derived,
                  row_mm=ROW_MM, max_seconds=PAGE_S)


def grid_origin_mm(paper: Paper) -> tuple[float, float]:
    """Where the paper's top-left corner sits on the page, from the page's top-left (mm)."""
    page_width = PAGE[0] / mm
    return (page_width - paper.width_mm) / 2.0, MARGIN_MM + HEADER_MM


class _EcgPage:
    """Draws one page; paper millimetres (y down) become PDF points (y up) here only."""

    def __init__(self, canvas: Canvas, recording: EcgRecording, scale: Scale) -> None:
        self.canvas = canvas
        self.recording = recording
        self.paper = paper_for_page(recording, scale)
        self.left, self.top = grid_origin_mm(self.paper)
        self.page_height = PAGE[1] / mm

    def at(self, x_mm: float, y_mm: float) -> tuple[float, float]:
        """A paper point in PDF points."""
        return (self.left + x_mm) * mm, (self.page_height - self.top - y_mm) * mm

    def draw(self, heading: EcgHeading) -> None:
        """Grid, pulses, traces, labels, header and footer."""
        self._grid()
        self._pulses()
        for segment in self.paper.segments:
            self._trace(segment)
        if self.paper.rhythm is not None:
            self._trace(self.paper.rhythm)
        self._labels()
        self._header(heading)
        self._footer()

    def _grid(self) -> None:
        canvas, paper = self.canvas, self.paper
        for fine, colour, width in ((True, FINE, 0.08), (False, BOLD, 0.2)):
            canvas.setStrokeColor(colour)
            canvas.setLineWidth(width * mm)
            xs = grid_lines(0.0, paper.width_mm)[0 if fine else 1]
            ys = grid_lines(0.0, paper.height_mm)[0 if fine else 1]
            lines = [(*self.at(x, 0.0), *self.at(x, paper.height_mm)) for x in xs]
            lines += [(*self.at(0.0, y), *self.at(paper.width_mm, y)) for y in ys]
            canvas.lines(lines)

    def _stroke(self, points: Sequence[tuple[float, float]]) -> None:
        path = self.canvas.beginPath()
        path.moveTo(*points[0])
        for point in points[1:]:
            path.lineTo(*point)
        self.canvas.drawPath(path, stroke=1, fill=0)

    def _pen(self) -> None:
        self.canvas.setStrokeColor(INK)
        self.canvas.setLineWidth(0.25 * mm)
        self.canvas.setLineJoin(1)
        self.canvas.setLineCap(1)

    def _pulses(self) -> None:
        self._pen()
        start = self.paper.pulse_x_mm + 1.0
        for baseline in self.paper.baselines:
            self._stroke([self.at(x, y) for x, y in pulse_points(start, baseline,
                                                                 self.paper.scale)])

    def _trace(self, segment: Segment) -> None:
        rate = self.recording.sampling_rate
        data = self.recording.leads[segment.lead]
        first = self.recording.start_samples.get(segment.lead, 0)
        samples, offset = segment_samples(segment, data, rate, first)
        if len(samples) < 2:
            return
        x, y = trace_xy(samples, offset, rate, self.paper.scale, units_per_mm=1.0,
                        bucket_units=BUCKET_MM)
        x0, y0 = self.at(segment.x_mm, segment.baseline_mm)
        self._pen()
        self._stroke(list(zip((x0 + x * mm).tolist(), (y0 - y * mm).tolist(), strict=True)))

    def _labels(self) -> None:
        canvas, paper = self.canvas, self.paper
        canvas.setFillColor(INK)
        canvas.setFont("Helvetica-Bold", 8)
        shown = [*paper.segments, *([paper.rhythm] if paper.rhythm else [])]
        for segment in shown:
            mark = "*" if segment.derived else ""
            canvas.drawString(*self.at(segment.x_mm + 1.0, segment.baseline_mm
                                       - paper.row_mm * 0.45), segment.lead + mark)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.25 * mm)
        for segment in paper.segments:
            if segment.start_s > 0:  # the short bar between two leads, as carts print it
                canvas.line(*self.at(segment.x_mm, segment.baseline_mm - 2.5),
                            *self.at(segment.x_mm, segment.baseline_mm + 2.5))

    def _header(self, heading: EcgHeading) -> None:
        canvas = self.canvas
        left = self.left * mm
        right = (self.left + self.paper.width_mm) * mm
        line = (self.page_height - MARGIN_MM) * mm - 11
        canvas.setFillColor(INK)
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawString(left, line, printable(_("12-lead ECG")))
        canvas.setFont("Helvetica-Bold", 10)
        canvas.drawString(left, line - 15, printable(patient_text(self.recording, heading)))
        canvas.setFont("Helvetica", 9)
        canvas.drawString(left, line - 28, printable(recording_text(self.recording)))
        items = measurement_items(self.recording.measurements)
        canvas.drawString(left, line - 41, printable("   ".join(
            f"{label} {value}" for label, value in items)))
        statements = self.recording.statements[:MAX_STATEMENTS]
        if statements:
            canvas.setFont("Helvetica-Bold", 9)
            canvas.drawRightString(right, line, printable(_("Device interpretation, "
                                                            "to be confirmed")))
            canvas.setFont("Helvetica", 9)
            for number, text in enumerate(statements, start=1):
                canvas.drawRightString(right, line - 12 * number, printable(text[:60]))

    def _footer(self) -> None:
        canvas, paper = self.canvas, self.paper
        left = self.left * mm
        bottom = (self.page_height - self.top - paper.height_mm) * mm - 11
        words = [scale_text(paper.scale), _("grid 1 mm, bold lines every 5 mm"),
                 _("print at 100 % (actual size)")]
        if self.recording.derived:
            words.append(_("* derived lead, computed from I and II"))
        total = self.recording.duration_s()
        if total > PAGE_S + 0.01:
            words.append(_("rhythm strip: the first {shown} s of {total} s").format(
                shown=format_decimal(PAGE_S, 0), total=format_decimal(total, 0)))
        canvas.setFillColor(LABEL)
        canvas.setFont("Helvetica", 8)
        canvas.drawString(left, bottom, printable(" · ".join(words)))
