<?php
// invalid_state: the operation is not allowed in the CIP's or refund's state.

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class InvalidStateException extends ApiException
{
}
