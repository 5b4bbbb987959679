<?php
// connection_error: the network failed after retries (retryable).

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class ConnectionException extends PagoEfectivoException
{
}
