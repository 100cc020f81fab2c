"""This computer's serial ports as the device dialog lists them.

The port list is the operating system's; here pyserial's ``ListPortInfo`` is stood in
for by plain objects with the same attributes (the odd ones included), and the real
listing is called once to show it never fails (it may well be empty).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from serial.tools import list_ports

from app.devices import adapters
from app.devices.adapters import SerialAdapter, serial_adapters, sorted_adapters


def port(device: object, description: object = "n/a", vid: object = None, pid: object = None,
         serial_number: object = None) -> SimpleNamespace:
    """What ``comports()`` yields, attribute for attribute."""
    return SimpleNamespace(device=device, description=description, vid=vid, pid=pid,
                           serial_number=serial_number, hwid="n/a")


def test_usb_serial_chips_are_recognised_and_ports_sorted_naturally():
    found = sorted_adapters([
        port("COM10", "USB Serial Port (COM10)", 0x0403, 0x6001, "A50285BI"),
        port("COM3", "Silicon Labs CP210x USB to UART Bridge (COM3)", 0x10C4, 0xEA60, "0001"),
        port("COM4", "Prolific USB-to-Serial Comm Port (COM4)", 0x067B, 0x2303),
        port("/dev/ttyUSB1", "USB Serial", 0x1A86, 0x7523),
        port("/dev/ttyACM0", "USB Single Serial", 0x1A86, 0x55D4),
        port("COM2", "Communications Port (COM2)"),
    ])
    assert [a.device for a in found] == ["/dev/ttyACM0", "/dev/ttyUSB1", "COM2", "COM3",
                                         "COM4", "COM10"]
    chips = {a.device: a.chip for a in found}
    assert chips == {"/dev/ttyACM0": "WCH CH9102", "/dev/ttyUSB1": "WCH CH340", "COM2": "",
                     "COM3": "Silicon Labs CP210x", "COM4": "Prolific PL2303",
                     "COM10": "FTDI FT232R"}
    com3 = found[3]
    assert com3 == SerialAdapter("COM3", "Silicon Labs CP210x USB to UART Bridge (COM3)",
                                 0x10C4, 0xEA60, "0001", "Silicon Labs CP210x")
    assert com3.usb_id == "10C4:EA60"
    assert found[2].usb_id == "" and found[2].vid is None


def test_an_unknown_usb_id_is_listed_without_a_chip():
    (found,) = sorted_adapters([port("/dev/ttyUSB0", "Some gadget", 0x1234, 0x5678)])
    assert found.chip == "" and found.usb_id == "1234:5678"
    assert found.description == "Some gadget"


@pytest.mark.parametrize("odd", [
    port(None), port(""), port(b"/dev/ttyS0"), port(42), SimpleNamespace(), object(),
])
def test_a_port_without_a_usable_path_is_left_out(odd):
    assert sorted_adapters([odd, port("COM1")]) == (SerialAdapter("COM1"),)


def test_odd_attributes_never_raise():
    found = sorted_adapters([
        port("/dev/ttyS0", description=None, vid="0403", pid=-1, serial_number=12345),
        port("/dev/ttyS1", description="/dev/ttyS1", vid=True, pid=0x6001),
        port("/dev/ttyS2", description="  ", vid=0x10000, pid=0xEA60),
        port("/dev/ttyS0", "a second entry for the same path"),
    ])
    assert found == (SerialAdapter("/dev/ttyS0"), SerialAdapter("/dev/ttyS1", pid=0x6001),
                     SerialAdapter("/dev/ttyS2", pid=0xEA60))


def test_a_listing_that_fails_gives_no_ports(monkeypatch, caplog):
    def broken() -> list[object]:
        raise OSError("the system refused")

    monkeypatch.setattr(list_ports, "comports", broken)
    assert serial_adapters() == ()
    assert "could not be listed" in caplog.text


def test_the_real_listing_returns_adapters():
    found = serial_adapters()
    assert isinstance(found, tuple)
    assert all(isinstance(a, SerialAdapter) and a.device for a in found)
    assert len({a.device for a in found}) == len(found)
    assert adapters.KNOWN_CHIPS[(0x10C4, 0xEA60)] == "Silicon Labs CP210x"
