"""Test material for the signing core: a throw-away PKI and a small Chinese contract PDF.

Shared by the tests and ``bench/sign.py`` so both measure the same thing.
Nothing here is used in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509

from signing import (
    CertifiedKey,
    SigningIdentity,
    build_crl,
    create_issuing_ca,
    create_root_ca,
    issue_organisation_certificate,
    issue_personal_certificate,
    issue_tsa_certificate,
    pseudonymise_id_number,
)

CRL_ROOT = "http://pki.heqian.test/crl/root.crl"
CRL_ISSUING = "http://pki.heqian.test/crl/issuing.crl"
AIA_ISSUING = "http://pki.heqian.test/ca/issuing.crt"
COMPANY = "济南和签示范科技有限公司"
CREDIT_CODE = "91370100MA3C4XYB5K"
WORKER = "李晓明"
PEPPER = b"test-pepper-0123456789abcdef-0123456789"

Box = tuple[int, tuple[float, float, float, float]]


@dataclass(frozen=True)
class DemoPki:
    root: CertifiedKey
    issuing: CertifiedKey
    tsa: CertifiedKey
    employer: CertifiedKey
    worker: CertifiedKey
    now: datetime

    @property
    def chain(self) -> list[x509.Certificate]:
        return [self.issuing.certificate]

    def identity(self, ck: CertifiedKey) -> SigningIdentity:
        return SigningIdentity(ck.certificate, ck.require_key(), self.chain)

    def crls(self, revoked_issuing=(), revoked_root=()) -> list[x509.CertificateRevocationList]:
        return [
            build_crl(self.root, revoked_root, number=1, this_update=self.now),
            build_crl(self.issuing, revoked_issuing, number=1, this_update=self.now),
        ]


def build_test_pki(now: datetime | None = None) -> DemoPki:
    now = now or datetime.now(UTC)
    root = create_root_ca("HeQian Test Root CA", now=now - timedelta(days=400))
    issuing = create_issuing_ca(root, "HeQian Test Issuing CA", crl_url=CRL_ROOT, now=now - timedelta(days=400))
    tsa = issue_tsa_certificate(
        issuing, "HeQian Test TSA", crl_url=CRL_ISSUING, issuer_url=AIA_ISSUING, now=now - timedelta(days=30)
    )
    employer = issue_organisation_certificate(
        issuing,
        company_name=COMPANY,
        credit_code=CREDIT_CODE,
        crl_url=CRL_ISSUING,
        issuer_url=AIA_ISSUING,
        now=now - timedelta(days=1),
    )
    worker = issue_personal_certificate(
        issuing,
        name=WORKER,
        id_pseudonym=pseudonymise_id_number("370102199001011234", key=PEPPER),
        crl_url=CRL_ISSUING,
        issuer_url=AIA_ISSUING,
        now=now - timedelta(hours=1),
    )
    return DemoPki(root, issuing, tsa, employer, worker, now)


CONTRACT_HTML = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 20mm }
body { font-family: "Noto Serif CJK SC"; font-size: 10pt; line-height: 1.6 }
h1 { text-align: center; font-family: "Noto Sans CJK SC"; font-size: 16pt }
.sigs { display: flex; justify-content: space-between; margin-top: 12mm }
.sig { width: 60mm; height: 32mm; border: 0.3pt dashed #999 }
</style></head><body>
<h1>劳动合同</h1>
<p>甲方（用人单位）：{company}　统一社会信用代码：{code}</p>
<p>乙方（劳动者）：{worker}　居民身份证号码：3701**********1234</p>
{clauses}
<div class="sigs">
  <div><p>甲方（盖章）：</p><div class="sig" id="sig-employer"></div></div>
  <div><p>乙方（签字）：</p><div class="sig" id="sig-worker"></div></div>
</div>
</body></html>
"""

CLAUSE = (
    "<p>第{n}条　双方根据《中华人民共和国劳动合同法》及有关法律法规，遵循合法、公平、平等自愿、"
    "协商一致、诚实信用的原则，订立本合同条款。乙方工作岗位为软件工程师，工作地点为济南市，"
    "实行标准工时制度，每月工资为人民币捌仟元整，甲方依法为乙方缴纳社会保险费。</p>"
)


def render_contract_pdf(clauses: int = 12) -> tuple[bytes, dict[str, Box]]:
    """Render the sample contract; returns the PDF and the signature boxes in PDF points."""
    from weasyprint import HTML

    html = (
        CONTRACT_HTML.replace("{company}", COMPANY)
        .replace("{code}", CREDIT_CODE)
        .replace("{worker}", WORKER)
        .replace("{clauses}", "".join(CLAUSE.format(n=i + 1) for i in range(clauses)))
    )
    doc = HTML(string=html).render()
    boxes: dict[str, Box] = {}
    for i, page in enumerate(doc.pages):
        height = page.height
        for name, (x1, y1, x2, y2) in page.anchors.items():
            if name.startswith("sig-"):
                # CSS px (origin top-left) -> PDF pt (origin bottom-left); 1 px = 0.75 pt
                boxes[name] = (i, (x1 * 0.75, (height - y2) * 0.75, x2 * 0.75, (height - y1) * 0.75))
    return doc.write_pdf(), boxes


def issue_without_non_repudiation(issuer: CertifiedKey, *, now: datetime) -> CertifiedKey:
    """Negative material: an organisation certificate with digitalSignature only (no nonRepudiation)."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    from signing import generate_private_key

    key = generate_private_key()
    ski = issuer.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, COMPANY),
                    x509.NameAttribute(NameOID.COMMON_NAME, COMPANY),
                ]
            )
        )
        .issuer_name(issuer.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .add_extension(
            x509.CRLDistributionPoints(
                [x509.DistributionPoint([x509.UniformResourceIdentifier(CRL_ISSUING)], None, None, None)]
            ),
            critical=False,
        )
        .sign(issuer.require_key(), hashes.SHA256())
    )
    return CertifiedKey(cert, key)
