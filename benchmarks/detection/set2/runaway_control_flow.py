"""Job runner with cancellation, retries, and progress reporting."""
from __future__ import annotations

import asyncio
import enum
import logging

log = logging.getLogger(__name__)


class Mode(enum.Enum):
    FAST = "fast"
    SAFE = "safe"
    DRY = "dry"


async def report_progress(job_id: str) -> None:
    while True:
        await asyncio.sleep(1)
        log.info("job %s still running", job_id)


async def execute(job_id: str, payload: dict) -> dict:
    await asyncio.sleep(0.1)
    return {"id": job_id, **payload}


async def run_job(job_id: str, payload: dict, mode: Mode) -> dict | None:
    progress = asyncio.create_task(report_progress(job_id))  # expect: LSC102
    match mode:
        case Mode.DRY:
            log.info("dry run for %s", job_id)
            return None
        case Mode.FAST:
            result = await execute(job_id, payload)
        case Mode.SAFE:
            try:
                result = await asyncio.wait_for(execute(job_id, payload), 30)
            except asyncio.TimeoutError:
                progress.cancel()
                return None
    progress.cancel()
    return result


async def run_with_retries(job_id: str, payload: dict, attempts: int = 3) -> dict:
    last_exc: Exception | None = None
    for attempt in range(attempts):
        watchdog = asyncio.create_task(report_progress(f"{job_id}#{attempt}"))  # expect: LSC102
        try:
            return await execute(job_id, payload)
        except ConnectionError as exc:
            last_exc = exc
            continue
        finally:
            if attempt == attempts - 1:
                watchdog.cancel()
    raise RuntimeError("retries exhausted") from last_exc


async def stream_results(job_ids: list[str]):
    for job_id in job_ids:
        ticker = asyncio.create_task(report_progress(job_id))  # expect: LSC102
        try:
            result = await execute(job_id, {})
        except Exception:
            log.exception("job %s failed", job_id)
            break
        ticker.cancel()
        yield result


async def guarded(job_id: str) -> dict | None:
    beat = asyncio.create_task(report_progress(job_id))  # expect: LSC102
    try:
        result = await execute(job_id, {})
    except ValueError:
        log.warning("bad payload for %s", job_id)
        return None
    else:
        beat.cancel()
        return result


async def poll_until_ready(job_id: str) -> None:
    while True:
        spinner = asyncio.create_task(report_progress(job_id))  # expect: LSC102
        status = await execute(job_id, {})
        if status.get("ready"):
            break
        spinner.cancel()
        await asyncio.sleep(1)
    log.info("job %s ready", job_id)
