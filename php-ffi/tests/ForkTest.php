<?php
// Issue 9 #1: PHP-FPM forks workers from a parent whose client may be mid token refresh or mid request; no child hangs.

declare(strict_types=1);

namespace PagoEfectivo\Tests;

use PagoEfectivo\Exception\PagoEfectivoException;
use PagoEfectivo\Testing\Sandbox;
use PHPUnit\Framework\TestCase;

/**
 * Not run under valgrind (scripts/valgrind-php.sh): forked children exit without freeing.
 *
 * @group fork
 */
final class ForkTest extends TestCase
{
    private const FORKS = 14;
    /** A child that has not finished by then is hung: it is killed and the test fails. */
    private const CHILD_SECONDS = 20;

    /**
     * Each round the parent's call is cut off by its deadline while the sandbox (on the parent's
     * runtime threads) still holds the request: a token refresh on even rounds, a search on odd
     * ones. The parent forks right then, and the child uses the very same client.
     */
    public function testChildrenForkedMidRefreshOrMidRequestNeverHang(): void
    {
        if (!function_exists('pcntl_fork')) {
            $this->markTestSkipped('pcntl is not available');
        }
        $sb = new Sandbox(['token_lifetime_seconds' => 1]);
        $client = $sb->client(['total_timeout_ms' => 300, 'request_timeout_ms' => 300, 'max_attempts' => 2,
            'initial_backoff_ms' => 5, 'max_backoff_ms' => 20]);
        $cip = $client->cips()->create(['currency' => 'PEN', 'amount' => '10.00', 'transaction_code' => 'ORD-FORK',
            'user_email' => 'ana@example.pe'])->cip;
        $dir = sys_get_temp_dir() . '/pe-fork-' . getmypid();
        @mkdir($dir);
        $children = [];
        $cutOff = 0;
        for ($round = 0; $round < self::FORKS; $round++) {
            $refresh = $round % 2 === 0;
            if ($refresh) {
                usleep(520_000); // past the 1 s token's refresh point: the next call must refresh
            }
            $endpoint = $refresh ? 'authorizations' : 'cips_search';
            $sb->addFault(['endpoint' => $endpoint, 'kind' => 'latency', 'ms' => 3000, 'times' => 1]);
            try {
                $client->cips()->get($cip);
            } catch (PagoEfectivoException $e) {
                $cutOff++;
            }
            // A fault the parent's request did not reach in time must not slow the child down.
            $sb->clearFaults();
            $pid = pcntl_fork();
            $this->assertNotSame(-1, $pid, 'fork failed');
            if ($pid === 0) {
                self::child($client, $cip, "{$dir}/{$round}");
            }
            $children[$pid] = $round;
        }
        $this->assertGreaterThan(self::FORKS / 2, $cutOff, 'the parent was cut off mid-call before the forks');

        $deadline = microtime(true) + self::CHILD_SECONDS;
        $results = [];
        while ($children !== [] && microtime(true) < $deadline) {
            foreach ($children as $pid => $round) {
                if (pcntl_waitpid($pid, $status, WNOHANG) === $pid) {
                    $ok = pcntl_wifsignaled($status) && pcntl_wtermsig($status) === SIGUSR1;
                    $results[$round] = $ok ? 'ok' : (@file_get_contents("{$dir}/{$round}") ?: 'died');
                    unset($children[$pid]);
                }
            }
            usleep(20_000);
        }
        foreach ($children as $pid => $round) {
            posix_kill($pid, SIGKILL);
            pcntl_waitpid($pid, $status);
            $results[$round] = 'HUNG';
        }
        array_map('unlink', glob("{$dir}/*") ?: []);
        @rmdir($dir);
        ksort($results);
        $this->assertSame(array_fill(0, self::FORKS, 'ok'), $results, 'children that hung or failed');
    }

    /** In the child: one call on the parent's client, then leave at once (no PHP shutdown, no destructors). */
    private static function child(\PagoEfectivo\Client $client, int $cip, string $report): never
    {
        // A 300 ms deadline can pass on a loaded machine: a few tries, each with its own deadline. A lock
        // inherited in a held state would fail every one of them (or hang, and be killed).
        $ok = false;
        $errors = [];
        for ($try = 0; $try < 5 && !$ok; $try++) {
            try {
                $ok = $client->cips()->get($cip)->cip === $cip;
            } catch (\Throwable $e) {
                $errors[] = get_class($e) . ': ' . $e->getMessage();
            }
        }
        if (!$ok) {
            file_put_contents($report, implode("\n", $errors) ?: 'wrong CIP');
        }
        posix_kill(posix_getpid(), $ok ? SIGUSR1 : SIGUSR2);
        exit(1);
    }
}
