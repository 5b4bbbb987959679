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
        Native::call('payee.cci', $cci, 'cci');
    }

    /** The whole 20-digit CCI for its first 18 digits (bank, office, account), check digits computed. */
    public static function cciWithCheckDigits(string $first18): string
    {
        return Native::call('payee.cci_with_check_digits', $first18, 'cci');
    }
}
