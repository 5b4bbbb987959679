"""Payment notifications: verify ``PE-Signature`` over the raw body, get a typed event, skip redeliveries.

Django::

    event = pagoefectivo.webhooks.construct_event(
        request.body, request.headers.get("PE-Signature"), settings.PAGOEFECTIVO_SECRET_KEY)
    if dedup.begin(event) == "started": ...  # then dedup.complete(event), or dedup.fail(event)

Flask: ``request.get_data()``; FastAPI/Starlette: ``await request.body()``. Never pass
``request.json`` or a decoded ``str``: the signature covers the exact bytes received.
``find_signature(headers)`` finds the header in any spelling; bodies over
``max_body_bytes`` (64 KiB by default) are refused before anything else.
"""

from __future__ import annotations

from typing import Any, Iterable, Literal, Mapping, Optional, Protocol, Union, cast

from . import _native
from ._config import millis
from ._native import (
    DEFAULT_MAX_BODY_BYTES,
    SIGNATURE_HEADER,
    CipPaidEvent,
    OtherEvent,
    RefundEvent,
    construct_event,
    sign,
)
from ._types import Seconds

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


Begin = Literal["started", "duplicate", "in_progress", "conflict"]
"""What ``Deduplicator.begin`` found (the core's answer, the same in every language)."""


class Deduplicator:
    """Was this notification already processed? PagoEfectivo can deliver one twice, to any server.

    In this process only by default (one server); with several servers or workers, a store
    they share: ``Deduplicator.from_url("postgres://user:pass@db/shop")`` or
    ``"redis://host:6379/0"`` (``url=`` works too). ``begin(event)`` takes a lease on the
    event and answers ``"started"`` (process it, then ``complete(event)``, or ``fail(event)``
    so the redelivery is processed), ``"duplicate"`` (already processed: answer 200),
    ``"in_progress"`` (another worker holds the lease: answer non-200 so PagoEfectivo retries)
    or ``"conflict"`` (the same key with another payload: refuse it and investigate). A lease
    that runs out (the worker died) lets the next delivery in. ``ttl`` (a week) is how long
    completed events are remembered, ``lease`` (60 s) how long a worker holds one; both in
    seconds or as ``timedelta``. A store that cannot be reached raises ``APIConnectionError``
    (``reason == "store_unavailable"``) and marks nothing done.

    ``store`` is a claim store object of your own (``DedupStore``) instead of a URL's. Every
    option is read and checked by the core; every method has an ``*_async`` coroutine twin,
    and the blocking ones release the GIL while the store answers.
    """

    __slots__ = ("_native",)

    def __init__(
        self,
        store: Optional[DedupStore] = None,
        ttl: Optional[Seconds] = None,
        *,
        url: Optional[str] = None,
        lease: Optional[Seconds] = None,
    ) -> None:
        options: dict[str, Any] = {"url": url}
        if ttl is not None:
            options["ttlMs"] = millis(ttl, "ttl")
        if lease is not None:
            options["leaseMs"] = millis(lease, "lease")
        self._native = _native.Deduplicator(options, store)

    @classmethod
    def from_url(
        cls, url: str, *, ttl: Optional[Seconds] = None, lease: Optional[Seconds] = None
    ) -> Deduplicator:
        """The store ``url`` names: ``memory:``, ``postgres://...`` or ``redis://...``."""
        return cls(url=url, ttl=ttl, lease=lease)

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Deduplicator:
        """From the core's options object as is (``url``, ``ttlMs``, ``leaseMs``; any casing), as a
        settings file shared with other languages writes it."""
        d = cls.__new__(cls)
        d._native = _native.Deduplicator(options)
        return d

    def begin(self, event: Event) -> Begin:
        """Takes the lease on ``event``: ``"started"``, ``"duplicate"``, ``"in_progress"``, ``"conflict"``."""
        return cast(Begin, self._native.call("begin", event))

    def complete(self, event: Event) -> None:
        """Processing succeeded: redeliveries are duplicates for the ttl."""
        self._native.call("complete", event)

    def fail(self, event: Event) -> None:
        """Processing failed: releases the lease so the redelivery is processed."""
        self._native.call("fail", event)

    def first_delivery(self, event: Event) -> bool:
        """True the first time ``event`` is seen (marked done at once), False for a redelivery. The
        one-call form; with a shared store, ``begin`` + ``complete``/``fail`` keep a crash from losing it."""
        return cast(bool, self._native.call("first_delivery", event))

    def forget(self, event: Event) -> None:
        """Forgets ``event`` whatever its state (after ``first_delivery``, when processing failed)."""
        self._native.call("forget", event)

    async def begin_async(self, event: Event) -> Begin:
        """``begin``, awaited (runs on the core's runtime; the event loop is never blocked)."""
        return cast(Begin, await self._native.call_async("begin", event))

    async def complete_async(self, event: Event) -> None:
        """``complete``, awaited."""
        await self._native.call_async("complete", event)

    async def fail_async(self, event: Event) -> None:
        """``fail``, awaited."""
        await self._native.call_async("fail", event)

    async def first_delivery_async(self, event: Event) -> bool:
        """``first_delivery``, awaited."""
        return cast(bool, await self._native.call_async("first_delivery", event))

    async def forget_async(self, event: Event) -> None:
        """``forget``, awaited."""
        await self._native.call_async("forget", event)

    def __repr__(self) -> str:
        return repr(self._native)


__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "SIGNATURE_HEADER",
    "Begin",
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
