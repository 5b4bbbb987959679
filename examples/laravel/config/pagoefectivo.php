<?php
// PagoEfectivo settings from the environment; the package (its Rust core) validates every value when the client is made.

declare(strict_types=1);

return [
    // sandbox (the default) or production; base_url overrides the environment's address (tests: the local sandbox).
    'environment' => env('PAGOEFECTIVO_ENVIRONMENT', 'sandbox'),
    'base_url' => env('PAGOEFECTIVO_BASE_URL'),
    'access_key' => env('PAGOEFECTIVO_ACCESS_KEY'),
    'secret_key' => env('PAGOEFECTIVO_SECRET_KEY'),
    'service_id' => env('PAGOEFECTIVO_SERVICE_ID'),
    // Where notifications are deduplicated for every worker and server: postgres://... (a table
    // pagoefectivo_dedup, created if missing) or redis://...; by default the shop's own database.
    'dedup_url' => env('PAGOEFECTIVO_DEDUP_URL', env('DATABASE_URL')),
    // The queue connection and queue the notifications are processed on.
    'queue_connection' => env('PAGOEFECTIVO_QUEUE_CONNECTION', 'database'),
    'queue' => env('PAGOEFECTIVO_QUEUE', 'pagoefectivo'),
];
