"""The dispute part of ``python manage.py demo``: a wage-arrears case about the demo contract.

``workflows.demo.run_demo`` signs a contract through the real process; the lead's demo
command then calls ``run_dispute_demo(contract)``, which drives the dispute the same
way a person would: the worker logs in to the portal by phone + SMS code (read from
the demo outbox), files a wage-arrears dispute about that contract, the commission's
clerk accepts it (wage arrears → fast track) and names the arbitrator, and the
arbitrator downloads the contract's evidence package for the case.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.test import override_settings

from contracts_platform.accounts.models import Role, User
from contracts_platform.contracts.models import Contract
from contracts_platform.disputes import services
from contracts_platform.disputes.models import CommissionMember
from contracts_platform.disputes.selectors import case_access

DEMO_META = {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": "heqian-demo/1.0 (headless)"}


def _staff(username: str, role: Role, region: str, name: str) -> User:
    """The seeded demo user if there is one (``seed_demo``), else a fresh one for this region."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role, region=region, display_name=name)
        user.set_unusable_password()
        user.save()
    return user


def _worker_user(contract: Contract) -> User:
    from contracts_platform.identity.services import worker_login_finish, worker_login_start
    from contracts_platform.notifications.models import OutboundMessage

    worker = contract.worker
    if worker.user_id:
        return worker.user
    mark = OutboundMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    worker_login_start(phone=worker.phone)
    message = (OutboundMessage.objects.filter(recipient=worker.phone, template="otp", pk__gt=mark)
               .order_by("-pk").first())
    if message is None:
        raise RuntimeError(f"no login code for {worker.phone} in the outbox")
    return worker_login_finish(phone=worker.phone, code=re.search(r"(\d{6})", message.body).group(1))


@override_settings(HEQIAN_DEMO_OUTBOX=True)
def run_dispute_demo(contract: Contract) -> dict[str, Any]:
    """File, accept, route and assign a wage-arrears dispute about ``contract`` and build its evidence package.

    Returns ``case_number``, ``route`` (``fast_track``), ``package_sha256`` and
    ``package_bytes`` (the ZIP itself, for ``DIR/evidence.zip``; not JSON-serialisable).
    """
    region = contract.employer.region
    clerk = _staff("mediator", Role.MEDIATOR, region, "孙丽")
    CommissionMember.objects.get_or_create(user=clerk, defaults={"region": region, "is_clerk": True})
    arbitrator = _staff("arbitrator", Role.ARBITRATOR, region, "周正")

    worker_user = _worker_user(contract)
    case = services.dispute_file(
        user=worker_user, contract_id=contract.pk, request_meta=DEMO_META,
        claims=[services.ClaimInput(claim_type="unpaid_wages", amount=Decimal("10400.00"),
                                    note="两个月工资未发放")],
        facts="用人单位自上月起未按劳动合同约定的发薪日支付工资，经多次催要仍未支付。", files=[])
    case = services.case_accept(case=case, user=clerk)
    case = services.case_assign_arbitrator(viewer=case_access(user=clerk, case_id=case.pk), arbitrator=arbitrator)
    data, sha256 = services.evidence_package_fetch(viewer=case_access(user=arbitrator, case_id=case.pk),
                                                   contract=contract, request_meta=DEMO_META)
    return {"case_number": case.number, "route": case.route, "package_sha256": sha256, "package_bytes": data}
