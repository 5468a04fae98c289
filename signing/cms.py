"""Detached CMS (PKCS #7) signatures over evidence manifests.

:func:`sign_detached` produces a DER ``.p7s`` over arbitrary bytes (typically
the canonical-JSON evidence manifest) with pyHanko's general-data signer: CAdES
signed attributes (content type, message digest, signing-certificate-v2) and,
when a time-stamper is given, an RFC 3161 signature timestamp as unsigned
attribute. ``openssl cms -verify -binary -content manifest.json -inform DER
-in manifest.p7s -CAfile chain.pem -purpose any`` accepts it.

:func:`verify_detached` checks it with pyHanko (digest, signature, chain with
revocation, timestamp) and returns a :class:`DetachedVerification`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from asn1crypto import cms as asn1_cms
from cryptography import x509
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.validation import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext

from ._convert import asn1_certs, asn1_crls, jsonable
from .identity import SigningIdentity
from .verify import Reason, ReasonCode, SubjectInfo, subject_info

__all__ = ["DetachedVerification", "sign_detached", "verify_detached"]


def sign_detached(data: bytes, signer: SigningIdentity, timestamper: TimeStamper | None = None) -> bytes:
    """DER CMS SignedData over ``data`` (not embedded), optionally with a signature timestamp."""

    async def run() -> asn1_cms.ContentInfo:
        return await signer.pyhanko_signer.async_sign_general_data(
            data,
            signer.digest_algorithm,
            detached=True,
            use_cades=True,
            timestamper=timestamper,
        )

    return asyncio.run(run()).dump()


@dataclass(frozen=True)
class DetachedVerification:
    ok: bool
    intact: bool
    valid: bool
    trusted: bool
    signer: SubjectInfo | None
    timestamp_time: datetime | None
    timestamp_trusted: bool
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        return jsonable(asdict(self))


def verify_detached(
    data: bytes,
    signature: bytes,
    *,
    trust_roots: Sequence[x509.Certificate | bytes],
    crls: Sequence[x509.CertificateRevocationList | bytes] = (),
    revocation_mode: str = "soft-fail",
    require_timestamp: bool = False,
) -> DetachedVerification:
    """Verify a detached CMS signature over ``data``.

    ``revocation_mode`` defaults to soft-fail because manifests are signed by
    the platform's own key, whose CRL the caller may not pass; use
    ``"hard-fail"`` with ``crls`` for the strict check.
    """
    try:
        content_info = asn1_cms.ContentInfo.load(signature)
        if content_info["content_type"].native != "signed_data":
            raise ValueError("not a SignedData")
        signed_data = content_info["content"]
        # Touch what validation needs instead of `.native`: a full native
        # conversion of a CMS object is pathologically slow in asn1crypto
        # (seconds), while these accesses parse lazily.
        signed_data["signer_infos"][0]["signed_attrs"]
        signed_data["certificates"]
    except Exception as exc:  # asn1crypto raises a variety of errors on garbage
        return DetachedVerification(
            False, False, False, False, None, None, False, (Reason.of(ReasonCode.SIGNATURE_UNREADABLE, None, str(exc)),)
        )

    vc = ValidationContext(
        trust_roots=asn1_certs(trust_roots),
        crls=asn1_crls(crls),
        allow_fetching=False,
        revocation_mode=revocation_mode,
        moment=datetime.now(UTC),
    )

    async def run() -> Any:
        try:
            return await async_validate_detached_cms(data, signed_data, signer_validation_context=vc)
        finally:
            await vc.aclose()

    try:
        status = asyncio.run(run())
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        return DetachedVerification(
            False, False, False, False, None, None, False, (Reason.of(ReasonCode.SIGNATURE_UNREADABLE, None, str(exc)),)
        )
    reasons: list[Reason] = []
    if not status.intact:
        reasons.append(Reason.of(ReasonCode.NOT_INTACT))
    elif not status.valid:
        reasons.append(Reason.of(ReasonCode.SIGNATURE_INVALID))
    elif not status.trusted:
        code = ReasonCode.CERT_REVOKED if status.revoked else ReasonCode.CERT_UNTRUSTED
        reasons.append(Reason.of(code, detail=status.trust_problem_indic.name if status.trust_problem_indic else None))
    tst = status.timestamp_validity
    ts_ok = bool(tst is not None and tst.intact and tst.valid and tst.trusted)
    if tst is not None and not ts_ok:
        reasons.append(Reason.of(ReasonCode.TIMESTAMP_INVALID))
    elif tst is None and require_timestamp:
        reasons.append(Reason.of(ReasonCode.NOT_TIMESTAMPED))
    return DetachedVerification(
        ok=not reasons,
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        signer=subject_info(status.signing_cert.subject),
        timestamp_time=tst.timestamp if tst is not None else None,
        timestamp_trusted=ts_ok,
        reasons=tuple(reasons),
    )
