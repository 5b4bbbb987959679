<?php
// amount_above_maximum: the amount is above the merchant's maximum (PagoEfectivo 511).

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class AmountAboveMaximumException extends ApiException
{
}
