"""Project decorators."""
import asyncio
import functools
import inspect
import logging
import threading
import time

log = logging.getLogger(__name__)


def retry(fn):
    """Retry an async function up to three times (returns an async wrapper)."""

    @functools.wraps(fn)
    async def wrapper(*args, **kwargs):
        for attempt in range(3):
            try:
                return await fn(*args, **kwargs)
            except ConnectionError:
                log.warning("attempt %d of %s failed", attempt + 1, fn.__name__)
                await asyncio.sleep(0.1 * (attempt + 1))
        return await fn(*args, **kwargs)

    return wrapper


def work(fn):
    """Run the decorated function in a background thread; returns the Thread."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if inspect.iscoroutinefunction(fn):
            def target():
                asyncio.run(fn(*args, **kwargs))
        else:
            def target():
                fn(*args, **kwargs)
        thread = threading.Thread(target=target, name=fn.__name__, daemon=True)
        thread.start()
        return thread

    return wrapper


def timed(fn):
    """Log call duration; sync functions stay sync, async functions stay async."""
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return await fn(*args, **kwargs)
            finally:
                log.debug("%s took %.3fs", fn.__name__, time.perf_counter() - start)

        return async_wrapper

    @functools.wraps(fn)
    def sync_wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            log.debug("%s took %.3fs", fn.__name__, time.perf_counter() - start)

    return sync_wrapper
