"""Finding the center's workstations on the LAN: zeroconf ``_medirete._tcp``.

Each workstation announces its sync port with its center id and name; a workstation of
the same center found this way is connected to like an address given by hand. The
announcement says nothing secret: whoever connects must still present a certificate of
the center's CA. Networks that block multicast use ``--peer`` addresses instead.
``MEDIRETE_ZEROCONF_INTERFACES`` (comma-separated addresses) pins the interfaces, as the
tests do with 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import socket
from collections.abc import Callable

from zeroconf import IPVersion, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

log = logging.getLogger(__name__)

SERVICE = "_medirete._tcp.local."
INTERFACES_ENV = "MEDIRETE_ZEROCONF_INTERFACES"


class Discovery:
    """Announce this workstation and report the center's others to ``found``."""

    def __init__(self, center_id: str, workstation: str,
                 found: Callable[[tuple[str, int]], None], *, say: Callable[[str], None],
                 listen_host: str = "0.0.0.0") -> None:  # noqa: S104 - every interface
        self.center_id = center_id
        self.workstation = workstation
        self._found = found
        self._say = say
        self._listen_host = listen_host
        self._zc: AsyncZeroconf | None = None
        self._browser: AsyncServiceBrowser | None = None
        self._info: AsyncServiceInfo | None = None
        self._registered = False
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, port: int) -> None:
        """Begin announcing ``port`` and browsing (call from the running loop)."""
        task = asyncio.ensure_future(self._start(port))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _start(self, port: int) -> None:
        pinned = [a.strip() for a in os.environ.get(INTERFACES_ENV, "").split(",") if a.strip()]
        try:
            self._zc = (AsyncZeroconf(interfaces=list(pinned), ip_version=IPVersion.V4Only)
                        if pinned else AsyncZeroconf(ip_version=IPVersion.V4Only))
            addresses = pinned or _addresses(self._listen_host)
            name = f"{self.workstation}-{self.center_id[:8]}.{SERVICE}"
            self._info = AsyncServiceInfo(
                SERVICE, name, port=port,
                properties={"center": self.center_id, "workstation": self.workstation},
                addresses=[socket.inet_aton(a) for a in addresses])
            await self._zc.async_register_service(self._info)
            self._registered = True
            self._browser = AsyncServiceBrowser(self._zc.zeroconf, SERVICE,
                                                handlers=[self._changed])
            self._say("discovery on (zeroconf " + SERVICE.rstrip(".") + ")")
        except (OSError, ValueError) as error:
            self._say(f"discovery unavailable here ({error}): use --peer addresses")

    def _changed(self, zeroconf: Zeroconf, service_type: str, name: str,
                 state_change: ServiceStateChange) -> None:
        if state_change is ServiceStateChange.Added:
            task = asyncio.ensure_future(self._resolve(zeroconf, service_type, name))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _resolve(self, zeroconf: Zeroconf, service_type: str, name: str) -> None:
        info = AsyncServiceInfo(service_type, name)
        if not await info.async_request(zeroconf, 3000):
            return
        props = {k.decode(): (v or b"").decode() for k, v in info.properties.items()}
        if props.get("center") != self.center_id or props.get("workstation") == self.workstation:
            return
        for address in info.parsed_addresses(IPVersion.V4Only):
            if info.port:
                self._say(f"found {props.get('workstation')} at {address}:{info.port}")
                self._found((address, info.port))
                return

    async def close(self) -> None:
        """Stop announcing (the others hear this workstation leave) and browsing; the
        tasks still starting or resolving are cancelled and awaited, so that nothing is
        left for ``asyncio.run`` to cancel."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._browser is not None:
            await self._browser.async_cancel()
        if self._zc is not None:
            if self._info is not None and self._registered:
                await self._zc.async_unregister_service(self._info)
            await self._zc.async_close()


def _addresses(listen_host: str) -> list[str]:
    """The IPv4 addresses to announce: the one listened on, or every non-loopback one."""
    try:
        if not ipaddress.ip_address(listen_host).is_unspecified:
            return [listen_host]
    except ValueError:
        return [socket.gethostbyname(listen_host)]
    import ifaddr

    found = [str(ip.ip) for adapter in ifaddr.get_adapters() for ip in adapter.ips
             if isinstance(ip.ip, str) and not ip.ip.startswith("127.")]
    return found or ["127.0.0.1"]
