"""Background steps of the signing process. Thin: a job reference in, a service call, hand back."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from workflows.jobs import job_run

# Failures worth retrying before the process is routed to the staff error task.
TRANSIENT = (OperationalError, OSError, TimeoutError)


@shared_task(name="workflows.seal_contract", bind=True, acks_late=True, max_retries=3,
             soft_time_limit=120, time_limit=180)
def seal_contract(self, job_ref: str) -> None:
    """Render the version and apply the employer's certifying seal (idempotent)."""
    from signing.django_app.services import employer_seal_apply

    job_run(job_ref, lambda process: employer_seal_apply(version=process.version), celery_task=self,
            transient=TRANSIENT)


@shared_task(name="workflows.countersign_contract", bind=True, acks_late=True, max_retries=3,
             soft_time_limit=120, time_limit=180)
def countersign_contract(self, job_ref: str) -> None:
    """Apply the worker's signature and archive the contract at B-LTA (idempotent)."""
    from workflows.services import worker_signature_for

    def work(process: object) -> None:
        from signing.django_app.services import worker_signature_apply

        signature_png, signed_at, intent = worker_signature_for(process=process)
        worker_signature_apply(version=process.version, signature_png=signature_png, signed_at=signed_at,
                               intent=intent)

    job_run(job_ref, work, celery_task=self, transient=TRANSIENT)


@shared_task(name="workflows.fire_due_timers")
def fire_due_timers() -> int:
    """Reminders and signing deadlines are viewflow timers stored in the database."""
    from viewflow.workflow.timers import fire_due_timers as fire

    return fire()
