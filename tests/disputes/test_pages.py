"""The pages over HTTP: each role's desk, the clerk's and officer's actions, the board, the escalations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time
from viewflow.workflow.timers import fire_due_timers

from contracts_platform.disputes import services
from contracts_platform.disputes.models import ComplaintStatus, Escalation
from tests.disputes.conftest import META, REGION, file_case, latest_code

pytestmark = [pytest.mark.django_db(transaction=True)]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_clerk_accepts_and_assigns_over_http(signed_contract, li_user, clerk, arbitrator):
    case = file_case(li_user, signed_contract)
    client = logged_in(clerk)
    desk = client.get("/disputes/").content.decode()
    assert "待受理（5日内决定）" in desk and case.number in desk
    page = client.get(f"/disputes/cases/{case.pk}/").content.decode()
    assert 'id="do-accept"' in page and "劳动争议调解仲裁法第二十九条" in page
    assert "下载证据包" not in page  # clerks route cases; they do not read the evidence
    response = client.post(f"/disputes/cases/{case.pk}/do/accept/", follow=True)
    assert "已受理，程序：速裁" in response.content.decode()
    response = client.post(f"/disputes/cases/{case.pk}/do/assign_arbitrator/", {"assignee": arbitrator.pk},
                           follow=True)
    assert "已组成仲裁庭" in response.content.decode()
    case.refresh_from_db()
    assert case.arbitrator == arbitrator
    page = logged_in(arbitrator).get(f"/disputes/cases/{case.pk}/").content.decode()
    assert 'id="do-award"' in page and "签名有效，文件未被篡改" in page and "作出裁决" in page


def test_the_arbitrator_sees_the_verification_and_downloads(signed_contract, li_user, clerk, arbitrator):
    case = services.case_accept(case=file_case(li_user, signed_contract), user=clerk)
    from contracts_platform.disputes.selectors import case_access

    services.case_assign_arbitrator(viewer=case_access(user=clerk, case_id=case.pk), arbitrator=arbitrator)
    client = logged_in(arbitrator)
    page = client.get(f"/disputes/cases/{case.pk}/contracts/{signed_contract.pk}/").content.decode()
    assert "核验通过" in page
    pdf = client.get(f"/disputes/cases/{case.pk}/contracts/{signed_contract.pk}/contract.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf["Cache-Control"] == "private, no-store"


def test_worker_pages_need_the_portal_login(client, li_user, hr):
    response = client.get("/w/disputes/")
    assert response.status_code == 302 and response["Location"].startswith("/w/login/")
    client.force_login(li_user)
    # No signed contract yet: the page points to the arrears report instead of the filing form.
    assert "/arrears/new/" in client.get("/w/disputes/").content.decode()
    assert logged_in(hr).get("/w/disputes/").status_code == 403


def test_worker_files_over_http_and_sees_the_case(client, li_user, signed_contract):
    client.force_login(li_user)
    page = client.get("/w/disputes/new/").content.decode()
    assert signed_contract.number in page and "拖欠工资" in page
    response = client.post("/w/disputes/new/", {
        "contract": signed_contract.pk, "facts": "拖欠工资。", "claims-TOTAL_FORMS": "1", "claims-INITIAL_FORMS": "0",
        "claims-MIN_NUM_FORMS": "0", "claims-MAX_NUM_FORMS": "6", "claims-0-claim_type": "unpaid_wages",
        "claims-0-amount": "5200"}, follow=True)
    page = response.content.decode()
    assert "仲裁申请已提交" in page and "待受理" in page and "访问记录" in page


def test_officer_handles_a_complaint_over_http(client, officer, outbox):
    services.arrears_code_send(phone="13912340000")
    complaint = services.arrears_report(
        phone="13912340000", code=latest_code("13912340000"), request_meta=META,
        report=services.ArrearsInput(project_name="工地", employer_name="某劳务公司", district=REGION,
                                     amount="5000", months_owed=1, workers_affected=2))
    office = logged_in(officer)
    assert complaint.number in office.get("/disputes/arrears/").content.decode()
    base = f"/disputes/arrears/{complaint.pk}"
    office.post(f"{base}/do/accept/")
    office.post(f"{base}/do/contact/", {"party": "employer", "method": "phone", "notes": "单位承诺三日内支付。"})
    response = office.post(f"{base}/do/resolve/", {"outcome": "paid", "reason": ""}, follow=True)
    assert "请先记录与用人单位和投诉人双方的联系核实情况" in response.content.decode()
    office.post(f"{base}/do/contact/", {"party": "reporter", "method": "phone", "notes": "投诉人确认已到账。"})
    response = office.post(f"{base}/do/resolve/", {"outcome": "paid", "reason": "已支付。"}, follow=True)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.PAID and "已办结" in response.content.decode()
    status = client.get(f"/arrears/t/{complaint.public_token}/").content.decode()
    assert "已解决" in status


def test_board_marks_overdue_and_supervisor_acknowledges(signed_contract, li_user, officer, supervisor):
    case = file_case(li_user, signed_contract)
    with freeze_time(timezone.now() + dt.timedelta(days=6)):
        fire_due_timers()
        page = logged_in(officer).get("/disputes/board/").content.decode()
        assert case.number in page and "已超期" in page
        assert li_user.display_name not in page  # the bureau sees the clock, not the case file
        sup = logged_in(supervisor)
        assert case.number in sup.get("/disputes/escalations/").content.decode()
        escalation = Escalation.objects.get(case=case)
        response = sup.post(f"/disputes/escalations/{escalation.pk}/ack/", follow=True)
        assert "已阅" in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == supervisor
    # Someone else's escalation is not found.
    assert logged_in(officer).post(f"/disputes/escalations/{escalation.pk}/ack/").status_code == 404


@pytest.mark.parametrize("persona", ["clerk", "arbitrator", "mediator", "officer", "platform_admin", "hr", "lawyer"])
def test_every_desk_renders(request, persona, signed_contract, li_user):
    user = request.getfixturevalue(persona)
    file_case(li_user, signed_contract)
    response = logged_in(user).get("/disputes/")
    assert response.status_code == 200 and "劳动争议案件" in response.content.decode()


def test_clerk_registers_over_http(clerk, arbitrator):
    client = logged_in(clerk)
    assert "登记仲裁申请" in client.get("/disputes/").content.decode()
    data = {"worker_name": "王五", "worker_phone": "13600000000", "worker_id_number": "", "employer_credit_code": "",
            "employer_name": "某餐饮店", "facts": "拖欠工资。", "claims-TOTAL_FORMS": "1", "claims-INITIAL_FORMS": "0",
            "claims-MIN_NUM_FORMS": "0", "claims-MAX_NUM_FORMS": "6", "claims-0-claim_type": "unpaid_wages",
            "claims-0-amount": "-3"}
    response = client.post("/disputes/cases/new/", data)
    assert "金额不能为负数" in response.content.decode()
    response = client.post("/disputes/cases/new/", {**data, "claims-0-amount": "3000"}, follow=True)
    assert "已登记，案号" in response.content.decode()
    assert logged_in(arbitrator).get("/disputes/cases/new/").status_code == 403
