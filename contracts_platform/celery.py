"""The Celery app. Exists from day one so every background step has one home.

Without CELERY_BROKER_URL the settings make tasks run in-process (eager), so the
embedded default needs no broker at all.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "contracts_platform.settings")

app = Celery("heqian")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
