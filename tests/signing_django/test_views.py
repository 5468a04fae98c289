"""Public pages: /verify/ upload, /verify/<sha256>/ (QR target), /pki/ files, /tsa/."""

from __future__ import annotations

import re
import subprocess

import pytest
from cryptography import x509
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts_platform.archive.store import archive_get
from signing.django_app.models import Counter
from tests.signing_django.conftest import root_pem_file, run

pytestmark = pytest.mark.django_db


def _upload(client, data: bytes, name: str = "contract.pdf", **extra):
    return client.post(reverse("verify:index"), {"file": SimpleUploadedFile(name, data, "application/pdf")}, **extra)


def _english(client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


class TestVerifyUpload:
    def test_form_page(self, client):
        page = client.get("/verify/")
        assert page.status_code == 200
        html = page.content.decode()
        assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
        assert 'name="viewport"' in html  # mobile layout from base.html
        assert "/pki/root.pem" in html and "pyhanko sign validate" in html

    def test_upload_requires_csrf(self, db):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        assert _upload(strict, b"%PDF-1.7\n").status_code == 403

    @pytest.mark.parametrize("data", [b"hello, this is not a pdf", b"\x00" * 5000, b"%PDF-1.7\n%%EOF garbage",
                                      b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>"])
    def test_garbage_gets_a_clear_message(self, client, data, artifacts):
        page = _upload(client, data)
        assert page.status_code == 200
        html = page.content.decode()
        (artifacts / f"verify-garbage-{len(data)}.html").write_text(html)
        assert ("它不是有效的 PDF 文件" in html) or ("验证未通过" in html) or ("无法得出结论" in html), html[-2000:]
        assert "签名有效：" not in html

    def test_missing_file(self, client):
        page = client.post("/verify/", {})
        assert page.status_code == 200
        assert "请选择要验证的 PDF 文件" in page.content.decode()

    def test_oversized_upload_is_refused_before_reading(self, client):
        page = _upload(client, b"%PDF-1.7\n" + b"0" * (21 * 1024 * 1024))
        assert page.status_code == 413
        assert "文件超过 20 MB" in page.content.decode()

    def test_signed_contract_shows_both_signatures_valid(self, client, archived, li, acme, artifacts):
        page = _upload(client, archive_get(archived.pdf_id))
        assert page.status_code == 200
        html = page.content.decode()
        (artifacts / "verify-upload-zh.html").write_text(html)
        assert "签名有效：" in html
        assert html.count("用人单位电子印章") == 1 and html.count("劳动者电子签名") == 1
        assert html.count(">有效</span>") == 3  # seal, worker signature, archive timestamp
        assert acme.name in html and acme.credit_code in html and li.name in html
        assert archived.version.contract.number in html and "逐字节一致" in html

    def test_tampered_contract_in_english(self, client, archived, artifacts):
        data = bytearray(archive_get(archived.pdf_id))
        data[len(data) // 3] ^= 0x01
        _english(client)
        page = _upload(client, bytes(data))
        html = page.content.decode()
        (artifacts / "verify-upload-tampered-en-core-messages.html").write_text(html)
        assert page.status_code == 200 and '<html lang="en">' in html
        assert "altered after signing" in html


class TestQrPage:
    def test_signed_contract_shows_masked_facts_and_report(self, client, archived, li, acme, artifacts):
        version = archived.version
        url = reverse("verify:document", kwargs={"sha256": version.terms_sha256})
        assert url == f"/verify/{version.terms_sha256}/"
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        (artifacts / "verify-qr-zh.html").write_text(html)
        assert version.contract.number in html and acme.name in html and "李*明" in html
        assert f"v{version.number}" in html and "签名有效：" in html
        for secret in (li.name, li.id_number, li.id_number[-6:], li.phone, li.address, "IDH-"):
            assert secret not in html, secret
        assert html.count("20") > 3 and "劳动者签署时间" in html and "归档时间" in html

    def test_uppercase_hash_works(self, client, archived):
        page = client.get(f"/verify/{archived.version.terms_sha256.upper()}/")
        assert page.status_code == 200

    def test_unsigned_contract(self, client, version):
        page = client.get(f"/verify/{version.terms_sha256}/")
        assert page.status_code == 200
        assert "该合同尚未签署" in page.content.decode()

    @pytest.mark.parametrize("sha", ["0" * 64, "not-a-hash", "g" * 64])
    def test_unknown_hash_is_a_friendly_404(self, client, sha, artifacts):
        page = client.get(f"/verify/{sha}/")
        (artifacts / "verify-unknown.html").write_text(page.content.decode())
        assert page.status_code == 404
        assert "未找到该合同" in page.content.decode()

    def test_english(self, client, archived):
        _english(client)
        page = client.get(f"/verify/{archived.version.terms_sha256}/")
        assert page.status_code == 200 and '<html lang="en">' in page.content.decode()


class TestPkiFiles:
    def test_certificates_and_crls(self, client):
        root_der = client.get("/pki/root.crt")
        assert root_der["Content-Type"] == "application/pkix-cert"
        root = x509.load_der_x509_certificate(root_der.content)
        root_pem = client.get("/pki/root.pem")
        assert x509.load_pem_x509_certificate(root_pem.content) == root
        issuing = x509.load_der_x509_certificate(client.get("/pki/issuing.crt").content)
        tsa = x509.load_pem_x509_certificate(client.get("/pki/tsa.pem").content)
        assert issuing.issuer == root.subject and tsa.issuer == issuing.subject
        # CRL distribution points point at the pages that serve the CRLs
        cdp = issuing.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        assert cdp[0].full_name[0].value.endswith("/pki/root.crl")
        for name, issuer in (("root.crl", root), ("issuing.crl", issuing)):
            response = client.get(f"/pki/{name}")
            assert response.status_code == 200 and response["Content-Type"] == "application/pkix-crl"
            crl = x509.load_der_x509_crl(response.content)
            assert crl.issuer == issuer.subject and crl.is_signature_valid(issuer.public_key())

    @pytest.mark.parametrize("name", ["nope.crt", "root.der", "tsa.crl", "..%2Fsettings.py"])
    def test_unknown_file(self, client, name):
        assert client.get(f"/pki/{name}").status_code == 404


class TestTsaEndpoint:
    def _query(self, tmp_path, data: bytes = b"heqian") -> bytes:
        (tmp_path / "data.bin").write_bytes(data)
        subprocess.run(["openssl", "ts", "-query", "-data", str(tmp_path / "data.bin"), "-sha256", "-cert",
                        "-out", str(tmp_path / "req.tsq")], check=True, capture_output=True)
        return (tmp_path / "req.tsq").read_bytes()

    def test_openssl_round_trip(self, client, tmp_path):
        response = client.post("/tsa/", self._query(tmp_path), content_type="application/timestamp-query")
        assert response.status_code == 200 and response["Content-Type"] == "application/timestamp-reply"
        (tmp_path / "resp.tsr").write_bytes(response.content)
        issuing = tmp_path / "issuing.pem"
        issuing.write_bytes(client.get("/pki/issuing.pem").content)
        out = run(["openssl", "ts", "-verify", "-in", str(tmp_path / "resp.tsr"), "-queryfile",
                   str(tmp_path / "req.tsq"), "-CAfile", str(root_pem_file(tmp_path)), "-untrusted", str(issuing)])
        assert "Verification: OK" in out.stdout, out.stdout + out.stderr

    def test_serials_come_from_the_database_counter(self, client, tmp_path):
        serials = []
        for i in range(3):
            reply = client.post("/tsa/", self._query(tmp_path, b"x%d" % i),
                                content_type="application/timestamp-query").content
            (tmp_path / "r.tsr").write_bytes(reply)
            text = run(["openssl", "ts", "-reply", "-in", str(tmp_path / "r.tsr"), "-text"]).stdout
            serials.append(int(re.search(r"Serial number: (0x[0-9A-Fa-f]+|\d+)", text).group(1), 0))
        assert serials == sorted(serials) and len(set(serials)) == 3
        assert Counter.objects.get(name="tsa_serial").value == serials[-1]

    def test_other_methods_are_refused(self, client):
        assert client.get("/tsa/").status_code == 405
        assert client.put("/tsa/", b"x", content_type="application/timestamp-query").status_code == 405

    def test_wrong_content_type_and_size(self, client, tmp_path):
        assert client.post("/tsa/", self._query(tmp_path), content_type="text/plain").status_code == 415
        big = client.post("/tsa/", b"0" * 20000, content_type="application/timestamp-query")
        assert big.status_code == 413

    def test_garbage_request_gets_an_rfc3161_rejection(self, client, tmp_path):
        response = client.post("/tsa/", b"\x30\x03\x02\x01\x05", content_type="application/timestamp-query")
        assert response.status_code == 200
        (tmp_path / "bad.tsr").write_bytes(response.content)
        text = run(["openssl", "ts", "-reply", "-in", str(tmp_path / "bad.tsr"), "-text"]).stdout
        assert "Status: Rejected" in text

    def test_no_csrf_needed(self, tmp_path, db):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        response = strict.post("/tsa/", self._query(tmp_path), content_type="application/timestamp-query")
        assert response.status_code == 200


class TestEnglishCatalogue:
    """signing/django_app/i18n/en.po (merged into the project catalogue by the lead) covers every page string."""

    def test_pages_render_in_english(self, client, archived, settings, tmp_path, artifacts):
        import shutil

        from django.conf import settings as live_settings

        if shutil.which("msgfmt") is None:
            pytest.skip("gettext's msgfmt not installed")
        target = tmp_path / "locale" / "en" / "LC_MESSAGES"
        target.mkdir(parents=True)
        source = live_settings.BASE_DIR / "signing" / "django_app" / "i18n" / "en.po"
        subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(source)], check=True)
        settings.LOCALE_PATHS = [*live_settings.LOCALE_PATHS, tmp_path / "locale"]  # project catalogue wins
        _english(client)
        html = _upload(client, archive_get(archived.pdf_id)).content.decode()
        (artifacts / "verify-upload-en.html").write_text(html)
        assert "Verify an electronic labour contract" in html and "Signatures valid:" in html
        assert "Employer&#x27;s electronic seal" in html or "Employer's electronic seal" in html
        qr = client.get(f"/verify/{archived.version.terms_sha256}/").content.decode()
        (artifacts / "verify-qr-en.html").write_text(qr)
        assert "Contract check" in qr and "Signed by the worker at" in qr and "李*明" in qr
