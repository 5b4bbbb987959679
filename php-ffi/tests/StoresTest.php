<?php
// Issue 13, many servers: Deduplicator::fromUrl on real PostgreSQL and Redis (PAGOEFECTIVO_TEST_POSTGRES_URL /
// _REDIS_URL, started by scripts/test-php.sh) across php-cli processes, as PHP-FPM children are.
//
// Workers are tests/dedup_worker.php run by proc_open; each writes what it processed to a file of its own, so the
// counting does not trust the store under test.

declare(strict_types=1);

namespace PagoEfectivo\Tests;

use PagoEfectivo\Deduplicator;
use PagoEfectivo\Event;
use PagoEfectivo\Exception\ConnectionException;
use PagoEfectivo\Webhook;
use PHPUnit\Framework\TestCase;

final class StoresTest extends TestCase
{
    private const VARS = ['postgres' => 'PAGOEFECTIVO_TEST_POSTGRES_URL', 'redis' => 'PAGOEFECTIVO_TEST_REDIS_URL'];
    private const SECRET = 'stores-test-secret';
    /** A worker that has not finished by then is hung: it is killed and the test fails. */
    private const WORKER_SECONDS = 60;

    /** @var list<array{0: resource, 1: array}> processes to kill if a test leaves them */
    private array $procs = [];
    /** @var list<string> files and directories to remove after the test */
    private array $paths = [];

    public static function stores(): array
    {
        return ['PostgreSQL' => ['postgres'], 'Redis' => ['redis']];
    }

    /** The store's URL; without it the test is skipped, or fails when CI is set (CI always has both servers). */
    private function url(string $store): string
    {
        $var = self::VARS[$store];
        $url = getenv($var);
        if ($url === false || $url === '') {
            if (getenv('CI') !== false) {
                $this->fail("{$var} is not set: CI must run the store tests against PostgreSQL and Redis");
            }
            $this->markTestSkipped("{$var} is not set (scripts/test-php.sh starts the servers)");
        }
        return $url;
    }

    private static function runId(): string
    {
        return getmypid() . bin2hex(random_bytes(4));
    }

    private static function event(string $run, int $n, string $amount = '10.00'): Event
    {
        $body = sprintf(
            '{"eventType":"cip.paid","operationNumber":"%s-%d","data":{"cip":"%d","currency":"PEN","amount":%s}}',
            $run,
            $n,
            1000 + $n,
            $amount
        );
        return Webhook::constructEvent($body, Webhook::sign($body, self::SECRET), self::SECRET);
    }

    /** @return array{0: resource, 1: array} a worker (tests/dedup_worker.php) with its stdout and stderr piped */
    private function spawn(string ...$args): array
    {
        $cmd = array_merge([PHP_BINARY, __DIR__ . '/dedup_worker.php'], $args);
        $proc = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        $this->assertIsResource($proc);
        $this->procs[] = [$proc, $pipes];
        return [$proc, $pipes];
    }

    /** The worker's next stdout line, within the worker deadline. */
    private function line(array $worker): string
    {
        [$proc, $pipes] = $worker;
        $read = [$pipes[1]];
        $write = $except = null;
        $ready = stream_select($read, $write, $except, self::WORKER_SECONDS);
        $line = $ready ? fgets($pipes[1]) : false;
        if (!is_string($line)) {
            // Its stderr only now: reading it from a live worker would wait for the worker's end.
            proc_terminate($proc, SIGKILL);
            $this->fail('a worker said nothing: ' . stream_get_contents($pipes[2]));
        }
        return trim($line);
    }

    /** Waits for the worker to exit; its exit status and stderr. @return array{0: int, 1: string} */
    private function finish(array $worker): array
    {
        [$proc, $pipes] = $worker;
        $deadline = microtime(true) + self::WORKER_SECONDS;
        // Only the first proc_get_status() after the exit has the exit code: keep that one.
        while (($status = proc_get_status($proc))['running'] && microtime(true) < $deadline) {
            usleep(20_000);
        }
        if ($status['running']) {
            proc_terminate($proc, SIGKILL);
        }
        $err = isset($pipes[2]) ? stream_get_contents($pipes[2]) : '';
        proc_close($proc);
        $this->procs = array_values(array_filter($this->procs, fn (array $p) => $p[0] !== $proc));
        return [$status['running'] ? -1 : $status['exitcode'], $err];
    }

    /** Kills a process started here and its children (php -S forks its workers, and leaves them when it is killed). */
    private static function kill(mixed $proc): void
    {
        if (!is_resource($proc)) {
            return;
        }
        $pid = proc_get_status($proc)['pid'];
        $children = @file_get_contents("/proc/{$pid}/task/{$pid}/children") ?: '';
        foreach (array_filter(explode(' ', trim($children))) as $child) {
            posix_kill((int) $child, SIGKILL);
        }
        proc_terminate($proc, SIGKILL);
    }

    protected function tearDown(): void
    {
        foreach ($this->procs as [$proc]) {
            if (is_resource($proc)) {
                self::kill($proc);
                proc_close($proc);
            }
        }
        $this->procs = [];
        foreach ($this->paths as $path) {
            if (is_dir($path)) {
                array_map('unlink', glob("{$path}/*") ?: []);
                rmdir($path);
            } elseif (is_file($path)) {
                unlink($path);
            }
        }
        $this->paths = [];
    }

    public function testTheServersAreThereInCi(): void
    {
        if (getenv('CI') === false) {
            $this->assertTrue(true);
            return;
        }
        foreach (self::VARS as $var) {
            $this->assertNotEmpty(getenv($var), "CI must run the store tests against PostgreSQL and Redis ({$var})");
        }
    }

    /** @dataProvider stores */
    public function testTheLeaseContractOnTheStore(string $store): void
    {
        $url = $this->url($store);
        $run = self::runId();
        [$e, $forged] = [self::event($run, 1), self::event($run, 1, '99.00')];
        $d = Deduplicator::fromUrl($url, null, 300);
        $this->assertSame('started', $d->begin($e));
        $this->assertSame('in_progress', $d->begin($e));
        $this->assertSame('conflict', $d->begin($forged));
        usleep(400_000);
        $this->assertSame('started', $d->begin($e), 'an expired lease lets the next one in');
        $d->fail($e);
        $this->assertSame('started', $d->begin($e), 'fail releases the lease');
        $d->complete($e);
        $this->assertSame('duplicate', $d->begin($e));
        $d->fail($e);
        $this->assertSame('duplicate', $d->begin($e), 'fail does not undo completion');
        $this->assertFalse($d->firstDelivery($e));
        $d->forget($e);
        $this->assertTrue($d->firstDelivery($e), 'forget lets the redelivery in');
        $short = Deduplicator::fromUrl($url, 300);
        $e2 = self::event($run, 2);
        $this->assertTrue($short->firstDelivery($e2));
        $this->assertFalse($short->firstDelivery($e2));
        usleep(400_000);
        $this->assertTrue($short->firstDelivery($e2), 'a completed key is forgotten after its ttl');
    }

    /** @dataProvider stores */
    public function testFourProcessesProcessEachOf100EventsExactlyOnce(string $store): void
    {
        $url = $this->url($store);
        $run = self::runId();
        $dir = sys_get_temp_dir() . "/pe-dedup-{$run}";
        mkdir($dir);
        $this->paths[] = $dir;
        $workers = [];
        foreach (range(0, 3) as $i) {
            $workers[$i] = $this->spawn('deliveries', $url, $run, "{$dir}/worker-{$i}.txt");
        }
        // Every worker starts at the same moment: once all four have loaded PHP, the library and their store.
        foreach ($workers as $w) {
            $this->assertSame('ready', $this->line($w));
        }
        foreach ($workers as [, $pipes]) {
            fwrite($pipes[0], "go\n");
            fflush($pipes[0]);
        }
        $answers = [];
        foreach ($workers as $i => $w) {
            $answers[$i] = json_decode($this->line($w), true);
            [$status, $err] = $this->finish($w);
            $this->assertSame(0, $status, "worker {$i} failed: {$err}");
        }
        $processed = [];
        $perWorker = [];
        foreach (range(0, 3) as $i) {
            $lines = file("{$dir}/worker-{$i}.txt", FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES);
            $perWorker[$i] = count($lines);
            array_push($processed, ...$lines);
        }
        $this->assertCount(100, $processed, 'processed in all: ' . json_encode($perWorker));
        $this->assertCount(100, array_unique($processed), 'each event exactly once');
        $want = array_map(fn (int $n) => "cip.paid:{$run}-{$n}:" . (1000 + $n), range(0, 99));
        sort($want);
        sort($processed);
        $this->assertSame($want, $processed, 'the 100 events, each once');
        // The 1,200 deliveries really raced: every one was a duplicate but the 100 that started.
        $this->assertSame(100, array_sum(array_column($answers, 'started')));
        $this->assertSame(1100, array_sum(array_column($answers, 'duplicate')));
        $this->assertSame(0, array_sum(array_column($answers, 'conflict')));
        $this->assertGreaterThan(1, count(array_filter($perWorker)), 'more than one worker processed events');
    }

    /** @dataProvider stores */
    public function testAWorkerKilledMidProcessingLeavesItsEventToTheNext(string $store): void
    {
        $url = $this->url($store);
        $run = self::runId();
        $out = $this->paths[] = sys_get_temp_dir() . "/pe-take-{$run}.txt";
        $held = $this->spawn('hold', $url, $run, '2500');
        $this->assertSame('started', $this->line($held), 'the worker took the lease');
        $killedAt = microtime(true);
        proc_terminate($held[0], SIGKILL);
        $this->finish($held);
        // The dead worker's lease still runs: the next worker is told in_progress (and answers non-200).
        $next = $this->spawn('take', $url, $run, $out);
        $this->assertSame('in_progress', $this->line($next));
        $this->assertSame(0, $this->finish($next)[0]);
        $this->assertLessThan(2.5, microtime(true) - $killedAt, 'the first retry came within the lease');
        usleep((int) (max(0.0, $killedAt + 2.6 - microtime(true)) * 1e6));
        // After the lease, the redelivery is processed by the next worker...
        $next = $this->spawn('take', $url, $run, $out);
        $this->assertSame('started', $this->line($next), 'nothing lost');
        $this->assertSame(0, $this->finish($next)[0]);
        // ...once: it completed, and later deliveries are duplicates.
        $next = $this->spawn('take', $url, $run, $out);
        $this->assertSame('duplicate', $this->line($next), 'nothing done twice');
        $this->finish($next);
        $this->assertSame(['cip.paid:' . $run . '-0:1000'], file($out, FILE_IGNORE_NEW_LINES));
        $this->assertSame('duplicate', Deduplicator::fromUrl($url)->begin(self::event($run, 0)));
    }

    /** @dataProvider stores */
    public function testAStoreThatGoesAwayIsATypedErrorAndNothingIsMarkedDone(string $store): void
    {
        $url = $this->url($store);
        $run = self::runId();
        $parts = parse_url($url);
        $server = "{$parts['host']}:{$parts['port']}";
        $relay = $this->spawn('relay', $server);
        $port = $this->line($relay);
        $through = preg_replace('#(//|@)' . preg_quote($server, '#') . '#', "\${1}127.0.0.1:{$port}", $url, 1);
        // PostgreSQL (trust authentication) ignores a password: the URL can carry one that must never be shown.
        $password = 'pw-Zq8-never-shown';
        if ($store === 'postgres') {
            $through = preg_replace('#^(postgres(?:ql)?://[^:@/]+)@#', "\$1:{$password}@", $through);
            $this->assertStringContainsString($password, $through);
        }
        $this->assertStringContainsString(":{$port}", $through);
        $d = Deduplicator::fromUrl($through, null, 500);
        $e = self::event($run, 0, '7.00');
        $this->assertSame('started', $d->begin($e));
        // The store goes away: the relay dies, its port is closed.
        proc_terminate($relay[0], SIGKILL);
        $this->finish($relay);
        usleep(100_000);
        try {
            $d->complete($e);
            $this->fail('complete succeeded on a store that is gone');
        } catch (ConnectionException $x) {
            $this->assertSame('connection_error', $x->getErrorCode());
            $this->assertSame('store_unavailable', $x->getReason());
            $this->assertTrue($x->isRetryable());
            $this->assertStringContainsString('non-200', (string) $x->getHint());
            $shown = $x->getMessage() . $x->getHint() . json_encode($x->toArray()) . print_r($x, true) . (string) $x;
            $this->assertStringNotContainsString($password, $shown);
            $this->assertStringNotContainsString($through, $shown);
        }
        // Still gone: the next delivery is refused the same way, never taken.
        try {
            $d->begin($e);
            $this->fail('begin succeeded on a store that is gone');
        } catch (ConnectionException $x) {
            $this->assertSame('store_unavailable', $x->getReason());
        }
        ob_start();
        var_dump($d);
        $dump = ob_get_clean() . print_r($d, true) . var_export($d, true);
        $this->assertStringNotContainsString($password, $dump);
        $this->assertStringNotContainsString($port, $dump);
        // Nothing was marked done: once the lease runs out, the redelivery is processed.
        usleep(600_000);
        $direct = Deduplicator::fromUrl($url);
        $this->assertSame('started', $direct->begin($e), 'the event was not marked done');
        $direct->complete($e);
        $this->assertSame('duplicate', $direct->begin($e));
    }

    /**
     * PHP-FPM forks its children from a parent that may have used the store already: each child connects for itself.
     *
     * @group fork
     */
    public function testADeduplicatorUsedBeforeAForkWorksInTheChildren(): void
    {
        if (!function_exists('pcntl_fork')) {
            $this->markTestSkipped('pcntl is not available');
        }
        $url = $this->url('postgres');
        $run = self::runId();
        $d = Deduplicator::fromUrl($url);
        $this->assertSame('started', $d->begin(self::event($run, 0)));
        $children = [];
        foreach ([1, 2, 3] as $n) {
            $pid = pcntl_fork();
            $this->assertNotSame(-1, $pid, 'fork failed');
            if ($pid === 0) {
                $ok = false;
                try {
                    $e = self::event($run, $n);
                    $ok = $d->begin($e) === 'started' && $d->begin(self::event($run, 0)) === 'in_progress';
                    $d->complete($e);
                    $ok = $ok && $d->begin($e) === 'duplicate';
                } catch (\Throwable) {
                }
                // Leave at once: no PHPUnit shutdown in the child.
                posix_kill(posix_getpid(), $ok ? SIGUSR1 : SIGUSR2);
                exit(1);
            }
            $children[$pid] = $n;
        }
        $deadline = microtime(true) + self::WORKER_SECONDS;
        $results = [];
        while ($children !== [] && microtime(true) < $deadline) {
            foreach ($children as $pid => $n) {
                if (pcntl_waitpid($pid, $status, WNOHANG) === $pid) {
                    $results[$n] = pcntl_wifsignaled($status) && pcntl_wtermsig($status) === SIGUSR1 ? 'ok' : 'failed';
                    unset($children[$pid]);
                }
            }
            usleep(20_000);
        }
        foreach ($children as $pid => $n) {
            posix_kill($pid, SIGKILL);
            pcntl_waitpid($pid, $status);
            $results[$n] = 'HUNG';
        }
        ksort($results);
        $this->assertSame([1 => 'ok', 2 => 'ok', 3 => 'ok'], $results);
        // And the parent's own deduplicator still works after its children used it.
        foreach ([1, 2, 3] as $n) {
            $this->assertSame('duplicate', $d->begin(self::event($run, $n)));
        }
        $d->complete(self::event($run, 0));
    }

    /** A free loopback port (closed again, for a server to bind). */
    private static function freePort(): int
    {
        $s = stream_socket_server('tcp://127.0.0.1:0');
        $port = (int) parse_url('tcp://' . stream_socket_get_name($s, false), PHP_URL_PORT);
        fclose($s);
        return $port;
    }

    /** `php -S` with four workers running the README's "Many servers" handler verbatim. @return array{0: array, 1: int} */
    private function handlerServer(string $dedupUrl, string $processed): array
    {
        $dir = sys_get_temp_dir() . '/pe-readme-' . self::runId();
        mkdir($dir);
        file_put_contents("{$dir}/handler.php", ReadmeTest::block(dirname(__DIR__) . '/README.md', 'Many servers'));
        // What the README leaves to the shop: the package loaded, and handle_payment() (slow, to make deliveries overlap).
        file_put_contents("{$dir}/prepend.php", '<?php require ' . var_export(dirname(__DIR__) . '/autoload.php', true) . ";\n"
            . "function handle_payment(PagoEfectivo\\Event \$e): void {\n"
            . "    usleep(500000);\n"
            . "    file_put_contents(getenv('PE_TEST_PROCESSED'), \$e->dedupKey() . ' ' . getmypid() . \"\\n\", FILE_APPEND | LOCK_EX);\n"
            . "}\n");
        $port = self::freePort();
        $env = [
            'PAGOEFECTIVO_LIB' => getenv('PAGOEFECTIVO_LIB'), 'PATH' => getenv('PATH'),
            'PAGOEFECTIVO_DEDUP_URL' => $dedupUrl, 'PAGOEFECTIVO_SECRET_KEY' => self::SECRET,
            'PE_TEST_PROCESSED' => $processed, 'PHP_CLI_SERVER_WORKERS' => '4',
        ];
        // php -S runs its router without auto_prepend_file: the router loads the shop's part, then the handler.
        file_put_contents("{$dir}/router.php", "<?php\nrequire __DIR__ . '/prepend.php';\nrequire __DIR__ . '/handler.php';\n");
        // As under PHP-FPM, FFI must be allowed for the web SAPI (the CLI allows it as shipped).
        $cmd = [PHP_BINARY, '-d', 'ffi.enable=1', '-S', "127.0.0.1:{$port}", "{$dir}/router.php"];
        $proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', "{$dir}/server.log", 'a'], 2 => ['file', "{$dir}/server.log", 'a']], $pipes, $dir, $env);
        $this->assertIsResource($proc);
        $this->procs[] = [$proc, []];
        $deadline = microtime(true) + 10;
        while (!($c = @stream_socket_client("tcp://127.0.0.1:{$port}", $errno, $errstr, 1)) && microtime(true) < $deadline) {
            usleep(50_000);
        }
        $this->assertNotFalse($c, 'php -S did not start: ' . @file_get_contents("{$dir}/server.log"));
        fclose($c);
        $this->paths[] = $dir;
        return [[$proc, []], $port];
    }

    /** POSTs each of `$requests` ([body, header name => value]) at once; their HTTP statuses, in order. @return list<int> */
    private static function deliver(int $port, array $requests): array
    {
        $sockets = [];
        foreach ($requests as [$body, $headers]) {
            $s = stream_socket_client("tcp://127.0.0.1:{$port}", $errno, $errstr, 5);
            $head = "POST /webhooks/pagoefectivo HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                . 'Content-Length: ' . strlen($body) . "\r\nConnection: close\r\n";
            foreach ($headers as $name => $value) {
                $head .= "{$name}: {$value}\r\n";
            }
            fwrite($s, $head . "\r\n" . $body);
            $sockets[] = $s;
        }
        $statuses = [];
        foreach ($sockets as $s) {
            stream_set_timeout($s, 30);
            $response = stream_get_contents($s);
            fclose($s);
            $statuses[] = preg_match('#^HTTP/1\.[01] (\d{3})#', (string) $response, $m) ? (int) $m[1] : 0;
        }
        return $statuses;
    }

    /**
     * The README's "Many servers" handler, verbatim, under `php -S` with four workers (four processes, as PHP-FPM
     * children): concurrent deliveries of one notification, signature headers named in any case, are processed
     * once; redeliveries answer 200; a bad signature 400; a store that is not there non-200, nothing processed.
     */
    public function testTheReadmeHandlerProcessesEachNotificationOnceUnderFourWorkers(): void
    {
        $url = $this->url('postgres');
        $run = self::runId();
        $processed = $this->paths[] = sys_get_temp_dir() . "/pe-processed-{$run}.txt";
        touch($processed);
        $body = sprintf('{"eventType":"cip.paid","operationNumber":"%s-1","data":{"cip":"1001","currency":"PEN","amount":10.00}}', $run);
        $sig = Webhook::sign($body, self::SECRET);
        $names = ['PE-Signature', 'pe-signature', 'PE-SIGNATURE', 'Pe-Signature'];
        [$server, $port] = $this->handlerServer($url, $processed);
        $statuses = self::deliver($port, array_map(fn (int $i) => [$body, [$names[$i % 4] => $sig]], range(0, 7)));
        $log = fn () => (string) @file_get_contents(end($this->paths) . '/server.log');
        $this->assertSame([], array_diff($statuses, [200, 409]), 'each delivery is acknowledged or retried: ' . json_encode($statuses) . "\n" . $log());
        $this->assertContains(200, $statuses);
        $this->assertContains(409, $statuses, 'deliveries overlapped: some found the event in progress');
        // PagoEfectivo retries the non-200 ones: once the first is done, they are duplicates.
        $this->assertSame(array_fill(0, 4, 200), self::deliver($port, array_map(fn (string $n) => [$body, [$n => $sig]], $names)));
        $this->assertSame([400], self::deliver($port, [[$body, ['PE-Signature' => str_repeat('0', 64)]]]));
        $this->assertSame([400], self::deliver($port, [[$body, []]]));
        $lines = file($processed, FILE_IGNORE_NEW_LINES);
        $this->assertCount(1, $lines, 'processed once: ' . json_encode($lines));
        $this->assertStringStartsWith("cip.paid:{$run}-1:1001 ", $lines[0]);
        self::kill($server[0]);
        $this->finish($server);

        // The store is not there: non-200 (PagoEfectivo delivers again), nothing processed, nothing marked done.
        [$server, $port] = $this->handlerServer('postgres://shop:pw@127.0.0.1:1/shop', $processed);
        $other = str_replace("{$run}-1", "{$run}-2", $body);
        $this->assertSame([503, 503], self::deliver($port, [[$other, ['pe-signature' => Webhook::sign($other, self::SECRET)]],
            [$other, ['PE-Signature' => Webhook::sign($other, self::SECRET)]]]));
        $this->assertCount(1, file($processed, FILE_IGNORE_NEW_LINES));
        self::kill($server[0]);
        $this->finish($server);
    }
}
