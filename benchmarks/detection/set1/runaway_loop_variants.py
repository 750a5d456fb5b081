"""Modbus device poller that schedules work on various event-loop handles."""
import asyncio
import logging
from asyncio import AbstractEventLoop

log = logging.getLogger("poller")


async def poll_device(addr: str) -> bytes:
    reader, writer = await asyncio.open_connection(addr, 502)
    writer.write(b"\x00\x01")
    data = await reader.read(64)
    writer.close()
    await writer.wait_closed()
    return data


class Poller:
    def __init__(self, devices: list[str], loop: AbstractEventLoop | None = None):
        self.devices = devices
        self._loop = loop or asyncio.get_event_loop()
        self.readings: dict[str, bytes] = {}

    async def _poll_one(self, addr: str) -> None:
        try:
            self.readings[addr] = await poll_device(addr)
        except OSError as exc:
            log.warning("device %s unreachable: %s", addr, exc)

    def kick(self) -> None:
        for addr in self.devices:
            self._loop.create_task(self._poll_one(addr))  # expect: LSC101

    async def kick_async(self) -> None:
        loop = asyncio.get_running_loop()
        loop.create_task(self._poll_one(self.devices[0]))  # expect: LSC101
        asyncio.get_running_loop().create_task(self._poll_one(self.devices[-1]))  # expect: LSC101


def schedule_on(ev_loop: AbstractEventLoop, addr: str, poller: Poller) -> None:
    ev_loop.create_task(poller._poll_one(addr))  # expect: LSC101


def schedule_qualified(target: asyncio.AbstractEventLoop, poller: Poller) -> None:
    target.create_task(poller._poll_one(poller.devices[0]))  # expect: LSC101


def schedule_legacy(loop, poller: Poller) -> None:
    loop.create_task(poller._poll_one("10.0.0.1"))  # expect: LSC101


def bootstrap(devices: list[str]) -> Poller:
    ev = asyncio.new_event_loop()
    poller = Poller(devices, loop=ev)
    ev.create_task(poller._poll_one(devices[0]))  # expect: LSC101
    return poller
