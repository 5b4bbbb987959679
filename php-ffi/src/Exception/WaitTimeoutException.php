<?php
// wait_timeout: waitForFinalStatus reached its deadline (retryable).

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class WaitTimeoutException extends PagoEfectivoException
{
}
