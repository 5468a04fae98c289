"""The worker portal: login by phone + code, who sees which contract, downloads, logout."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from contracts_platform.accounts.models import Role, User
from contracts_platform.contracts.models import Contract, ContractStatus, ModelText
from contracts_platform.contracts.services import contract_create
from contracts_platform.identity.invitations import invitation_create
from contracts_platform.identity.models import IdentityCheck
from contracts_platform.parties.identifiers import make_id_number
from contracts_platform.parties.models import Worker
from contracts_platform.parties.services import worker_create
from signing.django_app.models import SignedDocument
from signing.django_app.services import employer_seal_apply
from tests.contracts.factories import valid_fields
from tests.portal.conftest import code_for, pass_identity

pytestmark = pytest.mark.django_db


def portal_login(client: Client, phone: str) -> None:
    response = client.post("/w/login/", {"phone": phone})
    assert response.status_code == 302 and response.url == "/w/login/code/", response.content.decode()[:1500]
    response = client.post("/w/login/code/", {"code": code_for(phone, "login")})
    assert response.status_code == 302, response.content.decode()[:1500]


def offered(contract: Contract, *, sealed: bool = True) -> Contract:
    """Invite the worker and (optionally) seal, as the flow does before the SMS; the flow itself is tested elsewhere."""
    invitation_create(version=contract.current_version, worker=contract.worker, actor=None)
    if sealed:
        employer_seal_apply(version=contract.current_version)
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.SIGNING)
    contract.refresh_from_db()
    return contract


@pytest.fixture
def rival_contract(rival, rival_worker, rival_hr) -> Contract:
    return offered(contract_create(
        employer=rival, worker=rival_worker, model_text=ModelText.objects.get(contract_type="fixed_term",
                                                                              is_current=True),
        fields=valid_fields(), user=rival_hr, mark_ready=True, acknowledge_warnings=True))


class TestLogin:
    def test_anonymous_is_sent_to_the_portal_login(self, client):
        response = client.get("/w/")
        assert response.status_code == 302 and response.url == "/w/login/?next=%2Fw%2F"
        response = client.get("/w/contracts/1/pdf/")
        assert response.status_code == 302 and response.url.startswith("/w/login/")

    def test_phone_and_code_log_in_and_link_the_records(self, client, li):
        response = client.post("/w/login/?next=/w/", {"phone": "138 1234 5678"})
        assert response.url == "/w/login/code/"
        assert "138****5678" in client.get("/w/login/code/").content.decode()
        response = client.post("/w/login/code/", {"code": code_for(li.phone, "login")})
        assert response.status_code == 302 and response.url == "/w/"
        user = User.objects.get(username=f"w{li.phone}")
        assert user.role == Role.WORKER
        li.refresh_from_db()
        assert li.user == user
        assert "这里还没有您的合同" in client.get("/w/").content.decode()

    def test_unknown_phone_looks_the_same_and_never_logs_in(self, client):
        response = client.post("/w/login/", {"phone": "13600000000"}, follow=True)
        assert "如果该号码登记在用人单位的劳动者信息中" in response.content.decode()
        response = client.post("/w/login/code/", {"code": "123456"})
        assert response.status_code == 200 and "验证码不正确" in response.content.decode()
        assert client.get("/w/").status_code == 302

    def test_bad_phone_and_bad_code_get_messages(self, client, li):
        response = client.post("/w/login/", {"phone": "12345"})
        assert response.status_code == 200 and "手机号码格式不正确" in response.content.decode()
        client.post("/w/login/", {"phone": li.phone})
        response = client.post("/w/login/code/", {"code": "abc"})
        assert "6位数字验证码" in response.content.decode()

    def test_next_must_stay_in_the_portal(self, client, li):
        client.post("/w/login/?next=https://evil.example/", {"phone": li.phone})
        response = client.post("/w/login/code/", {"code": code_for(li.phone, "login")})
        assert response.url == "/w/"

    def test_logout(self, client, li):
        portal_login(client, li.phone)
        assert client.get("/w/").status_code == 200
        assert client.post("/w/logout/").url == "/w/login/"
        assert client.get("/w/").status_code == 302

    def test_an_employer_account_is_not_a_worker(self, hr_client):
        response = hr_client.get("/w/")
        assert response.status_code == 403 and "此页面供劳动者使用" in response.content.decode()


class TestAccess:
    def test_own_contract_200_anyone_elses_404(self, client, ready_contract, rival_contract, li):
        offered(ready_contract)
        portal_login(client, li.phone)
        body = client.get("/w/").content.decode()
        assert ready_contract.number in body and rival_contract.number not in body
        assert "待签署" in body and "下载待签署的合同" in body
        response = client.get(f"/w/contracts/{ready_contract.pk}/pdf/")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert response["Content-Disposition"] == f'attachment; filename="{ready_contract.number}-sealed.pdf"'
        assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
        assert client.get(f"/w/contracts/{rival_contract.pk}/pdf/").status_code == 404
        assert client.get("/w/contracts/999999/pdf/").status_code == 404

    def test_nothing_to_download_before_the_seal_and_no_unsent_drafts(self, client, ready_contract, li, acme, hr):
        offered(ready_contract, sealed=False)
        draft = contract_create(employer=acme, worker=li, model_text=ModelText.objects.get(
            contract_type="fixed_term", is_current=True), fields=valid_fields(job_title="叉车司机"), user=hr)
        portal_login(client, li.phone)
        body = client.get("/w/").content.decode()
        assert ready_contract.number in body and draft.number not in body
        assert "合同正在生成" in body and "/pdf/" not in body
        assert client.get(f"/w/contracts/{ready_contract.pk}/pdf/").status_code == 404
        assert client.get(f"/w/contracts/{draft.pk}/pdf/").status_code == 404

    def test_a_declined_contract_is_listed_without_the_unsigned_copy(self, client, ready_contract, li):
        offered(ready_contract)
        Contract.objects.filter(pk=ready_contract.pk).update(status=ContractStatus.DECLINED)
        portal_login(client, li.phone)
        body = client.get("/w/").content.decode()
        assert "您已拒签" in body and "/pdf/" not in body
        assert client.get(f"/w/contracts/{ready_contract.pk}/pdf/").status_code == 404

    def test_other_employers_records_open_only_after_an_identity_check(self, client, ready_contract, li, rival,
                                                                       rival_hr):
        # The same person (same ID number) at a second employer, filed under another phone.
        li_at_rival = worker_create(employer=rival, created_by=rival_hr, name="李晓明",
                                    id_number=make_id_number("370102", dt.date(1992, 5, 17), 101),
                                    phone="13911112222", address="青岛")
        there = offered(contract_create(
            employer=rival, worker=li_at_rival, model_text=ModelText.objects.get(contract_type="fixed_term",
                                                                                  is_current=True),
            fields=valid_fields(), user=rival_hr, mark_ready=True, acknowledge_warnings=True))
        portal_login(client, li.phone)
        assert there.number not in client.get("/w/").content.decode()
        assert client.get(f"/w/contracts/{there.pk}/pdf/").status_code == 404

        # Li passes the identity check on the signing link of his own contract ...
        from tests.portal.conftest import Sent

        invitation, token = invitation_create(version=ready_contract.current_version, worker=li, actor=None)
        pass_identity(Client(), Sent(contract=ready_contract, worker=li, token=token, invitation=invitation))
        assert IdentityCheck.objects.filter(ok=True, invitation__worker=li).exists()
        # ... and from then on also sees the record filed under his ID number elsewhere.
        assert there.number in client.get("/w/").content.decode()
        assert client.get(f"/w/contracts/{there.pk}/pdf/").status_code == 200
        assert Worker.objects.get(pk=li_at_rival.pk).user is None

    def test_downloads_are_evidence(self, client, ready_contract, li):
        from contracts_platform.archive.models import EvidenceEvent

        offered(ready_contract)
        portal_login(client, li.phone)
        client.get(f"/w/contracts/{ready_contract.pk}/pdf/")
        event = EvidenceEvent.objects.get(event_type="worker.pdf_downloaded")
        assert event.subject_id == str(ready_contract.pk) and event.actor.username == f"w{li.phone}"
        assert SignedDocument.objects.get(stage="sealed").pdf_id in event.payload


class TestWeight:
    def test_portal_pages_are_light_and_self_contained(self, client, ready_contract, li):
        offered(ready_contract)
        login_page = client.get("/w/login/").content
        portal_login(client, li.phone)
        listing = client.get("/w/").content
        for body in (login_page, listing):
            assert len(body) < 12_000 and b"https://" not in body
