"""The signing process with its background steps in real Celery worker processes (Redis broker)."""

from __future__ import annotations

import time

import pytest
from viewflow.workflow.status import PROCESS, STATUS

from contracts_platform.contracts.models import ContractStatus
from contracts_platform.core.worker_process import celery_worker_process, kill_hard
from contracts_platform.identity.invitations import invitation_resolve
from signing.django_app.models import SignedDocument
from tests.integration.conftest import ARTIFACTS
from tests.workflows.conftest import INTENT, handwritten_png, latest_signing_token
from workflows import services
from workflows.contract_flow import ContractSigningFlow as F

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def waiting_for_worker(contract):
    process = services.signing_process_for(contract=contract)
    return process and process.task_set.filter(flow_task=F.worker_decision, status=STATUS.NEW).exists()


def test_background_steps_run_in_a_real_worker(broker, ready_contract, hr, signatory):
    with celery_worker_process(env=broker, log_path=ARTIFACTS / "worker-happy.log"):
        services.contract_signing_start(contract=ready_contract, user=hr)
        services.approval_decide(contract=ready_contract, user=signatory, approved=True)
        wait_for(lambda: waiting_for_worker(ready_contract), 90, "the seal job in the worker")
        invitation = invitation_resolve(token=latest_signing_token(ready_contract.worker.phone))
        services.worker_sign(invitation=invitation, signature_png=handwritten_png(), intent=INTENT)
        process = wait_for(lambda: (p := services.signing_process_for(contract=ready_contract))
                           and p.status == PROCESS.DONE and p, 90, "the countersign job in the worker")
    ready_contract.refresh_from_db()
    assert process.status == PROCESS.DONE and ready_contract.status == ContractStatus.EFFECTIVE
    assert SignedDocument.objects.filter(version=ready_contract.current_version, stage="archived").count() == 1


def test_worker_killed_while_sealing_is_redelivered_and_seals_once(broker, ready_contract, hr, signatory):
    from celery import Celery

    inspector = Celery(broker=broker["CELERY_BROKER_URL"])
    slow = {**broker, "HEQIAN_TEST_SEAL_DELAY": "30"}
    with celery_worker_process(env=slow, app="tests.integration.slow_worker",
                               log_path=ARTIFACTS / "worker-killed.log") as doomed:
        services.contract_signing_start(contract=ready_contract, user=hr)
        services.approval_decide(contract=ready_contract, user=signatory, approved=True)

        def seal_in_progress():
            active = inspector.control.inspect(timeout=1).active() or {}
            return any(t["name"] == "workflows.seal_contract" for tasks in active.values() for t in tasks)

        wait_for(seal_in_progress, 30, "the seal task to reach the doomed worker")
        kill_hard(doomed)
    inspector.close()
    assert not SignedDocument.objects.filter(version=ready_contract.current_version).exists()
    # acks_late: the unacknowledged message comes back to a healthy worker.
    with celery_worker_process(env=broker, log_path=ARTIFACTS / "worker-rescue.log"):
        wait_for(lambda: waiting_for_worker(ready_contract), 120, "redelivery of the seal task")
        invitation = invitation_resolve(token=latest_signing_token(ready_contract.worker.phone))
        services.worker_sign(invitation=invitation, signature_png=handwritten_png(), intent=INTENT)
        wait_for(lambda: (p := services.signing_process_for(contract=ready_contract)) and p.status == PROCESS.DONE,
                 90, "completion")
    assert SignedDocument.objects.filter(version=ready_contract.current_version, stage="sealed").count() == 1
    assert SignedDocument.objects.filter(version=ready_contract.current_version, stage="archived").count() == 1
