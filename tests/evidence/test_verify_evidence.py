"""verify_evidence / offline.verify_package: every kind of tampering is caught and named."""

from __future__ import annotations

import io
import json
import struct
import zipfile

import pytest
from django.core.management import call_command

from contracts_platform.archive.merkle import merkle_inclusion_proof
from contracts_platform.evidence import package_format as fmt
from contracts_platform.evidence.offline import EXIT_PROBLEM, EXIT_UNREADABLE, FindingCode, verify_package
from contracts_platform.evidence.selectors import audit_paths
from tests.evidence.conftest import resign, rezip

# The session fixture builds through the database: this mark makes pytest-django create the test
# database even when only these tests are selected.
pytestmark = pytest.mark.django_db


def run_command(tmp_path, data: bytes, *args: str) -> int:
    path = tmp_path / "evidence.zip"
    path.write_bytes(data)
    try:
        call_command("verify_evidence", str(path), *args)
    except SystemExit as exc:
        return int(exc.code)
    return 0


def first(report):
    assert not report.ok
    return report.first_problem


class TestTamperedFiles:
    @pytest.mark.parametrize("path", ["README.txt", "contract/signed.pdf", "events/events.jsonl",
                                      "verification/report.pdf", "identity/identity_checks.json",
                                      "pki/crl/issuing.crl"])
    def test_changed_file_is_named(self, built, path, tmp_path, capsys):
        files = dict(built.files)
        files[path] = files[path] + b"\n"
        data = rezip(files)
        problem = first(verify_package(data))
        assert (problem.code, problem.path) == (FindingCode.FILE_CHANGED, path)
        assert run_command(tmp_path, data) == EXIT_PROBLEM
        out = capsys.readouterr().out
        assert f"BAD {path}: file_changed" in out

    @pytest.mark.parametrize("path", ["contract/revisions/WorkerSignature.pdf", "roots/", "SHA256SUMS",
                                      "notifications/receipts.json"])
    def test_removed_file_is_named(self, built, path):
        if path == "roots/":
            path = next(p for p in built.files if p.startswith("roots/") and p.endswith(".tsr"))
        files = {p: b for p, b in built.files.items() if p != path}
        problem = first(verify_package(rezip(files)))
        assert (problem.code, problem.path) == (FindingCode.FILE_MISSING, path)

    @pytest.mark.parametrize("path", ["extra.txt", "contract/evil.pdf", "pki/root2.pem", "events/"])
    def test_added_file_is_named(self, built, path):
        files = {**built.files, path: b"" if path.endswith("/") else b"not in the manifest"}
        problem = first(verify_package(rezip(files)))
        assert (problem.code, problem.path) == (FindingCode.FILE_ADDED, path)

    def test_duplicate_entry_is_named(self, built, tmp_path):
        path = tmp_path / "dup.zip"
        path.write_bytes(built.zip_bytes)
        with pytest.warns(UserWarning), zipfile.ZipFile(path, "a") as zf:
            zf.writestr("README.txt", "a second README")
        report = verify_package(path)
        assert FindingCode.FILE_DUPLICATE in {p.code for p in report.problems}

    def test_corrupted_bytes_inside_the_zip_name_the_file(self, built):
        """A byte flipped in the stored (uncompressed) PDF entry: the ZIP CRC no longer matches."""
        data = bytearray(built.zip_bytes)
        with zipfile.ZipFile(io.BytesIO(built.zip_bytes)) as zf:
            info = zf.getinfo(fmt.SIGNED_PDF_PATH)
        assert info.compress_type == zipfile.ZIP_STORED
        # local file header: 30 bytes + name + extra field, then the stored bytes
        name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26: info.header_offset + 30])
        data[info.header_offset + 30 + name_len + extra_len + 1000] ^= 0x01
        report = verify_package(bytes(data))
        assert report.exit_code == EXIT_PROBLEM
        assert (report.first_problem.code, report.first_problem.path) == (FindingCode.FILE_UNREADABLE,
                                                                          fmt.SIGNED_PDF_PATH)


class TestManifestSignature:
    @pytest.mark.parametrize("damage", ["flip_signature", "truncate", "garbage", "empty"])
    def test_broken_p7s_is_named(self, built, damage, tmp_path):
        p7s = bytearray(built.files[fmt.SIGNATURE_PATH])
        if damage == "flip_signature":
            # the signature value sits near the end, before the unsigned timestamp attribute
            signed = bytes(p7s)
            sig_at = signed.find(b"\x30", len(signed) - 3000)
            p7s[sig_at + 40] ^= 0xFF
        elif damage == "truncate":
            p7s = p7s[: len(p7s) // 2]
        elif damage == "garbage":
            p7s = bytearray(b"\x30\x03\x02\x01\x00")
        else:
            p7s = bytearray()
        data = rezip({**built.files, fmt.SIGNATURE_PATH: bytes(p7s)})
        report = verify_package(data)
        assert report.first_problem.path in (fmt.SIGNATURE_PATH, fmt.MANIFEST_PATH), report.first_problem
        assert report.first_problem.code in (FindingCode.SIGNATURE_BROKEN, FindingCode.MANIFEST_CHANGED)
        assert run_command(tmp_path, data) == EXIT_PROBLEM

    def test_signature_of_another_manifest(self, built):
        """A valid platform signature, but over different bytes (e.g. an older package's manifest)."""
        other = resign(built, {**built.files, "README.txt": b"changed"})
        data = rezip({**built.files, fmt.SIGNATURE_PATH: other[fmt.SIGNATURE_PATH]})
        problem = first(verify_package(data))
        assert (problem.code, problem.path) == (FindingCode.MANIFEST_CHANGED, fmt.MANIFEST_PATH)

    def test_missing_p7s(self, built):
        files = {p: b for p, b in built.files.items() if p != fmt.SIGNATURE_PATH}
        problem = first(verify_package(rezip(files)))
        assert (problem.code, problem.path) == (FindingCode.SIGNATURE_MISSING, fmt.SIGNATURE_PATH)

    def test_manifest_edited_to_hide_a_change(self, built):
        files = dict(built.files)
        files["README.txt"] = b"forged"
        files[fmt.SUMS_PATH] = fmt.sha256sums(files)
        manifest = json.loads(files[fmt.MANIFEST_PATH])
        meta = {k: v for k, v in manifest.items() if k not in ("files", "format", "format_version")}
        files[fmt.MANIFEST_PATH] = fmt.manifest_bytes(files, meta)
        problem = first(verify_package(rezip(files)))
        assert (problem.code, problem.path) == (FindingCode.MANIFEST_CHANGED, fmt.MANIFEST_PATH)

    def test_foreign_root_is_not_trusted(self, built):
        """Trusting an independently obtained root that did not sign the package fails."""
        from signing import create_root_ca

        other = create_root_ca("Some Other Root").certificate_pem()
        problem = first(verify_package(built.zip_bytes, trust_roots=[other]))
        assert (problem.code, problem.path) == (FindingCode.SIGNATURE_BROKEN, fmt.SIGNATURE_PATH)

    def test_independent_root_verifies(self, built):
        report = verify_package(built.zip_bytes, trust_roots=[built.root_pem])
        assert report.ok and report.trust_source == "given"


class TestUnreadableZip:
    @pytest.mark.parametrize("data", [b"", b"PK\x03\x04 not really", b"%PDF-1.7 a pdf, not a zip"])
    def test_exit_2(self, data, tmp_path):
        report = verify_package(data)
        assert report.exit_code == EXIT_UNREADABLE
        assert report.first_problem.code == FindingCode.ZIP_UNREADABLE
        assert run_command(tmp_path, data) == EXIT_UNREADABLE

    def test_missing_path_exit_2(self, tmp_path):
        assert verify_package(tmp_path / "nope.zip").exit_code == EXIT_UNREADABLE

    def test_missing_manifest_is_a_problem(self, built):
        files = {p: b for p, b in built.files.items() if p != fmt.MANIFEST_PATH}
        problem = first(verify_package(rezip(files)))
        assert (problem.code, problem.path) == (FindingCode.MANIFEST_MISSING, fmt.MANIFEST_PATH)


class TestResealedContent:
    """An insider re-seals the package after changing content: the deeper checks still catch it."""

    def _events(self, built) -> list[dict]:
        return [json.loads(line) for line in built.files[fmt.EVENTS_PATH].splitlines()]

    def _with_events(self, built, events: list[dict]) -> dict[str, bytes]:
        body = b"".join(fmt.canonical_json(e) + b"\n" for e in events)
        return resign(built, {**built.files, fmt.EVENTS_PATH: body})

    def test_resealing_alone_keeps_it_valid(self, built):
        assert verify_package(rezip(resign(built, built.files))).ok

    def test_edited_event_payload(self, built):
        events = self._events(built)
        victim = next(e for e in events if e["event_type"] == "identity.checked")
        victim["payload"] = victim["payload"].replace('"passed"', '"failed"')
        victim["payload_sha256"] = fmt.sha256_hex(victim["payload"].encode())
        problem = first(verify_package(rezip(self._with_events(built, events))))
        assert problem.code == FindingCode.EVENT_HASH_MISMATCH
        assert problem.path == f"events/events.jsonl#seq={victim['seq']}"

    def test_rehashed_event_breaks_the_link_and_the_merkle_proof(self, built):
        """Recomputing the edited event's own hash moves the break to the next link and the daily root."""
        from contracts_platform.archive.chain import compute_entry_hash

        events = self._events(built)
        i = next(i for i, e in enumerate(events) if e["event_type"] == "identity.checked")
        victim = events[i]
        victim["payload"] = victim["payload"].replace('"passed"', '"failed"')
        victim.pop("payload_sha256")
        victim["entry_hash"] = compute_entry_hash(
            prev_hash=victim["prev_hash"], seq=victim["seq"], event_type=victim["event_type"],
            actor_label=victim["actor_label"], subject_type=victim["subject_type"],
            subject_id=victim["subject_id"], occurred_at=victim["occurred_at"], payload=victim["payload"])
        files = self._with_events(built, events)
        codes = {(p.code, p.path) for p in verify_package(rezip(files)).problems}
        assert (FindingCode.CHAIN_PROOF_MISMATCH, f"events/chain_proof.json#seq={victim['seq']}") in codes
        if events[i + 1]["seq"] == victim["seq"] + 1:
            assert (FindingCode.EVENT_LINK_MISMATCH, f"events/events.jsonl#seq={victim['seq'] + 1}") in codes

    def test_removed_event_is_noticed(self, built):
        events = self._events(built)
        del events[3]
        problem = first(verify_package(rezip(self._with_events(built, events))))
        assert problem.code in (FindingCode.CHAIN_PROOF_MISMATCH, FindingCode.EVENT_LINK_MISMATCH)

    def test_forged_merkle_root(self, built):
        files = dict(built.files)
        path = next(p for p in files if p.startswith("roots/") and p.endswith(".json"))
        root = json.loads(files[path])
        root["root"] = "00" * 32
        files[path] = fmt.pretty_json(root)
        codes = {p.code for p in verify_package(rezip(resign(built, files))).problems}
        assert FindingCode.MERKLE_PROOF_INVALID in codes

    def test_root_token_over_another_value(self, built):
        files = dict(built.files)
        json_path = next(p for p in files if p.startswith("roots/") and p.endswith(".json"))
        proof = json.loads(files[fmt.CHAIN_PROOF_PATH])
        # swap in a token of a signature timestamp (valid TSA signature, wrong imprint)
        files[json.loads(files[json_path])["timestamp_token"]] = files["pki/timestamps/EmployerSeal.tsr"]
        report = verify_package(rezip(resign(built, files)))
        assert proof["events"] and {p.code for p in report.problems} == {FindingCode.ROOT_TOKEN_INVALID}

    def test_swapped_contract_pdf(self, built):
        """Replace the contract with its own earlier revision: the manifest's pdf_sha256 and the revisions disagree."""
        files = {**built.files, fmt.SIGNED_PDF_PATH: built.files["contract/revisions/WorkerSignature.pdf"]}
        codes = {p.code for p in verify_package(rezip(resign(built, files))).problems}
        assert FindingCode.PDF_MISMATCH in codes

    def test_withheld_payload_still_verifies(self, built):
        events = self._events(built)
        events[0].pop("payload")
        events[0]["payload_withheld"] = "personal_data"
        assert verify_package(rezip(self._with_events(built, events))).ok


class TestAuditPaths:
    def test_same_as_archive_merkle(self):
        for size in range(1, 20):
            leaves = [bytes([i]) * 32 for i in range(size)]
            paths = audit_paths(leaves, range(size))
            for index in range(size):
                assert paths[index] == merkle_inclusion_proof(leaves, index), (size, index)
