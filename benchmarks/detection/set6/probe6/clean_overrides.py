"""Subclasses that override async methods with sync ones."""
from __future__ import annotations

from .db import Database, Repo
from .models import Closer, Handle, Readable, Stream, Writable


class FakeDatabase(Database):
    def execute(self, query: str, *params: object) -> int:
        return len(query)

    @classmethod
    def connect(cls, dsn: str) -> "FakeDatabase":
        return cls(dsn)

    @staticmethod
    def ping(host: str) -> bool:
        return True

    def warm(self) -> None:
        self.execute("SELECT 1")
        self.connect("mem://")
        FakeDatabase.ping("h")
        self.close()


class MemoryRepo(Repo):
    def __init__(self) -> None:
        self._loader = dict

    def save(self, item: dict) -> None:
        self.last = item

    @property
    def load(self):
        return self._loader

    def sync_all(self, items: list[dict]) -> None:
        for item in items:
            self.save(item)
        self.load(key="k")


class Pipe(Stream):
    def settle(self) -> None:
        self.flush()


class Socket(Handle):
    def shutdown(self) -> None:
        super().close()
        self.refresh()


class Tube(Readable, Writable):
    def settle(self) -> None:
        super().flush()


def exercise() -> None:
    db = FakeDatabase("mem://")
    db.execute("x")
    FakeDatabase.connect("mem://")
    db.ping("h")
    repo = MemoryRepo()
    repo.save({})
    stream = Stream()
    stream.flush()
    Writable.flush(stream)
    Readable.refresh(stream)
    handle = Handle()
    handle.close()
    Closer.close(handle)
    Handle.close(handle)
