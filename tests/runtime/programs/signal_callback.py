"""LSC101: a loop callback (like a signal handler) starts a task and drops it.

Sync code cannot wait; the fix keeps a reference instead.
"""

import asyncio


async def shutdown(events):
    await asyncio.sleep(0.01)
    events.append("shutdown done")


def on_signal(events):
    asyncio.get_running_loop().create_task(shutdown(events))
    events.append("signal")


async def main():
    events = []
    asyncio.get_running_loop().call_soon(on_signal, events)
    await asyncio.sleep(0)
    print(events)


if __name__ == "__main__":
    asyncio.run(main())
