<?php
// One PagoEfectivo client and one deduplicator per process, built from config/pagoefectivo.php on first use.

declare(strict_types=1);

namespace App\Providers;

use Illuminate\Contracts\Foundation\Application;
use Illuminate\Support\ServiceProvider;
use PagoEfectivo\Client;
use PagoEfectivo\Deduplicator;

class PagoEfectivoServiceProvider extends ServiceProvider
{
    public function register(): void
    {
        // A client holds the token cache and the connection pool: one per process (a PHP-FPM child, a queue worker).
        $this->app->singleton(Client::class, static function (Application $app): Client {
            $config = $app['config']['pagoefectivo'];
            // Unset values are left out, so the core applies its defaults and names what is missing.
            return new Client(array_filter([
                'environment' => $config['environment'],
                'base_url' => $config['base_url'],
                'access_key' => $config['access_key'],
                'secret_key' => $config['secret_key'],
                'id_service' => $config['service_id'],
            ], static fn ($value) => $value !== null && $value !== ''));
        });
        // Shared by every worker and server through the database; each process connects on first use.
        $this->app->singleton(Deduplicator::class, static function (Application $app): Deduplicator {
            $url = $app['config']['pagoefectivo.dedup_url'];
            return $url ? Deduplicator::fromUrl($url) : Deduplicator::inMemory();
        });
    }
}
