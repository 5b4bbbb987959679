<?php
// outcome_unknown: a CIP creation was sent without a usable answer; getTransactionCode() names the order.

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class OutcomeUnknownException extends IdempotencyException
{
}
