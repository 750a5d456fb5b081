"""Archive pipeline using the project decorators."""
from __future__ import annotations

import zlib

from .decorators import logged, retry, to_async


@to_async
def compress(data: bytes) -> bytes:
    return zlib.compress(data)


@logged
async def upload(name: str, data: bytes) -> None:
    del name, data


@logged
def checksum(data: bytes) -> int:
    return zlib.crc32(data)


@retry(times=5)
async def download(name: str) -> bytes:
    return name.encode()


@logged
@to_async
def decompress(data: bytes) -> bytes:
    return zlib.decompress(data)


def archive(name: str, data: bytes) -> None:
    compress(data)  # expect: LSC301
    upload(name, data)  # expect: LSC301
    checksum(data)
    download(name)  # expect: LSC301
    decompress(data)  # expect: LSC301


class Uploader:
    def __init__(self, bucket: str) -> None:
        self.bucket = bucket

    @to_async
    def encode(self, data: bytes) -> bytes:
        return zlib.compress(data)

    @logged
    async def push(self, name: str, data: bytes) -> None:
        del name, data

    @logged
    def key_for(self, name: str) -> str:
        return f"{self.bucket}/{name}"

    def push_all(self, items: dict[str, bytes]) -> None:
        for name, data in items.items():
            self.encode(data)  # expect: LSC301
            self.push(self.key_for(name), data)  # expect: LSC301
