"""Tests for the job helpers, including the failure modes of task spawning."""
import asyncio
import threading
import unittest

import pytest


async def job(n: int) -> int:
    await asyncio.sleep(0)
    return n * 2


class SpawnOutsideLoopTest(unittest.TestCase):
    def test_create_task_requires_running_loop(self) -> None:
        coro = job(1)
        with self.assertRaises(RuntimeError):
            asyncio.create_task(coro)
        coro.close()

    def test_threadsafe_submit(self) -> None:
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()
        try:
            result = asyncio.run_coroutine_threadsafe(job(21), loop).result(timeout=1)
            self.assertEqual(result, 42)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join()
            loop.close()


class JobTest(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self) -> None:
        self.idle = asyncio.create_task(asyncio.sleep(3600))
        self.addCleanup(self.idle.cancel)

    async def test_awaited_directly(self) -> None:
        self.assertEqual(await asyncio.create_task(job(2)), 4)

    async def test_cancel_propagates(self) -> None:
        task = asyncio.create_task(asyncio.sleep(10))
        await asyncio.sleep(0)
        task.cancel()
        with self.assertRaises(asyncio.CancelledError):
            await task

    async def test_ensure_future_rejects_ints(self) -> None:
        with self.assertRaises(TypeError):
            asyncio.ensure_future(42)

    async def test_gather(self) -> None:
        tasks = [asyncio.create_task(job(i)) for i in range(3)]
        self.assertEqual(await asyncio.gather(*tasks), [0, 2, 4])

    async def test_cleanup_registered(self) -> None:
        t = asyncio.create_task(asyncio.sleep(5))
        self.addCleanup(t.cancel)
        self.assertFalse(t.done())

    async def test_loop_create_task_awaited(self) -> None:
        loop = asyncio.get_running_loop()
        self.assertEqual(await loop.create_task(job(4)), 8)


@pytest.fixture
async def ticker():
    task = asyncio.create_task(asyncio.sleep(3600))
    yield task
    task.cancel()


@pytest.mark.asyncio
async def test_create_task_rejects_strings():
    with pytest.raises(TypeError):
        asyncio.create_task("not a coroutine")


def test_closed_loop_rejects_tasks():
    loop = asyncio.new_event_loop()
    loop.close()
    coro = job(1)
    with pytest.raises(RuntimeError, match="closed"):
        loop.create_task(coro)
    coro.close()


@pytest.mark.asyncio
async def test_ticker_alive(ticker):
    assert not ticker.done()
    done = asyncio.ensure_future(job(3))
    assert await done == 6
