"""Beat schedule entries of signing, for the lead to merge into ``CELERY_BEAT_SCHEDULE``.

Times are in ``CELERY_TIMEZONE`` (Asia/Shanghai). Merkle roots are timestamped
after ``archive-merkle-roots`` (00:15) has closed the day; CRLs are refreshed
every few hours (a CRL is re-issued once half of its 7-day life has passed).
"""

from celery.schedules import crontab

SIGNING_BEAT_SCHEDULE = {
    "signing-timestamp-merkle-roots": {
        "task": "signing.timestamp_merkle_roots",
        "schedule": crontab(hour=0, minute=45),
    },
    "signing-refresh-crls": {
        "task": "signing.refresh_crls",
        "schedule": crontab(hour="*/6", minute=5),
    },
}
