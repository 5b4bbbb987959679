<?php
// validation_error: input refused before any request (getFieldErrors() lists every problem), or PagoEfectivo's 111.

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class ValidationException extends PagoEfectivoException
{
    /** A refusal of one field on the PHP side, shaped like the core's. */
    public static function field(string $field, string $message): self
    {
        return new self([
            'code' => 'validation_error',
            'message' => "invalid input: {$field} {$message}",
            'field_errors' => [['field' => $field, 'code' => '113', 'message' => $message]],
            'retryable' => false,
            'attempts' => 0,
        ]);
    }
}
