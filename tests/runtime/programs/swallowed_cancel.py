"""LSC401: a worker swallows CancelledError in a while True loop and keeps going.

main() cancels it, waits a little, and returns while it is still running.
(It gives up by itself after 10 ticks, so asyncio.run's shutdown ends.)
"""

import asyncio


async def heartbeat(beats):
    while True:
        try:
            await asyncio.sleep(0.01)
            beats.append(1)
            if len(beats) >= 10:
                return
        except asyncio.CancelledError:
            pass


async def main():
    beats = []
    task = asyncio.create_task(heartbeat(beats))
    await asyncio.sleep(0.015)
    task.cancel()
    await asyncio.sleep(0.01)
    print("stopped the heartbeat")


if __name__ == "__main__":
    asyncio.run(main())
