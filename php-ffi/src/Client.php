<?php
// One merchant configuration: the core's client (token cache, connection pool) behind cips() and refunds().

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Handle;
use PagoEfectivo\Internal\Native;

final class Client
{
    private readonly Handle $handle;
    /** @var array<string, mixed> non-secret settings only: the secret key never lives in a PHP property */
    private readonly array $settings;
    private readonly Cips $cips;
    private readonly Refunds $refunds;

    /**
     * Options: access_key, secret_key, id_service (required); environment (`sandbox`, `production` or
     * a URL), base_url, connect_timeout_ms, request_timeout_ms, total_timeout_ms, max_attempts,
     * initial_backoff_ms, max_backoff_ms, language, user_agent, search_batch_size,
     * token_refresh_margin_ms, refund_window_days, refunds_path, reports_path, refund_audit_file.
     * An unknown option is a ConfigurationException.
     */
    public function __construct(#[\SensitiveParameter] array $options)
    {
        $out = Native::ffi()->new('PeClient*');
        $this->settings = Native::clientNew($options, $out);
        $this->handle = new Handle($out, 'pe_client_free');
        $this->cips = new Cips($this->handle);
        $this->refunds = new Refunds($this->handle);
    }

    /**
     * From `PAGOEFECTIVO_*` variables: the process environment, or the map you pass
     * (ACCESS_KEY, SECRET_KEY, SERVICE_ID, ENVIRONMENT, BASE_URL, *_TIMEOUT_MS, MAX_ATTEMPTS...).
     *
     * @param array<string, string>|null $env
     */
    public static function fromEnv(#[\SensitiveParameter] ?array $env = null): self
    {
        $env ??= array_filter(
            getenv(),
            fn (string $name) => str_starts_with($name, 'PAGOEFECTIVO_'),
            ARRAY_FILTER_USE_KEY
        );
        return new self(['env' => $env === [] ? new \stdClass() : $env]);
    }

    public function cips(): Cips
    {
        return $this->cips;
    }

    public function refunds(): Refunds
    {
        return $this->refunds;
    }

    /** @return array{baseUrl: string, idService: int, requestTimeoutMs: int, maxAttempts: int, ...} */
    public function settings(): array
    {
        return $this->settings;
    }

    public function __debugInfo(): array
    {
        return $this->settings + ['secretKey' => '[REDACTED]'];
    }

    public function __serialize(): array
    {
        throw new \LogicException('a PagoEfectivo\Client cannot be serialized; create one per process');
    }

    public function __clone()
    {
        throw new \LogicException('a PagoEfectivo\Client cannot be cloned; share the instance');
    }
}
