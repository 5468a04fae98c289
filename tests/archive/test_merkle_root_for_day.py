from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from contracts_platform.archive.errors import ArchiveError
from contracts_platform.archive.merkle import merkle_root, merkle_verify_inclusion
from contracts_platform.archive.models import EvidenceEvent, MerkleRoot
from contracts_platform.archive.selectors import chain_verify, merkle_proof_for_event
from contracts_platform.archive.services import evidence_append, merkle_root_for_day, merkle_roots_catch_up
from contracts_platform.archive.tasks import archive_merkle_roots

from .conftest import tamper

pytestmark = pytest.mark.django_db

DAY1, DAY2 = dt.date(2025, 3, 1), dt.date(2025, 3, 2)


def append_at(when: str, n: int) -> None:
    with freeze_time(when):
        for i in range(n):
            evidence_append(event_type="contract.preview_viewed", actor=None, subject_type="contract",
                            subject_id=i, payload={"at": when, "i": i})


@pytest.fixture
def two_days() -> None:
    # Local time is Asia/Shanghai (UTC+8): 2025-03-01 23:30 local is 15:30 UTC.
    append_at("2025-02-28 16:30:00", 3)   # 2025-03-01 00:30 local
    append_at("2025-03-01 15:30:00", 4)   # 2025-03-01 23:30 local
    append_at("2025-03-01 16:00:00", 5)   # 2025-03-02 00:00 local: next day
    append_at("2025-03-03 01:00:00", 2)   # 2025-03-03


class TestMerkleRootForDay:
    @freeze_time("2025-03-04 00:00:00")
    def test_root_covers_exactly_the_local_day(self, two_days) -> None:
        mr = merkle_root_for_day(DAY1)
        assert (mr.first_seq, mr.last_seq, mr.leaf_count) == (1, 7, 7)
        hashes = EvidenceEvent.objects.filter(seq__lte=7).order_by("seq").values_list("entry_hash", flat=True)
        assert mr.root == merkle_root([bytes.fromhex(h) for h in hashes]).hex()
        assert mr.timestamp_token is None
        assert (merkle_root_for_day(DAY2).first_seq, merkle_root_for_day(DAY2).last_seq) == (8, 12)

    @freeze_time("2025-03-04 00:00:00")
    def test_idempotent(self, two_days) -> None:
        first = merkle_root_for_day(DAY1)
        assert merkle_root_for_day(DAY1).pk == first.pk
        assert MerkleRoot.objects.count() == 1

    @freeze_time("2025-03-04 00:00:00")
    def test_empty_day_is_recorded(self) -> None:
        mr = merkle_root_for_day(dt.date(2025, 3, 3))
        assert (mr.leaf_count, mr.first_seq, mr.root) == (
            0, None, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

    @freeze_time("2025-03-01 12:00:00")
    def test_refuses_a_day_that_is_not_over(self) -> None:
        with pytest.raises(ValueError):
            merkle_root_for_day(DAY1)

    @freeze_time("2025-03-04 00:00:00")
    def test_refuses_to_anchor_a_tampered_day(self, two_days) -> None:
        tamper("UPDATE archive_evidenceevent SET payload = '{}' WHERE seq = 5")
        with pytest.raises(ArchiveError, match="seq 5"):
            merkle_root_for_day(DAY1)
        assert not MerkleRoot.objects.exists()

    @freeze_time("2025-03-04 00:00:00")
    def test_inclusion_proof_for_every_event_of_the_day(self, two_days) -> None:
        mr = merkle_root_for_day(DAY2)
        for seq in range(8, 13):
            p = merkle_proof_for_event(seq=seq)
            assert p is not None and p.day == DAY2 and p.tree_size == 5
            assert merkle_verify_inclusion(leaf=bytes.fromhex(p.entry_hash), index=p.index,
                                           tree_size=p.tree_size, proof=[bytes.fromhex(x) for x in p.proof],
                                           root=bytes.fromhex(mr.root))
        assert merkle_proof_for_event(seq=1) is None  # its day has no root yet


class TestCatchUpTask:
    def test_roots_every_missed_day_up_to_yesterday(self, two_days) -> None:
        with freeze_time("2025-03-05 00:15:00"):  # 08:15 local on 03-05
            created = archive_merkle_roots.delay().get()
        assert [s.split(":")[0] for s in created] == ["2025-03-01", "2025-03-02", "2025-03-03", "2025-03-04"]
        assert list(MerkleRoot.objects.values_list("leaf_count", flat=True)) == [7, 5, 2, 0]
        with freeze_time("2025-03-05 00:20:00"):
            assert merkle_roots_catch_up() == []

    def test_nothing_to_root_on_an_empty_log(self) -> None:
        assert merkle_roots_catch_up() == []


class TestAuditRechecksRoots:
    def test_rewritten_and_rehashed_entry_is_pinned_by_its_root(self, two_days) -> None:
        with freeze_time("2025-03-04 00:00:00"):
            merkle_roots_catch_up()
        call_command("audit_archive")  # all good first
        # A capable attacker rewrites seq 10 and re-hashes the whole tail, so the chain alone
        # verifies again; only the stored root of its day can tell.
        from contracts_platform.archive.chain import compute_entry_hash, format_occurred_at

        prev = EvidenceEvent.objects.get(seq=9).entry_hash
        for ev in EvidenceEvent.objects.filter(seq__gte=10).order_by("seq"):
            payload = '{"forged":true}' if ev.seq == 10 else ev.payload
            new_hash = compute_entry_hash(prev_hash=prev, seq=ev.seq, event_type=ev.event_type,
                                          actor_label=ev.actor_label, subject_type=ev.subject_type,
                                          subject_id=ev.subject_id,
                                          occurred_at=format_occurred_at(ev.occurred_at), payload=payload)
            tamper("UPDATE archive_evidenceevent SET payload = %s, prev_hash = %s, entry_hash = %s "
                   "WHERE seq = %s", [payload, prev, new_hash, ev.seq])
            prev = new_hash
        assert chain_verify().ok
        with pytest.raises(CommandError, match=r"^BAD merkle 2025-03-02: root mismatch"):
            call_command("audit_archive")
