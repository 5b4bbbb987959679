<?php
// malformed_response: an answer that is not the documented JSON (retryable).

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class MalformedResponseException extends ApiException
{
}
