"""The contract signing process, path by path, through the real services and background steps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time
from viewflow.workflow.status import PROCESS, STATUS

from contracts_platform.archive.models import EvidenceEvent
from contracts_platform.archive.selectors import chain_verify
from contracts_platform.contracts.models import ContractStatus, FilingRecord
from contracts_platform.contracts.services import contract_update
from contracts_platform.identity.errors import InvitationError
from contracts_platform.identity.invitations import invitation_resolve
from contracts_platform.identity.models import InvitationState, SigningInvitation
from contracts_platform.notifications.models import OutboundMessage
from signing.django_app.models import SignedDocument
from tests.contracts.factories import valid_fields
from tests.workflows.conftest import INTENT, handwritten_png, latest_signing_token
from workflows import services
from workflows.contract_flow import ContractSigningFlow as F

pytestmark = [pytest.mark.django_db(transaction=True)]


def open_tasks(process):
    return {t.flow_task.name for t in process.task_set.filter(status__in=(STATUS.NEW, STATUS.ASSIGNED,
                                                                           STATUS.SCHEDULED, STATUS.ERROR))}


def start_and_approve(contract, hr, signatory):
    process = services.contract_signing_start(contract=contract, user=hr)
    assert open_tasks(process) == {"approve"}
    contract.refresh_from_db()
    assert contract.status == ContractStatus.IN_APPROVAL
    return services.approval_decide(contract=contract, user=signatory, approved=True)


def worker_signs(contract):
    invitation = invitation_resolve(token=latest_signing_token(contract.worker.phone))
    return services.worker_sign(invitation=invitation, signature_png=handwritten_png(), intent=INTENT)


class TestHappyPath:
    def test_start_approve_seal_invite_sign_archive_notify_file(self, ready_contract, hr, signatory, demo_outbox):
        process = start_and_approve(ready_contract, hr, signatory)
        process.refresh_from_db()
        # The seal ran in the background (eager here) and the worker was invited.
        assert open_tasks(process) >= {"worker_decision"}
        assert SignedDocument.objects.filter(version=ready_contract.current_version, stage="sealed").exists()
        ready_contract.refresh_from_db()
        assert ready_contract.status == ContractStatus.SIGNING

        process = worker_signs(ready_contract)
        process.refresh_from_db()
        assert process.status == PROCESS.DONE
        ready_contract.refresh_from_db()
        assert ready_contract.status == ContractStatus.EFFECTIVE
        stages = set(SignedDocument.objects.filter(version=ready_contract.current_version)
                     .values_list("stage", flat=True))
        assert stages == {"sealed", "signed", "archived"}
        assert OutboundMessage.objects.filter(template="contract_completed",
                                              recipient=ready_contract.worker.phone).exists()
        assert FilingRecord.objects.filter(contract=ready_contract).exists()
        types = list(EvidenceEvent.objects.filter(subject_type="contract", subject_id=str(ready_contract.pk))
                     .order_by("seq").values_list("event_type", flat=True))
        for expected in ("signing.started", "signing.approved", "signature.employer_sealed", "invitation.created",
                         "signing.worker_signed", "signature.worker_signed", "signature.archived",
                         "contract.effective", "contract.filed"):
            assert expected in types, expected
        assert chain_verify().ok

    def test_only_a_signatory_can_approve_and_only_hr_can_start(self, ready_contract, hr, signatory):
        with pytest.raises(Exception, match="权限"):
            services.contract_signing_start(contract=ready_contract, user=signatory)
        services.contract_signing_start(contract=ready_contract, user=hr)
        with pytest.raises(Exception, match="权限"):
            services.approval_decide(contract=ready_contract, user=hr, approved=True)

    def test_a_draft_cannot_be_started_twice_or_at_all(self, ready_contract, hr, signatory):
        services.contract_signing_start(contract=ready_contract, user=hr)
        with pytest.raises(ValidationError):
            services.contract_signing_start(contract=ready_contract, user=hr)


class TestReturnAndDecline:
    def test_signatory_returns_then_hr_revises_and_resubmits(self, ready_contract, hr, signatory):
        services.contract_signing_start(contract=ready_contract, user=hr)
        with pytest.raises(ValidationError):
            services.approval_decide(contract=ready_contract, user=signatory, approved=False, comment="")
        process = services.approval_decide(contract=ready_contract, user=signatory, approved=False,
                                           comment="试用期工资请提高")
        assert open_tasks(process) == {"revise"}
        contract_update(contract=ready_contract, fields=valid_fields(wage={**valid_fields()["wage"],
                                                                           "probation_amount": "5000.00"}),
                        user=hr, mark_ready=True, acknowledge_warnings=True)
        process = services.revision_resubmit(contract=ready_contract, user=hr)
        assert open_tasks(process) == {"approve"}
        assert process.version.number == 2

    def test_worker_declines_then_hr_revises_and_worker_signs(self, ready_contract, hr, signatory, demo_outbox):
        start_and_approve(ready_contract, hr, signatory)
        invitation = invitation_resolve(token=latest_signing_token(ready_contract.worker.phone))
        with pytest.raises(ValidationError):
            services.worker_decline(invitation=invitation, reason="  ")
        process = services.worker_decline(invitation=invitation, reason="工作地点与面谈时说的不一致")
        assert open_tasks(process) == {"revise"}
        ready_contract.refresh_from_db()
        assert ready_contract.status == ContractStatus.DECLINED
        contract_update(contract=ready_contract, fields=valid_fields(work_location="济南市历下区经十路 2 号"),
                        user=hr, mark_ready=True, acknowledge_warnings=True)
        services.revision_resubmit(contract=ready_contract, user=hr)
        services.approval_decide(contract=ready_contract, user=signatory, approved=True)
        process = worker_signs(ready_contract)
        process.refresh_from_db()
        assert process.status == PROCESS.DONE and process.version.number == 2
        assert SignedDocument.objects.filter(version__contract=ready_contract, stage="archived").count() == 1


class TestTimersAndWithdrawal:
    def test_reminders_then_expiry(self, ready_contract, hr, signatory, demo_outbox):
        from viewflow.workflow.timers import fire_due_timers

        start_and_approve(ready_contract, hr, signatory)
        first_token = latest_signing_token(ready_contract.worker.phone)
        with freeze_time(timezone.now() + dt.timedelta(hours=25)):
            assert fire_due_timers() == 1
        assert OutboundMessage.objects.filter(template="signing_reminder").count() == 1
        # The reminder carries a fresh link; the first one no longer works.
        assert latest_signing_token(ready_contract.worker.phone) != first_token
        with freeze_time(timezone.now() + dt.timedelta(days=8)):
            fire_due_timers()
        process = services.signing_process_for(contract=ready_contract)
        assert process.status == PROCESS.DONE
        ready_contract.refresh_from_db()
        assert ready_contract.status == ContractStatus.EXPIRED
        assert not SigningInvitation.objects.filter(contract=ready_contract, state=InvitationState.ACTIVE).exists()

    def test_withdrawal_before_the_worker_signs(self, ready_contract, hr, signatory, demo_outbox):
        start_and_approve(ready_contract, hr, signatory)
        token = latest_signing_token(ready_contract.worker.phone)
        process = services.contract_signing_withdraw(contract=ready_contract, user=hr, reason="岗位取消")
        assert process.status == PROCESS.CANCELED and not open_tasks(process)
        ready_contract.refresh_from_db()
        assert ready_contract.status == ContractStatus.WITHDRAWN
        with pytest.raises(InvitationError) as exc:
            invitation_resolve(token=token)
        assert exc.value.code == "revoked"

    def test_no_withdrawal_after_the_worker_signed(self, ready_contract, hr, signatory, demo_outbox):
        start_and_approve(ready_contract, hr, signatory)
        worker_signs(ready_contract)
        with pytest.raises(ValidationError):
            services.contract_signing_withdraw(contract=ready_contract, user=hr)


class TestFailureRoute:
    def test_failed_seal_goes_to_a_staff_task_that_retries(self, ready_contract, hr, signatory, acme, monkeypatch,
                                                            demo_outbox):
        import signing.django_app.services as signing_services
        from contracts_platform.accounts.models import Role
        from tests.conftest import make_user

        real = signing_services.employer_seal_apply

        def broken(**kwargs):
            raise RuntimeError("HSM unavailable")

        monkeypatch.setattr(signing_services, "employer_seal_apply", broken)
        process = start_and_approve(ready_contract, hr, signatory)
        process.refresh_from_db()
        assert "seal_failed" in open_tasks(process)
        seal_task = process.task_set.get(flow_task=F.seal)
        assert seal_task.status in (STATUS.ERROR, STATUS.CANCELED)
        assert "HSM unavailable" in (seal_task.data or {}).get("_exception", {}).get("title", "")

        monkeypatch.setattr(signing_services, "employer_seal_apply", real)
        admin = make_user("platform", role=Role.PLATFORM_ADMIN)
        services.retry_failed_step(contract=ready_contract, user=admin)
        process.refresh_from_db()
        assert "worker_decision" in open_tasks(process)
        assert SignedDocument.objects.filter(version=ready_contract.current_version, stage="sealed").count() == 1


class TestWorkerSubmissions:
    def test_second_submission_is_refused_and_signs_nothing(self, ready_contract, hr, signatory, demo_outbox):
        start_and_approve(ready_contract, hr, signatory)
        invitation = invitation_resolve(token=latest_signing_token(ready_contract.worker.phone))
        services.worker_sign(invitation=invitation, signature_png=handwritten_png(), intent=INTENT)
        with pytest.raises(ValidationError, match=r"已经签署"):
            services.worker_sign(invitation=invitation, signature_png=handwritten_png(), intent=INTENT)
        assert SignedDocument.objects.filter(version=ready_contract.current_version, stage="signed").count() == 1

    @pytest.mark.parametrize("png", [b"", b"not a png", b"\x89PNG\r\n\x1a\n garbage"])
    def test_bad_signature_image_is_refused(self, ready_contract, hr, signatory, demo_outbox, png):
        start_and_approve(ready_contract, hr, signatory)
        invitation = invitation_resolve(token=latest_signing_token(ready_contract.worker.phone))
        with pytest.raises(ValidationError):
            services.worker_sign(invitation=invitation, signature_png=png, intent=INTENT)
        process = services.signing_process_for(contract=ready_contract)
        assert "worker_decision" in open_tasks(process)
