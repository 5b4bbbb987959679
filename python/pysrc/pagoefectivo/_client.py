"""``Client`` and ``AsyncClient``: configuration, then one attribute per resource (``cips``, ``refunds``).

Each method names a core operation (``cips.get``...) and passes its arguments
as they were given; the core reads and checks them (``pagoefectivo::boundary``).
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from typing import Any, Callable, Iterable, Mapping, Optional, Union, cast

from . import _native
from ._config import Config
from ._config import wait_options as wait
from ._native import Cip, CipInfo
from ._refunds import AsyncRefunds, Refunds
from ._types import Amount, Seconds, Time
from .reconcile import AsyncClientReconciliation, ClientReconciliation

RefundAudit = Union[str, "os.PathLike[str]", Callable[[dict[str, Any]], None]]
"""Where refund audit records go: a JSON-lines file (appended), or a callable taking each record."""


def _config(config: Optional[Config], options: dict[str, Any]) -> Config:
    given = {k: v for k, v in options.items() if v is not None}
    if config is not None:
        if given:
            raise TypeError("pass either config= or keyword options, not both")
        return config
    return Config(**given)


def params(values: dict[str, Any], unknown: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments given (None = not given), unknown ones too: the core names a misspelt one."""
    given = {k: v for k, v in values.items() if v is not None and k not in ("self", "unknown")}
    return {**given, **unknown}


class Cips:
    """CIP operations (``client.cips``): blocking calls that release the GIL while waiting."""

    def __init__(self, native: _native.Client) -> None:
        self._native = native

    def create(
        self,
        *,
        currency: Optional[str] = None,
        amount: Optional[Amount] = None,
        transaction_code: Optional[str] = None,
        user_email: Optional[str] = None,
        date_expiry: Optional[Time] = None,
        payment_concept: Optional[str] = None,
        additional_data: Optional[str] = None,
        admin_email: Optional[str] = None,
        user_id: Optional[str] = None,
        user_name: Optional[str] = None,
        user_last_name: Optional[str] = None,
        user_ubigeo: Optional[str] = None,
        user_country: Optional[str] = None,
        user_document_type: Optional[str] = None,
        user_document_number: Optional[str] = None,
        user_phone: Optional[str] = None,
        user_code_country: Optional[str] = None,
        **unknown: Any,
    ) -> Cip:
        """Creates a CIP. Every field is validated first (all problems in one ``ValidationError``).

        Required: ``currency`` (``"PEN"`` or ``"USD"``), ``amount``, ``transaction_code``
        (your order id) and ``user_email``; a missing one is reported with the others,
        and so is a keyword the API does not have (``date_expire=``), by name.

        Never retried once it may have reached PagoEfectivo: an ambiguous failure
        raises ``OutcomeUnknownError`` with the ``transaction_code``.
        """
        return cast(Cip, self._native.call("cips.create", params(locals(), unknown)))

    def search(self, cips: Iterable[int]) -> list[CipInfo]:
        """Looks CIPs up (in batches); unknown CIPs are absent from the result."""
        return cast("list[CipInfo]", self._native.call("cips.search", {"cips": cips}))

    def get(self, cip: int) -> CipInfo:
        """One CIP; ``NotFoundError`` when unknown."""
        return cast(CipInfo, self._native.call("cips.get", {"cip": cip}))

    def extend(self, cip: int, date_expiry: Time) -> None:
        """Moves the expiry (an aware datetime, any zone). An expired CIP becomes payable again."""
        self._native.call("cips.extend", {"cip": cip, "dateExpiry": date_expiry})

    def delete(self, cip: int) -> None:
        """Cancels an unpaid CIP."""
        self._native.call("cips.delete", {"cip": cip})

    def wait_for_final_status(
        self,
        cip: int,
        *,
        timeout: Seconds = 600.0,
        initial_interval: Seconds = 2.0,
        max_interval: Seconds = 60.0,
    ) -> CipInfo:
        """Polls with back-off until paid, expired or deleted; ``WaitTimeoutError`` at the deadline."""
        args = {"cip": cip, **wait(timeout, initial_interval, max_interval)}
        return cast(CipInfo, self._native.call("cips.wait_for_final_status", args))


class AsyncCips:
    """CIP operations (``client.cips``) as coroutines for asyncio."""

    def __init__(self, native: _native.Client) -> None:
        self._native = native

    async def create(
        self,
        *,
        currency: Optional[str] = None,
        amount: Optional[Amount] = None,
        transaction_code: Optional[str] = None,
        user_email: Optional[str] = None,
        date_expiry: Optional[Time] = None,
        payment_concept: Optional[str] = None,
        additional_data: Optional[str] = None,
        admin_email: Optional[str] = None,
        user_id: Optional[str] = None,
        user_name: Optional[str] = None,
        user_last_name: Optional[str] = None,
        user_ubigeo: Optional[str] = None,
        user_country: Optional[str] = None,
        user_document_type: Optional[str] = None,
        user_document_number: Optional[str] = None,
        user_phone: Optional[str] = None,
        user_code_country: Optional[str] = None,
        **unknown: Any,
    ) -> Cip:
        """See ``Cips.create``."""
        return cast(Cip, await self._native.call_async("cips.create", params(locals(), unknown)))

    async def search(self, cips: Iterable[int]) -> list[CipInfo]:
        return cast("list[CipInfo]", await self._native.call_async("cips.search", {"cips": cips}))

    async def get(self, cip: int) -> CipInfo:
        return cast(CipInfo, await self._native.call_async("cips.get", {"cip": cip}))

    async def extend(self, cip: int, date_expiry: Time) -> None:
        await self._native.call_async("cips.extend", {"cip": cip, "dateExpiry": date_expiry})

    async def delete(self, cip: int) -> None:
        await self._native.call_async("cips.delete", {"cip": cip})

    async def wait_for_final_status(
        self,
        cip: int,
        *,
        timeout: Seconds = 600.0,
        initial_interval: Seconds = 2.0,
        max_interval: Seconds = 60.0,
    ) -> CipInfo:
        args = {"cip": cip, **wait(timeout, initial_interval, max_interval)}
        return cast(CipInfo, await self._native.call_async("cips.wait_for_final_status", args))


class _BaseClient(ABC):
    def __init__(
        self,
        config: Optional[Config] = None,
        *,
        access_key: Optional[str] = None,
        secret_key: Optional[str] = None,
        id_service: Optional[int] = None,
        environment: Optional[str] = None,
        base_url: Optional[str] = None,
        connect_timeout: Optional[Seconds] = None,
        request_timeout: Optional[Seconds] = None,
        total_timeout: Optional[Seconds] = None,
        max_attempts: Optional[int] = None,
        initial_backoff: Optional[Seconds] = None,
        max_backoff: Optional[Seconds] = None,
        language: Optional[str] = None,
        user_agent: Optional[str] = None,
        search_batch_size: Optional[int] = None,
        token_refresh_margin: Optional[Seconds] = None,
        refunds_path: Optional[str] = None,
        refund_window: Optional[Seconds] = None,
        reports_path: Optional[str] = None,
        max_response_bytes: Optional[int] = None,
        proxy: Optional[str] = None,
        no_proxy: Optional[str] = None,
        ca_file: Optional[Union[str, os.PathLike[str]]] = None,
        token_store: Optional[str] = None,
        refund_audit: Optional[RefundAudit] = None,
        **other: Any,
    ) -> None:
        options = dict(locals())
        for name in ("self", "config", "__class__", "refund_audit", "other"):
            options.pop(name, None)
        self._config = _config(config, {**options, **other})
        # A callable is the binding's own sink; anything else is the core's `refund_audit_file`.
        self._native = _native.Client(self._config._core, refund_audit)
        self._attach_resources()

    @abstractmethod
    def _attach_resources(self) -> None:
        """Creates the resource attributes (``cips``...) over ``self._native``."""

    @property
    def config(self) -> Config:
        """The core's settings of this client (no secret): the same fields in every language."""
        return self._config

    def __repr__(self) -> str:
        c = self.config
        return f"{type(self).__name__}(base_url={c.base_url!r}, id_service={c.id_service})"


class Client(_BaseClient):
    """The blocking client. One per merchant store; share it between threads (and across a fork).

    Configure with keyword arguments (``access_key``, ``secret_key``, ``id_service``,
    ``environment``, timeouts in seconds, ``proxy``, ``ca_file``...), a ``Config``, or
    ``Client.from_env()``. ``refund_audit`` records every refund operation: a JSON-lines
    file path, or a callable.
    """

    cips: Cips
    refunds: Refunds
    reconciliation: ClientReconciliation

    def _attach_resources(self) -> None:
        self.cips = Cips(self._native)
        self.refunds = Refunds(self._native)
        self.reconciliation = ClientReconciliation(self._native)

    @classmethod
    def from_env(
        cls, environ: Optional[Mapping[str, str]] = None, *, refund_audit: Optional[RefundAudit] = None
    ) -> Client:
        """From ``PAGOEFECTIVO_*`` variables (``os.environ`` unless a mapping is given)."""
        return cls(Config.from_env(environ), refund_audit=refund_audit)

    def authenticate(self) -> None:
        """Fetches a fresh token: a quick check that the credentials work."""
        self._native.call("authenticate", {})


class AsyncClient(_BaseClient):
    """The asyncio client: the same resources and methods as ``Client``, as coroutines."""

    cips: AsyncCips
    refunds: AsyncRefunds
    reconciliation: AsyncClientReconciliation

    def _attach_resources(self) -> None:
        self.cips = AsyncCips(self._native)
        self.refunds = AsyncRefunds(self._native)
        self.reconciliation = AsyncClientReconciliation(self._native)

    @classmethod
    def from_env(
        cls, environ: Optional[Mapping[str, str]] = None, *, refund_audit: Optional[RefundAudit] = None
    ) -> AsyncClient:
        return cls(Config.from_env(environ), refund_audit=refund_audit)

    async def authenticate(self) -> None:
        await self._native.call_async("authenticate", {})


def validate_cip_request(
    *,
    currency: Optional[str] = None,
    amount: Optional[Amount] = None,
    transaction_code: Optional[str] = None,
    user_email: Optional[str] = None,
    date_expiry: Optional[Time] = None,
    payment_concept: Optional[str] = None,
    additional_data: Optional[str] = None,
    admin_email: Optional[str] = None,
    user_id: Optional[str] = None,
    user_name: Optional[str] = None,
    user_last_name: Optional[str] = None,
    user_ubigeo: Optional[str] = None,
    user_country: Optional[str] = None,
    user_document_type: Optional[str] = None,
    user_document_number: Optional[str] = None,
    user_phone: Optional[str] = None,
    user_code_country: Optional[str] = None,
    **unknown: Any,
) -> None:
    """Checks parameters exactly as ``cips.create`` does, sending nothing; raises ``ValidationError``."""
    _native.call("cip.validate_create", params(locals(), unknown))
