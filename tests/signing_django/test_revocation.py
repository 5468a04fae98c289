"""Employer certificate revocation: CRL publication, re-issuance, before/after verdicts."""

from __future__ import annotations

import time

import pytest
from cryptography import x509
from django.core.management import CommandError, call_command
from django.utils import timezone

from contracts_platform.archive.models import EvidenceEvent
from contracts_platform.archive.store import archive_get
from contracts_platform.contracts.models import ModelText
from contracts_platform.contracts.services import contract_create
from contracts_platform.documents.services import contract_version_render, rendered_pdf_bytes
from signing import FieldBox, ReasonCode, seal_as_employer
from signing.django_app.certificates import employer_identity
from signing.django_app.models import EmployerCertificate, Revocation
from signing.django_app.pki import serials_from_this_connection, signing_timestamper
from signing.django_app.services import contract_verification, employer_seal_apply
from tests.contracts.factories import valid_fields

pytestmark = pytest.mark.django_db


def _next_second() -> None:
    # CRL revocation times have whole seconds; start the revocation in a fresh second so
    # that a signature timestamped just before it is unambiguously earlier.
    time.sleep(1.02 - (timezone.now().microsecond / 1_000_000))


def _new_version(acme, li, hr, job: str):
    model_text = ModelText.objects.get(contract_type="fixed_term", is_current=True)
    return contract_create(employer=acme, worker=li, model_text=model_text, fields=valid_fields(job_title=job),
                           user=hr).current_version


class TestEmployerRevocation:
    def test_revoke_command_publishes_crl_and_next_seal_gets_new_certificate(self, sealed, acme, li, hr, client):
        old = EmployerCertificate.objects.get(employer=acme)
        _next_second()
        call_command("pki_revoke_employer", acme.credit_code, "--reason", "key_compromise")
        old.refresh_from_db()
        assert old.revoked_at is not None and old.revocation_reason == "key_compromise"
        assert Revocation.objects.get(serial=old.serial).revoked_at == old.revoked_at
        assert EvidenceEvent.objects.filter(event_type="pki.employer_cert_revoked").count() == 1

        crl = x509.load_der_x509_crl(client.get("/pki/issuing.crl").content)
        entry = crl.get_revoked_certificate_by_serial_number(int(old.serial, 16))
        assert entry is not None
        assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == x509.ReasonFlags.key_compromise

        # Sealed before the revocation: still valid.
        assert contract_verification(archive_get(sealed.pdf_id)).ok

        later = employer_seal_apply(version=_new_version(acme, li, hr, "叉车司机"))
        new = EmployerCertificate.objects.get(employer=acme, revoked_at__isnull=True)
        assert new.pk != old.pk and later.signer_serial == new.serial != old.serial
        assert new.seal_id == old.seal_id  # the seal image survives re-issuance
        assert contract_verification(archive_get(later.pdf_id)).ok

    def test_seal_made_with_revoked_certificate_after_revocation_fails(self, sealed, acme, li, hr):
        old = EmployerCertificate.objects.get(employer=acme)
        _next_second()
        call_command("pki_revoke_employer", acme.credit_code)
        old.refresh_from_db()

        # Someone still holding the old key seals another contract after the revocation.
        version = _new_version(acme, li, hr, "仓库主管")
        rendering = contract_version_render(version=version)
        boxes = rendering.signature_boxes
        with serials_from_this_connection():
            forged = seal_as_employer(
                rendered_pdf_bytes(rendering=rendering),
                employer_box=FieldBox.of((boxes["employer"]["page"], boxes["employer"]["box"])),
                worker_box=FieldBox.of((boxes["worker"]["page"], boxes["worker"]["box"])),
                signer=employer_identity(old), seal_png=archive_get(old.seal_id), timestamper=signing_timestamper())
        report = contract_verification(forged)
        assert not report.ok
        assert [r.code for r in report.reasons] == [ReasonCode.CERT_REVOKED]
        assert report.signatures[0].timestamp_time >= old.revoked_at

    def test_revoking_twice_is_refused_clearly(self, sealed, acme):
        call_command("pki_revoke_employer", acme.credit_code)
        with pytest.raises(CommandError, match="没有有效的签名证书"):
            call_command("pki_revoke_employer", acme.credit_code)

    def test_unknown_credit_code(self, db):
        with pytest.raises(CommandError, match="没有统一社会信用代码"):
            call_command("pki_revoke_employer", "91370100MA3C4XYB5K")
