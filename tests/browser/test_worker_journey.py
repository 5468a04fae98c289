"""The worker's journey on a phone in real Chromium: from the SMS link to "我的合同" with a download.

Codes and the link are read from the demo outbox page, as a person running the demo would.
Every step is photographed (test-artifacts/browser/worker-*.png) and checked for sideways
scrolling at 390 px.
"""

from __future__ import annotations

import hashlib
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from contracts_platform.contracts.models import ContractStatus
from contracts_platform.portal.models import ReadingDocument
from signing.django_app.models import SignedDocument
from tests.browser.conftest import PHONE
from workflows import services as flow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# WeChat's built-in browser on Android announces itself like this; the pages must not care.
WECHAT_UA = ("Mozilla/5.0 (Linux; Android 12; M2102J2SC) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5061 MMWEBSDK/20230303 "
             "MicroMessenger/8.0.34.2340(0x28002237) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN")


def latest_sms(outbox, base: str, phone: str, template: str, contains: str = "", *, back_to=None) -> str:
    """The newest SMS of ``template`` to ``phone`` on the outbox page (the demo's "phone").

    ``back_to``: the worker's tab is brought to the front again afterwards; a background
    tab gets one animation frame a second, which makes drawing on the pad crawl.
    """
    outbox.goto(f"{base}/outbox/?to={phone}")
    rows = outbox.locator(f"tr[data-template='{template}'] td.body")
    for i in range(rows.count()):  # newest first
        text = rows.nth(i).inner_text()
        if contains in text:
            if back_to is not None:
                back_to.bring_to_front()
            return text
    raise AssertionError(f"no {template} SMS containing {contains!r}")


def code_in(text: str) -> str:
    return re.search(r"(?<!\d)(\d{6})(?!\d)", text).group(1)


def in_plain_thread(work):
    """Run ``work`` where no event loop runs: Playwright's sync API keeps one in this thread, and the
    seal step (pyHanko) calls ``asyncio.run``. The live server's own thread has none, so signing there is fine."""
    from django.db import connection

    def run():
        try:
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def fits(page) -> None:
    """Nothing wider than the phone: no sideways scrolling."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width}px wide"


def test_worker_signs_on_a_phone_and_downloads_from_the_portal(browser, live_server, shot, settings,
                                                                ready_contract, hr, signatory):
    settings.HEQIAN_DEMO_OUTBOX = True
    settings.SITE_URL = live_server.url  # the SMS link points at this server
    base = live_server.url
    in_plain_thread(lambda: (flow.contract_signing_start(contract=ready_contract, user=hr),
                             flow.approval_decide(contract=ready_contract, user=signatory, approved=True)))
    worker = ready_contract.worker

    context = browser.new_context(viewport=PHONE, locale="zh-CN", user_agent=WECHAT_UA, accept_downloads=True)
    page = context.new_page()
    # The SMS inbox of the demo, in its own browser context (no shared cookies with the worker's).
    sms_context = browser.new_context(viewport=PHONE, locale="zh-CN")
    outbox = sms_context.new_page()

    # 1. The SMS link.
    invitation_sms = latest_sms(outbox, base, worker.phone, "signing_invitation", back_to=page)
    link = re.search(r"https?://\S+/s/[A-Za-z0-9_-]{43}/", invitation_sms).group(0)
    page.goto(link)
    assert "邀请您签署劳动合同" in page.inner_text("h1")
    assert "不收取您任何费用" in page.content()
    fits(page)
    shot(page, "worker-01-landing")

    # 2. Identity: a wrong name first, then right.
    page.click("text=开始：核验身份")
    page.fill("#id_name", "李小明")
    page.fill("#id_id_number", worker.id_number)
    page.click("main button[type=submit]")
    page.wait_for_selector(".alert")
    assert "不一致" in page.inner_text(".alert")
    fits(page)
    shot(page, "worker-02-identity-wrong")
    page.fill("#id_name", worker.name)
    page.fill("#id_id_number", worker.id_number)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/code/$"))
    assert "138****5678" in page.content()
    fits(page)
    shot(page, "worker-03-code")
    page.fill("#id_code", code_in(latest_sms(outbox, base, worker.phone, "otp", "身份核验", back_to=page)))
    page.click("main button.primary")
    page.wait_for_url(re.compile(r".*/read/1/$"))

    # 3. Every page of the sealed contract.
    pages = ReadingDocument.objects.get().pages
    for n in range(1, pages + 1):
        page.wait_for_url(re.compile(rf".*/read/{n}/$"))
        page.wait_for_function("document.querySelector('.sheet img').complete "
                               "&& document.querySelector('.sheet img').naturalWidth > 0")
        fits(page)
        if n == 1:
            shot(page, "worker-04-read-first")
            page.click("details.text summary")  # the page's text, for enlarging and screen readers
            assert "劳动合同" in page.inner_text("details.text .page-text")
            shot(page, "worker-04b-read-text")
        if n < pages:
            page.locator("a:has-text('下一页')").first.click()
    assert page.is_visible("text=我已读完，下一步：确认签署")
    shot(page, "worker-05-read-last")

    # 4. Intent: tick, second code.
    page.click("text=我已读完，下一步：确认签署")
    page.check("#id_confirm")
    page.click("button:has-text('获取签署验证码')")
    page.wait_for_selector("#id_code")
    page.fill("#id_code", code_in(latest_sms(outbox, base, worker.phone, "otp", "签署劳动合同",
                                        back_to=page)))
    fits(page)
    shot(page, "worker-06-intent")
    page.click("button:has-text('确认，去签名')")
    page.wait_for_url(re.compile(r".*/sign/$"))

    # 5. The pad: an empty pad is refused in the page, then a drawn name is signed.
    page.click("#sign-submit")
    assert page.is_visible("#pad-empty")
    box = page.locator("#pad").bounding_box()
    strokes = [[(0.10, 0.70), (0.20, 0.25), (0.30, 0.70)], [(0.38, 0.30), (0.55, 0.30), (0.40, 0.70), (0.58, 0.70)],
               [(0.65, 0.25), (0.72, 0.72), (0.80, 0.35), (0.88, 0.72), (0.94, 0.25)]]
    for stroke in strokes:
        x, y = stroke[0]
        page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=8)
        page.mouse.up()
    assert not page.is_visible("#pad-hint")
    fits(page)
    shot(page, "worker-07-signature")
    page.click("#sign-submit")
    page.wait_for_url(f"{base}/s/done/", timeout=60_000)
    assert "签署完成" in page.inner_text("h1")
    ready_contract.refresh_from_db()
    assert ready_contract.status == ContractStatus.EFFECTIVE
    fits(page)
    shot(page, "worker-08-done")

    # 6. On to "我的合同" and the download.
    page.click("button:has-text('查看我的合同')")
    page.wait_for_url(f"{base}/w/")
    assert "已生效" in page.inner_text(".badge")
    fits(page)
    shot(page, "worker-09-portal")
    with page.expect_download() as download:
        page.click("a:has-text('下载已签署的合同')")
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == SignedDocument.objects.get(stage="archived").pdf_id
    assert download.value.suggested_filename == f"{ready_contract.number}.pdf"

    # The language switch keeps the worker where they are.
    page.click("header button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.url == f"{base}/w/"
    page.click("header button[value=zh-hans]")
    page.wait_for_selector("html[lang=zh-CN]")

    # The spent link, opened again from the SMS in another browser: a clear page, not an error.
    stranger = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    spent = stranger.new_page()
    response = spent.goto(link)
    assert response.status == 410 and "该签署链接已使用过" in spent.content()
    fits(spent)
    shot(spent, "worker-10-link-used-360")
    stranger.close()
    sms_context.close()
    context.close()
