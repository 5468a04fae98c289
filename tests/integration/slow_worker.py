"""A worker app for the crash test: the seal task pauses before starting, so the test
can kill the worker while the task is received and unacknowledged (acks_late)."""

import os
import time

from celery.signals import task_prerun

from contracts_platform.celery import app  # noqa: F401 - the app this worker runs

DELAY = float(os.environ.get("HEQIAN_TEST_SEAL_DELAY", "0"))


@task_prerun.connect
def _pause_seal(sender=None, **kwargs):  # pragma: no cover - runs in the worker process
    if sender is not None and sender.name == "workflows.seal_contract" and DELAY:
        time.sleep(DELAY)
