"""The whole spine, headless, through the real flow: ``python manage.py demo --out DIR``.

Employer HR drafts and starts, the signatory approves, the platform seals and
texts the worker; the worker proves identity (name + ID + SMS code read from
the outbox), confirms intent with a second code and signs; the platform signs,
archives at B-LTA, notifies and files. Later issues extend it with a dispute.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.test import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont
from viewflow.workflow.status import PROCESS

from contracts_platform.accounts.models import User
from contracts_platform.archive.models import EvidenceEvent
from contracts_platform.contracts.models import Contract, ModelText
from contracts_platform.contracts.services import contract_create
from contracts_platform.core.demo import demo_fields, seed_demo
from contracts_platform.notifications.models import OutboundMessage
from contracts_platform.parties.models import Worker

DEMO_META = {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": "heqian-demo/1.0 (headless)"}


@dataclass
class DemoResult:
    contract: Contract
    pdf: bytes
    summary: dict[str, Any] = field(default_factory=dict)
    evidence_zip: bytes | None = None


def _latest_sms(phone: str, template: str, since_pk: int) -> str:
    message = (OutboundMessage.objects.filter(recipient=phone, template=template, pk__gt=since_pk)
               .order_by("-pk").first())
    if message is None:
        raise RuntimeError(f"no {template} SMS to {phone} in the outbox")
    return message.body


def _code_from_outbox(phone: str, since_pk: int) -> str:
    return re.search(r"(\d{6})", _latest_sms(phone, "otp", since_pk)).group(1)


def handwriting_png(name: str) -> bytes:
    """A stand-in for the signature pad: the name written in a brush-like stroke."""
    from signing.appearance import find_cjk_font

    image = Image.new("RGBA", (420, 170), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    face = find_cjk_font()
    font = ImageFont.truetype(face.path, 96, index=face.index)
    draw.text((20, 20), name, font=font, fill=(20, 20, 30, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _wait_until_done(contract: Contract, timeout_s: float) -> Any:
    from workflows.services import signing_process_for

    deadline = time.monotonic() + timeout_s
    while True:
        process = signing_process_for(contract=contract)
        if process is not None and process.status != PROCESS.NEW:
            return process
        if time.monotonic() > deadline:
            raise RuntimeError(f"signing process of {contract.number} did not finish in {timeout_s:.0f} s")
        time.sleep(0.2)


def _wait_for_sms(phone: str, template: str, since_pk: int, timeout_s: float) -> str:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return _latest_sms(phone, template, since_pk)
        except RuntimeError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@override_settings(HEQIAN_DEMO_OUTBOX=True)
def run_demo(*, timeout_s: float = 120.0) -> DemoResult:
    from contracts_platform.identity.invitations import invitation_mark_opened, invitation_resolve
    from contracts_platform.identity.models import OtpPurpose
    from contracts_platform.identity.services import identity_verify, otp_send, otp_verify
    from signing.django_app.models import SignedDocument
    from workflows import services

    employer = seed_demo()
    hr = User.objects.get(username="hr")
    signatory = User.objects.get(username="signatory")
    worker = Worker.objects.get(employer=employer, name="李晓明")
    start = timezone.localdate().replace(day=1) + dt.timedelta(days=32)
    contract = contract_create(
        employer=employer, worker=worker, model_text=ModelText.objects.get(contract_type="fixed_term", is_current=True),
        fields=demo_fields(start=start.replace(day=1)), user=hr, mark_ready=True, acknowledge_warnings=True)
    mark = OutboundMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    # employer HR starts, the signatory approves; the seal and the invitation follow in the background
    services.contract_signing_start(contract=contract, user=hr)
    services.approval_decide(contract=contract, user=signatory, approved=True, comment="同意")

    # the worker taps the SMS link, proves who they are, confirms intent and signs
    link_sms = _wait_for_sms(worker.phone, "signing_invitation", mark, timeout_s)
    token = re.search(r"/s/([A-Za-z0-9_-]+)/", link_sms).group(1)
    invitation = invitation_mark_opened(invitation=invitation_resolve(token=token), request_meta=DEMO_META)
    identity = identity_verify(invitation=invitation, claimed_name=worker.name, claimed_id_number=worker.id_number,
                               request_meta=DEMO_META)
    if not identity.ok:
        raise RuntimeError(f"identity check failed: {identity.reasons}")
    codes = {}
    for purpose in (OtpPurpose.IDENTITY, OtpPurpose.SIGNING):
        before = OutboundMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        otp_send(phone=worker.phone, purpose=purpose, subject=contract)
        otp_verify(phone=worker.phone, purpose=purpose, code=_code_from_outbox(worker.phone, before))
        codes[str(purpose)] = timezone.now().isoformat()
    intent = {"method": "sms_otp", "identity_method": identity.method, "otp_passed_at": codes,
              "read_to_end": True, **{"ip": DEMO_META["REMOTE_ADDR"], "user_agent": DEMO_META["HTTP_USER_AGENT"]}}
    services.worker_sign(invitation=invitation, signature_png=handwriting_png(worker.name), intent=intent)

    process = _wait_until_done(contract, timeout_s)
    contract.refresh_from_db()
    archived = SignedDocument.objects.get(version=contract.current_version, stage="archived")
    from contracts_platform.archive.store import archive_get

    pdf = archive_get(archived.pdf_id)
    summary = {
        "contract_number": contract.number, "status": contract.status, "process_status": process.status,
        "employer": employer.name, "worker": worker.name,
        "signers": {"employer_seal": employer.name, "worker_signature": worker.name},
        "terms_sha256": contract.current_version.terms_sha256, "pdf_sha256": archived.pdf_id,
        "pdf_bytes": len(pdf),
        "event_count": EvidenceEvent.objects.filter(subject_type="contract", subject_id=str(contract.pk)).count(),
    }
    return DemoResult(contract=contract, pdf=pdf, summary=summary)


def add_dispute(result: DemoResult) -> DemoResult:
    """After signing: a wage-arrears dispute about the contract, accepted, routed, assigned; its package."""
    from contracts_platform.disputes.demo import run_dispute_demo

    dispute = run_dispute_demo(result.contract)
    result.evidence_zip = dispute.pop("package_bytes")
    result.summary.update(dispute)
    result.summary["event_count"] = EvidenceEvent.objects.filter(
        subject_type="contract", subject_id=str(result.contract.pk)).count()
    return result


def write_demo(out: Path, result: DemoResult) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "contract.pdf").write_bytes(result.pdf)
    if result.evidence_zip is not None:
        (out / "evidence.zip").write_bytes(result.evidence_zip)
    (out / "summary.json").write_text(json.dumps(result.summary, ensure_ascii=False, indent=2) + "\n",
                                      encoding="utf-8")
