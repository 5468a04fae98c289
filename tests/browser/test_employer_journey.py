"""The employer's drafting journey in real Chromium, on a phone and on a desktop."""

import pytest

from contracts_platform.contracts.models import Contract, ContractStatus
from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "wangfang")
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(f"{base}/employer/")


@pytest.mark.parametrize("viewport, label", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_hr_drafts_a_contract_with_live_findings(browser, live_server, shot, hr, li, viewport, label):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    base = live_server.url
    login(page, base)
    shot(page, f"{label}-1-dashboard")

    page.goto(f"{base}/employer/contracts/new/?worker={li.pk}")
    page.select_option("select[name=model_text]", label="劳动合同（固定期限） v1")
    for name, value in {"start_date": "2027-01-01", "end_date": "2029-12-31", "probation_months": "7",
                        "job_title": "仓储管理员", "work_location": "济南市历下区经十路 1 号", "work_region": "370102",
                        "hours_per_day": "8", "hours_per_week": "40", "wage_amount": "5200",
                        "probation_amount": "4500", "social_insurance": "依法缴纳五险一金。",
                        "labor_protection": "提供劳动防护用品。"}.items():
        page.fill(f"[name={name}]", value)
    # Live findings: the 7-month probation is flagged without submitting the form.
    page.wait_for_selector(".finding.error[data-rule^='art19']", timeout=10_000)
    shot(page, f"{label}-2-live-findings")
    assert Contract.objects.count() == 0

    page.fill("[name=probation_months]", "6")
    page.wait_for_selector(".finding.error[data-rule^='art19']", state="detached", timeout=10_000)
    page.check("[name=acknowledge_warnings]")
    page.click("button[value=save_ready]")
    page.wait_for_selector("h1 .badge")
    shot(page, f"{label}-3-detail")
    contract = Contract.objects.get()
    assert contract.status == ContractStatus.READY

    with page.expect_popup() as popup:
        page.click("text=预览合同文本")
    preview = popup.value
    preview.wait_for_load_state()
    assert "仓储管理员" in preview.content()
    shot(preview, f"{label}-4-preview")

    page.goto(f"{base}/employer/contracts/?q=李晓明")
    assert contract.number in page.content()
    shot(page, f"{label}-5-list")
    context.close()
