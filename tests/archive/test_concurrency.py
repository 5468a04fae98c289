"""Concurrent appends from several threads (own connections) still give one gapless, valid chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from contracts_platform.archive.models import EvidenceEvent
from contracts_platform.archive.selectors import chain_verify
from contracts_platform.archive.services import evidence_append

THREADS, PER_THREAD = 4, 25


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_form_a_gapless_valid_chain() -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite shares one cache between threads; run with PostgreSQL "
                    "or HEQIAN_SQLITE_FILE_TESTS=1")
    # A caller's transaction that has already *read* can only be upgraded to a writer on SQLite
    # if it began as BEGIN IMMEDIATE (OPTIONS "transaction_mode"); otherwise SQLite answers
    # "database is locked" (a stale WAL snapshot), which no retry inside that transaction fixes.
    read_first = (connection.vendor == "postgresql"
                  or connection.settings_dict["OPTIONS"].get("transaction_mode") == "IMMEDIATE")
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for i in range(PER_THREAD):
                # Half inside a caller's transaction doing other work first, half on their own.
                if i % 2 and read_first:
                    with transaction.atomic():
                        EvidenceEvent.objects.count()
                        evidence_append(event_type="test.concurrent", actor=None, subject_type="thread",
                                        subject_id=n, payload={"i": i})
                else:
                    evidence_append(event_type="test.concurrent", actor=None, subject_type="thread",
                                    subject_id=n, payload={"i": i})
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert list(EvidenceEvent.objects.values_list("seq", flat=True)) == list(range(1, THREADS * PER_THREAD + 1))
    report = chain_verify()
    assert report.ok, report.problems
    for n in range(THREADS):
        assert EvidenceEvent.objects.filter(subject_type="thread", subject_id=str(n)).count() == PER_THREAD
