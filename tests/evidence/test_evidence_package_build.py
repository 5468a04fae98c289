"""evidence_package_build: what a fresh package from the real flow contains, and that it verifies."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile

import pytest
from django.core.management import call_command

from contracts_platform.archive.chain import compute_entry_hash
from contracts_platform.evidence import package_format as fmt
from contracts_platform.evidence.offline import entry_hash_withheld, pdf_signature_parts, verify_package
from signing import extract_signed_revision
from tests.evidence.conftest import ARTIFACTS, CASE_REF, rezip

EXPECTED_FILES = {
    "README.txt", "SHA256SUMS", "manifest.json", "manifest.json.p7s",
    "contract/signed.pdf", "contract/revisions/EmployerSeal.pdf", "contract/revisions/WorkerSignature.pdf",
    "contract/revisions/ArchiveTimestamp1.pdf",
    "verification/report.json", "verification/report.pdf",
    "events/events.jsonl", "events/chain_proof.json",
    "identity/identity_checks.json", "identity/invitations.json", "identity/otp_challenges.json",
    "identity/intent.json", "notifications/receipts.json",
    "pki/root.pem", "pki/issuing.pem", "pki/tsa.pem", "pki/evidence.pem", "pki/crl/root.crl",
    "pki/crl/issuing.crl", "pki/timestamps/EmployerSeal.tsr", "pki/timestamps/WorkerSignature.tsr",
    "pki/timestamps/ArchiveTimestamp1.tsr", "pki/signers/EmployerSeal.pem", "pki/signers/WorkerSignature.pem",
    "pki/signers/ArchiveTimestamp1.pem",
}

# The session fixture builds through the database: this mark makes pytest-django create the test
# database even when only these tests are selected.
pytestmark = pytest.mark.django_db


class TestEvidencePackageBuild:
    def test_fresh_package_verifies_offline(self, built):
        report = verify_package(built.zip_bytes)
        assert report.ok, [str(p) for p in report.problems]
        assert report.exit_code == 0
        assert report.contract_number == built.contract_number
        assert report.case_ref == CASE_REF
        assert report.pdf_ok is True
        assert report.manifest_timestamp is not None
        assert report.events_checked > 20
        # The demo's day was closed: every event is anchored in a timestamped daily root.
        assert report.merkle_proofs_checked == report.events_checked
        assert report.roots_checked == 1 and report.events_unanchored == 0

    def test_verify_evidence_command_exits_0(self, built, tmp_path, capsys):
        path = tmp_path / "evidence.zip"
        path.write_bytes(built.zip_bytes)
        call_command("verify_evidence", str(path), "--json")  # SystemExit only on failure
        out = json.loads(capsys.readouterr().out)
        assert out["ok"] is True and out["exit_code"] == 0 and out["first_problem"] is None

    def test_layout(self, built):
        assert set(built.files) == EXPECTED_FILES | {"roots/" + n for n in _root_files(built)}
        manifest = json.loads(built.files[fmt.MANIFEST_PATH])
        listed = [e["path"] for e in manifest["files"]]
        assert listed == sorted(listed)
        assert set(listed) == set(built.files) - fmt.UNLISTED_PATHS
        # canonical JSON: the bytes are exactly the canonical form of their own content
        assert built.files[fmt.MANIFEST_PATH] == fmt.canonical_json(manifest)
        assert manifest["contract"]["pdf_sha256"] == fmt.sha256_hex(built.files[fmt.SIGNED_PDF_PATH])
        assert manifest["case_ref"] == CASE_REF

    def test_zip_is_deterministic(self, built):
        """Fixed entry times, sorted order: the same files always give the same bytes."""
        assert rezip(built.files) == built.zip_bytes
        with zipfile.ZipFile(io.BytesIO(built.zip_bytes)) as zf:
            infos = zf.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}

    def test_building_twice_stores_one_object(self, built):
        assert built.first_pk == built.second_pk
        assert built.zip_objects == 1
        assert built.task_zip_sha256 == built.first_zip_sha256  # the Celery task finds the same package

    def test_no_plain_id_number_or_phone_anywhere(self, built, tmp_path):
        id_number, phone = built.worker_id_number.encode(), built.worker_phone.encode()
        assert id_number not in built.zip_bytes and phone not in built.zip_bytes
        for path, body in built.files.items():
            assert id_number not in body, path
            assert phone not in body, path
            assert id_number not in body.decode("latin-1").encode("utf-16-le"), path
        # The report's text too (its content streams are compressed, so also check the extracted text).
        pdf = tmp_path / "report.pdf"
        pdf.write_bytes(built.files[fmt.REPORT_PDF_PATH])
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert built.worker_id_number not in text and built.worker_phone not in text
        assert built.worker_id_number[:3] + "*" * 11 + built.worker_id_number[-4:] in text

    def test_secrets_are_not_packaged(self, built):
        receipts = json.loads(built.files["notifications/receipts.json"])
        assert receipts, "the demo sends SMS about the contract"
        for message in receipts:
            if message["template"] in ("otp", "signing_invitation"):
                assert message["body"] is None and message["body_withheld"] == "secret"
            assert "/s/" not in (message["body"] or "")  # no signing link with its token
        otps = json.loads(built.files["identity/otp_challenges.json"])
        assert otps and all("code" not in o and "code_hash" not in o and "salt" not in o for o in otps)
        assert all("token_hash" not in i for i in json.loads(built.files["identity/invitations.json"]))

    def test_identity_and_intent_records(self, built):
        checks = json.loads(built.files["identity/identity_checks.json"])
        assert checks[0]["result"] == "passed" and checks[0]["ip"] == "127.0.0.1"
        assert "*" in checks[0]["id_number_masked"]
        intent = json.loads(built.files["identity/intent.json"])
        assert any(r["intent"].get("read_to_end") for r in intent)

    def test_revisions_are_what_each_signature_covers(self, built):
        pdf = built.files[fmt.SIGNED_PDF_PATH]
        parts = pdf_signature_parts(pdf)
        assert [p.field_name for p in parts] == ["EmployerSeal", "WorkerSignature", "ArchiveTimestamp1"]
        for part in parts:
            assert built.files[f"contract/revisions/{part.field_name}.pdf"] == extract_signed_revision(
                pdf, part.field_name)

    def test_report_json_is_the_verification_report(self, built):
        report = json.loads(built.files[fmt.REPORT_JSON_PATH])
        assert report["ok"] is True
        assert [s["role"] for s in report["signatures"]] == ["employer_seal", "worker_signature",
                                                             "document_timestamp"]
        assert all(s["timestamp_trusted"] for s in report["signatures"])

    def test_events_recompute_and_carry_proofs(self, built):
        lines = built.files[fmt.EVENTS_PATH].decode().splitlines()
        events = [json.loads(line) for line in lines]
        assert [e["seq"] for e in events] == sorted(e["seq"] for e in events)
        for e in events:
            fields = {k: e[k] for k in ("prev_hash", "seq", "event_type", "actor_label", "subject_type",
                                        "subject_id", "occurred_at")}
            assert compute_entry_hash(**fields, payload=e["payload"]) == e["entry_hash"]
            # the formula used for withheld payloads gives the same hash
            assert entry_hash_withheld(**fields, payload_sha256=e["payload_sha256"]) == e["entry_hash"]
        proof = json.loads(built.files[fmt.CHAIN_PROOF_PATH])
        assert [p["seq"] for p in proof["events"]] == [e["seq"] for e in events]
        assert all(p["merkle"] for p in proof["events"])
        assert "evidence.package_downloaded" not in {e["event_type"] for e in events}

    def test_readme_explains_offline_checks(self, built):
        readme = built.files[fmt.README_PATH].decode()
        for needle in ("openssl cms -verify -binary -inform DER -in manifest.json.p7s -content manifest.json "
                       "-CAfile pki/root.pem -purpose any", "sha256sum -c SHA256SUMS",
                       "pyhanko sign adesverify --trust pki/root.pem", "python manage.py verify_evidence",
                       "openssl ts -verify -digest", built.contract_number, CASE_REF):
            assert needle in readme, needle

    def test_report_pdf_page_one(self, built, tmp_path):
        """Render page 1 for a human to look at (test-artifacts/evidence/) and check what it says."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pdf = ARTIFACTS / "report.pdf"
        pdf.write_bytes(built.files[fmt.REPORT_PDF_PATH])
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", str(pdf),
                        str(ARTIFACTS / "report-page")], check=True, capture_output=True)
        assert any(ARTIFACTS.glob("report-page*1.png"))
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "Noto-Sans-CJK-SC" in fonts and fonts.count("CJK") == 1  # one explicit face, nothing substituted
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        text = "".join(text.split())  # table cells wrap; compare without white space
        for needle in ("电子劳动合同证据核验报告", "核验结论：通过", built.contract_number, "用人单位电子印章",
                       "劳动者电子签名", "归档时间戳", "身份核验", "HeQianDevelopmentTime-StampingAuthority"):
            assert needle in text, needle


class TestAccessLogging:
    def test_download_is_logged_under_the_contract(self, built):
        payload = built.download_event_payload
        assert payload["ip"] == "10.0.0.7" and payload["user_agent"] == "arbitrator-browser/1.0"
        assert payload["zip_sha256"] == built.first_zip_sha256 and payload["case_ref"] == CASE_REF

    def test_next_package_carries_the_download(self, built):
        assert built.after_download_sha256 != built.first_zip_sha256
        report = verify_package(built.after_download_zip)
        assert report.ok, [str(p) for p in report.problems]
        from tests.evidence.conftest import unzip

        events = [json.loads(line) for line in unzip(built.after_download_zip)[fmt.EVENTS_PATH].splitlines()]
        assert events[-1]["event_type"] == "evidence.package_downloaded"
        # today's event is not yet in a daily root: listed as unanchored, not as a failure
        assert report.events_unanchored == 1


def _root_files(built) -> set[str]:
    return {p.removeprefix("roots/") for p in built.files if p.startswith("roots/")}


@pytest.mark.django_db
def test_contract_without_signature_is_refused(acme, li, hr):
    from contracts_platform.contracts.models import ModelText
    from contracts_platform.contracts.services import contract_create
    from contracts_platform.evidence.services import ContractNotSignedError, evidence_package_build
    from tests.contracts.factories import valid_fields

    contract = contract_create(employer=acme, worker=li, model_text=ModelText.objects.get(
        contract_type="fixed_term", is_current=True), fields=valid_fields(), user=hr)
    with pytest.raises(ContractNotSignedError):
        evidence_package_build(contract=contract)


@pytest.mark.django_db
def test_build_later_queues_the_task_after_commit(acme, li, hr, monkeypatch, django_capture_on_commit_callbacks):
    from contracts_platform.contracts.models import ModelText
    from contracts_platform.contracts.services import contract_create
    from contracts_platform.evidence import tasks
    from contracts_platform.evidence.services import evidence_package_build_later
    from tests.contracts.factories import valid_fields

    contract = contract_create(employer=acme, worker=li, model_text=ModelText.objects.get(
        contract_type="fixed_term", is_current=True), fields=valid_fields(), user=hr)
    queued = []
    monkeypatch.setattr(tasks.build_package, "delay", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        evidence_package_build_later(contract=contract, case_ref=" A-1 ", actor=hr)
        assert queued == []  # nothing before the commit
    assert queued == [(contract.pk, "A-1", hr.pk)]
