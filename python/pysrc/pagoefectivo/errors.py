"""Exceptions: one base class, one class per family of the core's error table, one per code inside a family.

The tree follows ``pagoefectivo.error_table()`` (the core's taxonomy): each
class names the ``code`` it stands for (or the ``family`` it groups), and a
test checks every code and family of the table against it.
"""

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

    code: str = "api_error"
    """The stable code (``validation_error``...); on a class, the code the class stands for."""
    family: str = "api"
    """The code's family in the core's table (``api``, ``connection``, ``idempotency``...)."""
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
        code: Optional[str] = None,
        family: Optional[str] = None,
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
        self.code = type(self).code if code is None else code
        self.family = type(self).family if family is None else family
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
            "family": self.family,
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

    code = "configuration_error"
    family = "configuration"


class ValidationError(PagoEfectivoError, ValueError):
    """``validation_error``: input refused before any request, or PagoEfectivo's 111; see ``field_errors``."""

    code = "validation_error"
    family = "validation"


class RawBodyError(ValidationError, TypeError):
    """A webhook body that is not the raw bytes as received (a str, a parsed dict)."""


class AuthenticationError(PagoEfectivoError):
    """``authentication_error``: credentials refused (or 508: the token's service differs)."""

    code = "authentication_error"
    family = "authentication"


class APIError(PagoEfectivoError):
    """``api_error``: PagoEfectivo answered with an error (5xx are ``retryable``)."""

    code = "api_error"
    family = "api"


class NotFoundError(APIError):
    """``not_found``: the CIP does not exist for this service."""

    code = "not_found"


class InvalidStateError(APIError):
    """``invalid_state``: not allowed in the CIP's current state (deleting a paid CIP)."""

    code = "invalid_state"


class AmountAboveMaximumError(APIError):
    """``amount_above_maximum``: above the merchant's maximum (PagoEfectivo 511)."""

    code = "amount_above_maximum"


class MalformedResponseError(APIError):
    """``malformed_response``: an answer that is not the documented JSON."""

    code = "malformed_response"


class APIConnectionError(PagoEfectivoError):
    """``connection_error``: the network failed, after the retries."""

    code = "connection_error"
    family = "connection"


class APITimeoutError(APIConnectionError):
    """``timeout``: no answer within the configured timeouts."""

    code = "timeout"


class IdempotencyError(PagoEfectivoError):
    """The ``idempotency`` family (no code of its own): whether an operation happened, or may happen twice."""

    family = "idempotency"


class OutcomeUnknownError(IdempotencyError):
    """``outcome_unknown``: a CIP creation was sent but no usable answer came; see ``transaction_code``.

    Show the shopper nothing from that attempt. A new creation is safe once
    you accept that an unpaid orphan CIP may exist (it expires on its own).
    """

    code = "outcome_unknown"


class IdempotencyConflictError(IdempotencyError):
    """``idempotency_conflict``: a ``merchant_refund_id`` already used with other parameters (HTTP 409).

    The first refund stands; use a new reference for a different refund.
    """

    code = "idempotency_conflict"


class RefundNotAllowedError(PagoEfectivoError):
    """``refund_not_allowed``: a refund rule refused the request; ``reason`` says which.

    ``cip_not_paid``, ``amount_exceeds_refundable``, ``currency_mismatch`` or
    ``window_expired``. Checked before any request (``attempts == 0``) and
    enforced by the API too (``http_status == 422``).
    """

    code = "refund_not_allowed"
    family = "refund"


class FileAccessError(PagoEfectivoError, OSError):
    """``io_error``: a local file could not be read or written (reconciliation inputs and reports)."""

    code = "io_error"
    family = "io"


class SignatureVerificationError(PagoEfectivoError):
    """``signature_verification_failed``: a webhook was refused; ``reason`` says why, ``hint`` what to do."""

    code = "signature_verification_failed"
    family = "signature"


class WaitTimeoutError(PagoEfectivoError):
    """``wait_timeout``: ``wait_for_final_status`` reached its deadline with the CIP still open."""

    code = "wait_timeout"
    family = "wait"


class InternalError(PagoEfectivoError):
    """``internal_error``: a bug in this SDK (a caught panic of the native code), never your input.

    The call did not complete; please report it with the message.
    """

    code = "internal_error"
    family = "internal"


def _tree() -> list[type[PagoEfectivoError]]:
    """Every class of this module under the base, parents before children."""
    out: list[type[PagoEfectivoError]] = []
    todo: list[type[PagoEfectivoError]] = [PagoEfectivoError]
    while todo:
        cls = todo.pop(0)
        if cls.__module__ == __name__:
            out.append(cls)
            todo.extend(cls.__subclasses__())
    return out


def class_for(code: str, family: Optional[str] = None) -> type[PagoEfectivoError]:
    """The class of a stable code; a code this version does not know yet gets its family's class."""
    classes = _tree()[1:]  # the base stands for no code of its own
    for cls in classes:
        if "code" in cls.__dict__ and cls.code == code:
            return cls
    for cls in classes:
        if family is not None and cls.family == family and "family" in cls.__dict__:
            return cls
    return PagoEfectivoError


def _from_native(
    code: str, text: str, message: str, attrs: dict[str, Any], cls_name: Optional[str]
) -> PagoEfectivoError:
    """Called by the native module to build the exception for a core error."""
    cls = globals()[cls_name] if cls_name else class_for(code, attrs.get("family"))
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
    "InternalError",
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
