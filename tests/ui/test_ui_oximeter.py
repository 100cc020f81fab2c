"""The live oximeter view: wave, SpO2 and pulse, finger out, error, the spot-check button."""

from __future__ import annotations

from app.core.i18n import _
from app.devices.cms50 import Sample
from app.ui import oximeter_view
from app.ui.oximeter_view import NO_VALUE, OximeterView

GOOD = Sample(pleth=60, pulse_rate=72, spo2=97, signal=8)
FINGER_OUT = Sample(pleth=0, pulse_rate=None, spo2=None, finger_out=True)
SEARCHING = Sample(pleth=10, pulse_rate=None, spo2=None, searching=True)


class FakeSource:
    """Samples the test puts in, returned as a reader thread would (oldest first)."""

    def __init__(self) -> None:
        self.samples: list[Sample] = []

    def latest_samples(self, seconds: float) -> list[Sample]:
        return self.samples[-round(seconds * 60):]

    def add(self, *samples: Sample, times: int = 1) -> None:
        for _n in range(times):  # new objects each time, as the decoder makes them
            self.samples.extend(Sample(s.pleth + n % 3, s.pulse_rate, s.spo2, s.finger_out,
                                       s.searching) for n, s in enumerate(samples))


def _view(qtbot, calls: list[str] | None = None) -> tuple[OximeterView, FakeSource]:
    source = FakeSource()
    view = OximeterView(source, lambda: (calls if calls is not None else []).append("spot"))
    qtbot.addWidget(view)
    view.show()
    return view, source


def test_the_view_shows_spo2_pulse_and_the_wave(qtbot):
    view, source = _view(qtbot)
    assert view.timer.isActive()  # polling while on screen
    assert view.status.text() == _("waiting for the oximeter")
    source.add(GOOD, times=400)  # more than the 5 s on screen
    view.refresh()
    assert (view.spo2.text(), view.pulse.text()) == ("97", "72")
    assert view.status.text() == _("connected")
    x, y = view.wave
    assert len(x) == len(y) == 300 and x[-1] == 0.0 and abs(x[0] + 299 / 60) < 1e-9
    frames = view.frames
    view.refresh()  # nothing new: nothing redrawn
    assert view.frames == frames
    view.hide()
    assert not view.timer.isActive()


def test_finger_out_and_searching_blank_the_numbers(qtbot):
    view, source = _view(qtbot)
    source.add(GOOD, times=60)
    view.refresh()
    source.add(FINGER_OUT)
    view.refresh()
    assert view.status.text() == _("finger out")
    assert (view.spo2.text(), view.pulse.text()) == (NO_VALUE, NO_VALUE)
    assert not view.spot_button.isEnabled()
    source.add(SEARCHING)
    view.refresh()
    assert view.status.text() == _("searching for the signal")


def test_a_silent_oximeter_and_a_line_error_are_shown(qtbot, monkeypatch):
    view, source = _view(qtbot)
    source.add(GOOD, times=60)
    view.refresh()
    monkeypatch.setattr(oximeter_view, "QUIET_S", -1.0)  # any pause counts as silence
    view.refresh()
    assert view.status.text() == _("waiting for the oximeter")
    assert view.spo2.text() == NO_VALUE and not view.spot_button.isEnabled()
    view.set_link_state("error", "COM3 scollegata")
    assert view.status.text() == _("error: {detail}").format(detail="COM3 scollegata")


def test_the_spot_check_button_calls_back(qtbot):
    calls: list[str] = []
    view, source = _view(qtbot, calls)
    assert not view.spot_button.isEnabled()  # no reading yet
    source.add(GOOD, times=120)
    view.refresh()
    assert view.spot_button.isEnabled()
    assert view.spot_button.shortcut().toString() == "Alt+S"
    view.spot_button.click()
    assert calls == ["spot"]


def test_the_device_panel_lists_devices_and_their_state(qtbot):
    from datetime import UTC, datetime

    from app.core.formats import format_datetime, local_time
    from app.ui.device_panel import DevicePanel, state_label, when_label

    panel = DevicePanel()
    qtbot.addWidget(panel)
    panel.add_device("Ossimetro", "cms50", "/dev/ttyUSB0")
    at = datetime(2026, 1, 10, 9, 30, tzinfo=UTC)
    panel.update_status("Ossimetro", "receiving", at)
    panel.update_status("HbA1c", "error", None, "COM3: porta non trovata")
    model = panel.model
    cells = [[model.data(model.index(r, c)) for c in range(6)] for r in range(2)]
    assert cells[0][:4] == ["Ossimetro", "cms50", "/dev/ttyUSB0", state_label("receiving")]
    assert cells[0][4] == format_datetime(at)  # not today: day and time, on the center's clock
    assert cells[1] == ["HbA1c", "", "", state_label("error"), "", "COM3: porta non trovata"]
    panel.update_status("Ossimetro", "waiting", at)
    assert model.rowCount() == 2 and model.data(model.index(0, 3)) == state_label("waiting")
    now = datetime.now(UTC)
    assert when_label(now) == local_time(now).strftime("%H:%M:%S")  # today: the time only
