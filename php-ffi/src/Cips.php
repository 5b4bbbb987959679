<?php
// CIP operations of a client: create, search, get, extend, delete, wait for a final status.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Handle;
use PagoEfectivo\Internal\Native;
use PagoEfectivo\Internal\Wire;

/**
 * CIP numbers are ints (or digit strings) of 1 to 14 digits; numbers and times are read by the
 * core, so a float, a bad string or a time without an offset is a ValidationException naming the
 * field, with every other problem of the same call.
 */
final class Cips
{
    /** @internal use Client::cips() */
    public function __construct(private readonly Handle $handle)
    {
    }

    /**
     * Validates every field (all problems in one ValidationException), then creates the CIP.
     * Keys (snake_case or camelCase): currency, amount (a decimal string or an int; a float is
     * refused), transaction_code, user_email, date_expiry (DateTimeInterface or a string with an
     * offset), payment_concept, additional_data, admin_email, user_id, user_name, user_last_name,
     * user_ubigeo, user_country, user_document_type, user_document_number, user_phone,
     * user_code_country. An unknown key is refused, named. Never resent once it may have arrived:
     * see OutcomeUnknownException.
     */
    public function create(array $request): Cip
    {
        return new Cip($this->handle->call('cips.create', Wire::request($request)));
    }

    /** The same checks as create(), without sending. */
    public static function validate(array $request): void
    {
        Native::call('cip.validate_create', Wire::request($request));
    }

    public function get(int|string|float $cip): CipInfo
    {
        return new CipInfo($this->handle->call('cips.get', ['cip' => $cip]));
    }

    /**
     * @param list<int|string> $cips
     * @return list<CipInfo> unknown CIPs are absent
     */
    public function search(array $cips): array
    {
        $found = $this->handle->call('cips.search', ['cips' => array_values($cips)]);
        return array_map(fn (array $c) => new CipInfo($c), $found);
    }

    /** Moves the expiry; an expired CIP becomes payable again. */
    public function extend(int|string|float $cip, \DateTimeInterface|string $dateExpiry): void
    {
        $this->handle->call('cips.extend', ['cip' => $cip, 'dateExpiry' => Wire::timeArg($dateExpiry)]);
    }

    /** Cancels an unpaid CIP (a retry that finds it already deleted is a success). */
    public function delete(int|string|float $cip): void
    {
        $this->handle->call('cips.delete', ['cip' => $cip]);
    }

    /** Polls with back-off until paid, expired or deleted; WaitTimeoutException at the deadline. */
    public function waitForFinalStatus(
        int|string|float $cip,
        int|float $timeoutMs = 600_000,
        int|float $initialIntervalMs = 2_000,
        int|float $maxIntervalMs = 60_000
    ): CipInfo {
        return new CipInfo($this->handle->call('cips.wait_for_final_status', [
            'cip' => $cip, 'timeoutMs' => $timeoutMs,
            'initialIntervalMs' => $initialIntervalMs, 'maxIntervalMs' => $maxIntervalMs,
        ]));
    }
}
