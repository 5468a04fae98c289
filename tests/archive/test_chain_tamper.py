"""Tampering with the log behind the services' back: the audit names the right seq."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from contracts_platform.archive.chain import compute_entry_hash, format_occurred_at
from contracts_platform.archive.models import EvidenceEvent
from contracts_platform.archive.selectors import chain_verify
from contracts_platform.archive.services import evidence_append

from .conftest import tamper

pytestmark = pytest.mark.django_db

only_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger exists on PostgreSQL only")


def build_log(n: int = 60) -> None:
    for i in range(n):
        evidence_append(event_type="contract.preview_viewed", actor=None, subject_type="contract",
                        subject_id=i % 5, payload={"i": i})


class TestTamperDetection:
    def test_edited_payload_is_named_by_seq(self) -> None:
        build_log()
        tamper("UPDATE archive_evidenceevent SET payload = %s WHERE seq = %s", ['{"i":999}', 42])
        report = chain_verify()
        assert not report.ok
        assert report.first_bad_seq == 42
        assert str(report.problems[0]) == "BAD event seq 42: entry_hash mismatch"
        with pytest.raises(CommandError, match=r"^BAD event seq 42: entry_hash mismatch$"):
            call_command("audit_archive")

    def test_edited_hash_is_named_by_seq(self) -> None:
        build_log()
        tamper("UPDATE archive_evidenceevent SET entry_hash = %s WHERE seq = %s", ["0" * 63 + "1", 17])
        report = chain_verify()
        assert report.first_bad_seq == 17
        assert str(report.problems[0]) == "BAD event seq 17: entry_hash mismatch"

    def test_rewritten_entry_with_recomputed_hash_breaks_the_next_link(self) -> None:
        build_log()
        ev = EvidenceEvent.objects.get(seq=30)
        forged = compute_entry_hash(prev_hash=ev.prev_hash, seq=30, event_type=ev.event_type,
                                    actor_label=ev.actor_label, subject_type=ev.subject_type,
                                    subject_id=ev.subject_id, occurred_at=format_occurred_at(ev.occurred_at),
                                    payload='{"i":-1}')
        tamper("UPDATE archive_evidenceevent SET payload = %s, entry_hash = %s WHERE seq = 30",
               ['{"i":-1}', forged])
        report = chain_verify()
        assert report.first_bad_seq == 31
        assert str(report.problems[0]) == "BAD event seq 31: prev_hash mismatch"

    def test_deleted_row_is_reported_as_a_gap(self) -> None:
        build_log()
        tamper("DELETE FROM archive_evidenceevent WHERE seq = %s", [41])
        report = chain_verify()
        assert report.first_bad_seq == 41
        assert [str(p) for p in report.problems] == ["BAD event chain: seq 41 missing"]
        with pytest.raises(CommandError, match=r"^BAD event chain: seq 41 missing$"):
            call_command("audit_archive")

    def test_deleted_range_is_reported_once(self) -> None:
        build_log()
        tamper("DELETE FROM archive_evidenceevent WHERE seq BETWEEN 10 AND 12")
        assert [str(p) for p in chain_verify().problems] == ["BAD event chain: seq 10..12 missing"]


@only_postgresql
class TestPostgresTrigger:
    def test_update_is_refused(self) -> None:
        build_log(3)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
            c.execute("UPDATE archive_evidenceevent SET payload = '{}' WHERE seq = 2")
        assert EvidenceEvent.objects.get(seq=2).payload == '{"i":1}'

    def test_delete_is_refused_also_through_the_orm(self) -> None:
        build_log(3)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            EvidenceEvent.objects.filter(seq=3).delete()
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            EvidenceEvent.objects.filter(seq=1).update(actor_label="admin:1")
        assert chain_verify().ok

    def test_stored_objects_are_append_only_too(self) -> None:
        from contracts_platform.archive.store import archive_put

        obj = archive_put(b"x", content_type="text/plain")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            type(obj).objects.filter(pk=obj.pk).update(size=2)

    def test_merkle_root_only_accepts_its_timestamp_token_once(self) -> None:
        import datetime as dt

        from contracts_platform.archive.models import MerkleRoot
        from contracts_platform.archive.services import merkle_root_for_day

        mr = merkle_root_for_day(dt.date(2020, 1, 1))
        MerkleRoot.objects.filter(pk=mr.pk).update(timestamp_token=b"token")
        with pytest.raises(DatabaseError, match="timestamp_token"), transaction.atomic():
            MerkleRoot.objects.filter(pk=mr.pk).update(timestamp_token=b"another token")
        with pytest.raises(DatabaseError, match="timestamp_token"), transaction.atomic():
            MerkleRoot.objects.filter(pk=mr.pk).update(root="0" * 64)
        with pytest.raises(DatabaseError, match="timestamp_token"), transaction.atomic():
            MerkleRoot.objects.filter(pk=mr.pk).delete()
        assert bytes(MerkleRoot.objects.get(pk=mr.pk).timestamp_token) == b"token"
