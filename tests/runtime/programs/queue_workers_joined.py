"""LSC101: endless consumers of a queue the function made; it waits for queue.join() and never stops them."""

import asyncio


async def consume(queue, results):
    while True:
        job = await queue.get()
        await asyncio.sleep(0.001)
        results.append(job * job)
        queue.task_done()


async def run_jobs(jobs):
    queue = asyncio.Queue()
    results = []
    for _ in range(3):
        asyncio.create_task(consume(queue, results))
    for job in jobs:
        queue.put_nowait(job)
    await queue.join()
    return sorted(results)


async def main():
    print("first", await run_jobs([1, 2, 3]))
    print("second", await run_jobs([4]))


if __name__ == "__main__":
    asyncio.run(main())
