"""LSC101: tasks wait for an event the caller sets after subscribe() returns, filling the list it returns."""

import asyncio


async def fetch_when_ready(ready, results, feed):
    await ready.wait()
    await asyncio.sleep(0.5 if feed == "archive" else 0.001)
    results.append(feed)


async def subscribe(ready, feeds):
    results = []
    for feed in feeds:
        asyncio.create_task(fetch_when_ready(ready, results, feed))
    print("subscribed to", len(feeds), "feeds, have", len(results))
    return results


async def main():
    ready = asyncio.Event()
    results = await subscribe(ready, ["news", "sport", "archive"])
    print("before ready", results)
    ready.set()
    await asyncio.sleep(0.05)
    print("after ready", sorted(results))


if __name__ == "__main__":
    asyncio.run(main())
