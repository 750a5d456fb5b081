"""LSC101: a fire-and-forget task that fails, in a module whose logger is named `log`.

The kept task's failure must reach `log` through the fix's helper (whose own
parameters must not hide the module's logger).
"""

import asyncio
import logging

log = logging.getLogger("orders")


async def send_receipt(order):
    await asyncio.sleep(0)
    raise ConnectionError(f"mail server down for {order}")


async def place_order(order):
    asyncio.create_task(send_receipt(order))
    return f"placed {order}"


async def main():
    print(await place_order("o-1"))
    await asyncio.sleep(0.05)
    print("done")


if __name__ == "__main__":
    asyncio.run(main())
