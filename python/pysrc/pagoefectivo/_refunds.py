"""``client.refunds``: refunds of paid CIPs (the SDK's extension), blocking or as coroutines."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Union, cast

from . import _native
from ._config import wait_options as _wait
from ._native import Refund, RefundEligibility
from ._types import Amount, Seconds


@dataclass(frozen=True)
class BankAccount:
    """Pay the refund into a bank account, by its 20-digit CCI (check digits verified)."""

    cci: str

    def to_dict(self) -> dict[str, Any]:
        return {"type": "bank_account", "cci": self.cci}


@dataclass(frozen=True)
class Ewallet:
    """Pay the refund to an e-wallet (Yape, Plin...) by its Peruvian mobile number (``+51`` optional)."""

    phone: str

    def to_dict(self) -> dict[str, Any]:
        return {"type": "ewallet", "phone": self.phone}


@dataclass(frozen=True)
class Beneficiary:
    """The person paid back: ``document_type`` is ``DNI``, ``PAR``, ``PAS``, ``LMI`` or ``NAN``."""

    document_type: str
    document_number: str
    name: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "document_type": self.document_type,
            "document_number": self.document_number,
            "name": self.name,
        }


Destination = Union[BankAccount, Ewallet, Mapping[str, Any]]
BeneficiaryLike = Union[Beneficiary, Mapping[str, Any]]


def _plain(value: Any) -> Any:
    if isinstance(value, (BankAccount, Ewallet, Beneficiary)):
        return value.to_dict()
    if isinstance(value, Mapping):
        return dict(value)
    return value


def _params(values: dict[str, Any], unknown: Mapping[str, Any]) -> dict[str, Any]:
    given = {k: v for k, v in values.items() if v is not None and k not in ("self", "unknown")}
    return {k: _plain(v) for k, v in {**given, **unknown}.items()}


class Refunds:
    """Refund operations (``client.refunds``): blocking calls that release the GIL while waiting."""

    def __init__(self, native: _native.Client) -> None:
        self._native = native

    def create(
        self,
        *,
        cip: Optional[int] = None,
        amount: Optional[Amount] = None,
        currency: Optional[str] = None,
        reason: Optional[str] = None,
        merchant_refund_id: Optional[str] = None,
        destination: Optional[Destination] = None,
        beneficiary: Optional[BeneficiaryLike] = None,
        refund_window_days: Optional[int] = None,
        requested_by: Optional[str] = None,
        **unknown: Any,
    ) -> Refund:
        """Requests a refund of a paid CIP.

        Checked before any request, all format problems in one ``ValidationError``;
        then the rules, each a ``RefundNotAllowedError`` with its ``reason``: the CIP
        is paid, the currency matches, the window (``refund_window_days``, else the
        configured ``refund_window``) is open, the amount fits what is left.
        ``merchant_refund_id`` is your reference for this refund: the idempotency key
        is derived from it, so retrying it (after a timeout, a crash) never refunds
        twice; the same reference with other parameters is an ``IdempotencyConflictError``.
        ``requested_by`` (an operator) goes to the audit trail only.
        """
        return cast(Refund, self._native.call("refunds.create", _params(locals(), unknown)))

    def get(self, refund_id: str) -> Refund:
        """One refund; ``NotFoundError`` when unknown."""
        return cast(Refund, self._native.call("refunds.get", {"refundId": refund_id}))

    def list(self, cip: int) -> builtins.list[Refund]:
        """The refunds of one CIP, oldest first."""
        return cast("builtins.list[Refund]", self._native.call("refunds.list", {"cip": cip}))

    def eligibility(self, cip: int, *, window_days: Optional[int] = None) -> RefundEligibility:
        """How much of a CIP can still be refunded and until when (``blocked_by`` says why not)."""
        args = {"cip": cip, "refundWindowDays": window_days}
        return cast(RefundEligibility, self._native.call("refunds.eligibility", args))

    def wait_for_final_status(
        self,
        refund_id: str,
        *,
        timeout: Seconds = 600.0,
        initial_interval: Seconds = 2.0,
        max_interval: Seconds = 60.0,
    ) -> Refund:
        """Polls with back-off until refunded or rejected; ``WaitTimeoutError`` at the deadline."""
        args = {"refundId": refund_id, **_wait(timeout, initial_interval, max_interval)}
        return cast(Refund, self._native.call("refunds.wait_for_final_status", args))


class AsyncRefunds:
    """Refund operations (``client.refunds``) as coroutines for asyncio."""

    def __init__(self, native: _native.Client) -> None:
        self._native = native

    async def create(
        self,
        *,
        cip: Optional[int] = None,
        amount: Optional[Amount] = None,
        currency: Optional[str] = None,
        reason: Optional[str] = None,
        merchant_refund_id: Optional[str] = None,
        destination: Optional[Destination] = None,
        beneficiary: Optional[BeneficiaryLike] = None,
        refund_window_days: Optional[int] = None,
        requested_by: Optional[str] = None,
        **unknown: Any,
    ) -> Refund:
        """See ``Refunds.create``."""
        return cast(Refund, await self._native.call_async("refunds.create", _params(locals(), unknown)))

    async def get(self, refund_id: str) -> Refund:
        return cast(Refund, await self._native.call_async("refunds.get", {"refundId": refund_id}))

    async def list(self, cip: int) -> builtins.list[Refund]:
        return cast("builtins.list[Refund]", await self._native.call_async("refunds.list", {"cip": cip}))

    async def eligibility(self, cip: int, *, window_days: Optional[int] = None) -> RefundEligibility:
        args = {"cip": cip, "refundWindowDays": window_days}
        return cast(RefundEligibility, await self._native.call_async("refunds.eligibility", args))

    async def wait_for_final_status(
        self,
        refund_id: str,
        *,
        timeout: Seconds = 600.0,
        initial_interval: Seconds = 2.0,
        max_interval: Seconds = 60.0,
    ) -> Refund:
        args = {"refundId": refund_id, **_wait(timeout, initial_interval, max_interval)}
        return cast(Refund, await self._native.call_async("refunds.wait_for_final_status", args))


def validate_refund_request(
    *,
    cip: Optional[int] = None,
    amount: Optional[Amount] = None,
    currency: Optional[str] = None,
    reason: Optional[str] = None,
    merchant_refund_id: Optional[str] = None,
    destination: Optional[Destination] = None,
    beneficiary: Optional[BeneficiaryLike] = None,
    refund_window_days: Optional[int] = None,
    requested_by: Optional[str] = None,
    **unknown: Any,
) -> None:
    """Checks a refund request's format exactly as ``refunds.create`` does, sending nothing."""
    _native.call("refund.validate", _params(locals(), unknown))


def validate_cci(cci: str) -> None:
    """Raises ``ValidationError`` (field ``cci``) unless ``cci`` is 20 digits with matching check digits."""
    _native.call("payee.cci", {"cci": cci})


def cci_with_check_digits(first_18: str) -> str:
    """The full CCI for bank (3) + office (3) + account (12) digits."""
    return cast(str, _native.call("payee.cci_with_check_digits", {"cci": first_18}))


__all__ = [
    "AsyncRefunds",
    "BankAccount",
    "Beneficiary",
    "Ewallet",
    "Refunds",
    "cci_with_check_digits",
    "validate_cci",
    "validate_refund_request",
]
