"""A Celery-backed job node for viewflow's open-source edition.

viewflow 2.4's ``celery.Job`` is PRO-only; the OSS wheel ships ``AbstractJob``.
``CeleryJob`` schedules its Celery task when the flow reaches it (after the
transaction commits), and the task hands back through ``job_run``:

1. the heavy, idempotent work runs first, with no flow lock held;
2. then, under the process lock, the job task is started and completed (the
   flow moves on), or marked ERROR so the node's ``.OnError`` boundary routes
   the process to a visible recovery task.

A redelivered message (acks_late, worker killed) finds the job already DONE and
does nothing; the services it calls are idempotent, so nothing is signed twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import Task as CeleryTask
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.activation import Activation
from viewflow.workflow.fields import import_flow_by_ref
from viewflow.workflow.nodes.job import AbstractJob, AbstractJobActivation
from viewflow.workflow.status import STATUS

logger = logging.getLogger(__name__)


class CeleryJobActivation(AbstractJobActivation):
    @Activation.status.transition(source=STATUS.NEW, target=STATUS.SCHEDULED)
    def activate(self) -> None:
        task = self.task
        task.save()
        ref = self.ref()
        celery_task: CeleryTask = self.flow_task._celery_task
        transaction.on_commit(lambda: celery_task.apply_async(args=[ref], task_id=task.external_task_id))


    @Activation.status.transition(source=[STATUS.NEW, STATUS.SCHEDULED, STATUS.ERROR], target=STATUS.CANCELED)
    def cancel(self) -> None:
        """Cancelled by an error boundary, a deadline or a withdrawal; a queued message then finds
        the job finished and does nothing."""
        self.task.finished = timezone.now()
        self.task.save()


class CeleryJob(AbstractJob):
    """Run ``celery_task(job_ref)`` in the background; it must call ``job_run``."""

    activation_class = CeleryJobActivation

    def __init__(self, celery_task: CeleryTask, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._celery_task = celery_task


def _resolve(job_ref: str) -> tuple[Any, int, int]:
    flow_ref, process_pk, task_pk = job_ref.rsplit("/", 2)
    return import_flow_by_ref(flow_ref), int(process_pk), int(task_pk)


def job_process(job_ref: str) -> Any | None:
    """The process of a job that is still waiting to run, or None if it already ran."""
    flow_class, process_pk, task_pk = _resolve(job_ref)
    task = flow_class.task_class._default_manager.filter(pk=task_pk).first()
    if task is None or task.status not in (STATUS.SCHEDULED, STATUS.STARTED):
        return None
    return flow_class.process_class._default_manager.get(pk=process_pk)


def job_finish(job_ref: str, *, error: BaseException | None = None) -> bool:
    """Complete (or fail) the job under the process lock; False if it was already finished."""
    flow_class, process_pk, task_pk = _resolve(job_ref)
    with flow_class.lock(process_pk):
        task = flow_class.task_class._default_manager.get(pk=task_pk)
        if task.status not in (STATUS.SCHEDULED, STATUS.STARTED):
            return False
        activation = task.flow_task.activation_class(task)
        activation.start()
        if error is None:
            activation.execute()
        else:
            # error() stores the traceback on the task and fires the .OnError boundary.
            activation.error(error)
        return True


def job_run(job_ref: str, work: Callable[[Any], None], *, celery_task: CeleryTask,
            transient: tuple[type[BaseException], ...] = ()) -> None:
    """The body of every CeleryJob task: work outside the lock, then hand back to the flow."""
    process = job_process(job_ref)
    if process is None:
        logger.info("job %s already finished; redelivery ignored", job_ref)
        return
    try:
        work(process)
    except transient as exc:
        # In-process (eager) mode has no broker to retry through: go straight to the error route.
        if not celery_task.request.is_eager and celery_task.request.retries < (celery_task.max_retries or 0):
            raise celery_task.retry(exc=exc, countdown=2 ** celery_task.request.retries) from exc
        logger.exception("job %s failed after retries", job_ref)
        job_finish(job_ref, error=exc)
        return
    except Exception as exc:
        logger.exception("job %s failed", job_ref)
        job_finish(job_ref, error=exc)
        return
    job_finish(job_ref)
