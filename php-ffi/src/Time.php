<?php
// PagoEfectivo's wire times: any zone in, Lima time (-05:00) out.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Native;
use PagoEfectivo\Internal\Wire;

final class Time
{
    /** The wire form in Lima time (`2026-01-01T22:04:05-05:00`) of a time with an offset; ValidationException otherwise. */
    public static function toWire(\DateTimeInterface|string $time): string
    {
        return Native::call('time.parse', Wire::timeArg($time), 'time');
    }
}
