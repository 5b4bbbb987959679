"""PagoEfectivo (Peru) cash payments: create CIP payment codes, track them, verify payment notifications.

    import pagoefectivo
    client = pagoefectivo.Client.from_env()
    cip = client.cips.create(currency="PEN", amount=Decimal("25.50"),
                             transaction_code="ORD-1001", user_email="ana@example.pe")
    refund = client.refunds.create(cip=cip.cip, amount=Decimal("10.00"), ...)   # once paid
    result = pagoefectivo.reconcile.run("orders.csv", "report.csv")

Rust log events reach the ``pagoefectivo`` logger of the ``logging`` module.
"""

from __future__ import annotations

import atexit

from . import _native, errors, reconcile, webhooks
from ._client import (
    AsyncCips,
    AsyncClient,
    Cips,
    Client,
    RefundAudit,
    validate_cip_request,
)
from ._config import Config
from ._functions import error_table, format_time, hash_string, parse_time
from ._native import (
    Cip,
    CipInfo,
    Refund,
    RefundEligibility,
    __version__,
)
from ._refunds import (
    AsyncRefunds,
    BankAccount,
    Beneficiary,
    Ewallet,
    Refunds,
    cci_with_check_digits,
    validate_cci,
    validate_refund_request,
)
from ._types import Amount
from .errors import (
    AmountAboveMaximumError,
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    FieldError,
    FileAccessError,
    IdempotencyConflictError,
    IdempotencyError,
    InternalError,
    InvalidStateError,
    MalformedResponseError,
    NotFoundError,
    OutcomeUnknownError,
    PagoEfectivoError,
    RawBodyError,
    RefundNotAllowedError,
    SignatureVerificationError,
    ValidationError,
    WaitTimeoutError,
)
from .models import CipStatus, RefundStatus

# Let in-flight async calls resolve their futures before the interpreter finalizes.
atexit.register(_native.wait_idle, 5.0)

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "Amount",
    "AmountAboveMaximumError",
    "AsyncCips",
    "AsyncClient",
    "AsyncRefunds",
    "AuthenticationError",
    "BankAccount",
    "Beneficiary",
    "Cip",
    "CipInfo",
    "CipStatus",
    "Cips",
    "Client",
    "Config",
    "ConfigurationError",
    "Ewallet",
    "FieldError",
    "FileAccessError",
    "IdempotencyConflictError",
    "IdempotencyError",
    "InternalError",
    "InvalidStateError",
    "MalformedResponseError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PagoEfectivoError",
    "RawBodyError",
    "Refund",
    "RefundAudit",
    "RefundEligibility",
    "RefundNotAllowedError",
    "RefundStatus",
    "Refunds",
    "SignatureVerificationError",
    "ValidationError",
    "WaitTimeoutError",
    "__version__",
    "cci_with_check_digits",
    "error_table",
    "errors",
    "format_time",
    "hash_string",
    "parse_time",
    "reconcile",
    "validate_cci",
    "validate_cip_request",
    "validate_refund_request",
    "webhooks",
]
