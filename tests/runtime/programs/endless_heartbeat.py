"""LSC101: an endless heartbeat started by main(); a task group would never end.

The fixed program must still end (no hang) and print the same.
"""

import asyncio


async def heartbeat(beats):
    while True:
        beats.append(1)
        await asyncio.sleep(0.01)


async def main():
    beats = []
    asyncio.create_task(heartbeat(beats))
    await asyncio.sleep(0.035)
    print("alive", len(beats) > 0)


if __name__ == "__main__":
    asyncio.run(main())
