"""Dispute journeys in real Chromium: a worker files on a phone; the arbitrator downloads the evidence package.

Screenshots go to test-artifacts/browser/dispute-*.png. Signing the contract (pyHanko's
asyncio.run) and the other set-up run in a plain thread: Playwright's sync API keeps an
event loop running in the test's own thread.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from contracts_platform.disputes import services
from contracts_platform.disputes.models import CaseDocument, DisputeCase
from contracts_platform.disputes.selectors import case_access, evidence_packages_available
from contracts_platform.notifications.models import OutboundMessage
from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import PASSWORD
from tests.disputes.conftest import *  # noqa: F403 - the dispute personas (fixtures) for this module
from tests.disputes.conftest import file_case, ready_contract_for, sign_contract, worker_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_plain_thread(work):
    from django.db import connection

    def run():
        try:
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def latest_code(phone: str) -> str:
    body = OutboundMessage.objects.filter(recipient=phone, template="otp").order_by("-pk").first().body
    return re.search(r"(?<!\d)(\d{6})(?!\d)", body).group(1)


def session_cookie(user, base: str) -> dict:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": base}


def photo(tmp_path: Path) -> Path:
    path = tmp_path / "工资条.jpg"
    Image.new("RGB", (640, 480), (235, 235, 225)).save(path, format="JPEG")
    return path


def test_worker_files_a_dispute_on_a_phone(browser, live_server, shot, tmp_path, acme, li, hr, acme_signatory,
                                          outbox):
    contract = in_plain_thread(lambda: sign_contract(ready_contract_for(acme, li, hr), hr, acme_signatory))
    base = live_server.url
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()

    # Not logged in: the worker portal's own login (phone + SMS code), then back to the disputes.
    page.goto(f"{base}/w/disputes/")
    assert "/w/login/" in page.url
    page.fill("#id_phone", li.phone)
    page.click("main button.primary")
    page.wait_for_url(re.compile(r".*/w/login/code/"))
    page.fill("#id_code", latest_code(li.phone))
    page.click("main button.primary")
    page.wait_for_url(f"{base}/w/disputes/")
    fits(page)
    shot(page, "dispute-phone-1-my-disputes")

    page.click("#file-dispute")
    assert contract.number in page.inner_text("#id_contract")
    page.select_option("#id_claims-0-claim_type", "unpaid_wages")
    page.fill("#id_claims-0-amount", "abc")
    page.fill("#id_facts", "2026年4月、5月工资至今未发，多次催要无果。")
    page.click("#submit-dispute")
    page.wait_for_selector(".field.invalid")
    assert "请输入有效的金额" in page.inner_text("main")
    assert not DisputeCase.objects.exists()
    fits(page)
    shot(page, "dispute-phone-2-bad-amount")

    page.fill("#id_claims-0-amount", "8600")
    page.select_option("#id_claims-1-claim_type", "overtime")
    page.fill("#id_claims-1-amount", "1200.50")
    page.set_input_files("#id_files", str(photo(tmp_path)))
    shot(page, "dispute-phone-3-form-filled")
    page.click("#submit-dispute")
    page.wait_for_selector("#case-status")
    case = DisputeCase.objects.get()
    assert page.url == f"{base}/w/disputes/{case.pk}/"
    assert "仲裁申请已提交" in page.content() and case.number in page.content()
    assert str(case.total_claimed) == "9800.50" and case.filed_by == "worker"
    assert CaseDocument.objects.get(case=case).content_type == "image/jpeg"
    fits(page)
    shot(page, "dispute-phone-4-filed")
    context.close()


@pytest.mark.skipif(not evidence_packages_available(),
                    reason="contracts_platform.evidence (evidence_package_build) is not installed yet")
def test_arbitrator_downloads_the_evidence_package(browser, live_server, shot, acme, li, hr, acme_signatory,
                                                   clerk, arbitrator, outbox):
    def prepare():
        contract = sign_contract(ready_contract_for(acme, li, hr), hr, acme_signatory)
        worker = worker_account(li)
        case = services.case_accept(case=file_case(worker, contract), user=clerk)
        services.case_assign_arbitrator(viewer=case_access(user=clerk, case_id=case.pk), arbitrator=arbitrator)
        return contract, worker, DisputeCase.objects.get(pk=case.pk)

    contract, worker, case = in_plain_thread(prepare)
    base = live_server.url
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/?next=/disputes/")
    page.fill("#id_username", arbitrator.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/disputes/")
    assert case.number in page.content()
    shot(page, "dispute-desktop-1-arbitrator-desk")

    page.click(f"text={case.number}")
    page.wait_for_selector("#timeline")
    text = page.inner_text("main")
    assert "作出裁决" in text and "劳动争议调解仲裁法第四十三条" in text
    assert "签名有效，文件未被篡改" in text
    shot(page, "dispute-desktop-2-case-timeline")

    page.click("text=核验详情与证据包")
    page.wait_for_selector("#verification .verify-ok")
    shot(page, "dispute-desktop-3-contract-verified")
    with page.expect_download(timeout=60_000) as info:
        page.click("#download-package")
    download = info.value
    data = Path(download.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
    assert any(name.endswith(".pdf") for name in names), names
    assert download.suggested_filename == f"{case.number}-{contract.number}-evidence.zip"
    from contracts_platform.evidence.models import EvidencePackage

    package = EvidencePackage.objects.filter(contract=contract).latest("built_at")
    assert hashlib.sha256(data).hexdigest() == package.zip_id and package.case_ref == case.number
    context.close()

    # The worker sees the arbitrator's download in the access log, on their phone. (Their phone +
    # SMS-code login was exercised above; a second code within 60 s would be throttled, so the
    # session is handed to the browser directly.)
    phone = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    phone.add_cookies([session_cookie(worker, base)])
    page = phone.new_page()
    page.goto(f"{base}/w/disputes/{case.pk}/")
    log = page.inner_text("#access-log")
    assert "下载证据包" in log and arbitrator.display_name in log
    page.locator("#access-log").scroll_into_view_if_needed()
    fits(page)
    shot(page, "dispute-phone-5-access-log")
    phone.close()


def test_reporter_without_account_reports_arrears_on_a_phone(browser, live_server, shot, officer, outbox):
    from contracts_platform.disputes.models import ArrearsComplaint

    base = live_server.url
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{base}/arrears/new/")
    for name, value in {"project_name": "历下区安置房二期", "employer_name": "某建筑劳务有限公司",
                        "district": "370102", "amount": "64000", "months_owed": "3", "workers_affected": "8",
                        "phone": "13912340000"}.items():
        page.fill(f"#id_{name}", value)
    page.click("#send-code")
    page.wait_for_selector(".note-success")
    assert page.input_value("#id_project_name") == "历下区安置房二期"  # nothing typed is lost
    page.fill("#id_code", latest_code("13912340000"))
    fits(page)
    shot(page, "dispute-phone-6-arrears-report")
    page.click("#submit-arrears")
    page.wait_for_selector("#complaint-status")
    complaint = ArrearsComplaint.objects.get()
    assert complaint.number in page.inner_text("main") and "13912340000" not in page.content()
    fits(page)
    shot(page, "dispute-phone-7-arrears-status")
    context.close()

    desk = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = desk.new_page()
    page.goto(f"{base}/accounts/login/?next=/disputes/board/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/disputes/board/")
    assert complaint.number in page.inner_text("main")
    shot(page, "dispute-desktop-4-bureau-board")
    page.goto(f"{base}/disputes/arrears/{complaint.pk}/")
    page.click("#do-accept")
    page.wait_for_selector(".msg-success")
    shot(page, "dispute-desktop-5-complaint-accepted")
    desk.close()
