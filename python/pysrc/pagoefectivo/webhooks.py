"""Payment notifications: verify ``PE-Signature`` over the raw body, get a typed event, skip redeliveries.

Django::

    event = pagoefectivo.webhooks.construct_event(
        request.body, request.headers.get("PE-Signature"), settings.PAGOEFECTIVO_SECRET_KEY)
    if dedup.first_delivery(event): ...

Flask: ``request.get_data()``; FastAPI/Starlette: ``await request.body()``. Never pass
``request.json`` or a decoded ``str``: the signature covers the exact bytes received.
"""

from __future__ import annotations

from typing import Protocol, Union

from ._native import (
    SIGNATURE_HEADER,
    CipPaidEvent,
    Deduplicator,
    OtherEvent,
    RefundEvent,
    construct_event,
    sign,
)

Event = Union[CipPaidEvent, RefundEvent, OtherEvent]
"""What ``construct_event`` returns: ``cip.paid``, a refund event, or any other type with its body."""


class DedupStore(Protocol):
    """Where ``Deduplicator`` records seen deliveries when several servers receive them.

    ``claim`` records ``key`` for ``ttl`` seconds and returns True if it was not
    recorded yet (an INSERT on a unique key, a Redis ``SET NX EX``); ``release``
    forgets it so that a redelivery is processed after a failure.
    """

    def claim(self, key: str, ttl: float) -> bool: ...

    def release(self, key: str) -> None: ...


__all__ = [
    "SIGNATURE_HEADER",
    "CipPaidEvent",
    "DedupStore",
    "Deduplicator",
    "Event",
    "OtherEvent",
    "RefundEvent",
    "construct_event",
    "sign",
]
