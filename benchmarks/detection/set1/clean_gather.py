"""Dashboard report builder running queries concurrently."""
import asyncio
from asyncio import FIRST_COMPLETED, create_task, wait


async def count_users(pool) -> int:
    return await pool.fetchval("SELECT count(*) FROM users")


async def revenue(pool, days: int) -> float:
    return await pool.fetchval("SELECT sum(amount) FROM orders WHERE age < $1", days)


async def top_products(pool, n: int = 5):
    return await pool.fetch("SELECT name FROM products ORDER BY sales DESC LIMIT $1", n)


async def build_report(pool) -> dict:
    users = asyncio.create_task(count_users(pool))
    rev7 = asyncio.create_task(revenue(pool, 7))
    rev30 = asyncio.create_task(revenue(pool, 30))
    u, r7, r30 = await asyncio.gather(users, rev7, rev30)
    return {"users": u, "rev7": r7, "rev30": r30}


async def fastest_replica(replicas: list) -> object:
    probes = {create_task(r.fetchval("SELECT 1")): r for r in replicas}
    done, pending = await wait(probes, return_when=FIRST_COMPLETED)
    for p in pending:
        p.cancel()
    return probes[done.pop()]


async def top_with_timeout(pool) -> list:
    t = create_task(top_products(pool))
    done, _ = await asyncio.wait({t}, timeout=2.0)
    if t in done:
        return t.result()
    t.cancel()
    return []


async def debug_dump(pool) -> None:
    t = asyncio.ensure_future(count_users(pool))
    print("scheduled", t)
    print("result", await asyncio.wait_for(t, timeout=1))


async def shielded_revenue(pool) -> float:
    inner = asyncio.create_task(revenue(pool, 1))
    return await asyncio.shield(inner)


def track(task: asyncio.Task, registry: set) -> None:
    registry.add(task)
    task.add_done_callback(registry.discard)


async def background_count(pool, registry: set) -> None:
    t = asyncio.create_task(count_users(pool))
    track(t, registry)
