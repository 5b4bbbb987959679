<?php
// CIP operations of a client: create, search, get, extend, delete, wait for a final status.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Handle;
use PagoEfectivo\Internal\Native;
use PagoEfectivo\Internal\Wire;

final class Cips
{
    /** @internal use Client::cips() */
    public function __construct(private readonly Handle $handle)
    {
    }

    /**
     * Validates every field (all problems in one ValidationException), then creates the CIP.
     * Keys: currency, amount (a decimal string or an int; a float is refused), transaction_code,
     * user_email, date_expiry (DateTimeInterface or wire string), payment_concept, additional_data,
     * admin_email, user_id, user_name, user_last_name, user_ubigeo, user_country, user_document_type,
     * user_document_number, user_phone, user_code_country. Never resent once it may have arrived:
     * see OutcomeUnknownException.
     */
    public function create(array $request): Cip
    {
        return new Cip(Native::clientCall($this->handle, 'cips.create', Wire::request($request)));
    }

    /** The same checks as create(), without sending. */
    public static function validate(array $request): void
    {
        Native::call('cip.validate_create', Wire::request($request));
    }

    public function get(int $cip): CipInfo
    {
        return new CipInfo(Native::clientCall($this->handle, 'cips.get', ['cip' => $cip]));
    }

    /**
     * @param list<int> $cips
     * @return list<CipInfo> unknown CIPs are absent
     */
    public function search(array $cips): array
    {
        $found = Native::clientCall($this->handle, 'cips.search', ['cips' => array_values($cips)]);
        return array_map(fn (array $c) => new CipInfo($c), $found);
    }

    /** Moves the expiry; an expired CIP becomes payable again. */
    public function extend(int $cip, \DateTimeInterface|string $dateExpiry): void
    {
        Native::clientCall($this->handle, 'cips.extend', ['cip' => $cip, 'dateExpiry' => Wire::timeArg($dateExpiry)]);
    }

    /** Cancels an unpaid CIP. */
    public function delete(int $cip): void
    {
        Native::clientCall($this->handle, 'cips.delete', ['cip' => $cip]);
    }

    /** Polls with back-off until paid, expired or deleted; WaitTimeoutException at the deadline. */
    public function waitForFinalStatus(
        int $cip,
        int $timeoutMs = 600_000,
        int $initialIntervalMs = 2_000,
        int $maxIntervalMs = 60_000
    ): CipInfo {
        return new CipInfo(Native::clientCall($this->handle, 'cips.wait_for_final_status', [
            'cip' => $cip, 'timeoutMs' => $timeoutMs,
            'initialIntervalMs' => $initialIntervalMs, 'maxIntervalMs' => $maxIntervalMs,
        ]));
    }
}
