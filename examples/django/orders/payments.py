"""The shop's PagoEfectivo client (one per process, shared by threads) and the DB-backed dedup store."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

import pagoefectivo
from pagoefectivo import webhooks

from .models import ProcessedNotification


@lru_cache(maxsize=1)
def client() -> pagoefectivo.Client:
    options = {k: v for k, v in settings.PAGOEFECTIVO.items() if v not in (None, "")}
    return pagoefectivo.Client(**options)


class DatabaseDedupStore:
    """``webhooks.DedupStore`` over the database: an INSERT on a unique key claims a notification."""

    def claim(self, key: str, ttl: float) -> bool:
        now = timezone.now()
        ProcessedNotification.objects.filter(key=key, expires_at__lte=now).delete()
        try:
            with transaction.atomic():
                ProcessedNotification.objects.create(key=key, expires_at=now + timedelta(seconds=ttl))
        except IntegrityError:
            return False
        return True

    def release(self, key: str) -> None:
        ProcessedNotification.objects.filter(key=key).delete()


dedup = webhooks.Deduplicator(DatabaseDedupStore())
