"""Resource hierarchy with a diamond.

    Resource:  async flush, sync refresh, async close
    Readable(Resource):  adds read
    Writable(Resource):  SYNC flush override, ASYNC refresh override
    Stream(Readable, Writable):  MRO Stream, Readable, Writable, Resource
    Closer(Resource):  SYNC close override
    Handle(Closer)
"""
from __future__ import annotations

import asyncio


class Resource:
    async def flush(self) -> None:
        await asyncio.sleep(0)

    def refresh(self) -> None:
        self._fresh = True

    async def close(self) -> None:
        await asyncio.sleep(0)


class Readable(Resource):
    def read(self) -> bytes:
        return b""


class Writable(Resource):
    def flush(self) -> None:
        self._buffer = b""

    async def refresh(self) -> None:
        await asyncio.sleep(0)


class Stream(Readable, Writable):
    pass


class Closer(Resource):
    def close(self) -> None:
        self._closed = True


class Handle(Closer):
    pass
