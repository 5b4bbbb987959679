<?php
// PHP package benchmarks (not tests): webhook verify+parse through FFI against plain PHP, and CIP creation round trips.

declare(strict_types=1);

require dirname(__DIR__, 2) . '/php-ffi/autoload.php';

use PagoEfectivo\Testing\Sandbox;
use PagoEfectivo\Webhook;

/** This process's CPU time (user + system), in ns: what other processes' load disturbs least. */
function cpuNs(): float
{
    $u = getrusage();
    return ($u['ru_utime.tv_sec'] + $u['ru_stime.tv_sec']) * 1e9 + ($u['ru_utime.tv_usec'] + $u['ru_stime.tv_usec']) * 1e3;
}

/**
 * Each contender timed once per round for `n` calls, in a rotating order (none always first or last), so the load of
 * a shared machine falls on all alike. @return array<string, array{wall: list<float>, cpu: list<float>}> µs/call per round
 */
function interleaved(array $cases, int $rounds, int $n): array
{
    $names = array_keys($cases);
    $out = array_fill_keys($names, ['wall' => [], 'cpu' => []]);
    foreach ($cases as $f) {
        for ($i = 0; $i < $n; $i++) {
            $f();
        }
    }
    for ($r = 0; $r < $rounds; $r++) {
        foreach (array_keys($names) as $k) {
            $name = $names[($r + $k) % count($names)];
            $f = $cases[$name];
            $c = cpuNs();
            $t = hrtime(true);
            for ($i = 0; $i < $n; $i++) {
                $f();
            }
            $out[$name]['wall'][] = (hrtime(true) - $t) / 1e3 / $n;
            $out[$name]['cpu'][] = (cpuNs() - $c) / 1e3 / $n;
        }
    }
    return $out;
}

function median(array $xs): float
{
    sort($xs);
    $m = intdiv(count($xs), 2);
    return count($xs) % 2 ? $xs[$m] : ($xs[$m - 1] + $xs[$m]) / 2;
}

/** Per-round ratios a[i] / b[i] (the two timed in the same round). */
function ratios(array $a, array $b): array
{
    return array_map(fn (float $x, float $y) => $x / $y, $a, $b);
}

/** `RATIO <name> <min> <median> <target> <ok|miss>` (the verdict is the median's), for benches/run.sh. */
function ratioLine(string $name, array $xs, string $target, string $what): string
{
    [$op, $bound] = [substr($target, 0, 2), (float) substr($target, 2)];
    $med = median($xs);
    $ok = $op === '<=' ? $med <= $bound : $med >= $bound;
    return sprintf('RATIO %s %.3f %.3f %s %s # %s', $name, min($xs), $med, $target, $ok ? 'ok' : 'miss', $what);
}

/** `VALUE <name> <min> <median> <unit>`. */
function valueLine(string $name, array $xs, string $unit, string $what): string
{
    return sprintf('VALUE %s %.3f %.3f %s # %s', $name, min($xs), median($xs), $unit, $what);
}

$lib = (string) getenv('PAGOEFECTIVO_LIB');
printf("library: %s, %.2f MB%s\n", basename(dirname($lib)) . '/' . basename($lib), (is_file($lib) ? filesize($lib) : 0) / 1e6,
    str_contains($lib, '/dist/') ? ' (the lean dist build a shop loads)' : '');

// The 297-byte cip.paid body of core/benches/crypto.rs.
$body = '{"eventType":"cip.paid","operationNumber":"795589760510","data":{"cip":"2503005084688","currency":"PEN","amount":90832.20,"paymentDate":"2026-11-21T09:15:00-05:00","transactionCode":"ORD-2026-000981-STORE-LIMA-MIRAFLORES-0001","paymentConcept":"Pedido web 000981, 3 articulos, envio a domicilio"}}';
$secret = 'SECRETKEY0000000000000000000000000000000';
$signature = hash_hmac('sha256', $body, $secret);

$ffi = PagoEfectivo\Internal\Native::ffi();
$reply = $ffi->pe_webhook_event($body, strlen($body), $signature, 64, $secret, strlen($secret), 0);
$fields = ['type', 'eventType', 'dedupKey', 'operationNumber', 'cip', 'currency', 'amount', 'paymentDate', 'transactionCode'];
// What constructEvent does with the reply (its fields form: text joined by U+001F; or a JSON list).
$decode = $reply[0] === '['
    ? fn () => array_combine($fields, json_decode($reply, true, 512, JSON_BIGINT_AS_STRING))
    : function () use ($fields, $reply) {
        $values = explode("\x1f", $reply);
        $data = array_combine($fields, $values);
        foreach (array_keys($values, "\x1e", true) as $i) {
            $data[$fields[$i]] = null;
        }
        $data['cip'] = (int) $data['cip'];
        return $data;
    };
$data = $decode();
$contenders = [
    'constructEvent' => fn () => Webhook::constructEvent($body, $signature, $secret),
    // Hand-written plain PHP: HMAC, constant-time compare, json_decode. Its amount is a float (90832.2), not exact.
    'plain' => function () use ($body, $signature, $secret) {
        if (!hash_equals(hash_hmac('sha256', $body, $secret), $signature)) {
            throw new RuntimeException('mismatch');
        }
        return json_decode($body, true, 512, JSON_THROW_ON_ERROR);
    },
    // The parts of constructEvent: the crossing (verify + parse in Rust, the reply as a PHP string), the reply
    // decoded into the core's array, the typed event built from it.
    'crossing' => fn () => $ffi->pe_webhook_event($body, strlen($body), $signature, 64, $secret, strlen($secret), 0),
    'reply decode' => $decode,
    'CipPaidEvent' => fn () => new PagoEfectivo\CipPaidEvent($data, $body),
    // What any PHP closure call of this loop costs (subtracted from nothing: for reading the parts).
    'empty closure' => fn () => null,
];
$rounds = (int) (getenv('PE_BENCH_ROUNDS') ?: 15);
$n = (int) (getenv('PE_BENCH_CALLS') ?: 20_000);
if (!getenv('PE_BENCH_CREATE_ONLY')) {
    $t = interleaved($contenders, $rounds, $n);
    printf("webhook verify+parse, 297-byte cip.paid: %d interleaved rounds x %d calls (wall / CPU us per call, min and median)\n", $rounds, $n);
    foreach ($t as $name => $x) {
        printf("  %-16s wall %6.2f %6.2f   CPU %6.2f %6.2f\n", $name, min($x['wall']), median($x['wall']), min($x['cpu']), median($x['cpu']));
    }
    $wall = ratios($t['constructEvent']['wall'], $t['plain']['wall']);
    $cpu = ratios($t['constructEvent']['cpu'], $t['plain']['cpu']);
    printf("webhook verify+parse: PagoEfectivo\\Webhook::constructEvent %.2f us/call; plain hash_hmac+json_decode %.2f us/call (median %.2fx, per-round %.2f-%.2fx)\n",
        median($t['constructEvent']['wall']), median($t['plain']['wall']), median($wall), min($wall), max($wall));
    printf("  parts (median): crossing %.2f us, reply decode %.2f us, CipPaidEvent %.2f us, empty closure %.2f us\n",
        median($t['crossing']['wall']), median($t['reply decode']['wall']), median($t['CipPaidEvent']['wall']), median($t['empty closure']['wall']));
    echo ratioLine('php.webhook.constructEvent_vs_plain', $wall, '<=1.2', 'wall time per round, Webhook::constructEvent / hash_hmac+hash_equals+json_decode'), "\n";
    echo ratioLine('php.webhook.constructEvent_vs_plain_cpu', $cpu, '<=1.2', 'the same in process CPU time'), "\n";
    $parts = ['constructEvent' => 'constructEvent', 'plain' => 'plain', 'crossing' => 'crossing', 'reply decode' => 'reply_decode',
        'CipPaidEvent' => 'event_object', 'empty closure' => 'empty_closure'];
    foreach ($parts as $name => $key) {
        echo valueLine("php.webhook.{$key}_us", $t[$name]['wall'], 'us', "{$name}, wall per call"), "\n";
    }
}
if (getenv('PE_BENCH_WEBHOOK_ONLY')) {
    exit(0);
}

$sb = new Sandbox();
$client = $sb->client();
$k = 0;
$create = interleaved(['create' => function () use ($client, &$k) {
    $client->cips()->create(['currency' => 'PEN', 'amount' => '25.50', 'transaction_code' => 'B-' . $k++, 'user_email' => 'ana@example.pe']);
}], 5, 1_000)['create']['wall'];
printf("cips()->create against the in-process sandbox, sequential: %.0f us/call median (%.0f/s)\n", median($create), 1e6 / median($create));
echo valueLine('php.cips_create_sandbox_us', $create, 'us', 'cips()->create against the in-process sandbox, one PHP process, sequential'), "\n";
