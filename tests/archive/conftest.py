"""Archive test fixtures: a private archive storage per test, tamper helpers, personas."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import Storage, storages
from django.db import connection

from contracts_platform.accounts.models import Role, User


@pytest.fixture(autouse=True)
def archive_root(settings, tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    settings.STORAGES = {**settings.STORAGES, "archive": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}}}
    return root


@pytest.fixture
def archive_storage(archive_root: Path) -> Storage:
    return storages["archive"]


@pytest.fixture
def li_xiaoming(db) -> User:
    """The worker persona."""
    return User.objects.create_user(username="li.xiaoming", display_name="李晓明", role=Role.WORKER)


def tamper(sql: str, params: list | None = None, *, table: str = "archive_evidenceevent") -> None:
    """Run raw SQL behind the services' back; on PostgreSQL switch the append-only trigger off for it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses while deferred FK checks of this transaction are queued.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
        cursor.execute(sql, params or [])
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
