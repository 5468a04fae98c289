"""Every attack on a signed contract must flip the verdict, with the right reason code."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from signing import (
    RevocationEntry,
    SigningIdentity,
    create_issuing_ca,
    create_root_ca,
    issue_organisation_certificate,
    seal_as_employer,
    verify_pdf,
)
from tests.signing.material import COMPANY, CREDIT_CODE, CRL_ISSUING, CRL_ROOT, issue_without_non_repudiation


def _codes(report, field: str | None = None) -> set[str]:
    return {r.code.value for r in report.reasons if field is None or r.field_name == field}


def _first_page_ref(writer: IncrementalPdfFileWriter) -> generic.IndirectObject:
    node = writer.root["/Pages"]
    while "/Kids" in node:
        ref = node["/Kids"].raw_get(0)
        node = ref.get_object()
    return ref


def _append_revision(pdf: bytes, mutate) -> bytes:
    w = IncrementalPdfFileWriter(io.BytesIO(pdf))
    mutate(w)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _seal_with(identity: SigningIdentity, contract, seal_png, timestamper) -> bytes:
    pdf, boxes = contract
    return seal_as_employer(
        pdf,
        employer_box=boxes["sig-employer"],
        worker_box=boxes["sig-worker"],
        signer=identity,
        seal_png=seal_png,
        timestamper=timestamper,
    )


class TestTampering:
    def test_one_flipped_byte(self, archived_pdf, contract, pki):
        # flip one byte inside the first content stream of the original rendering
        data = bytearray(archived_pdf)
        m = re.search(rb"stream\r?\n", data)
        assert m is not None and m.end() + 50 < len(contract[0])
        data[m.end() + 40] ^= 0x01
        report = verify_pdf(bytes(data), trust_roots=[pki.root.certificate])
        assert not report.ok
        assert all(not s.intact for s in report.signatures)
        assert "signature_not_intact" in _codes(report, "EmployerSeal")
        assert "signature_not_intact" in _codes(report, "WorkerSignature")

    def test_appended_revision_replacing_page_content(self, archived_pdf, pki):
        def swap_content(w: IncrementalPdfFileWriter) -> None:
            ref = _first_page_ref(w)
            page = ref.get_object()
            fake = generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 700 Td (salary: 1 yuan) Tj ET")
            page[pdf_name("/Contents")] = w.add_object(fake)
            w.mark_update(ref)

        tampered = _append_revision(archived_pdf, swap_content)
        report = verify_pdf(tampered, trust_roots=[pki.root.certificate])
        assert not report.ok and report.modified_after_signing
        # the digests still match -- only the modification analysis catches this
        assert all(s.intact for s in report.signatures)
        for s in report.signatures:
            assert "modified_after_signing" in _codes(report, s.field_name), s.field_name
            assert s.modification_level == "OTHER"

    def test_second_revision_adding_an_annotation_over_the_clauses(self, signed_pdf, pki):
        def add_annotation(w: IncrementalPdfFileWriter) -> None:
            ref = _first_page_ref(w)
            page = ref.get_object()
            annot = generic.DictionaryObject(
                {
                    pdf_name("/Type"): pdf_name("/Annot"),
                    pdf_name("/Subtype"): pdf_name("/FreeText"),
                    pdf_name("/Rect"): generic.ArrayObject([generic.NumberObject(n) for n in (60, 500, 540, 700)]),
                    pdf_name("/Contents"): generic.TextStringObject("第3条 作废，月薪改为壹元"),
                    pdf_name("/DA"): generic.TextStringObject("/Helv 14 Tf 0 g"),
                }
            )
            existing = list(page.get("/Annots", generic.ArrayObject()))
            page[pdf_name("/Annots")] = generic.ArrayObject([*existing, w.add_object(annot)])
            w.mark_update(ref)

        tampered = _append_revision(signed_pdf, add_annotation)
        report = verify_pdf(tampered, trust_roots=[pki.root.certificate], crls=pki.crls())
        assert not report.ok and report.modified_after_signing
        assert "modified_after_signing" in _codes(report, "WorkerSignature")
        assert "modified_after_signing" in _codes(report, "EmployerSeal")

    def test_signature_by_a_revoked_employer_certificate(self, sealed_pdf, pki):
        revoked = [RevocationEntry(pki.employer.serial_number, pki.now - timedelta(hours=1))]
        report = verify_pdf(sealed_pdf, trust_roots=[pki.root.certificate], crls=pki.crls(revoked_issuing=revoked))
        (seal,) = report.signatures
        assert not report.ok and seal.revoked
        assert _codes(report) == {"certificate_revoked"}
        assert seal.revocation_time == revoked[0].revoked_at.replace(microsecond=0)

    def test_expired_certificate(self, pki, contract, seal_png, timestamper):
        stale = issue_organisation_certificate(
            pki.issuing,
            company_name=COMPANY,
            credit_code=CREDIT_CODE,
            crl_url=CRL_ISSUING,
            now=pki.now - timedelta(days=60),
            validity=timedelta(days=30),
        )
        pdf = _seal_with(
            SigningIdentity(stale.certificate, stale.require_key(), pki.chain), contract, seal_png, timestamper
        )
        report = verify_pdf(pdf, trust_roots=[pki.root.certificate], crls=pki.crls())
        assert not report.ok and _codes(report) == {"certificate_expired"}

    def test_expired_issuing_ca(self, pki, contract, seal_png, timestamper):
        old_ca = create_issuing_ca(
            pki.root,
            "HeQian Old Issuing CA",
            crl_url=CRL_ROOT,
            now=pki.now - timedelta(days=400),
            validity=timedelta(days=300),
        )
        leaf = issue_organisation_certificate(
            old_ca,
            company_name=COMPANY,
            credit_code=CREDIT_CODE,
            crl_url=CRL_ISSUING,
            now=pki.now - timedelta(days=200),
        )
        pdf = _seal_with(
            SigningIdentity(leaf.certificate, leaf.require_key(), [old_ca.certificate]), contract, seal_png, timestamper
        )
        report = verify_pdf(pdf, trust_roots=[pki.root.certificate], crls=pki.crls())
        assert not report.ok and _codes(report) == {"certificate_expired"}

    def test_chain_to_a_foreign_root(self, pki, contract, seal_png, timestamper):
        root = create_root_ca("Somebody Else Root")
        ca = create_issuing_ca(root, "Somebody Else CA", crl_url="http://elsewhere.test/root.crl")
        leaf = issue_organisation_certificate(
            ca, company_name=COMPANY, credit_code=CREDIT_CODE, crl_url="http://elsewhere.test/ca.crl"
        )
        pdf = _seal_with(
            SigningIdentity(leaf.certificate, leaf.require_key(), [ca.certificate]), contract, seal_png, timestamper
        )
        report = verify_pdf(pdf, trust_roots=[pki.root.certificate], crls=pki.crls())
        assert not report.ok and _codes(report) == {"certificate_untrusted"}
        assert report.signatures[0].trust_problem == "NO_CERTIFICATE_CHAIN_FOUND"

    def test_signer_certificate_without_non_repudiation(self, pki, contract, seal_png, timestamper):
        leaf = issue_without_non_repudiation(pki.issuing, now=pki.now)
        pdf = _seal_with(
            SigningIdentity(leaf.certificate, leaf.require_key(), pki.chain), contract, seal_png, timestamper
        )
        report = verify_pdf(pdf, trust_roots=[pki.root.certificate], crls=pki.crls())
        assert not report.ok and _codes(report) == {"key_usage_not_permitted"}
        assert report.signatures[0].key_usage_ok is False

    def test_signature_without_timestamp(self, pki, contract, seal_png, employer):
        pdf, boxes = contract
        unstamped = seal_as_employer(
            pdf,
            employer_box=boxes["sig-employer"],
            worker_box=boxes["sig-worker"],
            signer=employer,
            seal_png=seal_png,
            timestamper=None,  # type: ignore[arg-type]
        )
        report = verify_pdf(unstamped, trust_roots=[pki.root.certificate], crls=pki.crls())
        assert not report.ok and _codes(report) == {"not_timestamped"}

    @pytest.mark.parametrize("cut", [1, 200])
    def test_truncated_file(self, archived_pdf, pki, cut):
        from signing import NotAPdfError

        try:
            report = verify_pdf(archived_pdf[:-cut], trust_roots=[pki.root.certificate])
        except NotAPdfError:
            return
        assert not report.ok
