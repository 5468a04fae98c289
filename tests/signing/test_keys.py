"""Key codec: encrypted PKCS#8 at rest, decrypted once per process."""

from __future__ import annotations

import subprocess

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from signing import (
    KeyDecryptionError,
    clear_key_cache,
    encrypt_private_key,
    generate_private_key,
    load_private_key,
)

PASSPHRASE = "3c1f0e8a9b7d4c2e6f5a1b0c9d8e7f60"  # stands in for the key the web layer reads from the env


class TestKeyCodec:
    def test_default_is_ecdsa_p256(self):
        key = generate_private_key()
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        assert key.curve.name == "secp256r1"

    def test_round_trip_is_encrypted_pkcs8_and_cached(self):
        key = generate_private_key()
        blob = encrypt_private_key(key, PASSPHRASE)
        assert blob.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
        clear_key_cache()
        first = load_private_key(blob, PASSPHRASE)
        assert first.private_numbers() == key.private_numbers()
        # pitfall 1: the second load must not re-parse (same object back)
        assert load_private_key(blob, PASSPHRASE) is first

    def test_wrong_passphrase_is_refused_even_after_a_cached_load(self):
        blob = encrypt_private_key(generate_private_key(), PASSPHRASE)
        load_private_key(blob, PASSPHRASE)
        with pytest.raises(KeyDecryptionError):
            load_private_key(blob, "wrong passphrase")

    def test_corrupt_blob_is_refused(self):
        with pytest.raises(KeyDecryptionError):
            load_private_key(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "x")

    def test_empty_passphrase_is_refused(self):
        with pytest.raises(ValueError):
            encrypt_private_key(generate_private_key(), "")

    def test_rsa_is_available_for_interop(self):
        assert isinstance(generate_private_key("rsa-2048"), rsa.RSAPrivateKey)

    def test_openssl_reads_the_blob(self, tmp_path):
        path = tmp_path / "k.pem"
        path.write_bytes(encrypt_private_key(generate_private_key(), PASSPHRASE))
        out = subprocess.run(
            ["openssl", "pkey", "-in", str(path), "-passin", f"pass:{PASSPHRASE}", "-noout", "-text"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert out.returncode == 0, out.stderr
        assert "prime256v1" in out.stdout
