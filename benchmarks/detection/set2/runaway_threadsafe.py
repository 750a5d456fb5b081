"""Bridge between blocking worker threads and an asyncio loop in a daemon thread."""
import asyncio
import concurrent.futures
import logging
import queue
import threading

log = logging.getLogger(__name__)


class LoopThread:
    """Runs an event loop in a daemon thread so sync code can submit coroutines."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._started = threading.Event()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.call_soon(self._started.set)
        self._loop.run_forever()

    def start(self) -> None:
        self._thread.start()
        self._started.wait()

    def submit(self, coro) -> concurrent.futures.Future:
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    def fire_and_forget(self, coro) -> None:
        asyncio.run_coroutine_threadsafe(coro, self._loop)  # expect: LSC101

    def notify(self, coro) -> None:
        asyncio.run_coroutine_threadsafe(coro, self._loop).add_done_callback(  # expect: LSC101
            lambda f: f.exception() and log.error("notify failed: %r", f.exception())
        )

    def schedule_from_thread(self, coro) -> None:
        self._loop.call_soon_threadsafe(lambda: self._loop.create_task(coro))  # expect: LSC101

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()


async def process(item: str) -> str:
    await asyncio.sleep(0)
    return item.upper()


def pump(q: "queue.Queue[str]", bridge: LoopThread) -> list[str]:
    results = []
    while True:
        try:
            item = q.get(timeout=1)
        except queue.Empty:
            break
        if item.startswith("#"):
            bridge.fire_and_forget(process(item))
            continue
        results.append(bridge.submit(process(item)).result())
    return results


def main() -> None:
    bridge = LoopThread()
    bridge.start()
    q: "queue.Queue[str]" = queue.Queue()
    for word in ("alpha", "#beta", "gamma"):
        q.put(word)
    try:
        print(pump(q, bridge))
    finally:
        bridge.stop()


if __name__ == "__main__":
    main()
