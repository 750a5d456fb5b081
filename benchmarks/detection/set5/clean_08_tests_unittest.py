"""Tests for the TTL cache's background reaper (well-behaved version)."""
import asyncio
import unittest
from unittest import mock

from myservice.cache import TTLCache


class TTLCacheTests(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self) -> None:
        self.cache = TTLCache(ttl=0.05)
        self.reaper = asyncio.create_task(self.cache.start_reaper())

    async def asyncTearDown(self) -> None:
        self.reaper.cancel()
        try:
            await self.reaper
        except asyncio.CancelledError:
            pass

    async def test_concurrent(self) -> None:
        a, b = await asyncio.gather(self.cache.set("a", 1), self.cache.get("a"), return_exceptions=True)
        self.assertNotIsInstance(a, Exception)
        self.assertIn(b, (None, 1))

    async def test_cancel_reader(self) -> None:
        reader = asyncio.create_task(self.cache.wait_for("missing"))
        await asyncio.sleep(0.01)
        reader.cancel()
        with self.assertRaises(asyncio.CancelledError):
            await reader

    async def test_callback_spawn(self) -> None:
        loop = asyncio.get_running_loop()
        spawned: list[asyncio.Future] = []
        loop.call_soon(lambda: spawned.append(asyncio.ensure_future(self.cache.set("x", 1))))
        await asyncio.sleep(0)
        await spawned[0]
        self.assertEqual(await self.cache.get("x"), 1)

    async def test_timeout(self) -> None:
        with self.assertRaises(TimeoutError):
            async with asyncio.timeout(0.01):
                await self.cache.wait_for("nope")

    @mock.patch("myservice.cache.asyncio.create_task")
    async def test_schedule_reap_uses_create_task(self, create_task: mock.Mock) -> None:
        self.cache.schedule_reap()
        create_task.assert_called_once()

    async def test_waiter_result(self) -> None:
        waiter = asyncio.ensure_future(self.cache.wait_for("k"))
        await self.cache.set("k", 42)
        self.assertEqual(await asyncio.wait_for(waiter, 1), 42)


class SyncHelpersTests(unittest.TestCase):
    def test_run_until_complete(self) -> None:
        loop = asyncio.new_event_loop()
        try:
            cache = TTLCache(ttl=1)
            task = loop.create_task(cache.set("k", 1))
            loop.run_until_complete(task)
            self.assertTrue(task.done())
        finally:
            loop.close()


if __name__ == "__main__":
    unittest.main()
