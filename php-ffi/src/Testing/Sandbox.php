<?php
// The PagoEfectivo emulator in-process on 127.0.0.1, for the merchant's own tests: pay, expire, faults, deliveries.

declare(strict_types=1);

namespace PagoEfectivo\Testing;

use PagoEfectivo\Client;
use PagoEfectivo\Internal\Handle;
use PagoEfectivo\Internal\Native;

final class Sandbox
{
    private ?Handle $handle;
    /** @var array{baseUrl: string, idService: int, accessKey: string, secretKey: string} */
    private readonly array $info;

    /**
     * Options: token_lifetime_seconds, max_amount (decimal string), default_expiry_seconds,
     * webhook_retry_delay_ms, notification_url, first_cip, id_service, port (0: a free one).
     */
    public function __construct(array $options = [])
    {
        $out = Native::ffi()->new('PeSandbox*');
        $this->info = Native::take(Native::ffi()->pe_sandbox_start(Native::encode($options), \FFI::addr($out)));
        $this->handle = new Handle($out, 'pe_sandbox_free');
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

    /** The options of a client for this sandbox, with `overrides` applied. */
    public function clientOptions(array $overrides = []): array
    {
        return $overrides + [
            'base_url' => $this->baseUrl(), 'access_key' => $this->accessKey(),
            'secret_key' => $this->secretKey(), 'id_service' => $this->idService(),
        ];
    }

    public function client(array $overrides = []): Client
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
    public function pay(int $cip): array
    {
        return $this->call('pay', ['cip' => $cip]);
    }

    public function expire(int $cip): void
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
        return $this->call('now', null);
    }

    /** The sandbox's record of a CIP, or null. */
    public function cip(int $cip): ?array
    {
        return $this->call('cip', ['cip' => $cip]);
    }

    /** Arms a fault: ['endpoint' => 'cips_create', 'kind' => 'drop', 'times' => 1] (sandbox/README.md). */
    public function addFault(array $fault): void
    {
        $this->call('fault', $fault);
    }

    public function clearFaults(): void
    {
        $this->call('clear_faults', null);
    }

    public function requestCount(string $endpoint): int
    {
        return $this->call('request_count', ['endpoint' => $endpoint]);
    }

    /** Notifications sent, waiting up to `timeoutMs` for at least `count`: ['eventType', 'url', 'body', 'signature', 'statuses']. */
    public function deliveries(int $count = 0, int $timeoutMs = 5_000): array
    {
        return $this->call('deliveries', ['count' => $count, 'timeoutMs' => $timeoutMs]);
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
        return $this->call('refunds', null);
    }

    /** Stops the server (also done when the object is released). */
    public function close(): void
    {
        $this->handle = null;
    }

    private function call(string $op, mixed $args): mixed
    {
        if ($this->handle === null) {
            throw new \LogicException('the sandbox was closed');
        }
        return Native::take(Native::ffi()->pe_sandbox_call($this->handle->ptr, $op, Native::encode($args)));
    }
}
