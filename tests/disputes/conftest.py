"""Personas of the dispute tests: the commission of 济南市历下区 (370102), a signed contract, the worker's account.

Everything is built through the real services: the contract is signed through the
signing process, the worker logs in by phone + SMS code read from the demo outbox.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from contracts_platform.accounts.models import Role
from contracts_platform.contracts.models import ContractStatus
from contracts_platform.disputes.models import CommissionMember
from contracts_platform.disputes.services import ClaimInput, dispute_file
from contracts_platform.identity.services import worker_login_finish, worker_login_start
from contracts_platform.notifications.models import OutboundMessage
from contracts_platform.parties.models import EmployerRole
from contracts_platform.parties.services import membership_add
from tests.conftest import make_user

REGION = "370102"
META = {"REMOTE_ADDR": "10.0.0.8", "HTTP_USER_AGENT": "pytest-disputes"}


@pytest.fixture
def outbox(settings):
    # Keeps OTP and link bodies readable after delivery, as the demo does.
    settings.HEQIAN_DEMO_OUTBOX = True
    return settings


def latest_code(phone: str) -> str:
    message = OutboundMessage.objects.filter(recipient=phone, template="otp").order_by("-pk").first()
    assert message is not None, "no OTP SMS in the outbox"
    return re.search(r"(\d{6})", message.body).group(1)


def worker_account(worker):
    """The worker logs in to the portal by phone + SMS code (the code read from the outbox)."""
    worker_login_start(phone=worker.phone)
    return worker_login_finish(phone=worker.phone, code=latest_code(worker.phone))


def sign_contract(contract, hr, signatory):
    """The real signing process: HR starts, the signatory approves, the worker signs by SMS link."""
    from contracts_platform.identity.invitations import invitation_resolve
    from tests.workflows.conftest import INTENT, handwritten_png, latest_signing_token
    from workflows import services as signing

    signing.contract_signing_start(contract=contract, user=hr)
    signing.approval_decide(contract=contract, user=signatory, approved=True)
    invitation = invitation_resolve(token=latest_signing_token(contract.worker.phone))
    signing.worker_sign(invitation=invitation, signature_png=handwritten_png(), intent=INTENT)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.EFFECTIVE
    return contract


def ready_contract_for(employer, worker, hr):
    from contracts_platform.contracts.models import ModelText
    from contracts_platform.contracts.services import contract_create
    from tests.contracts.factories import valid_fields

    return contract_create(employer=employer, worker=worker,
                           model_text=ModelText.objects.get(contract_type="fixed_term", is_current=True),
                           fields=valid_fields(), user=hr, mark_ready=True, acknowledge_warnings=True)


@pytest.fixture
def acme_signatory(acme):
    user = make_user("zhaojianguo_d", display_name="赵建国")
    membership_add(employer=acme, user=user, role=EmployerRole.SIGNATORY)
    return user


@pytest.fixture
def signed_contract(acme, li, hr, acme_signatory, outbox):
    return sign_contract(ready_contract_for(acme, li, hr), hr, acme_signatory)


@pytest.fixture
def li_user(li, outbox):
    return worker_account(li)


@pytest.fixture
def clerk(db):
    user = make_user("liqing", Role.ARBITRATOR, display_name="李清（立案庭）", region=REGION)
    CommissionMember.objects.create(user=user, region=REGION, is_clerk=True)
    return user


@pytest.fixture
def supervisor(db):
    user = make_user("chair", Role.ARBITRATOR, display_name="马主任", region=REGION, phone="13700000001")
    CommissionMember.objects.create(user=user, region=REGION, is_supervisor=True)
    return user


@pytest.fixture
def arbitrator(db):
    return make_user("zhouzheng", Role.ARBITRATOR, display_name="周正", region=REGION)


@pytest.fixture
def other_arbitrator(db):
    return make_user("qianli", Role.ARBITRATOR, display_name="钱力", region=REGION)


@pytest.fixture
def mediator(db):
    return make_user("sunli", Role.MEDIATOR, display_name="孙丽", region=REGION)


@pytest.fixture
def other_mediator(db):
    return make_user("zhaomin", Role.MEDIATOR, display_name="赵敏", region=REGION)


@pytest.fixture
def officer(db):
    return make_user("wumin", Role.BUREAU_OFFICER, display_name="吴敏", region=REGION)


@pytest.fixture
def platform_admin(db):
    return make_user("padmin", Role.PLATFORM_ADMIN, display_name="平台管理员")


@pytest.fixture
def lawyer(db):
    # A lawyer is a plain account: the LegalAidAssignment is what gives access.
    return make_user("lawyer_he", display_name="何律师")


def wage_claims(amount: str = "8600.00") -> list[ClaimInput]:
    return [ClaimInput(claim_type="unpaid_wages", amount=Decimal(amount), note="2026年4月至5月工资")]


def termination_claims(amount: str = "120000.00") -> list[ClaimInput]:
    return [ClaimInput(claim_type="unlawful_termination", amount=Decimal(amount), note="违法解除赔偿金"),
            ClaimInput(claim_type="overtime", amount=Decimal("9000.00"))]


def file_case(user, contract, claims=None, facts="用人单位拖欠两个月工资，多次催要未果。", files=()):
    return dispute_file(user=user, contract_id=contract.pk, claims=claims or wage_claims(), facts=facts,
                        files=list(files), request_meta=META)
