<?php
// api_error: PagoEfectivo answered with an error (5xx after retries are retryable); the parent of narrower API errors.

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class ApiException extends PagoEfectivoException
{
}
