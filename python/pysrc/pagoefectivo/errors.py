"""Exceptions: one base class, one subclass per family of stable error codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional


@dataclass(frozen=True)
class FieldError:
    """One invalid field. ``code`` is PagoEfectivo's: ``"112"`` required, ``"113"`` invalid."""

    field: str
    code: str
    message: str


class PagoEfectivoError(Exception):
    """Base of every error this package raises.

    ``code`` is the stable, language-neutral code (``"validation_error"``,
    ``"outcome_unknown"``...); ``retryable`` says whether the same call can
    succeed later; ``attempts`` counts the HTTP attempts made (0: refused
    before any request). No attribute or message ever contains a secret.
    """

    code: str
    message: str
    http_status: Optional[int]
    pe_code: Optional[str]
    pe_message: Optional[str]
    retryable: bool
    attempts: int
    reason: Optional[str]
    hint: Optional[str]
    transaction_code: Optional[str]
    request_id: Optional[str]
    field_errors: tuple[FieldError, ...]

    def __init__(
        self,
        text: str,
        *,
        code: str = "api_error",
        message: Optional[str] = None,
        http_status: Optional[int] = None,
        pe_code: Optional[str] = None,
        pe_message: Optional[str] = None,
        retryable: bool = False,
        attempts: int = 0,
        reason: Optional[str] = None,
        hint: Optional[str] = None,
        transaction_code: Optional[str] = None,
        request_id: Optional[str] = None,
        field_errors: tuple[FieldError, ...] = (),
    ) -> None:
        super().__init__(text)
        self.code = code
        self.message = text if message is None else message
        self.http_status = http_status
        self.pe_code = pe_code
        self.pe_message = pe_message
        self.retryable = retryable
        self.attempts = attempts
        self.reason = reason
        self.hint = hint
        self.transaction_code = transaction_code
        self.request_id = request_id
        self.field_errors = tuple(field_errors)

    def _attrs(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "http_status": self.http_status,
            "pe_code": self.pe_code,
            "pe_message": self.pe_message,
            "retryable": self.retryable,
            "attempts": self.attempts,
            "reason": self.reason,
            "hint": self.hint,
            "transaction_code": self.transaction_code,
            "request_id": self.request_id,
            "field_errors": self.field_errors,
        }

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only attributes survive pickling (Celery results, multiprocessing).
        return (_rebuild, (type(self), str(self), self._attrs()))

    def __repr__(self) -> str:
        parts = [f"code={self.code!r}", f"message={self.message!r}"]
        for name in ("http_status", "pe_code", "reason", "transaction_code"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name}={value!r}")
        if self.field_errors:
            parts.append(f"fields={[f.field for f in self.field_errors]!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


def _rebuild(cls: type[PagoEfectivoError], text: str, attrs: dict[str, Any]) -> PagoEfectivoError:
    return cls(text, **attrs)


class ConfigurationError(PagoEfectivoError):
    """``configuration_error``: unusable configuration (missing or padded key, sandbox URL in production)."""


class ValidationError(PagoEfectivoError, ValueError):
    """``validation_error``: input refused before any request, or PagoEfectivo's 111; see ``field_errors``."""


class RawBodyError(ValidationError, TypeError):
    """A webhook body that is not the raw bytes as received (a str, a parsed dict)."""


class AuthenticationError(PagoEfectivoError):
    """``authentication_error``: credentials refused (or 508: the token's service differs)."""


class APIError(PagoEfectivoError):
    """``api_error``: PagoEfectivo answered with an error (5xx are ``retryable``)."""


class NotFoundError(APIError):
    """``not_found``: the CIP does not exist for this service."""


class InvalidStateError(APIError):
    """``invalid_state``: not allowed in the CIP's current state (deleting a paid CIP)."""


class AmountAboveMaximumError(APIError):
    """``amount_above_maximum``: above the merchant's maximum (PagoEfectivo 511)."""


class MalformedResponseError(APIError):
    """``malformed_response``: an answer that is not the documented JSON."""


class APIConnectionError(PagoEfectivoError):
    """``connection_error``: the network failed, after the retries."""


class APITimeoutError(APIConnectionError):
    """``timeout``: no answer within the configured timeouts."""


class IdempotencyError(PagoEfectivoError):
    """A request that must not be repeated blindly."""


class OutcomeUnknownError(IdempotencyError):
    """``outcome_unknown``: a CIP creation was sent but no usable answer came; see ``transaction_code``.

    Show the shopper nothing from that attempt. A new creation is safe once
    you accept that an unpaid orphan CIP may exist (it expires on its own).
    """


class IdempotencyConflictError(IdempotencyError):
    """``idempotency_conflict``: a ``merchant_refund_id`` already used with other parameters (HTTP 409).

    The first refund stands; use a new reference for a different refund.
    """


class RefundNotAllowedError(PagoEfectivoError):
    """``refund_not_allowed``: a refund rule refused the request; ``reason`` says which.

    ``cip_not_paid``, ``amount_exceeds_refundable``, ``currency_mismatch`` or
    ``window_expired``. Checked before any request (``attempts == 0``) and
    enforced by the API too (``http_status == 422``).
    """


class FileAccessError(PagoEfectivoError, OSError):
    """``io_error``: a local file could not be read or written (reconciliation inputs and reports)."""


class SignatureVerificationError(PagoEfectivoError):
    """``signature_verification_failed``: a webhook was refused; ``reason`` says why, ``hint`` what to do."""


class WaitTimeoutError(PagoEfectivoError):
    """``wait_timeout``: ``wait_for_final_status`` reached its deadline with the CIP still open."""


# Stable code -> class. A code this version does not know yet maps to the base class.
_BY_CODE: dict[str, type[PagoEfectivoError]] = {
    "configuration_error": ConfigurationError,
    "validation_error": ValidationError,
    "authentication_error": AuthenticationError,
    "api_error": APIError,
    "not_found": NotFoundError,
    "invalid_state": InvalidStateError,
    "amount_above_maximum": AmountAboveMaximumError,
    "malformed_response": MalformedResponseError,
    "connection_error": APIConnectionError,
    "timeout": APITimeoutError,
    "outcome_unknown": OutcomeUnknownError,
    "idempotency_conflict": IdempotencyConflictError,
    "refund_not_allowed": RefundNotAllowedError,
    "io_error": FileAccessError,
    "signature_verification_failed": SignatureVerificationError,
    "wait_timeout": WaitTimeoutError,
}


def _from_native(
    code: str, text: str, message: str, attrs: dict[str, Any], cls_name: Optional[str]
) -> PagoEfectivoError:
    """Called by the native module to build the exception for a core error."""
    cls = globals()[cls_name] if cls_name else _BY_CODE.get(code, PagoEfectivoError)
    fields = tuple(FieldError(*f) for f in attrs.pop("field_errors", ()))
    return cls(text, code=code, message=message, field_errors=fields, **attrs)


__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AmountAboveMaximumError",
    "AuthenticationError",
    "ConfigurationError",
    "FieldError",
    "FileAccessError",
    "IdempotencyConflictError",
    "IdempotencyError",
    "InvalidStateError",
    "MalformedResponseError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PagoEfectivoError",
    "RawBodyError",
    "RefundNotAllowedError",
    "SignatureVerificationError",
    "ValidationError",
    "WaitTimeoutError",
]
