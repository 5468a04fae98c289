"""Signing services: seal, worker signature + archive, idempotence, errors, evidence."""

from __future__ import annotations

import json

import pytest

from contracts_platform.archive.models import EvidenceEvent, StoredObject
from contracts_platform.archive.store import archive_get
from signing import Role
from signing.django_app.errors import VERSION_NOT_SEALED, SignatureImageError, VersionNotSealedError
from signing.django_app.models import EmployerCertificate, SignedDocument, SignedStage, WorkerCertificate
from signing.django_app.services import contract_verification, employer_seal_apply, worker_signature_apply
from tests.signing_django.conftest import INTENT

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return SignedDocument.objects.count(), StoredObject.objects.count(), EvidenceEvent.objects.count()


class TestEmployerSealApply:
    def test_seal_archives_pdf_and_records_event(self, sealed, acme):
        assert sealed.stage == SignedStage.SEALED
        cert = EmployerCertificate.objects.get(employer=acme)
        assert sealed.signer_serial == cert.serial
        assert sealed.timestamp_time is not None and sealed.signed_at is not None
        report = contract_verification(archive_get(sealed.pdf_id))
        assert report.ok, report.reasons
        assert [s.role for s in report.signatures] == [Role.EMPLOYER_SEAL]
        assert report.signatures[0].signer.organisation_identifier == f"NTRCN-{acme.credit_code}"
        event = EvidenceEvent.objects.get(event_type="signature.employer_sealed")
        payload = json.loads(event.payload)
        assert payload["pdf_sha256"] == sealed.pdf_id
        assert payload["certificate_serial"] == cert.serial
        assert payload["timestamp_time"] and payload["signing_time"]
        assert event.subject_type == "contract" and event.subject_id == str(sealed.version.contract_id)

    def test_second_call_writes_nothing(self, sealed):
        before = _counts()
        again = employer_seal_apply(version=sealed.version)
        assert again.pk == sealed.pk
        assert _counts() == before

    def test_certificate_is_reused_across_contracts(self, sealed, acme, li, hr):
        from contracts_platform.contracts.models import ModelText
        from contracts_platform.contracts.services import contract_create
        from tests.contracts.factories import valid_fields

        other = contract_create(employer=acme, worker=li, model_text=ModelText.objects.get(
            contract_type="fixed_term", is_current=True), fields=valid_fields(job_title="叉车司机"), user=hr)
        second = employer_seal_apply(version=other.current_version)
        assert second.signer_serial == sealed.signer_serial
        assert EmployerCertificate.objects.filter(employer=acme).count() == 1
        assert EvidenceEvent.objects.filter(event_type="pki.employer_cert_issued").count() == 1


class TestWorkerSignatureApply:
    def test_full_flow_validates(self, archived):
        docs = {d.stage: d for d in SignedDocument.objects.filter(version=archived.version)}
        assert set(docs) == {SignedStage.SEALED, SignedStage.SIGNED, SignedStage.ARCHIVED}
        report = contract_verification(archive_get(archived.pdf_id))
        assert report.ok, report.reasons
        assert [s.role for s in report.signatures] == [Role.EMPLOYER_SEAL, Role.WORKER_SIGNATURE,
                                                        Role.DOCUMENT_TIMESTAMP]
        assert all(s.timestamp_trusted for s in report.signatures)
        assert docs[SignedStage.SIGNED].timestamp_time == report.signatures[1].timestamp_time
        assert archived.timestamp_time == report.signatures[2].timestamp_time

    def test_events_carry_serials_times_hashes_and_intent(self, archived, li):
        signed = SignedDocument.objects.get(version=archived.version, stage=SignedStage.SIGNED)
        cert = WorkerCertificate.objects.get(version=archived.version)
        worker_event = json.loads(EvidenceEvent.objects.get(event_type="signature.worker_signed").payload)
        assert worker_event["certificate_serial"] == cert.serial == signed.signer_serial
        assert worker_event["timestamp_time"] and worker_event["intent"] == INTENT
        assert worker_event["pdf_sha256"] == signed.pdf_id
        archived_event = json.loads(EvidenceEvent.objects.get(event_type="signature.archived").payload)
        assert archived_event["pdf_sha256"] == archived.pdf_id
        assert archived_event["signed_pdf_sha256"] == signed.pdf_id
        # No plain ID number anywhere in the evidence of signing
        for event in EvidenceEvent.objects.filter(event_type__startswith="signature."):
            assert li.id_number not in event.payload

    def test_worker_certificate_carries_pseudonym_not_id_number(self, archived, li):
        cert = WorkerCertificate.objects.get(version=archived.version)
        assert li.id_number not in cert.certificate_pem and li.id_number not in cert.subject
        assert f"2.5.4.5={cert.pseudonym}" in cert.subject or cert.pseudonym in cert.subject
        assert cert.pseudonym.startswith("IDH-")
        report = contract_verification(archive_get(archived.pdf_id))
        assert report.signatures[1].signer.common_name == li.name
        assert report.signatures[1].signer.serial_number == cert.pseudonym

    def test_second_call_signs_nothing(self, archived, signature_png):
        before = (*_counts(), WorkerCertificate.objects.count())
        again = worker_signature_apply(version=archived.version, signature_png=signature_png, intent=INTENT)
        assert again.pk == archived.pk
        assert (*_counts(), WorkerCertificate.objects.count()) == before

    def test_unsealed_version_is_refused(self, version, signature_png):
        with pytest.raises(VersionNotSealedError) as exc:
            worker_signature_apply(version=version, signature_png=signature_png)
        assert str(exc.value) == str(VERSION_NOT_SEALED)
        assert not SignedDocument.objects.exists()

    @pytest.mark.parametrize("png", [b"", b"not a png at all", b"\x89PNG\r\n\x1a\n" + b"\0" * 40])
    def test_garbage_signature_image_is_refused(self, sealed, png):
        before = _counts()
        with pytest.raises(SignatureImageError):
            worker_signature_apply(version=sealed.version, signature_png=png)
        assert _counts() == before

    def test_interrupted_archive_resumes_without_a_second_signature(self, sealed, signature_png, monkeypatch):
        from signing.django_app import services

        def broken(*args, **kwargs):
            raise OSError("TSA unreachable")

        monkeypatch.setattr(services, "archive_lta", broken)
        with pytest.raises(OSError):
            worker_signature_apply(version=sealed.version, signature_png=signature_png, intent=INTENT)
        signed = SignedDocument.objects.get(version=sealed.version, stage=SignedStage.SIGNED)
        assert not SignedDocument.objects.filter(stage=SignedStage.ARCHIVED).exists()
        monkeypatch.undo()

        archived = worker_signature_apply(version=sealed.version, signature_png=signature_png, intent=INTENT)
        assert archived.stage == SignedStage.ARCHIVED
        assert SignedDocument.objects.get(version=sealed.version, stage=SignedStage.SIGNED).pk == signed.pk
        assert EvidenceEvent.objects.filter(event_type="signature.worker_signed").count() == 1
        assert WorkerCertificate.objects.filter(version=sealed.version).count() == 1
        report = contract_verification(archive_get(archived.pdf_id))
        assert report.ok and len([s for s in report.signatures if s.role == Role.WORKER_SIGNATURE]) == 1
