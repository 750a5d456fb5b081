"""LSC101: loop.create_task(coro) on the running loop, result discarded."""

import asyncio


async def flush(buffer, sink):
    await asyncio.sleep(0.03)
    sink.extend(buffer)


async def main():
    sink = []
    loop = asyncio.get_running_loop()
    loop.create_task(flush(["x", "y"], sink))
    print("flush scheduled")


if __name__ == "__main__":
    asyncio.run(main())
