"""Certificate profiles and CRLs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from signing import CertificateProfileError, RevocationEntry, build_crl, issue_personal_certificate
from tests.signing.material import CREDIT_CODE, CRL_ISSUING, PEPPER

ID_NUMBER = "370102199001011234"


def _ext(cert: x509.Certificate, cls):
    return cert.extensions.get_extension_for_class(cls)


class TestPki:
    def test_ca_constraints(self, pki):
        root_bc = _ext(pki.root.certificate, x509.BasicConstraints)
        issuing_bc = _ext(pki.issuing.certificate, x509.BasicConstraints)
        assert root_bc.critical and root_bc.value.ca and root_bc.value.path_length == 1
        assert issuing_bc.critical and issuing_bc.value.ca and issuing_bc.value.path_length == 0
        assert _ext(pki.issuing.certificate, x509.KeyUsage).value.crl_sign
        dp = _ext(pki.issuing.certificate, x509.CRLDistributionPoints).value
        assert dp[0].full_name[0].value.endswith("root.crl")

    def test_signer_certificates_have_critical_non_repudiation(self, pki):
        for ck in (pki.employer, pki.worker):
            ku = _ext(ck.certificate, x509.KeyUsage)
            assert ku.critical and ku.value.digital_signature and ku.value.content_commitment
            assert not _ext(ck.certificate, x509.BasicConstraints).value.ca
            dp = _ext(ck.certificate, x509.CRLDistributionPoints).value
            assert dp[0].full_name[0].value == CRL_ISSUING
            aia = _ext(ck.certificate, x509.AuthorityInformationAccess).value
            assert aia[0].access_location.value.startswith("http://")

    def test_tsa_has_critical_timestamping_eku_only(self, pki):
        eku = _ext(pki.tsa.certificate, x509.ExtendedKeyUsage)
        assert eku.critical and list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]

    def test_organisation_subject_carries_the_credit_code(self, pki):
        subject = pki.employer.certificate.subject
        assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)[0].value == f"NTRCN-{CREDIT_CODE}"
        assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "济南和签示范科技有限公司"

    def test_personal_certificate_never_holds_the_id_number(self, pki):
        cert = pki.worker.certificate
        serial = cert.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)[0].value
        assert serial.startswith("IDH-") and ID_NUMBER not in serial
        assert ID_NUMBER.encode() not in cert.public_bytes(
            __import__("cryptography").hazmat.primitives.serialization.Encoding.DER
        )
        assert cert.not_valid_after_utc - cert.not_valid_before_utc <= timedelta(days=30, minutes=6)

    def test_plain_id_number_is_refused_as_pseudonym(self, pki):
        with pytest.raises(CertificateProfileError):
            issue_personal_certificate(pki.issuing, name="李晓明", id_pseudonym=ID_NUMBER, crl_url=CRL_ISSUING)

    def test_bad_credit_code_is_refused(self, pki):
        from signing import issue_organisation_certificate

        with pytest.raises(CertificateProfileError):
            issue_organisation_certificate(pki.issuing, company_name="X", credit_code="123", crl_url=CRL_ISSUING)

    def test_pseudonym_is_stable_and_keyed(self):
        from signing import pseudonymise_id_number

        a = pseudonymise_id_number(ID_NUMBER, key=PEPPER)
        assert a == pseudonymise_id_number(ID_NUMBER.lower(), key=PEPPER)
        assert a != pseudonymise_id_number(ID_NUMBER, key=PEPPER + b"x")

    def test_crl_lists_revocations_and_is_signed_by_the_issuer(self, pki):
        when = pki.now - timedelta(hours=2)
        crl = build_crl(
            pki.issuing,
            [RevocationEntry(pki.employer.serial_number, when, x509.ReasonFlags.key_compromise)],
            number=7,
            this_update=pki.now,
        )
        assert crl.is_signature_valid(pki.issuing.certificate.public_key())
        entry = crl.get_revoked_certificate_by_serial_number(pki.employer.serial_number)
        assert entry is not None and entry.revocation_date_utc == when.replace(microsecond=0)
        assert crl.next_update_utc > crl.last_update_utc
        assert _ext_crl_number(crl) == 7


def _ext_crl_number(crl: x509.CertificateRevocationList) -> int:
    return crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number
