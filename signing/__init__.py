"""和签 HeQian signing core: PKI, RFC 3161 TSA, PAdES signing and verification.

Pure Python on top of pyHanko and ``cryptography``; nothing here imports
Django (``tests/signing/test_imports.py`` checks). The web integration lives in
``signing.django_app`` and only calls the names exported here.
"""

from . import _asn1_patch  # noqa: F401  (first: installs the asn1crypto fix; see its docstring)
from .appearance import BEIJING, CjkFont, find_cjk_font, format_beijing_time, render_company_seal
from .cms import DetachedVerification, sign_detached, verify_detached
from .errors import (
    CertificateProfileError,
    KeyDecryptionError,
    NotAPdfError,
    SignatureFieldError,
    SigningCoreError,
)
from .identity import SigningIdentity, load_certificates
from .keys import clear_key_cache, encrypt_private_key, generate_private_key, load_private_key
from .pades import EMPLOYER_FIELD, WORKER_FIELD, FieldBox, archive_lta, seal_as_employer, sign_as_worker
from .pki import (
    CertifiedKey,
    RevocationEntry,
    build_crl,
    create_issuing_ca,
    create_root_ca,
    issue_organisation_certificate,
    issue_personal_certificate,
    issue_tsa_certificate,
    pseudonymise_id_number,
)
from .tsa import (
    HEQIAN_TSA_POLICY_OID,
    InProcessTimeStamper,
    TimeStampAuthority,
    TimeStampResponse,
    http_timestamper,
)
from .verify import (
    CertificateInfo,
    Reason,
    ReasonCode,
    Role,
    SignatureReport,
    SubjectInfo,
    VerificationReport,
    extract_signed_revision,
    verify_pdf,
)

__all__ = [
    "BEIJING",
    "EMPLOYER_FIELD",
    "HEQIAN_TSA_POLICY_OID",
    "WORKER_FIELD",
    "CertificateInfo",
    "CertificateProfileError",
    "CertifiedKey",
    "CjkFont",
    "DetachedVerification",
    "FieldBox",
    "InProcessTimeStamper",
    "KeyDecryptionError",
    "NotAPdfError",
    "Reason",
    "ReasonCode",
    "RevocationEntry",
    "Role",
    "SignatureFieldError",
    "SignatureReport",
    "SigningCoreError",
    "SigningIdentity",
    "SubjectInfo",
    "TimeStampAuthority",
    "TimeStampResponse",
    "VerificationReport",
    "archive_lta",
    "build_crl",
    "clear_key_cache",
    "create_issuing_ca",
    "create_root_ca",
    "encrypt_private_key",
    "extract_signed_revision",
    "find_cjk_font",
    "format_beijing_time",
    "generate_private_key",
    "http_timestamper",
    "issue_organisation_certificate",
    "issue_personal_certificate",
    "issue_tsa_certificate",
    "load_certificates",
    "load_private_key",
    "pseudonymise_id_number",
    "render_company_seal",
    "seal_as_employer",
    "sign_as_worker",
    "sign_detached",
    "verify_detached",
    "verify_pdf",
]
