"""Tests for the data layer: sync tests drive coroutines explicitly."""
import asyncio
import unittest
from unittest import mock

from .db import Repo, User, fetch_user, save_user
from .net import HttpClient


class SyncDriverTests(unittest.TestCase):
    def setUp(self) -> None:
        self.loop = asyncio.new_event_loop()

    def tearDown(self) -> None:
        self.loop.close()

    def test_roundtrip(self) -> None:
        self.loop.run_until_complete(save_user(User(uid=7, name="g")))
        user = self.loop.run_until_complete(fetch_user(7))
        self.assertEqual(user.name, "g")

    def test_asyncio_run(self) -> None:
        asyncio.run(Repo.migrate(1))
        repo = asyncio.run(Repo.create("t"))
        repo.close()

    def test_mock_client(self) -> None:
        client = mock.MagicMock()
        client.send({"a": 1})
        client.close()
        client.send.assert_called_once()


class AsyncTests(unittest.IsolatedAsyncioTestCase):
    async def test_client(self) -> None:
        client = HttpClient("http://x")
        result = await client.get("/a")
        self.assertEqual(result["method"], "GET")
        await client.close()

    async def test_repo(self) -> None:
        repo = Repo("t")
        await repo.save("a", 1)
        self.assertEqual(await repo.load("a"), 1)
        repo.close()

    async def test_timeout(self) -> None:
        with self.assertRaises(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.sleep(1), timeout=0.01)

    async def test_lock_and_queue(self) -> None:
        lock = asyncio.Lock()
        queue: asyncio.Queue[int] = asyncio.Queue()
        async with lock:
            queue.put_nowait(1)
            await queue.put(2)
        self.assertEqual(await queue.get(), 1)
        queue.task_done()

    async def test_patched_fetch(self) -> None:
        fake = mock.AsyncMock(return_value=None)
        with mock.patch("probeapp.db.fetch_user", new=fake):
            from . import db
            self.assertIsNone(await db.fetch_user(1))
        fake.assert_awaited_once_with(1)


if __name__ == "__main__":
    unittest.main()
