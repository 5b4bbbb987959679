"""Payment notifications: verify ``PE-Signature`` over the raw body, get a typed event, skip redeliveries.

Django::

    event = pagoefectivo.webhooks.construct_event(
        request.body, request.headers.get("PE-Signature"), settings.PAGOEFECTIVO_SECRET_KEY)
    if dedup.first_delivery(event): ...

Flask: ``request.get_data()``; FastAPI/Starlette: ``await request.body()``. Never pass
``request.json`` or a decoded ``str``: the signature covers the exact bytes received.
``find_signature(headers)`` finds the header in any spelling; bodies over
``max_body_bytes`` (64 KiB by default) are refused before anything else.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional, Protocol, Union, cast

from . import _native
from ._native import (
    DEFAULT_MAX_BODY_BYTES,
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


Headers = Union[Mapping[str, Any], Iterable[tuple[str, Any]]]
"""Request headers: Django's ``request.headers`` or ``request.META``, Flask's ``request.headers``, a
WSGI ``environ``, or ``(name, value)`` pairs."""


def find_signature(headers: Headers) -> Optional[str]:
    """The ``PE-Signature`` header's value among request headers, the name in any case (also the
    CGI/WSGI form ``HTTP_PE_SIGNATURE``); None when absent."""
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    # Only text values are headers (a WSGI environ also holds the input stream and other objects).
    found = {str(k): v for k, v in pairs if isinstance(k, str) and isinstance(v, str)}
    return cast(Optional[str], _native.call("webhook.find_signature", {"headers": found}))


class DedupStore(Protocol):
    """Where ``Deduplicator`` records seen deliveries when several servers receive them.

    ``claim`` records ``key`` for ``ttl`` seconds and returns True if it was not
    recorded yet (an INSERT on a unique key, a Redis ``SET NX EX``); ``release``
    forgets it so that a redelivery is processed after a failure.
    """

    def claim(self, key: str, ttl: float) -> bool: ...

    def release(self, key: str) -> None: ...


__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "SIGNATURE_HEADER",
    "CipPaidEvent",
    "DedupStore",
    "Deduplicator",
    "Event",
    "OtherEvent",
    "RefundEvent",
    "construct_event",
    "find_signature",
    "sign",
]
