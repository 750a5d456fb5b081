"""LSC101: a server-like for loop that spawns one task per request and drops it."""

import asyncio


async def process(request, finished):
    reply = request.upper()
    await asyncio.sleep(0.02)  # stands in for the slow part of the work
    finished.add(reply)


async def serve(requests):
    finished = set()
    for request in requests:
        asyncio.create_task(process(request, finished))
        print("accepted", request)
    print("served", len(requests))


async def main():
    await serve(["r1", "r2", "r3"])


if __name__ == "__main__":
    asyncio.run(main())
