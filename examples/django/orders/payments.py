"""The shop's PagoEfectivo client and notification deduplicator: one of each per process."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

import pagoefectivo
from pagoefectivo import webhooks


@lru_cache(maxsize=1)
def client() -> pagoefectivo.Client:
    options = {k: v for k, v in settings.PAGOEFECTIVO.items() if v not in (None, "")}
    return pagoefectivo.Client(**options)


@lru_cache(maxsize=1)
def dedup() -> webhooks.Deduplicator:
    """In this process unless ``PAGOEFECTIVO_DEDUP_URL`` names a store every server and worker shares
    (``postgres://...``, ``redis://...``): with more than one process, set it."""
    return webhooks.Deduplicator(url=settings.PAGOEFECTIVO_DEDUP_URL or None)
