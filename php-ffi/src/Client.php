<?php
// One merchant configuration: the core's client (token cache, connection pool) behind cips(), refunds() and the rest.

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
    private readonly Reports $reports;
    private readonly ClientReconciliation $reconciliation;

    /**
     * The core's options, snake_case or camelCase: access_key, secret_key, id_service (required);
     * environment (`sandbox`, `production` or a URL), base_url, connect_timeout_ms,
     * request_timeout_ms, total_timeout_ms, max_attempts, initial_backoff_ms, max_backoff_ms,
     * language, user_agent, search_batch_size, token_refresh_margin_ms, refund_window_days,
     * refunds_path, reports_path, max_response_bytes, proxy, no_proxy, ca_file, token_store,
     * refund_audit_file.
     * An unknown option is a ConfigurationException naming it.
     */
    public function __construct(#[\SensitiveParameter] array $options)
    {
        [$this->handle, $this->settings] = Native::open('pe_client_new', 'pe_client_call', 'pe_client_free', $options, 'config');
        $this->cips = new Cips($this->handle);
        $this->refunds = new Refunds($this->handle);
        $this->reports = new Reports($this->handle);
        $this->reconciliation = new ClientReconciliation($this->handle);
    }

    /**
     * From `PAGOEFECTIVO_*` variables: the process environment, or the map you pass
     * (ACCESS_KEY, SECRET_KEY, SERVICE_ID, ENVIRONMENT, BASE_URL, *_TIMEOUT_MS, MAX_ATTEMPTS,
     * REFUND_WINDOW_DAYS, REFUNDS_PATH, REPORTS_PATH, PROXY, NO_PROXY, CA_FILE, MAX_RESPONSE_BYTES, TOKEN_STORE).
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

    /** The settlement report (the SDK's extension endpoint), page by page. */
    public function reports(): Reports
    {
        return $this->reports;
    }

    /** Reconciliation against what this client fetches: the search sweep or the settlement report. */
    public function reconciliation(): ClientReconciliation
    {
        return $this->reconciliation;
    }

    /** Gets a token now (otherwise the first call does); AuthenticationException when refused. */
    public function authenticate(): void
    {
        $this->handle->call('authenticate');
    }

    /** @return array{environment: string, baseUrl: string, idService: int, requestTimeoutMs: int, maxAttempts: int, ...} */
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
