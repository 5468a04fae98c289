"""The Chinese verification report (``verification/report.pdf``) an arbitrator reads.

Rendered like the contract (``documents.rendering``): WeasyPrint with the locked
URL fetcher (no network, no files), an explicitly named Noto CJK family so
fontconfig cannot substitute another face, a cached font configuration and
stylesheet. Always rendered in Chinese (``zh-hans``), whatever the builder's
language: it is an exhibit for a Chinese tribunal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.template.loader import get_template
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from contracts_platform.accounts.models import Role
from contracts_platform.documents.fetcher import LockedURLFetcher
from signing import format_beijing_time

TEMPLATE_NAME = "documents/evidence_report.html"
CSS_PATH = Path(__file__).resolve().parent / "assets" / "evidence_report.css"
REPORT_LANGUAGE = "zh-hans"
_RENDER_LOCK = threading.Lock()

ROLE_LABELS = {
    "employer_seal": _("用人单位电子印章"),
    "worker_signature": _("劳动者电子签名"),
    "document_timestamp": _("归档时间戳"),
}

EVENT_LABELS = {
    "contract.version_created": _("合同版本创建"),
    "contract.version_rendered": _("生成合同 PDF"),
    "contract.preview_viewed": _("查看合同预览"),
    "contract.effective": _("合同生效"),
    "contract.filed": _("劳动用工备案"),
    "signing.started": _("发起签署流程"),
    "signing.statutory_rechecked": _("法定条款复核"),
    "signing.approved": _("签署人审批同意"),
    "signing.returned": _("签署人退回修改"),
    "signing.worker_signed": _("劳动者确认签署"),
    "signing.worker_declined": _("劳动者拒签"),
    "signing.withdrawn": _("用人单位撤回"),
    "signing.expired": _("签署邀请过期"),
    "signing.page_viewed": _("劳动者打开签署页"),
    "signing.read_to_end": _("劳动者阅读合同至末页"),
    "signing.intent_confirmed": _("劳动者确认签署意愿"),
    "signature.employer_sealed": _("用人单位加盖电子印章"),
    "signature.worker_signed": _("劳动者电子签名完成"),
    "signature.archived": _("归档并加盖长期验证时间戳"),
    "invitation.created": _("发出签署邀请"),
    "invitation.opened": _("签署链接被打开"),
    "invitation.used": _("签署邀请已使用"),
    "invitation.revoked": _("签署邀请作废"),
    "identity.checked": _("身份核验"),
    "otp.sent": _("发送短信验证码"),
    "otp.passed": _("短信验证码验证通过"),
    "otp.failed": _("短信验证码验证失败"),
    "notification.queued": _("通知排队发送"),
    "notification.sent": _("通知已发出"),
    "notification.delivered": _("通知已送达"),
    "notification.failed": _("通知发送失败"),
    "worker.pdf_downloaded": _("劳动者下载合同"),
    "evidence.package_downloaded": _("证据包被下载"),
}

# Actor labels in the chain are "<role>:<user id>" or "system" (archive.services.actor_label_for).
ACTOR_LABELS = {"system": _("平台"), **{role.value: role.label for role in Role}}

# Machine values in payloads an arbitrator should read in words; anything else is shown as stored.
VALUE_LABELS = {
    "passed": _("通过"),
    "failed": _("未通过"),
    "checksum+record": _("身份证号校验与登记信息比对"),
    "sms_otp": _("短信验证码"),
    "login": _("登录"),
    "signing": _("签署劳动合同"),
    "declining": _("拒签劳动合同"),
    "identity": _("身份核验"),
    "signing_invitation": _("签署邀请短信"),
    "signing_reminder": _("签署提醒短信"),
    "otp:identity": _("验证码短信（身份核验）"),
    "otp:signing": _("验证码短信（签署）"),
    "otp:declining": _("验证码短信（拒签）"),
    "otp:login": _("验证码短信（登录）"),
    "contract_completed": _("合同生效通知"),
}

# Payload keys worth a line in the timeline, in display order; everything else stays in events.jsonl.
_DETAIL_KEYS = {
    "method": _("方式"),
    "result": _("结果"),
    "purpose": _("用途"),
    "recipient": _("接收方"),
    "phone": _("手机"),
    "id_number": _("身份证号"),
    "comment": _("意见"),
    "reason": _("原因"),
    "ip": _("IP"),
    "pdf_sha256": _("PDF"),
    "case_ref": _("案号"),
}


@dataclass(frozen=True)
class ReportFacts:
    """What the report states; built by the package builder from masked data only."""

    contract_number: str
    version_no: int
    terms_sha256: str
    pdf_sha256: str
    case_ref: str
    built_at: dt.datetime
    employer: dict[str, str]
    worker: dict[str, str]
    verification: dict[str, Any]
    events: list[dict[str, Any]]
    """Each: seq, occurred_at (datetime), event_type, actor_label, payload (masked dict), anchored (bool)."""
    roots: list[dict[str, Any]]
    """Each: day, root, timestamped (bool), gen_time (datetime | None)."""
    actor_names: dict[str, str]
    """User id (as in actor labels) -> display name, for the timeline."""


def _actor(label: str, names: dict[str, str]) -> str:
    """``employer_hr:1`` -> 用人单位人事 王芳（用户 1）; ``names`` maps user ids to display names."""
    role, _sep, ident = label.partition(":")
    role_name = ACTOR_LABELS.get(role)
    if role_name is None:
        return label
    if not ident:
        return str(role_name)
    person = names.get(ident, "")
    return f"{role_name} {person}（{_('用户')} {ident}）" if person else f"{role_name}（{_('用户')} {ident}）"


_COMMON_NAME = re.compile(r"Common Name: (.*?)(?:, [A-Z][A-Za-z ]*: |$)")


def _tsa_name(human: str | None) -> str:
    """``Common Name: X, Organization: Y, Country: CN`` (asn1crypto's human_friendly) -> X."""
    if not human:
        return ""
    match = _COMMON_NAME.search(human)
    return match.group(1) if match else human


def _moment(value: str | dt.datetime | None) -> str:
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return format_beijing_time(moment)


def _details(payload: dict[str, Any]) -> str:
    parts = []
    for key, label in _DETAIL_KEYS.items():
        value = payload.get(key)
        if value in (None, "", [], {}):
            continue
        text = str(VALUE_LABELS.get(value, value)) if isinstance(value, str) else str(value)
        if key.endswith("sha256"):
            text = text[:16] + "…"
        parts.append(f"{label}：{text}")
    return "；".join(parts)


def report_context(facts: ReportFacts) -> dict[str, Any]:
    verification = facts.verification
    signatures = []
    for sig in verification.get("signatures", []):
        signer = sig.get("signer") or {}
        org_id = (signer.get("organisation_identifier") or "").removeprefix("NTRCN-")
        signatures.append({
            "role": ROLE_LABELS.get(sig["role"], sig["role"]),
            "signer": signer.get("common_name") or signer.get("organisation") or "",
            "org_code": org_id,
            "time": _moment(sig.get("timestamp_time")),
            "tsa": _tsa_name(sig.get("tsa_name")),
            "ok": sig.get("ok"),
            "reasons": [r["message_zh"] for r in sig.get("reasons", [])],
        })
    reasons = list(dict.fromkeys(r["message_zh"] for r in verification.get("reasons", [])))
    events = [{
        "seq": e["seq"], "time": _moment(e["occurred_at"]),
        "label": EVENT_LABELS.get(e["event_type"], e["event_type"]), "event_type": e["event_type"],
        "actor": _actor(e["actor_label"], facts.actor_names), "details": _details(e["payload"]),
        "anchored": e["anchored"],
    } for e in facts.events]
    return {
        "contract_number": facts.contract_number, "version_no": facts.version_no,
        "terms_sha256": facts.terms_sha256, "pdf_sha256": facts.pdf_sha256, "case_ref": facts.case_ref,
        "built_at": _moment(facts.built_at), "verified_at": _moment(verification.get("verified_at")),
        "employer": facts.employer, "worker": facts.worker, "ok": verification.get("ok"), "reasons": reasons,
        "signatures": signatures, "events": events, "event_count": len(events),
        "anchored_count": sum(1 for e in events if e["anchored"]),
        "roots": [{"day": r["day"], "root": r["root"], "timestamped": r["timestamped"],
                   "gen_time": _moment(r.get("gen_time"))} for r in facts.roots],
    }


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@lru_cache(maxsize=1)
def _stylesheet() -> CSS:
    # An empty locked fetcher: a url() creeping into the stylesheet fails here, loudly.
    return CSS(string=CSS_PATH.read_text(encoding="utf-8"), font_config=_font_config(),
               url_fetcher=LockedURLFetcher())


def render_report_html(facts: ReportFacts) -> str:
    with translation.override(REPORT_LANGUAGE):
        return get_template(TEMPLATE_NAME).render(report_context(facts))


def render_report_pdf(facts: ReportFacts) -> bytes:
    """The report PDF; the same facts give the same bytes (dates and the file ID come from the facts)."""
    html = render_report_html(facts)
    seed = f"heqian:evidence-report:{facts.pdf_sha256}:{facts.case_ref}:{facts.built_at.isoformat()}"
    identifier = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32].encode("ascii")
    with _RENDER_LOCK:
        document = HTML(string=html, url_fetcher=LockedURLFetcher()).render(
            font_config=_font_config(), stylesheets=[_stylesheet()])
        stamp = facts.built_at.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
        document.metadata.created = document.metadata.modified = stamp
        document.metadata.authors = []
        return document.write_pdf(pdf_identifier=identifier)
