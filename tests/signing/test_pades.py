"""The contract flow: employer seal (certifying) + worker signature, both B-T, then B-LTA.

Checked by our verifier, by pyHanko's own CLI (AdES/LTA mode, revocation from the
file's DSS) and by poppler's pdfsig with the root in a throw-away NSS database.
"""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta

import pytest

from signing import (
    EMPLOYER_FIELD,
    WORKER_FIELD,
    NotAPdfError,
    RevocationEntry,
    Role,
    SignatureFieldError,
    archive_lta,
    build_crl,
    extract_signed_revision,
    sign_as_worker,
    verify_pdf,
)
from tests.signing.conftest import pyhanko_cli
from tests.signing.material import COMPANY, WORKER


class TestContractFlow:
    def test_b_t_contract_verifies_with_current_crls(self, signed_pdf, pki):
        report = verify_pdf(signed_pdf, trust_roots=[pki.root.certificate], crls=pki.crls())
        assert report.ok, report.to_dict()["reasons"]
        employer, worker = report.signatures
        assert (employer.field_name, employer.role) == (EMPLOYER_FIELD, Role.EMPLOYER_SEAL)
        assert (worker.field_name, worker.role) == (WORKER_FIELD, Role.WORKER_SIGNATURE)
        assert employer.docmdp_permission == "FILL_FORMS"
        assert employer.modification_level == "FORM_FILLING"  # the worker's signature, nothing else
        assert worker.modification_level == "NONE" and worker.coverage == "ENTIRE_FILE"
        assert employer.signer.organisation_identifier == "NTRCN-91370100MA3C4XYB5K"
        assert employer.signer.common_name == COMPANY and worker.signer.common_name == WORKER
        assert all(s.timestamp_trusted and s.key_usage_ok and not s.revoked for s in report.signatures)
        assert "HeQian Test TSA" in employer.tsa_name
        assert len(employer.chain) == 3  # leaf, issuing CA, root
        assert not report.modified_after_signing

    def test_archived_contract_verifies_offline_from_its_own_dss(self, archived_pdf, pki):
        # no CRLs passed: everything must come from the DSS, in hard-fail mode
        report = verify_pdf(archived_pdf, trust_roots=[pki.root.certificate], revocation_mode="hard-fail")
        assert report.ok, report.to_dict()["reasons"]
        roles = [s.role for s in report.signatures]
        assert roles == [Role.EMPLOYER_SEAL, Role.WORKER_SIGNATURE, Role.DOCUMENT_TIMESTAMP]
        assert report.signatures[1].modification_level == "LTA_UPDATES"
        assert report.bytes_after_last_signature == 0

    def test_without_dss_or_crls_revocation_is_unknown(self, signed_pdf, pki):
        report = verify_pdf(signed_pdf, trust_roots=[pki.root.certificate])
        assert not report.ok
        assert {r.code for r in report.reasons} >= {"revocation_status_unknown"}

    def test_short_lived_worker_certificate_still_validates_years_later(self, archived_pdf, pki):
        # Validation at +3 years: the 30-day worker certificate has long expired and the
        # DSS CRLs are stale; signer chains are judged at their timestamp time, and the
        # archive timestamp needs today's CRLs, which the platform's CA publishes.
        later = pki.now + timedelta(days=3 * 365)
        fresh = [
            build_crl(pki.root, [], number=9, this_update=later),
            build_crl(pki.issuing, [], number=9, this_update=later),
        ]
        report = verify_pdf(archived_pdf, trust_roots=[pki.root.certificate], crls=fresh, at=later)
        assert report.ok, report.to_dict()["reasons"]

    def test_revocation_after_signing_does_not_invalidate(self, archived_pdf, pki):
        later = pki.now + timedelta(days=2)
        revoked = [RevocationEntry(pki.worker.serial_number, pki.now + timedelta(days=1))]
        crls = [
            build_crl(pki.root, [], number=2, this_update=later),
            build_crl(pki.issuing, revoked, number=2, this_update=later),
        ]
        report = verify_pdf(archived_pdf, trust_roots=[pki.root.certificate], crls=crls, at=later)
        assert report.ok, report.to_dict()["reasons"]

    def test_report_is_json_serialisable(self, archived_pdf, pki):
        data = json.loads(json.dumps(verify_pdf(archived_pdf, trust_roots=[pki.root.certificate]).to_dict()))
        assert data["ok"] is True
        assert data["signatures"][0]["role"] == "employer_seal"
        assert data["signatures"][1]["signer"]["serial_number"].startswith("IDH-")

    def test_extract_signed_revision_is_what_the_employer_signed(self, archived_pdf, sealed_pdf, pki):
        revision = extract_signed_revision(archived_pdf, EMPLOYER_FIELD)
        assert revision == sealed_pdf
        report = verify_pdf(revision, trust_roots=[pki.root.certificate], crls=pki.crls())
        assert report.ok and report.signatures[0].coverage == "ENTIRE_FILE"
        with pytest.raises(KeyError):
            extract_signed_revision(archived_pdf, "NoSuchField")

    def test_unreadable_input_raises_not_a_pdf(self, pki):
        for junk in (b"", b"hello", b"%PDF-1.7\n garbage without xref"):
            with pytest.raises(NotAPdfError):
                verify_pdf(junk, trust_roots=[pki.root.certificate])

    def test_unsigned_pdf_is_not_ok(self, contract, pki):
        report = verify_pdf(contract[0], trust_roots=[pki.root.certificate])
        assert not report.ok and [r.code for r in report.reasons] == ["no_signatures"]

    def test_worker_field_can_be_filled_only_once(self, signed_pdf, worker, signature_png, timestamper):
        with pytest.raises(SignatureFieldError):
            sign_as_worker(signed_pdf, signer=worker, signature_png=signature_png, name=WORKER, timestamper=timestamper)

    def test_worker_needs_the_prepared_field(self, contract, worker, signature_png, timestamper):
        with pytest.raises(SignatureFieldError):
            sign_as_worker(
                contract[0], signer=worker, signature_png=signature_png, name=WORKER, timestamper=timestamper
            )

    def test_archiving_a_revoked_signature_is_refused(self, signed_pdf, pki, timestamper):
        from signing import SigningCoreError

        revoked = [RevocationEntry(pki.employer.serial_number, pki.now - timedelta(hours=1))]
        with pytest.raises(SigningCoreError):
            archive_lta(
                signed_pdf,
                trust=[pki.root.certificate],
                crls=pki.crls(revoked_issuing=revoked),
                timestamper=timestamper,
            )


class TestIndependentValidators:
    def test_pyhanko_cli_accepts_the_archived_contract(self, archived_pdf, root_pem, tmp_path):
        cli = pyhanko_cli()
        if cli is None:
            pytest.skip("pyhanko CLI not installed (package pyhanko-cli==0.6.0); set PYHANKO_CLI to run this")
        pdf = tmp_path / "contract.pdf"
        pdf.write_bytes(archived_pdf)
        # adesverify = PAdES LTA validation: revocation data comes from the DSS only
        out = subprocess.run(
            [cli, "sign", "adesverify", "--trust", str(root_pem), "--trust-replace", "--pretty-print", str(pdf)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
        assert out.stdout.count("The signature is judged VALID.") == 2
        assert "INVALID" not in out.stdout

    def test_pdfsig_accepts_both_signatures(self, archived_pdf, root_pem, tmp_path):
        nss = tmp_path / "nss"
        nss.mkdir()
        subprocess.run(["certutil", "-N", "--empty-password", "-d", f"sql:{nss}"], check=True, capture_output=True)
        subprocess.run(
            ["certutil", "-A", "-n", "root", "-t", "CT,C,C", "-i", str(root_pem), "-d", f"sql:{nss}"],
            check=True,
            capture_output=True,
        )
        pdf = tmp_path / "contract.pdf"
        pdf.write_bytes(archived_pdf)
        out = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(pdf)], capture_output=True, text=True, check=False)
        text = out.stdout
        assert text.count("Signature is Valid.") == 2, text
        assert text.count("Certificate is Trusted.") == 2, text
        assert EMPLOYER_FIELD in text and WORKER_FIELD in text
