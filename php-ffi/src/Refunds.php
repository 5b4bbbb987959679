<?php
// Refund operations of a client: create (idempotent by merchant_refund_id), get, list, eligibility, wait.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Handle;
use PagoEfectivo\Internal\Native;

final class Refunds
{
    /** @internal use Client::refunds() */
    public function __construct(private readonly Handle $handle)
    {
    }

    /**
     * Checks the format (every field at once), then the rules (CIP paid, currency, window, amount),
     * then creates. Keys (snake_case or camelCase): cip, amount (decimal string), currency, reason,
     * merchant_refund_id, destination (['type' => 'bank_account', 'cci' => ...] or
     * ['type' => 'ewallet', 'phone' => ...]), beneficiary (['document_type' => 'DNI',
     * 'document_number' => ..., 'name' => ...]), refund_window_days, requested_by (audit only).
     */
    public function create(array $request): Refund
    {
        return new Refund($this->handle->call('refunds.create', $request));
    }

    /** The format checks of create(), without sending. */
    public static function validate(array $request): void
    {
        Native::call('refund.validate', $request);
    }

    public function get(string $refundId): Refund
    {
        return new Refund($this->handle->call('refunds.get', ['refundId' => $refundId]));
    }

    /** @return list<Refund> the CIP's refunds, oldest first */
    public function list(int|string|float $cip): array
    {
        return array_map(fn (array $r) => new Refund($r), $this->handle->call('refunds.list', ['cip' => $cip]));
    }

    public function eligibility(int|string|float $cip, int|float|null $refundWindowDays = null): RefundEligibility
    {
        return new RefundEligibility($this->handle->call(
            'refunds.eligibility',
            ['cip' => $cip, 'refundWindowDays' => $refundWindowDays]
        ));
    }

    /** Polls until refunded or rejected; WaitTimeoutException at the deadline. */
    public function waitForFinalStatus(
        string $refundId,
        int|float $timeoutMs = 600_000,
        int|float $initialIntervalMs = 2_000,
        int|float $maxIntervalMs = 60_000
    ): Refund {
        return new Refund($this->handle->call('refunds.wait_for_final_status', [
            'refundId' => $refundId, 'timeoutMs' => $timeoutMs,
            'initialIntervalMs' => $initialIntervalMs, 'maxIntervalMs' => $maxIntervalMs,
        ]));
    }
}
