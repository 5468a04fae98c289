"""The platform identity that signs evidence manifests: :func:`_platform_signer`.

The signing app has no platform signing identity yet (its PKI issues CA, TSA,
employer and worker certificates). Until it offers one, this module issues an
"evidence" certificate under the platform's current issuing CA, with the same
conventions as ``signing.pki`` (C/O/CN subject, critical KeyUsage
digitalSignature + nonRepudiation, CRL distribution point and CA-issuers URL of
the issuing CA) and keeps it in ``EvidenceSigner``, its key encrypted under
``HEQIAN_PKI_KEY``. Everything else in the app reaches the identity only through
``_platform_signer()``, so switching to a signing-app helper is a one-function change.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from contracts_platform.archive.services import evidence_append
from signing import CertifiedKey, SigningIdentity, generate_private_key
from signing.django_app.models import AuthorityKind, PlatformAuthority
from signing.django_app.pki import (
    certificate_fields,
    certified,
    current_authority,
    pki_url,
    signing_identity,
)

from .models import EvidenceSigner

EVIDENCE_CERT_VALIDITY = timedelta(days=365 * 2)
# Renew well before expiry: a manifest signed near the end of the certificate's life
# would stop verifying (the signing core validates detached signatures "now").
EVIDENCE_RENEW_BEFORE = timedelta(days=90)
# Same back-dating as signing.pki: a verifier whose clock lags a little must not see "not yet valid".
_BACKDATE = timedelta(minutes=5)
CERT_ISSUED_EVENT = "pki.evidence_cert_issued"


def _common_name() -> str:
    # A development certificate must never be mistaken for the production one.
    return "HeQian Evidence Service" if settings.PRODUCTION else "HeQian Development Evidence Service"


def _issue(issuer: CertifiedKey, *, now: datetime) -> CertifiedKey:
    key = generate_private_key()
    issuer_key = issuer.require_key()
    not_before = now - _BACKDATE
    not_after = min(not_before + EVIDENCE_CERT_VALIDITY, issuer.certificate.not_valid_after_utc)
    subject = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HeQian"),
                         x509.NameAttribute(NameOID.COMMON_NAME, _common_name())])
    issuer_ski = issuer.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer_ski), critical=False)
        .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            [x509.UniformResourceIdentifier(pki_url("issuing.crl"))], None, None, None)]), critical=False)
        .add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
            AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(pki_url("issuing.crt")))]),
            critical=False)
        .sign(issuer_key, hashes.SHA256())
    )
    return CertifiedKey(certificate, key)


def _usable(row: EvidenceSigner | None, issuer: PlatformAuthority, now: datetime) -> bool:
    if row is None or row.issuer_id != issuer.pk or row.not_after - EVIDENCE_RENEW_BEFORE <= now:
        return False
    return not issuer.revocations.filter(serial=row.serial).exists()


def evidence_signer_current() -> EvidenceSigner:
    """The current evidence certificate row, issuing a new one if there is none usable.

    A new one is issued when the current one nears expiry, was revoked, or was
    issued by an issuing CA that has since been rotated. Safe to race: one
    current row is a unique constraint, the loser uses the winner's row.
    """
    now = timezone.now()
    issuer = current_authority(AuthorityKind.ISSUING)
    row = EvidenceSigner.objects.filter(retired_at__isnull=True).select_related("issuer").first()
    if _usable(row, issuer, now):
        return row  # type: ignore[return-value]
    issued = _issue(certified(issuer, with_key=True), now=now)
    fields = certificate_fields(issued)
    try:
        with transaction.atomic():
            if row is not None:
                EvidenceSigner.objects.filter(pk=row.pk, retired_at__isnull=True).update(retired_at=now)
            new = EvidenceSigner.objects.create(issuer=issuer, **fields)
            evidence_append(event_type=CERT_ISSUED_EVENT, actor=None, subject_type="pki", subject_id="evidence",
                            payload={"certificate_serial": new.serial, "certificate_sha256": new.fingerprint_sha256,
                                     "subject": new.subject, "not_before": new.not_before.isoformat(),
                                     "not_after": new.not_after.isoformat(), "issuer_serial": issuer.serial})
    except IntegrityError:
        winner = EvidenceSigner.objects.filter(retired_at__isnull=True).select_related("issuer").first()
        if winner is None:
            raise
        return winner
    return new


def _platform_signer() -> tuple[SigningIdentity, EvidenceSigner]:
    """The identity that signs manifests, and its row (for the certificate in ``pki/evidence.pem``)."""
    row = evidence_signer_current()
    identity = signing_identity(certificate_pem=row.certificate_pem, encrypted_key=row.encrypted_key,
                                fingerprint_sha256=row.fingerprint_sha256,
                                chain_pem=row.issuer.certificate_pem.encode("ascii"))
    return identity, row
