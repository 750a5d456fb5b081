"""Background services."""
from .worker import Worker, process_job, process_job_sync
from .. import send as transmit

__all__ = ["Worker", "process_job", "process_job_sync", "transmit"]
