"""RFC 3161 time-stamping authority core and pyHanko time-stamper adapters.

:class:`TimeStampAuthority` turns a ``TimeStampReq`` (DER) into a
``TimeStampResp`` (DER). It never raises on bad input: anything it cannot
serve becomes a ``rejection`` response with an RFC 3161 ``failInfo`` bit, which
is what clients (openssl, pyHanko) expect to parse. The web layer exposes
:meth:`TimeStampAuthority.respond` at ``/tsa/`` with content types
``application/timestamp-query`` / ``application/timestamp-reply``.

Tokens carry: the policy OID, a unique serial, genTime (UTC, microseconds),
accuracy, the nonce echoed back, ``tsa`` = the TSA certificate subject, and a
SignerInfo with ESSCertIDv2 (RFC 5816) over the TSA certificate, signed with
the TSA's ECDSA (or RSA) key. ``openssl ts -verify`` and pyHanko accept them.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding
from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper, TimestampRequestError

from .errors import CertificateProfileError
from .identity import to_asn1
from .keys import PrivateKey

__all__ = [
    "HEQIAN_TSA_POLICY_OID",
    "InProcessTimeStamper",
    "TimeStampAuthority",
    "TimeStampResponse",
    "http_timestamper",
]

logger = logging.getLogger(__name__)

HEQIAN_TSA_POLICY_OID = "2.25.216557306926958513430624545312553913187"
"""Default TSA policy OID. Under the ITU-T X.667 UUID arc (2.25), so it is
globally unique without a registered enterprise number; replace it with the
policy OID of a licensed TSA's practice statement when there is one."""

_MAX_REQUEST = 16 * 1024  # real requests are < 200 bytes; refuse to parse megabytes
_DIGEST_SIZES = {"sha256": 32, "sha384": 48, "sha512": 64, "sha3_256": 32, "sha3_384": 48, "sha3_512": 64}
_SIGN_HASHES: dict[str, hashes.HashAlgorithm] = {"sha256": hashes.SHA256(), "sha384": hashes.SHA384()}


class TimeStampResponse(core.Sequence):
    """``TimeStampResp`` with the token OPTIONAL, as RFC 3161 §2.4.2 defines it.

    asn1crypto's ``tsp.TimeStampResp`` declares the token mandatory and cannot
    even parse a rejection; use this class to read our responses.
    """

    _fields = [
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]


class _Rejection(Exception):
    def __init__(self, fail_info: str, text: str) -> None:
        super().__init__(text)
        self.fail_info = fail_info
        self.text = text


class TimeStampAuthority:
    """An in-process RFC 3161 TSA.

    :param cert: the TSA certificate (critical EKU timeStamping).
    :param key: its private key.
    :param chain: issuing CA (and optionally root) certificates returned when the
        client sets ``certReq``.
    :param clock: returns the current time (timezone-aware); inject a fixed
        clock in tests. Production should run on an NTP-disciplined host.
    :param serial_source: returns the next token serial. Pass a persisted counter
        (e.g. a database sequence) to get gap-free, auditable serials; the
        default is a random 128-bit integer, unique with overwhelming probability.
    :param policy_oid: TSA policy OID stamped into every token.
    :param accuracy_seconds: declared accuracy of genTime.
    """

    def __init__(
        self,
        cert: x509.Certificate,
        key: PrivateKey,
        chain: Sequence[x509.Certificate] = (),
        clock: Callable[[], datetime] | None = None,
        *,
        serial_source: Callable[[], int] | None = None,
        policy_oid: str = HEQIAN_TSA_POLICY_OID,
        accuracy_seconds: int = 1,
    ) -> None:
        try:
            eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
        except x509.ExtensionNotFound:
            eku = None
        if eku is None or not eku.critical or list(eku.value) != [x509.ExtendedKeyUsageOID.TIME_STAMPING]:
            raise CertificateProfileError("TSA certificate needs a critical EKU with timeStamping only")
        self.certificate = cert
        self._key = key
        self._clock = clock or (lambda: datetime.now(UTC))
        self._serial_source = serial_source or (lambda: secrets.randbits(128) or 1)
        self.policy_oid = policy_oid
        self._accuracy = accuracy_seconds
        self._asn1_cert = to_asn1(cert)
        self._asn1_chain = [to_asn1(c) for c in chain]
        self._digest = (
            "sha384" if isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.key_size > 256 else "sha256"
        )
        self._sig_algo = f"{self._digest}_ecdsa" if isinstance(key, ec.EllipticCurvePrivateKey) else "rsassa_pkcs1v15"
        # Invariant parts of every token, encoded once. They are re-loaded per
        # token rather than shared: asn1crypto mutates (re-tags) an object when
        # it is placed into a new parent, so sharing one instance across tokens
        # makes every later encoding slower.
        self._ess_attr_der = simple_cms_attribute(
            "signing_certificate_v2", as_signing_certificate_v2(self._asn1_cert, "sha256")
        ).dump()
        self._tsa_name_der = asn1_x509.GeneralName(name="directory_name", value=self._asn1_cert.subject).dump()
        self._sid_der = cms.SignerIdentifier(
            {
                "issuer_and_serial_number": cms.IssuerAndSerialNumber(
                    {"issuer": self._asn1_cert.issuer, "serial_number": self._asn1_cert.serial_number}
                )
            }
        ).dump()
        self._certs_der = [c.dump() for c in (self._asn1_cert, *self._asn1_chain)]

    # -- public API -----------------------------------------------------------------

    def respond(self, request_der: bytes) -> bytes:
        """Answer one DER ``TimeStampReq`` with a DER ``TimeStampResp``. Never raises."""
        return self._respond(request_der).dump()

    def _respond(self, request_der: bytes) -> core.Sequence:
        try:
            if len(request_der) > _MAX_REQUEST:
                raise _Rejection("bad_data_format", "request too large")
            try:
                req = tsp.TimeStampReq.load(bytes(request_der), strict=True)
                req.native  # noqa: B018 -- force a full parse so malformed inner fields surface here
            except Exception as exc:  # asn1crypto raises ValueError/TypeError/etc. on garbage
                raise _Rejection("bad_data_format", "request is not a DER TimeStampReq") from exc
            return self._grant(req)
        except _Rejection as rej:
            return self._reject(rej.fail_info, rej.text)
        except Exception:  # pragma: no cover - signing failure, clock failure...
            logger.exception("TSA failed to answer a request")
            return self._reject("system_failure", "internal error")

    def respond_to_request(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        """Fast path for in-process callers that already hold a parsed request.

        Raises pyHanko's ``TimestampRequestError`` on a rejection: asn1crypto's
        ``TimeStampResp`` cannot represent a response without a token.
        """
        try:
            resp = self._grant(req)
        except _Rejection as rej:
            raise TimestampRequestError(f"timestamp request rejected: {rej.text} ({rej.fail_info})") from rej
        # A DER round trip hands pyHanko a freshly parsed object (see __init__ on sharing).
        return tsp.TimeStampResp.load(resp.dump())

    # -- internals ------------------------------------------------------------------

    def _reject(self, fail_info: str, text: str) -> core.Sequence:
        return TimeStampResponse(
            {
                "status": tsp.PKIStatusInfo(
                    {
                        "status": "rejection",
                        "status_string": [text],
                        "fail_info": tsp.PKIFailureInfo({fail_info}),
                    }
                )
            }
        )

    def _check(self, req: tsp.TimeStampReq) -> None:
        if req["version"].native != "v1":
            raise _Rejection("bad_request", "unsupported request version")
        imprint = req["message_imprint"]
        algo = imprint["hash_algorithm"]["algorithm"].native
        size = _DIGEST_SIZES.get(algo)
        if size is None:
            raise _Rejection("bad_alg", f"unsupported hash algorithm {algo}")
        if len(imprint["hashed_message"].native) != size:
            raise _Rejection("bad_data_format", "message imprint length does not match its algorithm")
        policy = req["req_policy"].native
        if policy is not None and req["req_policy"].dotted != self.policy_oid:
            raise _Rejection("unaccepted_policy", "requested policy is not supported")
        if req["extensions"].native:
            raise _Rejection("unaccepted_extensions", "request extensions are not supported")

    def _grant(self, req: tsp.TimeStampReq) -> core.Sequence:
        self._check(req)
        now = self._clock()
        if now.tzinfo is None:
            raise _Rejection("time_not_available", "TSA clock is not timezone-aware")
        now = now.astimezone(UTC)
        tst = {
            "version": "v1",
            "policy": self.policy_oid,
            "message_imprint": req["message_imprint"],
            "serial_number": self._serial_source(),
            "gen_time": core.GeneralizedTime(now),
            "accuracy": tsp.Accuracy({"seconds": self._accuracy}),
            "tsa": asn1_x509.GeneralName.load(self._tsa_name_der),
        }
        if req["nonce"].native is not None:
            tst["nonce"] = req["nonce"]
        tst_der = tsp.TSTInfo(tst).dump()

        digest = getattr(hashlib, self._digest)(tst_der).digest()
        signed_attrs = cms.CMSAttributes(
            [
                simple_cms_attribute("content_type", "tst_info"),
                simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(now)})),
                simple_cms_attribute("message_digest", digest),
                cms.CMSAttribute.load(self._ess_attr_der),
            ]
        )
        signature = self._sign(signed_attrs.dump())
        digest_algo = algos.DigestAlgorithm({"algorithm": self._digest})
        signer_info = cms.SignerInfo(
            {
                "version": "v1",
                "sid": cms.SignerIdentifier.load(self._sid_der),
                "digest_algorithm": digest_algo,
                "signed_attrs": signed_attrs,
                "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": self._sig_algo}),
                "signature": signature,
            }
        )
        signed_data = {
            "version": "v3",
            "digest_algorithms": [digest_algo],
            "encap_content_info": {
                "content_type": "tst_info",
                "content": core.ParsableOctetString(tst_der),
            },
            "signer_infos": [signer_info],
        }
        if req["cert_req"].native:
            signed_data["certificates"] = [asn1_x509.Certificate.load(der) for der in self._certs_der]
        token = cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(signed_data)})
        return TimeStampResponse({"status": tsp.PKIStatusInfo({"status": "granted"}), "time_stamp_token": token})

    def _sign(self, data: bytes) -> bytes:
        h = _SIGN_HASHES[self._digest]
        if isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(h))
        return self._key.sign(data, padding.PKCS1v15(), h)


class InProcessTimeStamper(TimeStamper):
    """pyHanko ``TimeStamper`` that calls a :class:`TimeStampAuthority` directly (no HTTP).

    Keep one instance per process: pyHanko caches a dummy token per instance for
    signature-size estimation, so a fresh instance costs one extra token.
    """

    def __init__(self, authority: TimeStampAuthority, *, include_nonce: bool = True) -> None:
        super().__init__(include_nonce=include_nonce)
        self.authority = authority

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        return self.authority.respond_to_request(req)


def http_timestamper(url: str, *, timeout: int = 5) -> TimeStamper:
    """pyHanko's HTTP client for an external (or our own ``/tsa/``) RFC 3161 endpoint."""
    return HTTPTimeStamper(url, timeout=timeout)
