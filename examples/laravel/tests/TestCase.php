<?php
// The app booted through its own bootstrap/app.php, fresh tables per test, and a sandbox the client is pointed at.

declare(strict_types=1);

namespace Tests;

use Illuminate\Contracts\Console\Kernel;
use Illuminate\Foundation\Testing\DatabaseMigrations;
use Illuminate\Foundation\Testing\TestCase as BaseTestCase;
use PagoEfectivo\Testing\Sandbox;

abstract class TestCase extends BaseTestCase
{
    // migrate:fresh before each test: the shop's tables and the deduplicator's pagoefectivo_dedup start empty.
    use DatabaseMigrations;

    /** Artisan calls return their exit code (mocking console output needs Mockery, which Debian's Laravel lacks). */
    public $mockConsoleOutput = false;

    protected Sandbox $sandbox;

    public function createApplication()
    {
        $app = require __DIR__ . '/../bootstrap/app.php';
        $app->make(Kernel::class)->bootstrap();
        return $app;
    }

    protected function setUp(): void
    {
        if (!getenv('DATABASE_URL')) {
            $this->fail('DATABASE_URL is not set: run scripts/test-laravel.sh');
        }
        parent::setUp();
        $this->sandbox = new Sandbox();
        config([
            'pagoefectivo.environment' => 'sandbox',
            'pagoefectivo.base_url' => $this->sandbox->baseUrl(),
            'pagoefectivo.access_key' => $this->sandbox->accessKey(),
            'pagoefectivo.secret_key' => $this->sandbox->secretKey(),
            'pagoefectivo.service_id' => $this->sandbox->idService(),
        ]);
    }

    protected function tearDown(): void
    {
        parent::tearDown();
        $this->sandbox->close();
    }

    /** Runs the queue worker until the notification queue is empty, as `php artisan queue:work` would. */
    protected function work(): void
    {
        $status = $this->app->make(Kernel::class)->call('queue:work', [
            'connection' => 'database', '--queue' => config('pagoefectivo.queue'), '--stop-when-empty' => true, '--sleep' => 0,
        ]);
        $this->assertSame(0, $status);
    }
}
