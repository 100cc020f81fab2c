"""Zeroconf discovery, pinned to 127.0.0.1: two workstations of one center find each
other; a workstation of another center is not reported."""

from __future__ import annotations

import asyncio

import pytest

from app.sync.discovery import INTERFACES_ENV, Discovery

CENTER = "01a24600-0000-7000-8000-000000000001"
OTHER = "01a24600-0000-7000-8000-000000000002"


async def _discover(seconds: float) -> dict[str, list[tuple[str, int]]]:
    found: dict[str, list[tuple[str, int]]] = {"studio-1": [], "studio-2": [], "altro": []}
    said: list[str] = []
    nodes = [Discovery(CENTER, "studio-1", found["studio-1"].append, say=said.append),
             Discovery(CENTER, "studio-2", found["studio-2"].append, say=said.append),
             Discovery(OTHER, "altro", found["altro"].append, say=said.append)]
    for port, node in zip((47911, 47912, 47913), nodes, strict=True):
        node.start(port)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline and not (found["studio-1"] and found["studio-2"]):
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)  # time for a wrong report, if any
    for node in nodes:
        await node.close()
    if any("unavailable" in line for line in said):
        pytest.skip(f"no multicast on loopback here: {said}")
    return found


def test_workstations_of_one_center_find_each_other_on_loopback(monkeypatch):
    monkeypatch.setenv(INTERFACES_ENV, "127.0.0.1")
    found = asyncio.run(_discover(15.0))
    assert found["studio-1"] == [("127.0.0.1", 47912)]
    assert found["studio-2"] == [("127.0.0.1", 47911)]
    assert found["altro"] == []  # another center's workstations are not its peers
