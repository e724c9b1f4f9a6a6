"""Jobs: what job bodies import (:mod:`.context`), the runner (:mod:`.runner`) and the registry
of every job (:mod:`.registry`, the only module naming job bodies, imported lazily).

``from jettui.services import jobs`` gives the public names of all three."""

from jettui.services.jobs.context import Batch, Body, JobContext, JobReport, Progress
from jettui.services.jobs.registry import JOBS, NOT_AVAILABLE, Job
from jettui.services.jobs.runner import (
    LOCK_PREFIX,
    JobOutcome,
    JobResult,
    LastRun,
    Schedule,
    close_abandoned_runs,
    combined_exit_code,
    due_jobs,
    last_started,
    next_due,
    run_due,
    run_job,
    run_jobs,
    schedules,
)

__all__ = [
    "JOBS",
    "LOCK_PREFIX",
    "NOT_AVAILABLE",
    "Batch",
    "Body",
    "Job",
    "JobContext",
    "JobOutcome",
    "JobReport",
    "JobResult",
    "LastRun",
    "Progress",
    "Schedule",
    "close_abandoned_runs",
    "combined_exit_code",
    "due_jobs",
    "last_started",
    "next_due",
    "run_due",
    "run_job",
    "run_jobs",
    "schedules",
]
