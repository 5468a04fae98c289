"""Beat schedule entries of notifications, merged by the lead into ``CELERY_BEAT_SCHEDULE``."""

from celery.schedules import crontab

NOTIFICATIONS_BEAT_SCHEDULE = {
    "notifications-flush": {
        "task": "notifications.flush",
        "schedule": crontab(minute="*/5"),
    },
}
