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

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Literal, Optional, Union

from . import _native
from ._client import AsyncClient, Client, RefundAudit
from ._native import Config, SandboxError
from ._types import Seconds

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


def _delivery(d: dict[str, Any]) -> Delivery:
    attempts = tuple(DeliveryAttempt(a.get("status"), a.get("error")) for a in d["attempts"])
    return Delivery(d["eventType"], d["url"], d["body"].encode(), d["signature"], attempts)


class Sandbox:
    """The PagoEfectivo API emulator, started on 127.0.0.1 (an ephemeral port unless ``port`` is given).

    One merchant service (the demo credentials unless given); ``token_lifetime``,
    ``default_expiry`` and ``webhook_retry_delay`` in seconds or as timedelta.
    Use it as a context manager, or call ``close()``.
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
        self._native = _native.Sandbox(
            port=port,
            id_service=id_service,
            access_key=access_key,
            secret_key=secret_key,
            token_lifetime=token_lifetime,
            max_amount=max_amount,
            default_expiry=default_expiry,
            notification_url=notification_url,
            webhook_retry_delay=webhook_retry_delay,
            first_cip=first_cip,
        )

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
        return f"Sandbox(base_url={self.base_url!r}, id_service={self.id_service})"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1/``."""
        return self._native.base_url

    @property
    def port(self) -> int:
        return self._native.port

    @property
    def id_service(self) -> int:
        return self._native.id_service

    @property
    def access_key(self) -> str:
        return self._native.access_key

    @property
    def secret_key(self) -> str:
        """The service's secret key: it signs the notifications (use it with ``construct_event``)."""
        return self._native.secret_key

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

    # Control API -----------------------------------------------------------------

    def pay(self, cip: int) -> Payment:
        """Marks a generated CIP paid now and sends the signed ``cip.paid`` notification."""
        p = self._native.pay(cip)
        return Payment(p["cip"], p["operation_number"], p["date_payment"])

    def expire(self, cip: int) -> None:
        """Expires a generated CIP now."""
        self._native.expire(cip)

    def advance_clock(self, by: Seconds) -> datetime:
        """Moves the sandbox clock forward (tokens and CIPs expire by it); returns the new now."""
        return self._native.advance_clock(by)

    def now(self) -> datetime:
        return self._native.now()

    def cip(self, cip: int) -> Optional[dict[str, Any]]:
        """The sandbox's record of a CIP (camelCase keys, as in sandbox/README.md), or None."""
        return self._native.cip(cip)

    def cips(self) -> list[dict[str, Any]]:
        return self._native.cips()

    def deliveries(self) -> list[Delivery]:
        """Every notification so far, including those still being attempted."""
        return [_delivery(d) for d in self._native.deliveries()]

    def wait_for_deliveries(self, count: int, timeout: Seconds = 5.0) -> list[Delivery]:
        """Waits until ``count`` notifications finished all their attempts (or the timeout)."""
        return [_delivery(d) for d in self._native.wait_for_deliveries(count, timeout)]

    def refunds(self) -> list[dict[str, Any]]:
        """Every refund the sandbox holds, oldest first (camelCase keys, destination masked)."""
        return self._native.refunds()

    def refund(self, refund_id: str) -> Optional[dict[str, Any]]:
        return self._native.refund(refund_id)

    def advance_refund(
        self, refund_id: str, to: RefundTarget, reason_code: Optional[str] = None
    ) -> dict[str, Any]:
        """Moves a refund on (``requested -> processing -> refunded | rejected``, or ``requested ->
        rejected``) and sends the signed ``refund.<status>`` notification; ``reason_code`` for rejections.
        """
        return self._native.advance_refund(refund_id, to, reason_code)

    def process_refund(self, refund_id: str) -> dict[str, Any]:
        return self.advance_refund(refund_id, "processing")

    def complete_refund(self, refund_id: str) -> dict[str, Any]:
        return self.advance_refund(refund_id, "refunded")

    def reject_refund(self, refund_id: str, reason_code: str = "R01") -> dict[str, Any]:
        return self.advance_refund(refund_id, "rejected", reason_code)

    @property
    def notification_url(self) -> Optional[str]:
        """Where notifications (``cip.paid``, ``refund.*``) are POSTed (loopback only)."""
        return self._native.notification_url

    @notification_url.setter
    def notification_url(self, url: Optional[str]) -> None:
        self._native.set_notification_url(url)

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
        self._native.add_fault(fault)

    def clear_faults(self) -> None:
        self._native.clear_faults()

    def faults(self) -> list[dict[str, Any]]:
        """Faults still armed, in the order they are checked."""
        return self._native.faults()

    def request_count(self, endpoint: Endpoint = "any") -> int:
        """Requests received for ``endpoint``, faults or not (``webhook``: notifications sent)."""
        return self._native.request_count(endpoint)


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
