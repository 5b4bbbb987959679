<?php
// The base of every error this SDK raises: the core's stable code and PagoEfectivo's own details, never a secret.

declare(strict_types=1);

namespace PagoEfectivo\Exception;

class PagoEfectivoException extends \RuntimeException
{
    /** The core's codes; a code added later maps to this base class until it gains its own. */
    private const CLASSES = [
        'validation_error' => ValidationException::class,
        'configuration_error' => ConfigurationException::class,
        'authentication_error' => AuthenticationException::class,
        'api_error' => ApiException::class,
        'not_found' => NotFoundException::class,
        'invalid_state' => InvalidStateException::class,
        'amount_above_maximum' => AmountAboveMaximumException::class,
        'malformed_response' => MalformedResponseException::class,
        'connection_error' => ConnectionException::class,
        'timeout' => TimeoutException::class,
        'outcome_unknown' => OutcomeUnknownException::class,
        'idempotency_conflict' => IdempotencyConflictException::class,
        'refund_not_allowed' => RefundNotAllowedException::class,
        'signature_verification_failed' => SignatureVerificationException::class,
        'wait_timeout' => WaitTimeoutException::class,
        'io_error' => IoException::class,
        'internal_error' => InternalException::class,
    ];

    /** @param array<string, mixed> $error */
    final public function __construct(private readonly array $error)
    {
        parent::__construct((string) ($error['message'] ?? $error['code'] ?? 'error'));
    }

    /** @param array<string, mixed> $error the `error` object of a C ABI envelope */
    public static function fromError(array $error): self
    {
        $class = self::CLASSES[$error['code'] ?? ''] ?? self::class;
        return new $class($error);
    }

    /** An error raised on the PHP side, before the core was reached (the library cannot load...). */
    public static function local(string $message): static
    {
        $codes = array_flip(self::CLASSES);
        return new static(['code' => $codes[static::class] ?? 'internal_error', 'message' => $message]);
    }

    /** The stable code, e.g. `validation_error` (getCode() stays PHP's integer). */
    public function getErrorCode(): string
    {
        return (string) ($this->error['code'] ?? 'internal_error');
    }

    public function getHttpStatus(): ?int
    {
        return $this->error['http_status'] ?? null;
    }

    /** PagoEfectivo's own code (`"111"`, `"511"`...). */
    public function getPeCode(): ?string
    {
        return $this->error['pe_code'] ?? null;
    }

    public function getPeMessage(): ?string
    {
        return $this->error['pe_message'] ?? null;
    }

    /** Whether trying the same call again later can succeed. */
    public function isRetryable(): bool
    {
        return (bool) ($this->error['retryable'] ?? false);
    }

    /** HTTP attempts made (0: refused before any request). */
    public function getAttempts(): int
    {
        return (int) ($this->error['attempts'] ?? 0);
    }

    /** @return list<array{field: string, code: string, message: string}> */
    public function getFieldErrors(): array
    {
        return $this->error['field_errors'] ?? [];
    }

    /** A sub-reason: `signature_mismatch`, `cip_not_paid`, `missing_column`... */
    public function getReason(): ?string
    {
        return $this->error['reason'] ?? null;
    }

    /** A human hint at the likely mistake. */
    public function getHint(): ?string
    {
        return $this->error['hint'] ?? null;
    }

    /** For `outcome_unknown`: the order whose CIP may exist. */
    public function getTransactionCode(): ?string
    {
        return $this->error['transaction_code'] ?? null;
    }

    /** The X-Request-Id sent with the failed request. */
    public function getRequestId(): ?string
    {
        return $this->error['request_id'] ?? null;
    }
}
