from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json

import pytest
from django.db import transaction
from freezegun import freeze_time

from contracts_platform.archive.chain import GENESIS_HASH, canonical_entry_bytes
from contracts_platform.archive.events import EventType
from contracts_platform.archive.models import EvidenceEvent
from contracts_platform.archive.selectors import chain_verify, evidence_for_subject
from contracts_platform.archive.services import evidence_append

pytestmark = pytest.mark.django_db


def append(n: int = 1, **overrides) -> list[EvidenceEvent]:
    events = []
    for i in range(n):
        kwargs = {"event_type": EventType.CONTRACT_PREVIEW_VIEWED, "actor": None, "subject_type": "contract",
                  "subject_id": 42, "payload": {"version": i, "pdf_sha256": "ab" * 32}} | overrides
        events.append(evidence_append(**kwargs))
    return events


class TestEvidenceAppend:
    def test_first_event_links_to_genesis(self, li_xiaoming) -> None:
        event = evidence_append(event_type=EventType.CONTRACT_VERSION_CREATED, actor=li_xiaoming,
                                subject_type="contract", subject_id=42,
                                payload={"version": 1, "工资": "5000.00"})
        assert (event.seq, event.prev_hash) == (1, GENESIS_HASH)
        assert event.actor_label == f"worker:{li_xiaoming.pk}"
        assert event.subject_id == "42"
        assert event.payload == '{"version":1,"工资":"5000.00"}'

    def test_entry_hash_follows_the_documented_formula(self) -> None:
        with freeze_time("2025-03-01 08:00:00.123456"):
            event, = append(1)
        body = json.dumps({"v": 1, "seq": 1, "event_type": "contract.preview_viewed", "actor": "system",
                           "subject_type": "contract", "subject_id": "42",
                           "occurred_at": "2025-03-01T08:00:00.123456Z",
                           "payload_sha256": hashlib.sha256(event.payload.encode()).hexdigest()},
                          sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        assert body == canonical_entry_bytes(seq=1, event_type=event.event_type, actor_label="system",
                                             subject_type="contract", subject_id="42",
                                             occurred_at="2025-03-01T08:00:00.123456Z", payload=event.payload)
        assert event.entry_hash == hashlib.sha256(bytes(32) + body).hexdigest()

    def test_chain_of_n_events_verifies(self) -> None:
        events = append(30)
        assert [e.seq for e in events] == list(range(1, 31))
        assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(events))
        report = chain_verify()
        assert report.ok, report.problems
        assert (report.events_checked, report.head_seq, report.head_hash) == (30, 30, events[-1].entry_hash)

    def test_empty_log_verifies(self) -> None:
        report = chain_verify()
        assert report.ok and report.events_checked == 0 and report.head_hash == GENESIS_HASH

    def test_rolled_back_operation_leaves_no_event(self) -> None:
        append(2)
        with pytest.raises(RuntimeError), transaction.atomic():
            append(1, subject_id=7)
            raise RuntimeError("the contract save failed")
        assert not EvidenceEvent.objects.filter(subject_id="7").exists()
        nxt, = append(1)
        assert nxt.seq == 3
        assert chain_verify().ok

    def test_occurred_at_never_goes_backwards(self) -> None:
        with freeze_time("2025-03-01 08:00:00"):
            first, = append(1)
        with freeze_time("2025-03-01 07:59:00"):  # the clock stepped back (NTP, another host)
            second, = append(1)
        assert second.occurred_at == first.occurred_at
        assert chain_verify().ok

    def test_subject_slice(self) -> None:
        append(2, subject_id=1)
        append(3, subject_id=2)
        assert [e.seq for e in evidence_for_subject(subject_type="contract", subject_id=2)] == [3, 4, 5]

    @pytest.mark.parametrize("payload", [[1, 2], {"x": float("nan")}, {"x": float("inf")}])
    def test_refuses_payloads_that_are_not_plain_json_objects(self, payload) -> None:
        with pytest.raises((TypeError, ValueError)):
            append(1, payload=payload)
        assert not EvidenceEvent.objects.exists()

    def test_explicit_actor_label(self) -> None:
        event, = append(1, actor_label="reporter:13800000000")
        assert event.actor_label == "reporter:13800000000"

    def test_payload_bytes_are_stored_exactly(self) -> None:
        payload = {"b": dt.date(2025, 1, 31), "a": "劳动合同", "n": 1.5}
        event, = append(1, payload=payload)
        event.refresh_from_db()
        assert event.payload == '{"a":"劳动合同","b":"2025-01-31","n":1.5}'
