"""A signer's certificate + key + chain, converted once into what pyHanko needs.

pyHanko's ``SimpleSigner`` re-parses the DER private key on every signature
(docs/pdf_signing.md, pitfall 1). :class:`SigningIdentity` instead keeps the
``cryptography`` key object and the asn1crypto certificates for its whole life;
create one per signer and reuse it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.sign.signers.pdf_cms import Signer
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .errors import CertificateProfileError
from .keys import PrivateKey, load_private_key

__all__ = ["SigningIdentity", "load_certificates"]

_HASHES: dict[str, hashes.HashAlgorithm] = {
    "sha256": hashes.SHA256(),
    "sha384": hashes.SHA384(),
    "sha512": hashes.SHA512(),
}


def load_certificates(data: bytes | Sequence[bytes]) -> list[x509.Certificate]:
    """Parse one PEM bundle, one DER certificate, or a list of either."""
    if isinstance(data, bytes | bytearray):
        blobs: Sequence[bytes] = [bytes(data)]
    else:
        blobs = data
    out: list[x509.Certificate] = []
    for blob in blobs:
        if b"-----BEGIN" in blob:
            out.extend(x509.load_pem_x509_certificates(blob))
        else:
            out.append(x509.load_der_x509_certificate(blob))
    return out


def to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


class _CachedKeySigner(Signer):
    """pyHanko ``Signer`` that signs with an already-loaded ``cryptography`` key."""

    def __init__(
        self,
        *,
        key: PrivateKey,
        signing_cert: asn1_x509.Certificate,
        chain: Sequence[asn1_x509.Certificate],
        digest: str,
    ) -> None:
        self._key = key
        self._digest = digest
        super().__init__(
            signing_cert=signing_cert,
            cert_registry=SimpleCertificateStore.from_certs(list(chain)),
            # No fixed signature_mechanism object: pyHanko would insert that one
            # asn1crypto object into every SignerInfo, and asn1crypto re-tags
            # shared objects in place, which made each signature slower than
            # the last (30 ms -> 1.2 s after a dozen calls). Left unset, pyHanko
            # builds a fresh sha256_ecdsa / sha256_rsa object per signature.
            # The root is configured by every verifier anyway; leaving it out
            # saves ~0.5 KB per signature.
            embed_roots=False,
        )

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        # dry_run is answered with a real signature: ECDSA costs ~0.1 ms and a
        # real value gives the exact size for the placeholder estimate.
        return self.sign_raw(data, digest_algorithm)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        h = _HASHES[digest_algorithm.lower()]
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(h))
        assert isinstance(self._key, rsa.RSAPrivateKey)
        return self._key.sign(data, padding.PKCS1v15(), h)


class SigningIdentity:
    """Everything needed to sign as one party: certificate, private key, chain to the root.

    ``chain`` lists the issuing CA(s), optionally followed by the root; they are
    embedded in each signature so that any verifier can build the path.
    """

    def __init__(
        self,
        certificate: x509.Certificate,
        private_key: PrivateKey,
        chain: Sequence[x509.Certificate] = (),
    ) -> None:
        if certificate.public_key().public_numbers() != private_key.public_key().public_numbers():
            raise CertificateProfileError("private key does not match the certificate")
        self.certificate = certificate
        self.private_key = private_key
        self.chain = tuple(chain)
        self.asn1_certificate = to_asn1(certificate)
        self.asn1_chain = tuple(to_asn1(c) for c in self.chain)

    @classmethod
    def load(
        cls,
        *,
        certificate: bytes,
        encrypted_key: bytes,
        passphrase: bytes | str,
        chain: bytes | Sequence[bytes] = (),
    ) -> SigningIdentity:
        """Build from persisted material (PEM/DER certificate, encrypted PKCS#8 key, chain PEM)."""
        certs = load_certificates(certificate)
        if len(certs) != 1:
            raise CertificateProfileError(f"expected one signer certificate, got {len(certs)}")
        return cls(certs[0], load_private_key(encrypted_key, passphrase), load_certificates(chain) if chain else ())

    @property
    def digest_algorithm(self) -> str:
        key = self.private_key
        if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.key_size > 256:
            return "sha384"
        return "sha256"

    @cached_property
    def pyhanko_signer(self) -> Signer:
        """The pyHanko signer object (built once, reused for every signature)."""
        return _CachedKeySigner(
            key=self.private_key,
            signing_cert=self.asn1_certificate,
            chain=self.asn1_chain,
            digest=self.digest_algorithm,
        )

    @property
    def common_name(self) -> str:
        attrs = self.certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        return str(attrs[0].value) if attrs else self.certificate.subject.rfc4514_string()

    def __repr__(self) -> str:
        return f"SigningIdentity({self.certificate.subject.rfc4514_string()!r})"
