"""Rendering a contract version into the archive: once, deterministically, owner-only download."""

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from contracts_platform.archive.models import EvidenceEvent, StoredObject
from contracts_platform.archive.store import archive_key_path, archive_storage
from contracts_platform.contracts.models import ModelText
from contracts_platform.contracts.services import contract_create
from contracts_platform.documents.models import RenderedVersion
from contracts_platform.documents.services import contract_version_render, rendering_matches_archive
from contracts_platform.documents.tasks import render_version
from tests.contracts.factories import valid_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(acme, li, hr):
    model_text = ModelText.objects.get(contract_type="fixed_term", is_current=True)
    return contract_create(employer=acme, worker=li, model_text=model_text, fields=valid_fields(),
                           user=hr).current_version


class TestContractVersionRender:
    def test_first_render_archives_pdf_and_records_event(self, version):
        rendering = contract_version_render(version=version)
        stored = StoredObject.objects.get(pk=rendering.pdf_id)
        assert stored.content_type == "application/pdf" and stored.size > 10_000
        assert set(rendering.signature_boxes) == {"employer", "worker"}
        event = EvidenceEvent.objects.get(event_type="contract.version_rendered")
        assert rendering.pdf_id in event.payload

    def test_second_render_writes_nothing(self, version):
        first = contract_version_render(version=version)
        counts = (StoredObject.objects.count(), EvidenceEvent.objects.count(), RenderedVersion.objects.count())
        assert render_version.apply(args=[version.pk]).get() == first.pdf_id
        assert (StoredObject.objects.count(), EvidenceEvent.objects.count(),
                RenderedVersion.objects.count()) == counts

    def test_rerender_is_byte_identical_to_archive(self, version):
        assert rendering_matches_archive(rendering=contract_version_render(version=version))

    def test_flipped_byte_in_archived_pdf_is_reported_by_audit(self, version, capsys):
        rendering = contract_version_render(version=version)
        storage = archive_storage()
        path = archive_key_path(rendering.pdf_id)
        with storage.open(path, "rb") as fh:
            data = bytearray(fh.read())
        data[len(data) // 2] ^= 0x01
        storage.delete(path)
        storage.save(path, ContentFile(bytes(data)))
        with pytest.raises(CommandError) as exc:
            call_command("audit_archive")
        assert exc.value.returncode == 1
        assert f"BAD object {rendering.pdf_id}" in capsys.readouterr().out


class TestPdfDownload:
    def test_owner_downloads_pdf(self, hr_client, version):
        response = hr_client.get(reverse("employer:contract_pdf", args=[version.contract_id, version.number]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-") and "attachment" in response["Content-Disposition"]

    def test_other_employer_gets_404_and_nothing_is_rendered(self, client, rival_hr, version):
        client.force_login(rival_hr)
        response = client.get(reverse("employer:contract_pdf", args=[version.contract_id, version.number]))
        assert response.status_code == 404
        assert not RenderedVersion.objects.exists()

    def test_anonymous_is_sent_to_login(self, client, version):
        response = client.get(reverse("employer:contract_pdf", args=[version.contract_id, version.number]))
        assert response.status_code == 302
