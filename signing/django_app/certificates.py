"""Employer and worker certificates: issue on demand, load as signing identities.

Internal to the app; the public writes are in ``services``.
"""

from __future__ import annotations

from datetime import timedelta

from cryptography.x509.oid import NameOID
from django.db import IntegrityError, transaction
from django.utils import timezone

from contracts_platform.accounts.models import User
from contracts_platform.archive.store import archive_put
from contracts_platform.contracts.models import ContractVersion
from contracts_platform.parties.models import Employer
from signing import (
    SigningIdentity,
    issue_organisation_certificate,
    issue_personal_certificate,
    pseudonymise_id_number,
    render_company_seal,
)
from signing.django_app import events
from signing.django_app.models import AuthorityKind, EmployerCertificate, PlatformAuthority, WorkerCertificate
from signing.django_app.pki import (
    certificate_fields,
    certified,
    current_authority,
    load_certificate,
    pki_url,
    pseudonym_key,
    signing_identity,
)

EMPLOYER_CERT_VALIDITY = timedelta(days=365 * 2)
# Renew ahead of expiry so no seal is ever made with a certificate about to lapse.
EMPLOYER_RENEW_BEFORE = timedelta(days=30)
# A worker key signs exactly one document, within minutes of issuance; a week
# leaves room for a delayed retry of the archive step. Signatures are validated
# at their timestamp time, so expiry never invalidates a signed contract.
WORKER_CERT_VALIDITY = timedelta(days=7)


def _current_employer_certificate(employer: Employer) -> EmployerCertificate | None:
    return (EmployerCertificate.objects.filter(employer=employer, revoked_at__isnull=True,
                                               superseded_at__isnull=True)
            .select_related("issuer", "employer").first())


def employer_certificate_current(*, employer: Employer, actor: User | None = None) -> EmployerCertificate:
    """The employer's usable organisation certificate, issuing one if there is none (or it expires soon).

    A new certificate keeps the seal image of the one it replaces (an uploaded
    seal survives re-issuance); the very first one, or one for a renamed
    employer without an uploaded seal, gets a freshly drawn seal.
    """
    now = timezone.now()
    cert = _current_employer_certificate(employer)
    if cert is not None and cert.not_after - EMPLOYER_RENEW_BEFORE > now and _names_match(cert, employer):
        return cert
    issuer_row = current_authority(AuthorityKind.ISSUING)
    issued = issue_organisation_certificate(
        certified(issuer_row, with_key=True), company_name=employer.name, credit_code=employer.credit_code,
        crl_url=pki_url("issuing.crl"), issuer_url=pki_url("issuing.crt"), validity=EMPLOYER_CERT_VALIDITY)
    previous = cert or EmployerCertificate.objects.filter(employer=employer).order_by("-created").first()
    # An uploaded seal is the employer's own and stays; a generated one is redrawn if the name changed.
    keep_seal = previous is not None and (previous.seal_uploaded or _names_match(previous, employer))
    seal_png = None if keep_seal else render_company_seal(employer.name)
    try:
        with transaction.atomic():
            if cert is not None:
                # Expiring soon or renamed: superseded, not revoked -- what it signed stays valid.
                EmployerCertificate.objects.filter(pk=cert.pk, superseded_at__isnull=True).update(superseded_at=now)
            seal = (previous.seal if keep_seal and previous is not None
                    else archive_put(seal_png, content_type="image/png"))  # type: ignore[arg-type]
            new = EmployerCertificate.objects.create(
                employer=employer, issuer=issuer_row, seal=seal,
                seal_uploaded=bool(keep_seal and previous is not None and previous.seal_uploaded),
                **certificate_fields(issued))
            events.employer_certificate_issued_event(certificate=new, actor=actor)
    except IntegrityError:
        # A concurrent first seal issued one meanwhile (one current certificate per employer).
        winner = _current_employer_certificate(employer)
        if winner is None:
            raise
        return winner
    return new


def _names_match(cert: EmployerCertificate, employer: Employer) -> bool:
    # A renamed employer must not go on sealing under its old name: re-issue (the old one is superseded).
    subject = load_certificate(cert.certificate_pem).subject
    names = [a.value for a in subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    codes = [a.value for a in subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)]
    return names == [employer.name] and codes == [f"NTRCN-{employer.credit_code.strip().upper()}"]


def employer_identity(certificate: EmployerCertificate) -> SigningIdentity:
    return _identity(certificate.certificate_pem, certificate.encrypted_key, certificate.fingerprint_sha256,
                     certificate.issuer)


def worker_identity(certificate: WorkerCertificate) -> SigningIdentity:
    return _identity(certificate.certificate_pem, certificate.encrypted_key, certificate.fingerprint_sha256,
                     certificate.issuer)


def _identity(pem: str, key: bytes, fp: str, issuer: PlatformAuthority) -> SigningIdentity:
    return signing_identity(certificate_pem=pem, encrypted_key=key, fingerprint_sha256=fp,
                            chain_pem=issuer.certificate_pem.encode("ascii"))


def worker_certificate_for(*, version: ContractVersion) -> WorkerCertificate:
    """The personal certificate for the worker signing ``version``.

    A retry of an interrupted signing reuses the certificate issued for the
    version rather than minting a second one for the same act, unless it has
    meanwhile expired (or nearly) or been revoked; then a new one is issued and
    the old row stays as a record.
    """
    worker = version.contract.worker
    latest = (WorkerCertificate.objects.filter(version=version).select_related("issuer")
              .order_by("-created").first())
    if latest is not None:
        revoked = latest.issuer.revocations.filter(serial=latest.serial).exists()
        if not revoked and latest.not_after - timedelta(hours=1) > timezone.now():
            return latest
    issuer_row = current_authority(AuthorityKind.ISSUING)
    pseudonym = pseudonymise_id_number(worker.id_number, key=pseudonym_key())
    issued = issue_personal_certificate(
        certified(issuer_row, with_key=True), name=worker.name, id_pseudonym=pseudonym,
        crl_url=pki_url("issuing.crl"), issuer_url=pki_url("issuing.crt"), validity=WORKER_CERT_VALIDITY)
    return WorkerCertificate.objects.create(worker=worker, version=version, issuer=issuer_row, pseudonym=pseudonym,
                                            **certificate_fields(issued))
