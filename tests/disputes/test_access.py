"""Who sees what: every role × every case, contract, document and package URL.

One world per test (the signing process and the case flow are slow to build), then
every persona requests every URL; mismatches are collected and reported together.
Anyone who may not see an object gets 404 (its existence is not confirmed); anonymous
visitors are sent to a login page (302) and receive nothing.
"""

from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image

from contracts_platform.archive.models import EvidenceEvent
from contracts_platform.disputes import services
from contracts_platform.disputes.models import Award, CaseDocument
from contracts_platform.disputes.selectors import case_access, evidence_packages_available
from contracts_platform.disputes.uploads import Upload
from tests.conftest import make_user
from tests.disputes.conftest import file_case, termination_claims, worker_account

pytestmark = [pytest.mark.django_db(transaction=True)]

EVIDENCE_READERS = {"admin", "arbitrator", "mediator", "worker", "employer", "lawyer"}
CASE_READERS = EVIDENCE_READERS | {"clerk", "supervisor"}


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def world(signed_contract, li_user, hr, rival_hr, rival_worker, clerk, supervisor, arbitrator, other_arbitrator,
          mediator, other_mediator, officer, platform_admin, lawyer, outbox):
    """An ordinary case past failed mediation: mediator and arbitrator assigned, a legal-aid lawyer acting."""
    upload = Upload(data=png_bytes(), content_type="image/png", filename="工资条.png")
    case = file_case(li_user, signed_contract, claims=termination_claims(), files=[upload])
    case = services.case_accept(case=case, user=clerk)
    case = services.case_assign_mediator(viewer=case_access(user=clerk, case_id=case.pk), mediator=mediator)
    services.mediation_fail(viewer=case_access(user=mediator, case_id=case.pk), notes="未达成一致。")
    case = services.case_assign_arbitrator(viewer=case_access(user=clerk, case_id=case.pk), arbitrator=arbitrator)
    services.legal_aid_request(viewer=case_access(user=li_user, case_id=case.pk), note="经济困难")
    services.legal_aid_assign(viewer=case_access(user=clerk, case_id=case.pk), lawyer=lawyer,
                              organisation="历下区法律援助中心")
    users = {
        "admin": platform_admin, "clerk": clerk, "supervisor": supervisor, "arbitrator": arbitrator,
        "other_arbitrator": other_arbitrator, "mediator": mediator, "other_mediator": other_mediator,
        "worker": li_user, "other_worker": worker_account(rival_worker), "employer": hr, "other_employer": rival_hr,
        "lawyer": lawyer, "other_lawyer": make_user("lawyer_x", display_name="另一位律师"), "officer": officer,
        "anonymous": None,
    }
    return {"case": case, "contract": signed_contract, "document": CaseDocument.objects.get(case=case),
            "users": users}


def urls(world) -> dict[str, str]:
    case, contract, document = world["case"], world["contract"], world["document"]
    base = f"/disputes/cases/{case.pk}"
    return {
        "case": f"{base}/", "contract": f"{base}/contracts/{contract.pk}/",
        "contract_pdf": f"{base}/contracts/{contract.pk}/contract.pdf",
        "package": f"{base}/contracts/{contract.pk}/package.zip", "document": f"{base}/documents/{document.pk}/",
        "worker_case": f"/w/disputes/{case.pk}/", "worker_document": f"/w/disputes/{case.pk}/documents/{document.pk}/",
    }


def expected(role: str, kind: str) -> int:
    if role == "anonymous":
        return 302
    if kind.startswith("worker_"):
        if role == "worker":
            return 200
        return 404 if role == "other_worker" else 403
    readers = CASE_READERS if kind == "case" else EVIDENCE_READERS
    return 200 if role in readers else 404


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def check(world, kinds, expect=expected) -> list[str]:
    problems = []
    for role, user in world["users"].items():
        client = client_for(user)
        for kind, url in urls(world).items():
            if kind not in kinds:
                continue
            response = client.get(url)
            want = expect(role, kind)
            if response.status_code != want:
                problems.append(f"{role:16} {kind:15} expected {want} got {response.status_code}")
            elif want == 302:
                assert "login" in response["Location"], (role, kind, response["Location"])
            elif want != 200:
                assert world["case"].number not in response.content.decode("utf-8", "replace"), (role, kind)
    return problems


ALL_BUT_PACKAGE = {"case", "contract", "contract_pdf", "document", "worker_case", "worker_document"}


def test_access_matrix_while_open(world):
    problems = check(world, ALL_BUT_PACKAGE)
    assert not problems, "\n" + "\n".join(problems)


@pytest.mark.skipif(not evidence_packages_available(),
                    reason="contracts_platform.evidence (evidence_package_build) is not installed yet")
def test_access_matrix_for_the_evidence_package(world):
    problems = check(world, {"package"})
    assert not problems, "\n" + "\n".join(problems)
    response = client_for(world["users"]["arbitrator"]).get(urls(world)["package"])
    assert response["Content-Type"] == "application/zip" and response.content[:2] == b"PK"
    assert EvidenceEvent.objects.filter(subject_type="contract", subject_id=str(world["contract"].pk),
                                        event_type="evidence.package_downloaded").exists()


def test_every_access_is_evidence_and_the_parties_see_the_log(world):
    arbitrator, worker, employer = (world["users"][r] for r in ("arbitrator", "worker", "employer"))
    before = EvidenceEvent.objects.filter(event_type="dispute.accessed").count()
    client_for(arbitrator).get(urls(world)["contract"])
    client_for(arbitrator).get(urls(world)["document"])
    events = list(EvidenceEvent.objects.filter(event_type="dispute.accessed").order_by("seq"))[before:]
    assert [('"what":"contract"' in e.payload, '"what":"document"' in e.payload) for e in events] == [
        (True, False), (False, True)]
    assert all(e.actor == arbitrator and '"capacity":"arbitrator"' in e.payload for e in events)
    for party, url in ((worker, urls(world)["worker_case"]), (employer, urls(world)["case"])):
        page = client_for(party).get(url).content.decode()
        assert "访问记录" in page and "周正" in page and "下载案件材料" in page
    # The arbitrator is not a party: no access log on their page.
    assert "访问记录" not in client_for(arbitrator).get(urls(world)["case"]).content.decode()


def test_closing_ends_the_assignments(world):
    case, users = world["case"], world["users"]
    viewer = case_access(user=users["arbitrator"], case_id=case.pk)
    services.award_issue(viewer=viewer, text="裁决被申请人支付赔偿金。", amount="60000")
    services.case_close(viewer=case_access(user=users["arbitrator"], case_id=case.pk))
    assert case.legal_aid.get().ended_at is not None

    def after_close(role: str, kind: str) -> int:
        if role in {"arbitrator", "mediator", "lawyer"} and not kind.startswith("worker_"):
            return 404  # personal access ended with the case
        if kind == "case" and role in {"clerk", "supervisor"}:
            return 200  # the commission's read-only archive
        return expected(role, kind)

    problems = check(world, ALL_BUT_PACKAGE, expect=after_close)
    assert not problems, "\n" + "\n".join(problems)
    # Read-only: nobody gets action buttons on a closed case.
    page = client_for(users["clerk"]).get(urls(world)["case"]).content.decode()
    assert "待您办理" not in page and "已结案" in page


def test_actions_are_checked_per_object(world):
    """POSTs go through the same access check: another arbitrator cannot award, a stranger gets 404."""
    case, users = world["case"], world["users"]
    response = client_for(users["other_arbitrator"]).post(f"/disputes/cases/{case.pk}/do/award/",
                                                          {"text": "x", "amount": "1"})
    assert response.status_code == 404
    # The clerk sees the case but is not its arbitrator: refused (403), nothing written.
    response = client_for(users["clerk"]).post(f"/disputes/cases/{case.pk}/do/award/", {"text": "x", "amount": "1"})
    assert response.status_code == 403
    assert not Award.objects.filter(case=case).exists()
    response = client_for(users["worker"]).post(f"/w/disputes/{case.pk}/do/award/", {"text": "x", "amount": "1"})
    assert response.status_code == 404  # not a worker action at all
    response = client_for(users["arbitrator"]).post(f"/disputes/cases/{case.pk}/do/award/",
                                                    {"text": "裁决支付。", "amount": "abc"}, follow=True)
    assert "请输入有效的金额" in response.content.decode() and not Award.objects.filter(case=case).exists()
