<?php
// The PagoEfectivo emulator in-process on 127.0.0.1, for the merchant's own tests: pay, expire, faults, deliveries.

declare(strict_types=1);

namespace PagoEfectivo\Testing;

use PagoEfectivo\Client;
use PagoEfectivo\Internal\Handle;
use PagoEfectivo\Internal\Native;

/**
 * Needs the testing build of the library (the default `cargo build -p pagoefectivo-c`); the lean
 * production build (`--no-default-features`) answers ConfigurationException.
 */
final class Sandbox
{
    private ?Handle $handle;
    /** @var array{baseUrl: string, idService: int, accessKey: string, secretKey: string} */
    private readonly array $info;

    /**
     * Options (snake_case or camelCase): token_lifetime_seconds, max_amount (decimal string),
     * default_expiry_seconds, webhook_retry_delay_ms, notification_url, first_cip, id_service,
     * port (0: a free one). An unknown option is a ValidationException naming it.
     */
    public function __construct(array $options = [])
    {
        [$this->handle, $this->info] = Native::open('pe_sandbox_start', 'pe_sandbox_call', 'pe_sandbox_free', $options, 'options');
    }

    /** `http://127.0.0.1:PORT/v1/`: what a client's base_url should be. */
    public function baseUrl(): string
    {
        return $this->info['baseUrl'];
    }

    public function idService(): int
    {
        return $this->info['idService'];
    }

    public function accessKey(): string
    {
        return $this->info['accessKey'];
    }

    /** The demo service's secret key (a test credential). */
    public function secretKey(): string
    {
        return $this->info['secretKey'];
    }

    /** The options of a client for this sandbox, `overrides` (any casing) taking precedence. */
    public function clientOptions(#[\SensitiveParameter] array $overrides = []): array
    {
        $options = [
            'base_url' => $this->baseUrl(), 'access_key' => $this->accessKey(),
            'secret_key' => $this->secretKey(), 'id_service' => $this->idService(),
        ];
        $plain = fn (string $k) => strtolower(str_replace('_', '', $k));
        foreach ($overrides as $key => $value) {
            foreach (array_keys($options) as $own) {
                if ($plain($own) === $plain((string) $key)) {
                    unset($options[$own]);
                }
            }
            $options[$key] = $value;
        }
        return $options;
    }

    public function client(#[\SensitiveParameter] array $overrides = []): Client
    {
        return new Client($this->clientOptions($overrides));
    }

    /** `PAGOEFECTIVO_*` variables for Client::fromEnv(). */
    public function env(): array
    {
        return [
            'PAGOEFECTIVO_BASE_URL' => $this->baseUrl(), 'PAGOEFECTIVO_ACCESS_KEY' => $this->accessKey(),
            'PAGOEFECTIVO_SECRET_KEY' => $this->secretKey(), 'PAGOEFECTIVO_SERVICE_ID' => (string) $this->idService(),
        ];
    }

    /** Pays a CIP (the signed cip.paid is POSTed to the notification URL): ['cip', 'operationNumber', 'datePayment']. */
    public function pay(int|string $cip): array
    {
        return $this->call('pay', ['cip' => $cip]);
    }

    public function expire(int|string $cip): void
    {
        $this->call('expire', ['cip' => $cip]);
    }

    /** Moves the sandbox's clock; returns its new time. */
    public function advanceClock(int $seconds): string
    {
        return $this->call('advance_clock', ['seconds' => $seconds]);
    }

    public function now(): string
    {
        return $this->call('now');
    }

    /** The sandbox's record of a CIP, or null. */
    public function cip(int|string $cip): ?array
    {
        return $this->call('cip', ['cip' => $cip]);
    }

    /** Every CIP the sandbox holds. */
    public function cips(): array
    {
        return $this->call('cips');
    }

    /** Arms a fault: ['endpoint' => 'cips_create', 'kind' => 'drop', 'times' => 1] (sandbox/README.md). */
    public function addFault(array $fault): void
    {
        $this->call('fault', $fault);
    }

    /** The faults still armed. */
    public function faults(): array
    {
        return $this->call('faults');
    }

    public function clearFaults(): void
    {
        $this->call('clear_faults');
    }

    public function requestCount(string $endpoint = 'any'): int
    {
        return $this->call('request_count', ['endpoint' => $endpoint]);
    }

    /**
     * Notifications sent, waiting up to `timeoutMs` for at least `count`:
     * ['eventType', 'url', 'body', 'signature', 'statuses', 'errors'].
     */
    public function deliveries(int $count = 0, int $timeoutMs = 5_000): array
    {
        return $this->call('deliveries', ['count' => $count, 'timeoutMs' => $timeoutMs]);
    }

    public function notificationUrl(): ?string
    {
        return $this->call('notification_url');
    }

    public function setNotificationUrl(?string $url): void
    {
        $this->call('set_notification_url', ['url' => $url]);
    }

    /** Moves a refund to `processing`, `refunded` or `rejected` and sends the signed notification. */
    public function advanceRefund(string $refundId, string $to, ?string $reasonCode = null): array
    {
        return $this->call('refund', ['refundId' => $refundId, 'to' => $to, 'reasonCode' => $reasonCode]);
    }

    /** Every refund the sandbox holds, oldest first. */
    public function refunds(): array
    {
        return $this->call('refunds');
    }

    public function refundCount(): int
    {
        return $this->call('refund_count');
    }

    /** Stops the server (also done when the object is released). */
    public function close(): void
    {
        $this->handle = null;
    }

    /** A control operation by name (pagoefectivo_testing::CONTROL_OPS). */
    public function call(string $op, mixed $args = null): mixed
    {
        if ($this->handle === null) {
            throw new \LogicException('the sandbox was closed');
        }
        return $this->handle->call($op, $args);
    }
}
