<?php
// The base of every error this SDK raises: the core's stable code and PagoEfectivo's own details, never a secret.

declare(strict_types=1);

namespace PagoEfectivo\Exception;

/**
 * One class per code of the core's error table (`errors.table`), nested by family: a code's class
 * is `StudlyCase(code without _error/_failed)Exception` (not_found: NotFoundException), and it
 * extends its family's class (ApiException for the api family; IdempotencyException for the
 * idempotency family, which has no code of its own) unless it is the family's own code. A code
 * added to the core later becomes its family's class until it gains its own.
 */
class PagoEfectivoException extends \RuntimeException
{
    /** @param array<string, mixed> $error the core's error (`{code, family, message, ...}`) */
    final public function __construct(private readonly array $error)
    {
        parent::__construct((string) ($error['message'] ?? $error['code'] ?? 'error'));
    }

    /** @param array<string, mixed> $error the `error` object of a C ABI reply */
    public static function fromError(array $error): self
    {
        $class = self::classFor((string) ($error['code'] ?? ''), (string) ($error['family'] ?? ''));
        return new $class($error);
    }

    /** @var array<string, ?string> family => its own code, from the core's table (read once, for unknown codes only) */
    private static ?array $familyCodes = null;

    /** @return class-string<self> the class of a code (its family's, for a code without a class yet) */
    public static function classFor(string $code, string $family = ''): string
    {
        $class = self::className(preg_replace('/_(error|failed)$/', '', $code));
        if ($class !== null && is_subclass_of($class, self::class)) {
            return $class;
        }
        if ($family === '') {
            return self::class;
        }
        $own = self::familyCodes()[$family] ?? null;
        if ($own !== null && $own !== $code) {
            return self::classFor($own);
        }
        $class = self::className($family);
        return $class !== null && is_subclass_of($class, self::class) ? $class : self::class;
    }

    /** @return array<string, ?string> */
    private static function familyCodes(): array
    {
        if (self::$familyCodes === null) {
            self::$familyCodes = [];
            try {
                foreach (\PagoEfectivo\Internal\Native::call('errors.table')['families'] as $f) {
                    self::$familyCodes[$f['name']] = $f['code'];
                }
            } catch (\Throwable) {
                // Without the table, the family's own class name is the guess.
            }
        }
        return self::$familyCodes;
    }

    private static function className(string $name): ?string
    {
        if ($name === '' || !preg_match('/^[a-z][a-z_]*$/', $name)) {
            return null;
        }
        return __NAMESPACE__ . '\\' . str_replace('_', '', ucwords($name, '_')) . 'Exception';
    }

    /** The stable code, e.g. `validation_error` (getCode() stays PHP's integer). */
    public function getErrorCode(): string
    {
        return (string) ($this->error['code'] ?? 'internal_error');
    }

    /** The code's family (`api` for `not_found`...), as in the core's error table. */
    public function getFamily(): string
    {
        return (string) ($this->error['family'] ?? '');
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

    /** The core's error as it crossed the boundary. @return array<string, mixed> */
    public function toArray(): array
    {
        return $this->error;
    }
}
