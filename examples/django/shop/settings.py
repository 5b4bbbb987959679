"""Settings of the example shop: SQLite, one app, PagoEfectivo credentials from the environment."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "example-only-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = ["django.contrib.contenttypes", "orders"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]
ROOT_URLCONF = "shop.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "America/Lima"

# The same variables the SDK reads (PAGOEFECTIVO_BASE_URL points at a sandbox in development).
PAGOEFECTIVO = {
    "access_key": os.environ.get("PAGOEFECTIVO_ACCESS_KEY", ""),
    "secret_key": os.environ.get("PAGOEFECTIVO_SECRET_KEY", ""),
    "id_service": int(os.environ.get("PAGOEFECTIVO_SERVICE_ID", "0") or 0),
    "environment": os.environ.get("PAGOEFECTIVO_ENVIRONMENT", "sandbox"),
    "base_url": os.environ.get("PAGOEFECTIVO_BASE_URL") or None,
}

# Where processed notifications are recorded: in each process unless set. With several servers or
# workers (gunicorn, Celery), a store they share: postgres://user:pass@db/shop or redis://host:6379/0.
PAGOEFECTIVO_DEDUP_URL = os.environ.get("PAGOEFECTIVO_DEDUP_URL") or None

LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"pagoefectivo": {"handlers": ["console"], "level": "WARNING"}},
}
