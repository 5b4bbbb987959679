<?php
// PHP package benchmarks (not tests): webhook verify+parse through FFI against plain PHP, and CIP creation round trips.

declare(strict_types=1);

require dirname(__DIR__, 2) . '/php-ffi/autoload.php';

use PagoEfectivo\Testing\Sandbox;
use PagoEfectivo\Webhook;

/** Best of `rounds` × `n` calls, in µs per call. */
function best(int $rounds, int $n, callable $f): float
{
    $best = INF;
    for ($r = 0; $r < $rounds; $r++) {
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            $f();
        }
        $best = min($best, (hrtime(true) - $t) / 1e3 / $n);
    }
    return $best;
}

// The 297-byte cip.paid body of core/benches/crypto.rs.
$body = '{"eventType":"cip.paid","operationNumber":"795589760510","data":{"cip":"2503005084688","currency":"PEN","amount":90832.20,"paymentDate":"2026-11-21T09:15:00-05:00","transactionCode":"ORD-2026-000981-STORE-LIMA-MIRAFLORES-0001","paymentConcept":"Pedido web 000981, 3 articulos, envio a domicilio"}}';
$secret = 'SECRETKEY0000000000000000000000000000000';
$signature = hash_hmac('sha256', $body, $secret);

// Contenders interleaved: each round runs every one once, and each keeps its best round.
$ffi = PagoEfectivo\Internal\Native::ffi();
$reply = $ffi->pe_webhook_event($body, strlen($body), $signature, 64, $secret, strlen($secret), 0);
$fields = ['type', 'eventType', 'dedupKey', 'operationNumber', 'cip', 'currency', 'amount', 'paymentDate', 'transactionCode'];
$data = array_combine($fields, json_decode($reply, true, 512, JSON_BIGINT_AS_STRING));
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
    'reply decode' => fn () => array_combine($fields, json_decode($reply, true, 512, JSON_BIGINT_AS_STRING)),
    'CipPaidEvent' => fn () => new PagoEfectivo\CipPaidEvent($data, $body),
];
$best = array_fill_keys(array_keys($contenders), INF);
for ($round = 0; $round < 7; $round++) {
    foreach ($contenders as $name => $f) {
        $best[$name] = min($best[$name], best(1, 20_000, $f));
    }
}
printf("webhook verify+parse: PagoEfectivo\\Webhook::constructEvent %.2f us/call; plain hash_hmac+json_decode %.2f us/call (%.2fx)\n",
    $best['constructEvent'], $best['plain'], $best['constructEvent'] / $best['plain']);
printf("  parts: crossing %.2f us, reply decode %.2f us, CipPaidEvent %.2f us\n", $best['crossing'], $best['reply decode'], $best['CipPaidEvent']);
if (getenv('PE_BENCH_WEBHOOK_ONLY')) {
    exit(0);
}

$sb = new Sandbox();
$client = $sb->client();
$n = 0;
$create = best(3, 2_000, function () use ($client, &$n) {
    $client->cips()->create(['currency' => 'PEN', 'amount' => '25.50', 'transaction_code' => 'B-' . $n++, 'user_email' => 'ana@example.pe']);
});
printf("cips()->create against the in-process sandbox, sequential: %.0f us/call (%.0f/s)\n", $create, 1e6 / $create);
