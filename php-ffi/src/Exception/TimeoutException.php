<?php
// timeout: no answer in time (retryable).

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class TimeoutException extends ConnectionException
{
}
