"""Tests for the TTL cache's background reaper."""
import asyncio
import unittest
from unittest import mock

from myservice.cache import TTLCache


class TTLCacheTests(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self) -> None:
        self.cache = TTLCache(ttl=0.05)
        self.loop = asyncio.get_running_loop()
        self.loop.create_task(self.cache.start_reaper())  # expect: LSC101

    async def asyncTearDown(self) -> None:
        await self.cache.stop()

    async def test_expiry(self) -> None:
        await self.cache.set("k", 1)
        await asyncio.sleep(0.1)
        self.assertIsNone(await self.cache.get("k"))

    async def test_concurrent_sets(self) -> None:
        a, b = await asyncio.gather(self.cache.set("a", 1), self.cache.set("b", 2))  # expect: LSC204
        self.assertIsNone(a)
        self.assertIsNone(b)

    async def test_reader_blocks(self) -> None:
        reader = asyncio.create_task(self.cache.wait_for("missing"))  # expect: LSC102
        await asyncio.sleep(0.01)
        self.assertEqual(len(self.cache), 0)

    async def test_subclass_hook(self) -> None:
        evicted: list[str] = []

        class Recording(TTLCache):
            async def on_evict(self, key: str) -> None:
                evicted.append(key)
                asyncio.ensure_future(super().on_evict(key))  # expect: LSC101

        cache = Recording(ttl=0.01)
        await cache.set("x", 1)
        await asyncio.sleep(0.05)
        self.assertEqual(evicted, ["x"])

    async def test_backend_timeout(self) -> None:
        backend = mock.AsyncMock()
        backend.load.side_effect = asyncio.TimeoutError
        cache = TTLCache(ttl=1, backend=backend)
        try:
            await cache.get_or_load("k")
        except (asyncio.TimeoutError, asyncio.CancelledError):  # expect: LSC401
            pass
        backend.load.assert_awaited_once_with("k")

    @mock.patch("myservice.cache.time.monotonic", return_value=0.0)
    async def test_frozen_clock(self, _clock) -> None:
        await self.cache.set("k", 1)
        self.assertEqual(await self.cache.get("k"), 1)


if __name__ == "__main__":
    unittest.main()
