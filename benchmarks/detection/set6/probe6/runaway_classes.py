"""User service built on the repository classes."""
from __future__ import annotations

from .db import BaseRepo, Database, Repo, fetch_user


class AuditRepo(Repo):
    """Inherits async save/delete from BaseRepo (generic base) via Repo."""

    # Class-body binding: NOT visible as a bare name inside the methods below.
    fetch_user = staticmethod(lambda uid: {"id": uid})

    def record(self, item: dict) -> None:
        self.save(item)  # expect: LSC301
        self.load(item["key"])  # expect: LSC301
        self.describe()

    def purge(self, item: dict) -> None:
        super().delete(item)  # expect: LSC301

    def lookup(self, uid: int) -> None:
        # bare name resolves to the module-level async import, not the class attribute
        fetch_user(uid)  # expect: LSC301
        self.fetch_user(uid)

    @classmethod
    def bootstrap(cls, dsn: str) -> None:
        cls.warm(dsn)  # expect: LSC301

    @classmethod
    async def warm(cls, dsn: str) -> None:
        await Database.ping(dsn)

    def schedule_refresh(self) -> None:
        def later() -> None:
            self.save({"key": "later"})  # expect: LSC301

        later()


class TagRepo(BaseRepo[str]):
    @staticmethod
    async def normalize(tag: str) -> str:
        return tag.lower()

    def tidy(self, tags: list[str]) -> None:
        for tag in tags:
            self.normalize(tag)  # expect: LSC301
            TagRepo.normalize(tag)  # expect: LSC301


def open_database(dsn: str) -> None:
    Database.connect(dsn)  # expect: LSC301
    Database.ping(dsn)  # expect: LSC301


def store_user(user: dict) -> None:
    repo = Repo()
    repo.save(user)  # expect: LSC301
    repo.describe()
    audit = AuditRepo()
    audit.delete(user)  # expect: LSC301
    Repo.save(repo, user)  # expect: LSC301


async def run_queries(dsn: str) -> int:
    db = Database(dsn)
    db.execute("DELETE FROM sessions")  # expect: LSC301
    db.fetch_many("SELECT 1")  # expect: LSC301
    count = db.row_count
    db.close()
    return count
