"""Test your integration the way this SDK tests itself: the PagoEfectivo sandbox, in-process, on 127.0.0.1.

    from pagoefectivo.testing import Sandbox

    with Sandbox() as sb:
        client = sb.client()
        cip = client.cips.create(currency="PEN", amount=Decimal("25.50"),
                                 transaction_code="ORD-1", user_email="ana@example.pe")
        sb.pay(cip.cip)                           # signed cip.paid goes to sb.notification_url
        sb.complete_refund(refund.refund_id)      # after process_refund: signed refund.refunded
        sb.add_fault("cips_create", "status", status=503, times=1)

Faults and endpoints are those of sandbox/README.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from types import TracebackType
from typing import Any, Literal, Optional, Union, cast

from . import _native
from ._client import AsyncClient, Client, RefundAudit
from ._config import Config
from ._types import Seconds
from .errors import InvalidStateError, NotFoundError, PagoEfectivoError

Endpoint = Literal[
    "any",
    "authorizations",
    "cips_create",
    "cips_search",
    "cips_extend",
    "cips_delete",
    "webhook",
    "refunds_create",
    "refunds_get",
    "reports",
]
RefundTarget = Literal["processing", "refunded", "rejected"]
FaultKind = Literal[
    "status",
    "latency",
    "drop",
    "drop_before",
    "malformed",
    "unauthorized",
    "duplicate_delivery",
    "respond",
]


@dataclass(frozen=True)
class Payment:
    """A payment made with ``Sandbox.pay``."""

    cip: int
    operation_number: str
    date_payment: datetime


@dataclass(frozen=True)
class DeliveryAttempt:
    """One POST of a notification: the receiver's HTTP status, or why there was none."""

    status: Optional[int]
    error: Optional[str]


@dataclass(frozen=True)
class Delivery:
    """A notification the sandbox sent (or tried to), with the exact signed bytes."""

    event_type: str
    url: str
    body: bytes
    signature: str
    attempts: tuple[DeliveryAttempt, ...]

    @property
    def statuses(self) -> list[Optional[int]]:
        return [a.status for a in self.attempts]


class SandboxError(PagoEfectivoError):
    """A sandbox control call was refused: ``reason`` (also ``args[1]``) is ``unknown_cip``,
    ``invalid_state``, ``unknown_refund`` or ``invalid_transition``; ``code`` is ``not_found`` or
    ``invalid_state``, as the shared test driver (``pagoefectivo-testing``) says in every language."""

    def __init__(self, text: str, **attrs: Any) -> None:
        super().__init__(text, **attrs)
        self.args = (text, self.reason)

    def __str__(self) -> str:
        return str(self.args[0])


def _delivery(d: dict[str, Any]) -> Delivery:
    attempts = tuple(DeliveryAttempt(s, e) for s, e in zip(d["statuses"], d["errors"]))
    return Delivery(d["eventType"], d["url"], d["body"].encode(), d["signature"], attempts)


def _whole(value: Any, scale: int) -> Any:
    """Seconds (or a timedelta) in whole ``1/scale`` units; anything else as given, for the core to refuse."""
    if isinstance(value, timedelta):
        value = value.total_seconds()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        scaled = value * scale
        return int(scaled) if float(scaled).is_integer() else scaled
    return value


class Sandbox:
    """The PagoEfectivo API emulator, started on 127.0.0.1 (an ephemeral port unless ``port`` is given).

    One merchant service (the demo credentials; ``id_service`` if given); ``token_lifetime``
    and ``default_expiry`` in whole seconds and ``webhook_retry_delay`` in seconds, or as
    timedelta. Every option and control call is the shared driver's (``pagoefectivo-testing``),
    the same in every language. Use it as a context manager, or call ``close()``.
    """

    def __init__(
        self,
        *,
        port: int = 0,
        id_service: Optional[int] = None,
        access_key: Optional[str] = None,
        secret_key: Optional[str] = None,
        token_lifetime: Optional[Seconds] = None,
        max_amount: Optional[Union[Decimal, int, str]] = None,
        default_expiry: Optional[Seconds] = None,
        notification_url: Optional[str] = None,
        webhook_retry_delay: Optional[Seconds] = None,
        first_cip: Optional[int] = None,
    ) -> None:
        options = {
            "port": port,
            "id_service": id_service,
            "access_key": access_key,
            "secret_key": secret_key,
            "token_lifetime_seconds": _whole(token_lifetime, 1),
            "max_amount": None if max_amount is None else str(max_amount),
            "default_expiry_seconds": _whole(default_expiry, 1),
            "notification_url": notification_url,
            "webhook_retry_delay_ms": _whole(webhook_retry_delay, 1000),
            "first_cip": first_cip,
        }
        self._native = _native.Sandbox({k: v for k, v in options.items() if v is not None})
        self._info: dict[str, Any] = self._call("info")

    def _call(self, op: str, args: Optional[dict[str, Any]] = None) -> Any:
        try:
            return self._native.call(op, {} if args is None else args)
        except (NotFoundError, InvalidStateError) as e:
            raise SandboxError(str(e), **e._attrs()) from None

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self,
        exc_type: Optional[type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stops the server (in-flight requests finish first). Idempotent."""
        self._native.close()

    def __repr__(self) -> str:
        info = getattr(self, "_info", {})  # absent when it could not start
        return f"Sandbox(base_url={info.get('baseUrl')!r}, id_service={info.get('idService')})"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1/``."""
        return cast(str, self._info["baseUrl"])

    @property
    def port(self) -> int:
        return int(self.base_url.split(":")[2].split("/")[0])

    @property
    def id_service(self) -> int:
        return cast(int, self._info["idService"])

    @property
    def access_key(self) -> str:
        return cast(str, self._info["accessKey"])

    @property
    def secret_key(self) -> str:
        """The service's secret key: it signs the notifications (use it with ``construct_event``)."""
        return cast(str, self._info["secretKey"])

    def env(self) -> dict[str, str]:
        """``PAGOEFECTIVO_*`` variables pointing at this sandbox (for ``Client.from_env`` or a subprocess)."""
        return {
            "PAGOEFECTIVO_BASE_URL": self.base_url,
            "PAGOEFECTIVO_ACCESS_KEY": self.access_key,
            "PAGOEFECTIVO_SECRET_KEY": self.secret_key,
            "PAGOEFECTIVO_SERVICE_ID": str(self.id_service),
        }

    def config(self, **options: Any) -> Config:
        """A ``Config`` for this sandbox; ``options`` as for ``Config`` (timeouts, retries...)."""
        values: dict[str, Any] = {
            "base_url": self.base_url,
            "access_key": self.access_key,
            "secret_key": self.secret_key,
            "id_service": self.id_service,
        }
        values.update(options)
        return Config(**values)

    def client(self, *, refund_audit: Optional[RefundAudit] = None, **options: Any) -> Client:
        """A client for this sandbox; ``options`` as for ``Config``."""
        return Client(self.config(**options), refund_audit=refund_audit)

    def async_client(self, *, refund_audit: Optional[RefundAudit] = None, **options: Any) -> AsyncClient:
        return AsyncClient(self.config(**options), refund_audit=refund_audit)

    # Control API: each method is one operation of the shared driver -------------------------------

    def pay(self, cip: int) -> Payment:
        """Marks a generated CIP paid now and sends the signed ``cip.paid`` notification."""
        p = self._call("pay", {"cip": cip})
        return Payment(p["cip"], p["operationNumber"], datetime.fromisoformat(p["datePayment"]))

    def expire(self, cip: int) -> None:
        """Expires a generated CIP now."""
        self._call("expire", {"cip": cip})

    def advance_clock(self, by: Seconds) -> datetime:
        """Moves the sandbox clock forward (tokens and CIPs expire by it); returns the new now."""
        return datetime.fromisoformat(self._call("advance_clock", {"seconds": _whole(by, 1)}))

    def now(self) -> datetime:
        return datetime.fromisoformat(self._call("now"))

    def cip(self, cip: int) -> Optional[dict[str, Any]]:
        """The sandbox's record of a CIP (camelCase keys, as in sandbox/README.md), or None."""
        return cast(Optional["dict[str, Any]"], self._call("cip", {"cip": cip}))

    def cips(self) -> list[dict[str, Any]]:
        return cast("list[dict[str, Any]]", self._call("cips"))

    def deliveries(self) -> list[Delivery]:
        """Every notification so far, including those still being attempted."""
        return [_delivery(d) for d in self._call("deliveries")]

    def wait_for_deliveries(self, count: int, timeout: Seconds = 5.0) -> list[Delivery]:
        """Waits until ``count`` notifications finished all their attempts (or the timeout)."""
        args = {"count": count, "timeoutMs": _whole(timeout, 1000)}
        return [_delivery(d) for d in self._call("deliveries", args)]

    def refunds(self) -> list[dict[str, Any]]:
        """Every refund the sandbox holds, oldest first (camelCase keys, destination masked)."""
        return cast("list[dict[str, Any]]", self._call("refunds"))

    def refund(self, refund_id: str) -> Optional[dict[str, Any]]:
        return next((r for r in self.refunds() if r.get("refundId") == refund_id), None)

    def advance_refund(
        self, refund_id: str, to: RefundTarget, reason_code: Optional[str] = None
    ) -> dict[str, Any]:
        """Moves a refund on (``requested -> processing -> refunded | rejected``, or ``requested ->
        rejected``) and sends the signed ``refund.<status>`` notification; ``reason_code`` for rejections.
        """
        args = {"refundId": refund_id, "to": to, "reasonCode": reason_code}
        return cast("dict[str, Any]", self._call("refund", args))

    def process_refund(self, refund_id: str) -> dict[str, Any]:
        return self.advance_refund(refund_id, "processing")

    def complete_refund(self, refund_id: str) -> dict[str, Any]:
        return self.advance_refund(refund_id, "refunded")

    def reject_refund(self, refund_id: str, reason_code: str = "R01") -> dict[str, Any]:
        return self.advance_refund(refund_id, "rejected", reason_code)

    @property
    def notification_url(self) -> Optional[str]:
        """Where notifications (``cip.paid``, ``refund.*``) are POSTed (loopback only)."""
        return cast(Optional[str], self._call("notification_url"))

    @notification_url.setter
    def notification_url(self, url: Optional[str]) -> None:
        self._call("set_notification_url", {"url": url})

    def add_fault(
        self,
        endpoint: Endpoint,
        kind: FaultKind,
        *,
        status: Optional[int] = None,
        retry_after: Optional[int] = None,
        ms: Optional[int] = None,
        times: Optional[int] = None,
        rate: Optional[float] = None,
        body: Optional[str] = None,
        headers: Optional[dict[str, str]] = None,
        process: Optional[bool] = None,
    ) -> None:
        """Arms a fault, e.g. ``add_fault("cips_create", "drop")`` (processed, then the connection breaks).

        ``respond`` answers exactly ``status``, ``headers`` and ``body`` (after processing the
        request when ``process`` is true): the odd answers a real API, proxy or balancer gives.
        """
        fault: dict[str, Any] = {"endpoint": endpoint, "kind": kind}
        extra = {
            "status": status,
            "retry_after": retry_after,
            "ms": ms,
            "times": times,
            "rate": rate,
            "body": body,
            "headers": headers,
            "process": process,
        }
        fault.update({k: v for k, v in extra.items() if v is not None})
        self._call("fault", fault)

    def clear_faults(self) -> None:
        self._call("clear_faults")

    def faults(self) -> list[dict[str, Any]]:
        """Faults still armed, in the order they are checked."""
        return cast("list[dict[str, Any]]", self._call("faults"))

    def request_count(self, endpoint: Endpoint = "any") -> int:
        """Requests received for ``endpoint``, faults or not (``webhook``: notifications sent)."""
        return cast(int, self._call("request_count", {"endpoint": endpoint}))


__all__ = [
    "Delivery",
    "DeliveryAttempt",
    "Endpoint",
    "FaultKind",
    "Payment",
    "RefundTarget",
    "Sandbox",
    "SandboxError",
]
