"""LSC101: loop.create_task(coro) on the running loop, result discarded."""

import asyncio


async def flush(buffer, sink):
    batch = list(buffer)
    await asyncio.sleep(0.03)  # stands in for the write
    sink.extend(batch)


async def main():
    sink = []
    loop = asyncio.get_running_loop()
    loop.create_task(flush(["x", "y"], sink))
    print("flush scheduled")


if __name__ == "__main__":
    asyncio.run(main())
