"""Real PostgreSQL + Redis + Celery worker processes. Skipped on the embedded default."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connection

REDIS_URL = os.environ.get("HEQIAN_TEST_REDIS_URL", "")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "celery"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the worker-process tests last: they switch Celery to a real broker and back."""
    items.sort(key=lambda item: "tests/integration/" in str(item.fspath).replace("\\", "/"))


def _require_services() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL shared with a worker process (CI's second run sets DATABASE_URL)")
    if not REDIS_URL:
        pytest.skip("needs a Redis broker: set HEQIAN_TEST_REDIS_URL (CI's second run does)")


def _reset_connections(app) -> None:
    """Drop cached broker connections so the next publish uses the new broker URL."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    app.__dict__.pop("control", None)  # its mailbox caches the producer pool


@pytest.fixture
def broker(settings, tmp_path):
    """Point this process's Celery app at Redis and describe the worker's environment."""
    _require_services()
    import redis

    from contracts_platform.celery import app

    redis.Redis.from_url(REDIS_URL).flushdb()
    archive_dir = tmp_path / "archive"
    settings.STORAGES = {**settings.STORAGES, "archive": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(archive_dir)}}}
    settings.HEQIAN_DEMO_OUTBOX = True
    saved = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    app.conf.update(task_always_eager=False, broker_url=REDIS_URL)
    _reset_connections(app)
    db = connection.settings_dict
    env = {
        "DATABASE_URL": f"postgresql://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
                        f"/{db['NAME']}",
        "CELERY_BROKER_URL": REDIS_URL, "HEQIAN_ARCHIVE_DIR": str(archive_dir), "HEQIAN_DEMO_OUTBOX": "1",
        "HEQIAN_BROKER_VISIBILITY_TIMEOUT": "5",
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield env
    from django.conf import settings as django_settings

    app.conf.update(**saved)
    # Back to in-process tasks exactly as configured, whatever the fixture saw at setup.
    app.conf.task_always_eager = django_settings.CELERY_TASK_ALWAYS_EAGER
    app.conf.broker_url = django_settings.CELERY_BROKER_URL
    _reset_connections(app)
