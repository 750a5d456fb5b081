"""Stream plumbing built on the diamond-shaped hierarchy in probe6.models."""
from __future__ import annotations

import logging

from .models import Closer, Handle, Readable, Resource, Stream, Writable

log = logging.getLogger(__name__)


class Duplex(Writable, Readable):
    """MRO: Duplex, Writable, Readable, Resource."""

    def reset(self) -> None:
        # Writable.refresh is async (overrides the sync Resource.refresh)
        self.refresh()  # expect: LSC301
        # Writable.flush is sync
        self.flush()
        # only Resource defines close: async
        self.close()  # expect: LSC301


class LoggedStream(Stream):
    """MRO: LoggedStream, Stream, Readable, Writable, Resource.

    A depth-first walk (Readable -> Resource) would pick the wrong methods."""

    def checkpoint(self) -> None:
        self.flush()
        self.refresh()  # expect: LSC301
        log.info("checkpoint written")


class Pipe(Readable):
    def tick(self) -> None:
        self.refresh()
        self.flush()  # expect: LSC301


class Socket(Handle):
    def shutdown(self) -> None:
        super().close()
        self.close()
        self.flush()  # expect: LSC301


def rotate(path: str) -> None:
    log.info("rotating %s", path)
    stream = Stream()
    stream.refresh()  # expect: LSC301
    stream.flush()
    stream.close()  # expect: LSC301
    handle = Handle()
    handle.close()
    Resource.close(handle)  # expect: LSC301
    Closer.close(handle)
    Writable.refresh(stream)  # expect: LSC301
    Readable.refresh(stream)
    Stream.flush(stream)
    Stream.refresh(stream)  # expect: LSC301
