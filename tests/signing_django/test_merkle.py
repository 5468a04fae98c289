"""Daily evidence roots get an RFC 3161 token that openssl accepts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from contracts_platform.archive.models import MerkleRoot
from contracts_platform.archive.services import evidence_append, merkle_root_for_day
from signing.django_app.schedules import SIGNING_BEAT_SCHEDULE
from signing.django_app.tasks import timestamp_merkle_roots
from tests.signing_django.conftest import root_pem_file, run

pytestmark = pytest.mark.django_db


def test_task_fills_tokens_once_and_openssl_verifies_them(client, tmp_path):
    evidence_append(event_type="test.event", actor=None, subject_type="test", subject_id="1", payload={"n": 1})
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    roots = [merkle_root_for_day(yesterday - dt.timedelta(days=1)), merkle_root_for_day(yesterday)]
    assert all(r.timestamp_token is None for r in roots)

    filled = timestamp_merkle_roots.apply().get()
    assert filled == [f"{r.day}:{r.root}" for r in roots]
    assert timestamp_merkle_roots.apply().get() == []  # nothing left; tokens are never replaced

    issuing = tmp_path / "issuing.pem"
    issuing.write_bytes(client.get("/pki/issuing.pem").content)
    for root in MerkleRoot.objects.all():
        token = tmp_path / f"{root.day}.tst"
        token.write_bytes(bytes(root.timestamp_token))
        out = run(["openssl", "ts", "-verify", "-digest", root.root, "-in", str(token), "-token_in",
                   "-CAfile", str(root_pem_file(tmp_path)), "-untrusted", str(issuing)])
        assert "Verification: OK" in out.stdout, out.stdout + out.stderr
        wrong = run(["openssl", "ts", "-verify", "-digest", "00" * 32, "-in", str(token), "-token_in",
                     "-CAfile", str(root_pem_file(tmp_path)), "-untrusted", str(issuing)])
        assert "Verification: OK" not in wrong.stdout


def test_schedule_runs_after_the_day_is_rooted():
    entry = SIGNING_BEAT_SCHEDULE["signing-timestamp-merkle-roots"]
    assert entry["task"] == timestamp_merkle_roots.name == "signing.timestamp_merkle_roots"
