"""Platform PKI persistence: keys at rest, CRL freshness, seal upload, admin, caches."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from cryptography import x509
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from contracts_platform.accounts.models import Role, User
from contracts_platform.archive.models import EvidenceEvent
from contracts_platform.archive.store import archive_get
from signing.django_app.certificates import employer_certificate_current
from signing.django_app.errors import PkiConfigurationError, SignatureImageError
from signing.django_app.models import AuthorityKind, EmployerCertificate, PlatformAuthority, PublishedCrl
from signing.django_app.pki import (
    CRL_REFRESH_AFTER,
    crl_current,
    current_authority,
    pki_cache_clear,
    pki_ensure,
    platform_pki,
)
from signing.django_app.services import contract_verification, employer_seal_apply, employer_seal_upload

pytestmark = pytest.mark.django_db


class TestKeysAtRest:
    def test_keys_are_encrypted_with_the_configured_passphrase(self, settings):
        rows = pki_ensure()
        for row in rows.values():
            blob = bytes(row.encrypted_key)
            assert blob.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
            assert settings.HEQIAN_PKI_KEY.encode() not in blob

    def test_wrong_passphrase_is_a_configuration_error(self, settings):
        pki_ensure()
        pki_cache_clear()
        settings.HEQIAN_PKI_KEY = "not-the-passphrase"
        try:
            with pytest.raises(PkiConfigurationError, match="HEQIAN_PKI_KEY"):
                platform_pki()
        finally:
            pki_cache_clear()

    def test_ensure_is_idempotent(self):
        first = {k: r.pk for k, r in pki_ensure().items()}
        assert {k: r.pk for k, r in pki_ensure().items()} == first
        assert PlatformAuthority.objects.count() == 3


class TestCrls:
    def test_crl_is_reused_while_fresh_and_renewed_when_half_stale(self):
        issuing = current_authority(AuthorityKind.ISSUING)
        first = crl_current(issuing)
        assert crl_current(issuing).pk == first.pk
        later = timezone.now() + CRL_REFRESH_AFTER + dt.timedelta(minutes=1)
        renewed = crl_current(issuing, now=later)
        assert renewed.number == first.number + 1
        crl = x509.load_der_x509_crl(bytes(renewed.der))
        assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == renewed.number
        assert crl.next_update_utc - crl.last_update_utc == dt.timedelta(days=7)
        assert PublishedCrl.objects.filter(issuer=issuing).count() == 2


def _png(colour=(200, 0, 0, 255)) -> bytes:
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    for x in range(40, 160):
        for y in range(90, 110):
            image.putpixel((x, y), colour)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


class TestSealImage:
    def test_generated_seal_is_archived(self, acme):
        cert = employer_certificate_current(employer=acme)
        png = archive_get(cert.seal_id)
        assert png.startswith(b"\x89PNG") and not cert.seal_uploaded

    def test_uploaded_seal_is_used_for_the_next_seal(self, acme, version):
        cert = employer_seal_upload(employer=acme, png=_png())
        assert cert.seal_uploaded and archive_get(cert.seal_id) == _png()
        assert EvidenceEvent.objects.filter(event_type="pki.employer_seal_uploaded").count() == 1
        sealed = employer_seal_apply(version=version)
        assert contract_verification(archive_get(sealed.pdf_id)).ok
        assert cert.seal_id in EvidenceEvent.objects.get(event_type="signature.employer_sealed").payload

    def test_renamed_employer_gets_a_new_certificate_and_seal(self, acme):
        first = employer_certificate_current(employer=acme)
        assert employer_certificate_current(employer=acme).pk == first.pk
        acme.name = "济南阿克米供应链有限公司"
        acme.save(update_fields=["name"])
        second = employer_certificate_current(employer=acme)
        first.refresh_from_db()
        assert second.pk != first.pk and first.superseded_at is not None and first.revoked_at is None
        assert "济南阿克米供应链有限公司" in second.subject and second.seal_id != first.seal_id

    def test_upload_rejects_non_png(self, acme):
        with pytest.raises(SignatureImageError):
            employer_seal_upload(employer=acme, png=b"GIF89a....")


class TestAdmin:
    @pytest.fixture
    def admin_client(self, client):
        user = User.objects.create_superuser(username="root", password="x" * 20, role=Role.PLATFORM_ADMIN)
        client.force_login(user)
        return client

    def test_pages_render_read_only(self, admin_client, archived):
        for model in ("platformauthority", "employercertificate", "workercertificate", "revocation",
                      "publishedcrl", "signeddocument"):
            changelist = admin_client.get(reverse(f"admin:signing_{model}_changelist"))
            assert changelist.status_code == 200, model
            assert b"ENCRYPTED PRIVATE KEY" not in changelist.content
        cert = EmployerCertificate.objects.get()
        page = admin_client.get(reverse("admin:signing_employercertificate_change", args=[cert.pk]))
        assert page.status_code == 200 and b"ENCRYPTED PRIVATE KEY" not in page.content
        assert admin_client.get(reverse("admin:signing_employercertificate_add")).status_code == 403

    def test_revoke_action(self, admin_client, sealed):
        cert = EmployerCertificate.objects.get()
        response = admin_client.post(reverse("admin:signing_employercertificate_changelist"),
                                     {"action": "revoke_selected", "_selected_action": [cert.pk]})
        assert response.status_code == 302
        cert.refresh_from_db()
        assert cert.revoked_at is not None
        assert EvidenceEvent.objects.filter(event_type="pki.employer_cert_revoked").count() == 1
