"""Project decorators."""
from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import threading

log = logging.getLogger(__name__)


def to_async(fn):
    """Run a blocking function in a thread; the result is a coroutine function."""

    @functools.wraps(fn)
    async def wrapper(*args, **kwargs):
        return await asyncio.to_thread(fn, *args, **kwargs)

    return wrapper


def in_thread(fn):
    """Fire-and-forget: runs the (async) function in its own thread and loop."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        thread = threading.Thread(target=lambda: asyncio.run(fn(*args, **kwargs)), daemon=True)
        thread.start()
        return thread

    return wrapper


def logged(fn):
    """Keeps the kind: async wrapper for coroutine functions, sync otherwise."""
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(*args, **kwargs):
            log.debug("calling %s", fn.__name__)
            return await fn(*args, **kwargs)

        return async_wrapper

    @functools.wraps(fn)
    def sync_wrapper(*args, **kwargs):
        log.debug("calling %s", fn.__name__)
        return fn(*args, **kwargs)

    return sync_wrapper


def retry(times: int = 3):
    """Decorator factory; the produced wrapper is an async def."""

    def decorator(fn):
        @functools.wraps(fn)
        async def wrapper(*args, **kwargs):
            for attempt in range(times):
                try:
                    return await fn(*args, **kwargs)
                except OSError:
                    await asyncio.sleep(0.1 * attempt)
            raise RuntimeError(f"{fn.__name__} failed after {times} attempts")

        return wrapper

    return decorator
