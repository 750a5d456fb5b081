"""LSC203: each receive races one stop task made before the loop; when stop wins, the last receive is left pending."""

import asyncio


async def serve(inbox, stop):
    handled = []
    stop_task = asyncio.create_task(stop.wait())
    while True:
        recv_task = asyncio.create_task(inbox.get())
        done, pending = await asyncio.wait({recv_task, stop_task}, return_when=asyncio.FIRST_COMPLETED)
        if stop_task in done:
            break
        handled.append(recv_task.result())
    return handled


async def main():
    inbox, stop = asyncio.Queue(), asyncio.Event()
    for message in ["m1", "m2"]:
        inbox.put_nowait(message)
    server = asyncio.create_task(serve(inbox, stop))
    await asyncio.sleep(0.01)
    stop.set()
    print("handled", await server)


if __name__ == "__main__":
    asyncio.run(main())
