<?php
// A CIP's status, named; PagoEfectivo's numeric codes (22, 23, 21, 25 and the legacy ones) map through the core.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Native;

enum CipStatus: string
{
    case Generated = 'generated';
    case Paid = 'paid';
    case Expired = 'expired';
    case Deleted = 'deleted';
    case Unknown = 'unknown';

    /** The status for PagoEfectivo's numeric code (23 and legacy 593 are Paid...). */
    public static function fromCode(int|string|float $code): self
    {
        return self::from(Native::call('cip.status', $code, 'status'));
    }

    /** Paid, expired and deleted do not change again (barring an extension of an expired CIP). */
    public function isFinal(): bool
    {
        return in_array($this, [self::Paid, self::Expired, self::Deleted], true);
    }
}
