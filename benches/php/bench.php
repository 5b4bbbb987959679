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

$ours = best(7, 20_000, fn () => Webhook::constructEvent($body, $signature, $secret));
// Hand-written plain PHP: HMAC, constant-time compare, json_decode. Its amount is a float (90832.2), not exact.
$plain = best(7, 20_000, function () use ($body, $signature, $secret) {
    if (!hash_equals(hash_hmac('sha256', $body, $secret), $signature)) {
        throw new RuntimeException('mismatch');
    }
    return json_decode($body, true, 512, JSON_THROW_ON_ERROR);
});
printf("webhook verify+parse: PagoEfectivo\\Webhook::constructEvent %.2f us/call; plain hash_hmac+json_decode %.2f us/call\n", $ours, $plain);

$sb = new Sandbox();
$client = $sb->client();
$n = 0;
$create = best(3, 2_000, function () use ($client, &$n) {
    $client->cips()->create(['currency' => 'PEN', 'amount' => '25.50', 'transaction_code' => 'B-' . $n++, 'user_email' => 'ana@example.pe']);
});
printf("cips()->create against the in-process sandbox, sequential: %.0f us/call (%.0f/s)\n", $create, 1e6 / $create);
