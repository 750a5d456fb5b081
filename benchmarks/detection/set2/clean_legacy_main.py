"""Legacy CLI entry point with explicit loop management (pre-asyncio.run style)."""
import asyncio
import concurrent.futures
import signal
import sys

_server_task = None
_stopper = None


async def serve(port: int) -> None:
    server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", port)
    async with server:
        await server.serve_forever()


async def warm_cache() -> int:
    await asyncio.sleep(0.01)
    return 128


async def fetch(url: str) -> str:
    await asyncio.sleep(0.01)
    return url


def run_batch(urls: list[str]) -> list[str]:
    loop = asyncio.new_event_loop()
    try:
        tasks = [loop.create_task(fetch(u)) for u in urls]
        return loop.run_until_complete(asyncio.gather(*tasks))
    finally:
        loop.close()


def call_from_thread(loop: asyncio.AbstractEventLoop, url: str, timeout: float) -> str:
    fut = asyncio.run_coroutine_threadsafe(fetch(url), loop)
    try:
        return fut.result(timeout)
    except concurrent.futures.TimeoutError:
        fut.cancel()
        raise


def main(argv: list[str]) -> int:
    global _server_task, _stopper
    port = int(argv[1]) if len(argv) > 1 else 9000
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    size = loop.run_until_complete(loop.create_task(warm_cache()))
    print(f"cache warmed with {size} entries")
    _server_task = loop.create_task(serve(port))
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: _server_task.cancel())
    _stopper = loop.call_later(3600, _server_task.cancel)
    try:
        loop.run_until_complete(_server_task)
    except asyncio.CancelledError:
        pass
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
    return 0


def main_oneshot() -> int:
    loop = asyncio.new_event_loop()
    task = loop.create_task(warm_cache())
    loop.call_later(5, task.cancel)
    try:
        return loop.run_until_complete(task)
    finally:
        loop.close()


if __name__ == "__main__":
    boot_loop = asyncio.new_event_loop()
    boot_task = boot_loop.create_task(warm_cache())
    sys.exit(main(sys.argv))
