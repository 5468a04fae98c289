"""Certificate authority primitives built on ``cryptography``.

Hierarchy (two tiers, as a small private CA would run it)::

    root CA (pathlen 1, offline, long-lived)
      └── issuing CA (pathlen 0, CRL DP -> root CRL)
            ├── TSA certificate (critical EKU timeStamping)
            ├── organisation certificate (one per employer)
            └── personal certificate (one per worker, ~30 days)

Subject conventions
    * Organisation: ``C=CN, O=<company>, CN=<company>,
      organizationIdentifier=NTRCN-<unified social credit code>``.
      organizationIdentifier (2.5.4.97) with the ``NTR`` + country prefix is the
      ETSI EN 319 412-1 §5.1.4 semantics for a national trade-register number,
      which is what the 统一社会信用代码 is; it keeps O/CN free for the human name
      and is machine-recognisable. (``serialNumber`` is reserved for the worker
      pseudonym below, so the two roles never collide.)
    * Person: ``C=CN, CN=<name>, serialNumber=IDH-<32 hex>`` where the value is a
      keyed HMAC of the resident ID number (:func:`pseudonymise_id_number`).
      A plain hash would be brute-forced in minutes (the ID space is ~10^11),
      and the certificate is embedded in every PDF the worker signs.

Signer certificates carry a critical KeyUsage of digitalSignature +
nonRepudiation: pyHanko requires nonRepudiation by default and reports its
absence misleadingly as "no path to trust anchor" (docs/pdf_signing.md,
pitfall 2).

Revocation is a record the caller persists (:class:`RevocationEntry`);
:func:`build_crl` turns the current list into a signed CRL.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from .errors import CertificateProfileError
from .keys import PrivateKey, encrypt_private_key, generate_private_key

__all__ = [
    "CertifiedKey",
    "RevocationEntry",
    "build_crl",
    "create_issuing_ca",
    "create_root_ca",
    "issue_organisation_certificate",
    "issue_personal_certificate",
    "issue_tsa_certificate",
    "pseudonymise_id_number",
]

_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
# Backdate notBefore a little so that a verifier whose clock lags ours by a few
# minutes does not see a "not yet valid" certificate right after issuance.
_BACKDATE = timedelta(minutes=5)


@dataclass(frozen=True)
class CertifiedKey:
    """A certificate and (when we hold it) its private key."""

    certificate: x509.Certificate
    private_key: PrivateKey | None = field(default=None, repr=False)

    @property
    def serial_number(self) -> int:
        return self.certificate.serial_number

    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def certificate_der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    def encrypted_key_pem(self, passphrase: bytes | str) -> bytes:
        """The private key as encrypted PKCS#8 PEM, for persisting next to the certificate."""
        if self.private_key is None:
            raise CertificateProfileError("no private key held for this certificate")
        return encrypt_private_key(self.private_key, passphrase)

    def require_key(self) -> PrivateKey:
        if self.private_key is None:
            raise CertificateProfileError(
                f"private key of {self.certificate.subject.rfc4514_string()} is not available"
            )
        return self.private_key


@dataclass(frozen=True)
class RevocationEntry:
    """One revoked certificate, as the caller persists it."""

    serial_number: int
    revoked_at: datetime
    """When the certificate stopped being trustworthy (timezone-aware)."""
    reason: x509.ReasonFlags | None = None


def _now(now: datetime | None) -> datetime:
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    return now


def _hash_for(key: PrivateKey) -> hashes.HashAlgorithm:
    if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.key_size > 256:
        return hashes.SHA384()
    return hashes.SHA256()


def _ku(*, signer: bool = False, ca: bool = False, tsa: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signer or tsa,
        content_commitment=signer,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _build(
    *,
    subject: x509.Name,
    public_key: object,
    issuer: CertifiedKey | None,
    issuer_key: PrivateKey,
    not_before: datetime,
    not_after: datetime,
    ca: bool,
    path_length: int | None = None,
    key_usage: x509.KeyUsage,
    eku: Sequence[x509.ObjectIdentifier] = (),
    crl_url: str | None = None,
    issuer_url: str | None = None,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(public_key)  # type: ignore[arg-type]
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(
            x509.BasicConstraints(ca=ca, path_length=path_length if ca else None),
            critical=True,
        )
        .add_extension(key_usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)  # type: ignore[arg-type]
    )
    if issuer is not None:
        ski = issuer.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
    if eku:
        # RFC 3161 §2.3: the TSA EKU must be the only one and critical.
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=True)
    if crl_url:
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)]
            ),
            critical=False,
        )
    if issuer_url:
        builder = builder.add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(issuer_url)
                    )
                ]
            ),
            critical=False,
        )
    return builder.sign(issuer_key, _hash_for(issuer_key))


def _check_issuer(issuer: CertifiedKey) -> PrivateKey:
    bc = issuer.certificate.extensions.get_extension_for_class(x509.BasicConstraints).value
    if not bc.ca:
        raise CertificateProfileError("issuer certificate is not a CA")
    return issuer.require_key()


def _clamp(not_after: datetime, issuer: CertifiedKey) -> datetime:
    # A child must not outlive its issuer: validators reject such paths at the
    # moment the issuer expires anyway, and some reject them outright.
    return min(not_after, issuer.certificate.not_valid_after_utc)


def create_root_ca(
    common_name: str,
    *,
    organisation: str = "HeQian",
    key: PrivateKey | None = None,
    validity: timedelta = timedelta(days=365 * 20),
    now: datetime | None = None,
) -> CertifiedKey:
    """Self-signed root (pathlen 1, keyCertSign + cRLSign)."""
    key = key or generate_private_key()
    nb = _now(now) - _BACKDATE
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    cert = _build(
        subject=subject,
        public_key=key.public_key(),
        issuer=None,
        issuer_key=key,
        not_before=nb,
        not_after=nb + validity,
        ca=True,
        path_length=1,
        key_usage=_ku(ca=True),
    )
    return CertifiedKey(cert, key)


def create_issuing_ca(
    root: CertifiedKey,
    common_name: str,
    *,
    crl_url: str,
    issuer_url: str | None = None,
    organisation: str = "HeQian",
    key: PrivateKey | None = None,
    validity: timedelta = timedelta(days=365 * 10),
    now: datetime | None = None,
) -> CertifiedKey:
    """Issuing CA under ``root`` (pathlen 0). ``crl_url`` is where the *root's* CRL is published."""
    root_key = _check_issuer(root)
    key = key or generate_private_key()
    nb = _now(now) - _BACKDATE
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    cert = _build(
        subject=subject,
        public_key=key.public_key(),
        issuer=root,
        issuer_key=root_key,
        not_before=nb,
        not_after=_clamp(nb + validity, root),
        ca=True,
        path_length=0,
        key_usage=_ku(ca=True),
        crl_url=crl_url,
        issuer_url=issuer_url,
    )
    return CertifiedKey(cert, key)


def issue_tsa_certificate(
    issuer: CertifiedKey,
    common_name: str,
    *,
    crl_url: str,
    issuer_url: str | None = None,
    organisation: str = "HeQian",
    key: PrivateKey | None = None,
    validity: timedelta = timedelta(days=365 * 5),
    now: datetime | None = None,
) -> CertifiedKey:
    """Time-stamping unit certificate: digitalSignature, critical EKU timeStamping only."""
    issuer_key = _check_issuer(issuer)
    key = key or generate_private_key()
    nb = _now(now) - _BACKDATE
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    cert = _build(
        subject=subject,
        public_key=key.public_key(),
        issuer=issuer,
        issuer_key=issuer_key,
        not_before=nb,
        not_after=_clamp(nb + validity, issuer),
        ca=False,
        key_usage=_ku(tsa=True),
        eku=[ExtendedKeyUsageOID.TIME_STAMPING],
        crl_url=crl_url,
        issuer_url=issuer_url,
    )
    return CertifiedKey(cert, key)


def issue_organisation_certificate(
    issuer: CertifiedKey,
    *,
    company_name: str,
    credit_code: str,
    crl_url: str,
    issuer_url: str | None = None,
    key: PrivateKey | None = None,
    validity: timedelta = timedelta(days=365 * 2),
    now: datetime | None = None,
) -> CertifiedKey:
    """Employer seal certificate (see module docstring for the subject layout)."""
    issuer_key = _check_issuer(issuer)
    code = credit_code.strip().upper()
    if not _USCC_RE.match(code):
        raise CertificateProfileError(f"not a unified social credit code: {credit_code!r}")
    key = key or generate_private_key()
    nb = _now(now) - _BACKDATE
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, company_name),
            x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, f"NTRCN-{code}"),
            x509.NameAttribute(NameOID.COMMON_NAME, company_name),
        ]
    )
    cert = _build(
        subject=subject,
        public_key=key.public_key(),
        issuer=issuer,
        issuer_key=issuer_key,
        not_before=nb,
        not_after=_clamp(nb + validity, issuer),
        ca=False,
        key_usage=_ku(signer=True),
        crl_url=crl_url,
        issuer_url=issuer_url,
    )
    return CertifiedKey(cert, key)


def issue_personal_certificate(
    issuer: CertifiedKey,
    *,
    name: str,
    id_pseudonym: str,
    crl_url: str,
    issuer_url: str | None = None,
    key: PrivateKey | None = None,
    validity: timedelta = timedelta(days=30),
    now: datetime | None = None,
) -> CertifiedKey:
    """Short-lived worker certificate. ``id_pseudonym`` comes from :func:`pseudonymise_id_number`.

    The short validity is safe for long-lived contracts because signatures are
    validated at their timestamp time, not at "now" (see ``verify.py``).
    """
    issuer_key = _check_issuer(issuer)
    if re.fullmatch(r"\d{17}[\dXx]", id_pseudonym.strip()):
        # Defence in depth: the plain ID number must never land in a certificate.
        raise CertificateProfileError("id_pseudonym looks like a plain resident ID number")
    key = key or generate_private_key()
    nb = _now(now) - _BACKDATE
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, id_pseudonym),
        ]
    )
    cert = _build(
        subject=subject,
        public_key=key.public_key(),
        issuer=issuer,
        issuer_key=issuer_key,
        not_before=nb,
        not_after=_clamp(nb + validity, issuer),
        ca=False,
        key_usage=_ku(signer=True),
        crl_url=crl_url,
        issuer_url=issuer_url,
    )
    return CertifiedKey(cert, key)


def pseudonymise_id_number(id_number: str, *, key: bytes) -> str:
    """Stable, non-reversible pseudonym of a resident ID number for certificate subjects.

    ``key`` is a platform secret (≥ 32 random bytes, kept outside the database);
    the same ID always maps to the same pseudonym so that the platform can match
    a certificate to a person, while a third party holding the PDF cannot
    enumerate the ID space.
    """
    if len(key) < 16:
        raise ValueError("pseudonymisation key too short")
    normalised = id_number.strip().upper().encode("ascii")
    digest = hmac.new(key, b"heqian-id-v1:" + normalised, hashlib.sha256).hexdigest()
    return "IDH-" + digest[:32].upper()


def build_crl(
    issuer: CertifiedKey,
    revoked: Iterable[RevocationEntry],
    *,
    number: int,
    this_update: datetime | None = None,
    validity: timedelta = timedelta(days=7),
) -> x509.CertificateRevocationList:
    """A CRL signed by ``issuer`` listing ``revoked``; ``number`` must increase with every CRL issued.

    ``validity`` sets nextUpdate. Publish a new CRL before then: a hard-fail
    verifier rejects a stale one.
    """
    issuer_key = _check_issuer(issuer)
    tu = _now(this_update)
    ski = issuer.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.certificate.subject)
        .last_update(tu)
        .next_update(tu + validity)
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
    )
    for entry in revoked:
        if entry.revoked_at.tzinfo is None:
            raise ValueError("revocation times must be timezone-aware")
        rb = x509.RevokedCertificateBuilder().serial_number(entry.serial_number).revocation_date(entry.revoked_at)
        if entry.reason is not None:
            rb = rb.add_extension(x509.CRLReason(entry.reason), critical=False)
        builder = builder.add_revoked_certificate(rb.build())
    return builder.sign(issuer_key, _hash_for(issuer_key))
