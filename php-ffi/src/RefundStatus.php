<?php
// A refund's status: requested, then processing, then refunded or rejected.

declare(strict_types=1);

namespace PagoEfectivo;

enum RefundStatus: string
{
    case Requested = 'requested';
    case Processing = 'processing';
    case Refunded = 'refunded';
    case Rejected = 'rejected';
    /** A status this SDK does not know yet (toArray() keeps the one sent). */
    case Unknown = 'unknown';

    public function isFinal(): bool
    {
        return $this === self::Refunded || $this === self::Rejected;
    }
}
