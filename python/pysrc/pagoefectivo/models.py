"""Typed results: the CIP and refund status enums, and the native result classes re-exported."""

from __future__ import annotations

from enum import Enum
from typing import Any, cast

from . import _native
from ._native import Cip, CipInfo, Refund, RefundEligibility


class CipStatus(str, Enum):
    """A CIP's lifecycle state; compares equal to its name (``CipStatus.PAID == "paid"``)."""

    GENERATED = "generated"
    PAID = "paid"
    EXPIRED = "expired"
    DELETED = "deleted"
    UNKNOWN = "unknown"

    @classmethod
    def from_code(cls, code: int) -> CipStatus:
        """The status of a numeric code (22 generated; 23 or 593 paid; 21 or 595 expired; 25 deleted)."""
        return cls(cast(str, _native.call("cip.status", code)))

    @classmethod
    def _missing_(cls, value: object) -> Any:
        # A name this version does not know (the core says `unknown` for codes it does not know).
        return cls.UNKNOWN if isinstance(value, str) else None

    @property
    def is_final(self) -> bool:
        """Paid, expired and deleted do not change again (barring an extension of an expired CIP)."""
        return self in (CipStatus.PAID, CipStatus.EXPIRED, CipStatus.DELETED)

    def __str__(self) -> str:
        return self.value


class RefundStatus(str, Enum):
    """A refund's state: ``REQUESTED -> PROCESSING -> REFUNDED | REJECTED``; equal to its name."""

    REQUESTED = "requested"
    PROCESSING = "processing"
    REFUNDED = "refunded"
    REJECTED = "rejected"
    UNKNOWN = "unknown"

    @classmethod
    def _missing_(cls, value: object) -> Any:
        # A status this version does not know is kept as sent in `status_name`.
        return cls.UNKNOWN if isinstance(value, str) else None

    def __str__(self) -> str:
        return self.value


__all__ = ["Cip", "CipInfo", "CipStatus", "Refund", "RefundEligibility", "RefundStatus"]
