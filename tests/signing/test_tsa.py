"""RFC 3161 authority: accepted by openssl and pyHanko, never raises on garbage."""

from __future__ import annotations

import asyncio
import hashlib
import subprocess
from datetime import UTC, datetime

import pytest
from asn1crypto import algos, tsp
from pyhanko.sign.timestamps import TimestampRequestError

from signing import HEQIAN_TSA_POLICY_OID, InProcessTimeStamper, TimeStampAuthority
from signing.tsa import TimeStampResponse


def _req(digest: bytes, *, algo: str = "sha256", policy: str | None = None, nonce: int | None = 42) -> bytes:
    fields = {
        "version": "v1",
        "message_imprint": tsp.MessageImprint(
            {"hash_algorithm": algos.DigestAlgorithm({"algorithm": algo}), "hashed_message": digest}
        ),
        "cert_req": True,
    }
    if policy:
        fields["req_policy"] = policy
    if nonce is not None:
        fields["nonce"] = nonce
    return tsp.TimeStampReq(fields).dump()


def _status(resp: bytes) -> tuple[str, set]:
    info = TimeStampResponse.load(resp)["status"]
    return info["status"].native, set(info["fail_info"].native or ())


class TestTimeStampAuthority:
    def test_openssl_verifies_a_token(self, authority, pki, tmp_path):
        data = tmp_path / "evidence.json"
        data.write_bytes('{"合同":"C-1"}'.encode())
        query = tmp_path / "q.tsq"
        subprocess.run(
            ["openssl", "ts", "-query", "-data", str(data), "-sha256", "-cert", "-out", str(query)],
            check=True,
            capture_output=True,
        )
        reply = tmp_path / "r.tsr"
        reply.write_bytes(authority.respond(query.read_bytes()))
        cafile = tmp_path / "ca.pem"
        cafile.write_bytes(pki.root.certificate_pem() + pki.issuing.certificate_pem())
        out = subprocess.run(
            ["openssl", "ts", "-verify", "-data", str(data), "-in", str(reply), "-CAfile", str(cafile)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert out.returncode == 0 and "Verification: OK" in out.stdout, out.stderr
        text = subprocess.run(
            ["openssl", "ts", "-reply", "-in", str(reply), "-text"], capture_output=True, text=True, check=True
        ).stdout
        assert HEQIAN_TSA_POLICY_OID in text and "Nonce:" in text

    def test_openssl_rejects_a_token_for_other_data(self, authority, pki, tmp_path):
        data = tmp_path / "a.bin"
        data.write_bytes(b"original")
        reply = tmp_path / "r.tsr"
        reply.write_bytes(authority.respond(_req(hashlib.sha256(b"original").digest())))
        data.write_bytes(b"tampered")
        cafile = tmp_path / "ca.pem"
        cafile.write_bytes(pki.root.certificate_pem() + pki.issuing.certificate_pem())
        out = subprocess.run(
            ["openssl", "ts", "-verify", "-data", str(data), "-in", str(reply), "-CAfile", str(cafile)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert out.returncode != 0

    @pytest.mark.parametrize("garbage", [b"", b"garbage", b"\x30\x03\x02\x01\x01", b"\x30" * 40000])
    def test_garbage_gets_a_rejection_not_an_exception(self, authority, garbage):
        assert _status(authority.respond(garbage)) == ("rejection", {"bad_data_format"})

    def test_unknown_hash_algorithm_is_bad_alg(self, authority):
        assert _status(authority.respond(_req(hashlib.md5(b"x").digest(), algo="md5")))[1] == {"bad_alg"}  # noqa: S324

    def test_wrong_imprint_length_is_bad_data_format(self, authority):
        assert _status(authority.respond(_req(b"short")))[1] == {"bad_data_format"}

    def test_foreign_policy_is_unaccepted(self, authority):
        assert _status(authority.respond(_req(b"\0" * 32, policy="1.2.3.4")))[1] == {"unaccepted_policy"}

    def test_token_fields(self, pki):
        fixed = datetime(2026, 3, 1, 8, 0, 0, tzinfo=UTC)
        counter = iter(range(1000, 2000))
        tsa = TimeStampAuthority(
            pki.tsa.certificate, pki.tsa.require_key(), pki.chain, lambda: fixed, serial_source=lambda: next(counter)
        )
        resp = tsp.TimeStampResp.load(tsa.respond(_req(b"\1" * 32, nonce=987654321)))
        assert resp["status"]["status"].native == "granted"
        info = resp["time_stamp_token"]["content"]["encap_content_info"]["content"].parsed
        assert info["gen_time"].native == fixed
        assert info["serial_number"].native == 1000
        assert info["nonce"].native == 987654321
        assert info["policy"].dotted == HEQIAN_TSA_POLICY_OID
        attrs = resp["time_stamp_token"]["content"]["signer_infos"][0]["signed_attrs"]
        assert "signing_certificate_v2" in {a["type"].native for a in attrs}

    def test_pyhanko_accepts_tokens_in_process(self, timestamper: InProcessTimeStamper):
        token = asyncio.run(timestamper.async_timestamp(hashlib.sha256(b"x").digest(), "sha256"))
        assert token["content"]["encap_content_info"]["content_type"].native == "tst_info"

    def test_in_process_rejection_raises_pyhankos_error(self, pki):
        tsa = TimeStampAuthority(pki.tsa.certificate, pki.tsa.require_key(), pki.chain, policy_oid="1.2.3")
        stamper = InProcessTimeStamper(tsa)
        req = tsp.TimeStampReq.load(_req(b"\0" * 32, policy="1.2.4"))
        with pytest.raises(TimestampRequestError):
            asyncio.run(stamper.async_request_tsa_response(req))
