"""Concurrency: TSA serials from many threads, two simultaneous seals, the external-TSA path over HTTP."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from contracts_platform.archive.models import EvidenceEvent
from contracts_platform.archive.store import archive_get
from signing.django_app.models import EmployerCertificate, SignedDocument
from signing.django_app.pki import TSA_SERIAL_COUNTER, counter_next
from signing.django_app.services import contract_verification, employer_seal_apply, worker_signature_apply
from tests.signing_django.conftest import INTENT, handwritten_png

pytestmark = pytest.mark.django_db(transaction=True)


def _in_threads(n: int, work) -> list:
    barrier = threading.Barrier(n)
    results: list = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(work())
        except Exception as exc:
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_tsa_serials_are_unique_and_increasing_under_concurrency():
    if connection.vendor != "postgresql":
        pytest.skip("row-level locking is what is tested; SQLite serialises whole transactions")
    per_thread = 25

    def work() -> list[int]:
        return [counter_next(TSA_SERIAL_COUNTER) for _ in range(per_thread)]

    results = _in_threads(6, work)
    assert all(isinstance(r, list) for r in results), results
    serials = [s for r in results for s in r]
    assert sorted(serials) == list(range(1, 6 * per_thread + 1))
    assert all(r == sorted(r) for r in results)


def test_two_simultaneous_seals_produce_one_document(version):
    if connection.vendor != "postgresql":
        pytest.skip("row-level locking is what is tested; SQLite serialises whole transactions")
    results = _in_threads(2, lambda: employer_seal_apply(version=version).pk)
    assert all(isinstance(r, int) for r in results), results
    assert results[0] == results[1]
    assert SignedDocument.objects.filter(version=version).count() == 1
    assert EmployerCertificate.objects.filter(employer=version.contract.employer).count() == 1
    assert EvidenceEvent.objects.filter(event_type="signature.employer_sealed").count() == 1


def test_external_tsa_url_is_used_for_signatures(live_server, settings, version):
    """HEQIAN_TSA_URL set: tokens come over HTTP (here from our own /tsa/ behind the live server)."""
    from pyhanko.sign.timestamps import HTTPTimeStamper

    from signing.django_app.pki import signing_timestamper

    settings.HEQIAN_TSA_URL = f"{live_server.url}/tsa/"
    assert isinstance(signing_timestamper(), HTTPTimeStamper)
    employer_seal_apply(version=version)
    archived = worker_signature_apply(version=version, signature_png=handwritten_png(), intent=INTENT)
    report = contract_verification(archive_get(archived.pdf_id))
    assert report.ok, report.reasons
    assert all(s.timestamp_trusted for s in report.signatures)
