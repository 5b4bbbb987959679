<?php
// Checks of refund destinations: a CCI's 20 digits and check digits.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Native;

final class Payee
{
    /** Throws ValidationException unless `cci` is a 20-digit CCI with valid check digits. */
    public static function validateCci(string $cci): void
    {
        Native::call('payee.cci', $cci);
    }
}
