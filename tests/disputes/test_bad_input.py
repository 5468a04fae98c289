"""Bad input on the filing and reporting pages: a clear message on the page, nothing saved."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from contracts_platform.archive.models import EvidenceEvent, StoredObject
from contracts_platform.disputes.models import ArrearsComplaint, CaseDocument, Claim, DisputeCase
from contracts_platform.disputes.services import AMOUNT_INVALID, AMOUNT_NEGATIVE, AMOUNT_TOO_LARGE
from contracts_platform.disputes.uploads import MAX_UPLOAD_BYTES, UPLOAD_BAD_TYPE, UPLOAD_TOO_BIG, sniff
from tests.disputes.conftest import REGION, latest_code

pytestmark = [pytest.mark.django_db(transaction=True)]


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (10, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def filing(contract, **overrides):
    data = {"contract": str(contract.pk), "facts": "拖欠工资两个月。",
            "claims-TOTAL_FORMS": "3", "claims-INITIAL_FORMS": "0", "claims-MIN_NUM_FORMS": "0",
            "claims-MAX_NUM_FORMS": "6", "claims-0-claim_type": "unpaid_wages", "claims-0-amount": "8600.00",
            "claims-0-note": "", "claims-1-claim_type": "", "claims-1-amount": "", "claims-2-claim_type": "",
            "claims-2-amount": ""}
    data.update(overrides)
    return data


def nothing_saved(stored_before: int, events_before: int) -> None:
    assert not DisputeCase.objects.exists() and not Claim.objects.exists() and not CaseDocument.objects.exists()
    assert StoredObject.objects.count() == stored_before
    assert EvidenceEvent.objects.count() == events_before


@pytest.fixture
def worker_client(client, li_user, signed_contract):
    client.force_login(li_user)
    return client


@pytest.mark.parametrize("amount, message", [
    ("abc", AMOUNT_INVALID), ("-5", AMOUNT_NEGATIVE), ("100000000000", AMOUNT_TOO_LARGE),
    ("1e20", AMOUNT_TOO_LARGE), ("12.345", "金额最多保留两位小数"), ("NaN", AMOUNT_INVALID),
])
def test_bad_amounts_are_explained_and_nothing_is_saved(worker_client, signed_contract, amount, message):
    stored, events = StoredObject.objects.count(), EvidenceEvent.objects.count()
    response = worker_client.post("/w/disputes/new/", filing(signed_contract, **{"claims-0-amount": amount}))
    assert response.status_code == 200
    assert message in response.content.decode()
    nothing_saved(stored, events)


def test_a_claim_type_without_amount_and_no_claims_at_all(worker_client, signed_contract):
    response = worker_client.post("/w/disputes/new/", filing(signed_contract, **{"claims-0-amount": ""}))
    assert "请填写金额" in response.content.decode()
    response = worker_client.post("/w/disputes/new/", filing(signed_contract, **{"claims-0-claim_type": "",
                                                                                 "claims-0-amount": ""}))
    assert "请至少填写一项仲裁请求" in response.content.decode()
    assert not DisputeCase.objects.exists()


@pytest.mark.parametrize("name, body", [
    ("photo.jpg", b"MZ\x90\x00 this is a Windows program"),
    ("scan.pdf", b"<html><script>alert(1)</script></html>"),
    ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
])
def test_wrong_file_types_are_refused_by_their_bytes(worker_client, signed_contract, name, body):
    stored, events = StoredObject.objects.count(), EvidenceEvent.objects.count()
    good = SimpleUploadedFile("ok.jpg", jpeg(), content_type="image/jpeg")
    bad = SimpleUploadedFile(name, body, content_type="image/jpeg")
    response = worker_client.post("/w/disputes/new/", {**filing(signed_contract), "files": [good, bad]})
    page = response.content.decode()
    assert response.status_code == 200 and name in page
    assert ("不是支持的文件类型" in page) or ("图片已损坏" in page)
    nothing_saved(stored, events)  # the good file in the same batch is not kept either


def test_an_oversized_upload_is_refused(worker_client, signed_contract):
    stored, events = StoredObject.objects.count(), EvidenceEvent.objects.count()
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * MAX_UPLOAD_BYTES, content_type="application/pdf")
    response = worker_client.post("/w/disputes/new/", {**filing(signed_contract), "files": [big]})
    assert "超过 8 MB" in response.content.decode()
    nothing_saved(stored, events)


def test_someone_elses_contract_cannot_be_chosen(client, li_user, signed_contract, rival_worker, rival, rival_hr,
                                                 outbox):
    from tests.disputes.conftest import worker_account

    stranger = worker_account(rival_worker)
    client.force_login(stranger)
    response = client.post("/w/disputes/new/", filing(signed_contract))
    assert response.status_code == 200 and "选择" in response.content.decode()
    assert not DisputeCase.objects.exists()


def test_a_good_filing_with_photos_is_saved(worker_client, signed_contract):
    photo = SimpleUploadedFile("欠条.jpg", jpeg(), content_type="application/octet-stream")
    response = worker_client.post("/w/disputes/new/", {**filing(signed_contract), "files": [photo]})
    case = DisputeCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/w/disputes/{case.pk}/"
    document = CaseDocument.objects.get(case=case)
    assert document.content_type == "image/jpeg" and document.filename == "欠条.jpg"


def test_sniffing_ignores_names_and_declared_types():
    assert sniff(jpeg()) == "image/jpeg"
    assert sniff(b"%PDF-1.4 ...") == "application/pdf"
    assert sniff(b"\x00\x00\x00\x18ftypheic\x00\x00") == "image/heic"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff(b"GIF89a") is None and sniff(b"") is None


def arrears_post(**overrides):
    data = {"phone": "13912340000", "code": "", "project_name": "安置房二期", "employer_name": "某建筑劳务公司",
            "district": REGION, "amount": "64000", "months_owed": "3", "workers_affected": "8",
            "reporter_name": "", "description": "", "action": "submit"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("field, value, message", [
    ("amount", "abc", AMOUNT_INVALID), ("amount", "-1", AMOUNT_NEGATIVE), ("amount", "0", "拖欠金额应大于 0"),
    ("amount", "999999999999", AMOUNT_TOO_LARGE), ("district", "3701", "行政区划代码应为6位数字"),
    ("months_owed", "0", "大于或等于1"), ("workers_affected", "many", "整数"), ("phone", "12345", "手机号码格式不正确"),
])
def test_arrears_report_bad_input(client, officer, outbox, field, value, message):
    if field != "phone":
        client.post("/arrears/new/", arrears_post(action="send_code"))
        code = latest_code("13912340000")
    else:
        code = "123456"
    response = client.post("/arrears/new/", arrears_post(code=code, **{field: value}))
    assert response.status_code == 200 and message in response.content.decode()
    assert not ArrearsComplaint.objects.exists()


def test_arrears_report_wrong_code_then_right_code(client, officer, outbox):
    response = client.post("/arrears/new/", arrears_post(action="send_code"))
    assert "验证码已发送" in response.content.decode()
    response = client.post("/arrears/new/", arrears_post(code="000000"))
    assert "验证码不正确" in response.content.decode() and not ArrearsComplaint.objects.exists()
    response = client.post("/arrears/new/", arrears_post(code=latest_code("13912340000")))
    complaint = ArrearsComplaint.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/arrears/t/{complaint.public_token}/"
    page = client.get(response["Location"]).content.decode()
    assert complaint.number in page and "13912340000" not in page
    assert client.get("/arrears/t/not-a-token/").status_code == 404


def test_the_messages_are_translated_constants():
    # Messages shown above are the msgids; English users get the catalogue's text.
    assert UPLOAD_BAD_TYPE and UPLOAD_TOO_BIG
