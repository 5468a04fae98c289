"""The audit: management command output, the Celery task and its ArchiveAudit record."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from contracts_platform.archive.models import ArchiveAudit
from contracts_platform.archive.schedules import ARCHIVE_BEAT_SCHEDULE
from contracts_platform.archive.services import evidence_append
from contracts_platform.archive.store import archive_key_path, archive_put
from contracts_platform.archive.tasks import archive_audit

from .conftest import tamper

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive_with_content() -> str:
    key = archive_put(b"%PDF-1.7 contract", content_type="application/pdf").sha256
    archive_put(b'{"manifest":1}', content_type="application/json")
    for i in range(5):
        evidence_append(event_type="contract.version_rendered", actor=None, subject_type="contract",
                        subject_id=1, payload={"pdf_sha256": key, "i": i})
    return key


class TestAuditArchiveCommand:
    def test_clean_archive_passes_with_a_summary(self, archive_with_content) -> None:
        out = StringIO()
        call_command("audit_archive", stdout=out)
        text = out.getvalue()
        assert "2" in text and str(len(b"%PDF-1.7 contract") + len(b'{"manifest":1}')) in text
        assert "BAD" not in text

    def test_json_output(self, archive_with_content) -> None:
        out = StringIO()
        call_command("audit_archive", "--json", stdout=out)
        data = json.loads(out.getvalue())
        assert data["ok"] is True
        assert (data["objects_checked"], data["events_checked"], data["merkle_roots_checked"]) == (2, 5, 0)
        assert data["head_seq"] == 5

    def test_json_output_on_failure_names_the_problem(self, archive_with_content) -> None:
        tamper("UPDATE archive_evidenceevent SET actor_label = 'admin:1' WHERE seq = 4")
        out = StringIO()
        with pytest.raises(CommandError):
            call_command("audit_archive", "--json", stdout=out)
        data = json.loads(out.getvalue())
        assert data["ok"] is False
        assert data["first_problem"] == "BAD event seq 4: entry_hash mismatch"
        assert data["problems"][0] == {"kind": "event", "ref": "4", "code": "entry_hash mismatch",
                                       "detail": "", "message": "BAD event seq 4: entry_hash mismatch"}

    def test_objects_come_before_events_in_the_report(self, archive_with_content, archive_root: Path) -> None:
        (archive_root / archive_key_path(archive_with_content)).write_bytes(b"%PDF-1.7 forged")
        tamper("DELETE FROM archive_evidenceevent WHERE seq = 2")
        out = StringIO()
        with pytest.raises(CommandError, match=f"^BAD object {archive_with_content}: hash mismatch"):
            call_command("audit_archive", stdout=out)
        assert "BAD event chain: seq 2 missing" in out.getvalue()


class TestAuditTask:
    def test_records_a_passing_audit(self, archive_with_content) -> None:
        result = archive_audit.delay().get()
        audit = ArchiveAudit.objects.get(pk=result["audit_id"])
        assert audit.ok is True and audit.finished is not None and audit.first_problem == ""
        assert audit.summary["objects_checked"] == 2 and audit.summary["events_checked"] == 5

    def test_records_a_failing_audit(self, archive_with_content) -> None:
        tamper("DELETE FROM archive_evidenceevent WHERE seq = 3")
        result = archive_audit.delay().get()
        assert result["ok"] is False
        audit = ArchiveAudit.objects.get(pk=result["audit_id"])
        assert audit.first_problem == "BAD event chain: seq 3 missing"

    def test_truncated_tail_is_caught_by_the_head_of_the_last_good_audit(self, archive_with_content) -> None:
        assert archive_audit.delay().get()["ok"]
        tamper("DELETE FROM archive_evidenceevent WHERE seq >= 4")
        out = StringIO()
        with pytest.raises(CommandError, match=r"^BAD event chain: seq 5 missing"):
            call_command("audit_archive", stdout=out)
        assert archive_audit.delay().get()["first_problem"].startswith("BAD event chain: seq 5 missing")

    def test_beat_schedule_names_registered_tasks(self) -> None:
        from celery import current_app

        import contracts_platform.archive.tasks  # noqa: F401  (registers the tasks)

        for entry in ARCHIVE_BEAT_SCHEDULE.values():
            assert entry["task"] in current_app.tasks
