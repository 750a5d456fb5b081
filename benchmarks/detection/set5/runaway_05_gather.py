#!/usr/bin/env python3
"""Nightly report generation.  Run as: reports.py 2024-01-01 2024-01-02"""
import asyncio
import logging
import shutil
import sys
from asyncio import gather as run_all

log = logging.getLogger("reports")


async def build_sales(day: str) -> list[dict]:
    await asyncio.sleep(0)
    return [{"day": day, "total": 0}]


async def build_refunds(day: str) -> list[dict]:
    await asyncio.sleep(0)
    return []


async def check_totals(day: str) -> bool:
    return True


async def check_currency(day: str) -> bool:
    return True


async def remove_tree(path: str) -> None:
    await asyncio.to_thread(shutil.rmtree, path, True)


async def build_report(day: str) -> dict:
    sales, refunds = await asyncio.gather(  # expect: LSC204
        build_sales(day),
        build_refunds(day),
    )
    return {"day": day, "sales": sales, "refunds": refunds}


async def build_all(days: list[str]) -> list[dict]:
    # return_exceptions=True would hide failures here; we want them loud.
    return await run_all(*(build_report(d) for d in days))  # expect: LSC204


async def upload(reports: list[dict], bucket) -> None:
    await asyncio.gather(*[bucket.put(r["day"], r) for r in reports], return_exceptions=True)  # expect: LSC202


async def notify(channels) -> None:
    _ = await asyncio.gather(  # expect: LSC202
        *(c.send("reports ready") for c in channels),
        return_exceptions=True,
    )


async def cleanup(tmpdirs: list[str]) -> None:
    outcomes = await asyncio.gather(*map(remove_tree, tmpdirs), return_exceptions=True)  # expect: LSC202
    log.info("cleanup of %d dirs finished", len(tmpdirs))


async def verify(day: str, parallel: bool = True) -> bool:
    checks = await (
        asyncio.gather(check_totals(day), check_currency(day), return_exceptions=False)  # expect: LSC204
        if parallel
        else _sequential(day)
    )
    return all(checks)


async def _sequential(day: str) -> list[bool]:
    return [await check_totals(day), await check_currency(day)]


def main(argv: list[str]) -> int:
    loop = asyncio.new_event_loop()
    try:
        reports = loop.run_until_complete(build_all(argv[1:]))
        log.info("built %d reports", len(reports))
        return 0
    finally:
        loop.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
