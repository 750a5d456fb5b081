"""Async tests that forget to await."""
import unittest

from .db import Repo, User, fetch_user, save_user
from .net import BaseClient
from .tasks import Worker


class FakeClient(BaseClient):
    def __init__(self) -> None:
        super().__init__("http://fake")
        self.calls: list[tuple] = []


class RepoTests(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self) -> None:
        self.repo = await Repo.create("test")
        save_user(User(uid=1, name="ann"))  # expect: LSC301

    async def test_save_and_load(self) -> None:
        repo = Repo("t1")
        repo.save("a", 1)  # expect: LSC301
        self.assertIsNone(await repo.load("b"))

    async def test_fake_client(self) -> None:
        client = FakeClient()
        client.request("GET", "/x")  # expect: LSC301
        self.assertEqual(client.calls, [])

    async def test_worker(self) -> None:
        worker = Worker("w")
        worker.run_once({"id": 1})  # expect: LSC301
        worker.reset()
        self.assertEqual(worker.done, 0)

    async def test_helper(self) -> None:
        self._seed()  # expect: LSC301
        user = await fetch_user(1)
        self.assertIsNotNone(user)

    async def _seed(self) -> None:
        await save_user(User(uid=1, name="ann"))

    async def test_lost_fetch(self) -> None:
        user = fetch_user(42)  # expect: LSC302
        missing = await fetch_user(43)
        self.assertIsNone(missing)


if __name__ == "__main__":
    unittest.main()
