"""Beat schedule entries of the archive, merged by the lead into ``CELERY_BEAT_SCHEDULE``.

Times are in ``CELERY_TIMEZONE`` (Asia/Shanghai). The root runs shortly after
midnight so that the day is closed; the audit runs at night because it reads
every stored object.
"""

from celery.schedules import crontab

ARCHIVE_BEAT_SCHEDULE = {
    "archive-merkle-roots": {
        "task": "archive.merkle_roots",
        "schedule": crontab(hour=0, minute=15),
    },
    "archive-audit": {
        "task": "archive.audit",
        "schedule": crontab(hour=3, minute=30),
    },
}
