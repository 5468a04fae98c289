"""HeQian settings: 12-factor, with an embedded default that needs no services.

Embedded default (nothing set): SQLite under var/, Celery tasks run in-process,
files under var/. Production reads everything from the environment:
DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis), HEQIAN_STORAGE=s3 + AWS_*,
DJANGO_SECRET_KEY, HEQIAN_PII_KEYS, HEQIAN_PII_HASH_KEY.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from contracts_platform.archive.schedules import ARCHIVE_BEAT_SCHEDULE
from contracts_platform.core import env
from contracts_platform.notifications.schedules import NOTIFICATIONS_BEAT_SCHEDULE
from signing.django_app.schedules import SIGNING_BEAT_SCHEDULE
from workflows.schedules import WORKFLOW_BEAT_SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.get("HEQIAN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.get_bool("DJANGO_DEBUG", default=False)
# In production a missing secret must stop the start-up, never fall back silently.
PRODUCTION = env.get_bool("HEQIAN_PRODUCTION", default=False)
SECRET_KEY = env.secret("DJANGO_SECRET_KEY", dev_file=VAR_DIR / "keys" / "django-secret.txt",
                        required=PRODUCTION)
ALLOWED_HOSTS = env.get_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.get_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.get("HEQIAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "viewflow",
    "viewflow.workflow",
    "contracts_platform.core",
    "contracts_platform.accounts",
    "contracts_platform.parties",
    "contracts_platform.contracts",
    "contracts_platform.documents",
    "contracts_platform.archive",
    "workflows",
    "contracts_platform.notifications",
    "contracts_platform.identity",
    "signing.django_app",
    "contracts_platform.portal",
    "contracts_platform.disputes",
    "contracts_platform.evidence",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "contracts_platform.urls"
WSGI_APPLICATION = "contracts_platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'heqian.sqlite3'}"),
        conn_max_age=env.get_int("DATABASE_CONN_MAX_AGE", default=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the dev server and in-process tasks share the file.
    # IMMEDIATE: a transaction that reads the evidence-chain head and then appends must hold
    # the write lock from its start, or a concurrent writer makes it fail with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;",
                                       "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")} if env.get_bool(
        "HEQIAN_SQLITE_FILE_TESTS", default=False) else {}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "employer:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Chinese first, English second; every user-facing string goes through gettext.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request without it
MEDIA_ROOT = VAR_DIR / "media"
# Outside production WhiteNoise serves straight from the app folders (no collectstatic step).
WHITENOISE_USE_FINDERS = not PRODUCTION

# Object storage: filesystem under var/ by default; HEQIAN_STORAGE=s3 uses django-storages
# (AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ... from the environment).
HEQIAN_STORAGE = env.get("HEQIAN_STORAGE", "filesystem")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage" if PRODUCTION
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "archive": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.get("HEQIAN_ARCHIVE_DIR", str(VAR_DIR / "archive"))},
    },
}
if HEQIAN_STORAGE == "s3":
    _s3 = {
        "bucket_name": env.require("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": env.get("AWS_S3_REGION_NAME") or None,
        "file_overwrite": False,
        "default_acl": None,
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**_s3, "location": "media"}}
    STORAGES["archive"] = {"BACKEND": "storages.backends.s3.S3Storage",
                           "OPTIONS": {**_s3, "location": "archive"}}
elif HEQIAN_STORAGE != "filesystem":
    raise RuntimeError(f"HEQIAN_STORAGE must be 'filesystem' or 's3', not {HEQIAN_STORAGE!r}")

# PII: resident ID numbers are Fernet-encrypted; lookups use a keyed HMAC.
PII_KEYS = env.secret_list("HEQIAN_PII_KEYS", dev_file=VAR_DIR / "keys" / "pii-fernet.key",
                           required=PRODUCTION, generator="fernet")
PII_HASH_KEY = env.secret("HEQIAN_PII_HASH_KEY", dev_file=VAR_DIR / "keys" / "pii-hmac.key",
                          required=PRODUCTION)

# Celery: no broker configured means tasks run in-process (the embedded default).
CELERY_TASK_ALWAYS_EAGER = not env.get("CELERY_BROKER_URL", "")
CELERY_BROKER_URL = env.get("CELERY_BROKER_URL", "") or "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.get("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {**ARCHIVE_BEAT_SCHEDULE, **SIGNING_BEAT_SCHEDULE, **NOTIFICATIONS_BEAT_SCHEDULE,
                        **WORKFLOW_BEAT_SCHEDULE}
# Redis redelivers unacked tasks after this; keep it above the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.get_int("HEQIAN_BROKER_VISIBILITY_TIMEOUT",
                                                                   default=3600)}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.get_bool("HEQIAN_SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "contracts_platform.core.errors.api_exception_handler",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get("HEQIAN_LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

# The outbox page (/outbox/) shows every SMS in full: the demo and browser tests read OTPs there.
HEQIAN_DEMO_OUTBOX = env.get_bool("HEQIAN_DEMO_OUTBOX", default=False)
HEQIAN_INVITATION_TTL_DAYS = env.get_int("HEQIAN_INVITATION_TTL_DAYS", default=7)
HEQIAN_REMINDER_1_HOURS = env.get_int("HEQIAN_REMINDER_1_HOURS", default=24)
HEQIAN_REMINDER_2_HOURS = env.get_int("HEQIAN_REMINDER_2_HOURS", default=72)

# How many contracts a list page shows.
HEQIAN_PAGE_SIZE = 20

# Signing (PKI, TSA)
# Passphrase of every platform private key (CA, TSA, employer and worker keys are stored encrypted).
HEQIAN_PKI_KEY = env.secret("HEQIAN_PKI_KEY", dev_file=VAR_DIR / "keys" / "pki-passphrase.txt",
                            required=PRODUCTION)
# HMAC key that turns resident ID numbers into the pseudonyms certificates carry; separate from the
# PII lookup key so a certificate never links to the database's lookup hashes.
HEQIAN_PKI_PSEUDONYM_KEY = env.secret("HEQIAN_PKI_PSEUDONYM_KEY",
                                      dev_file=VAR_DIR / "keys" / "pki-pseudonym.key", required=PRODUCTION)
# Empty: the platform's own in-process RFC 3161 TSA. A URL: an external TSA over HTTP.
HEQIAN_TSA_URL = env.get("HEQIAN_TSA_URL", "")
