"""LSC102: a worker waits for an event that the caller sets only later.

A task group around the spawn would wait for the worker before the caller
could set the event: the program would hang. The fix must keep it running.
"""

import asyncio


async def worker(ready, out):
    await ready.wait()
    await asyncio.sleep(0.05)  # stands in for the work
    out.append("went")


async def start(ready, out):
    task = asyncio.create_task(worker(ready, out))
    print("worker started")


async def main():
    ready, out = asyncio.Event(), []
    await start(ready, out)
    ready.set()
    await asyncio.sleep(0.01)
    print(out)


if __name__ == "__main__":
    asyncio.run(main())
