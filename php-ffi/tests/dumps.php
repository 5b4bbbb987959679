<?php
// Run by TraceTest and SecretsTest in a php of its own (no PHPUnit frames in the traces): makes every kind of
// failure with exception arguments recorded and prints each exception the ways error pages, Sentry and logs do.
// Output: one JSON line per failure, {"name", "class", "dump"}.

declare(strict_types=1);

require dirname(__DIR__) . '/autoload.php';

use PagoEfectivo\Auth;
use PagoEfectivo\CipStatus;
use PagoEfectivo\Client;
use PagoEfectivo\Deduplicator;
use PagoEfectivo\Event;
use PagoEfectivo\Exception\PagoEfectivoException;
use PagoEfectivo\Reconcile;
use PagoEfectivo\Testing\Sandbox;
use PagoEfectivo\Time;
use PagoEfectivo\Webhook;

ini_set('zend.exception_ignore_args', '0');
const SECRET = 'sk_live_Zq8-do-not-print-9Xv';

function render(\Throwable $e): string
{
    ob_start();
    var_dump($e);
    var_dump($e->getTrace());
    $text = ob_get_clean();
    $text .= print_r($e->getTrace(), true) . $e->getTraceAsString() . (string) $e . $e->getMessage();
    try {
        $text .= var_export($e->getTrace(), true);
    } catch (\Throwable) {
        // var_export refuses recursive structures; the dumps above cover them.
    }
    if ($e instanceof PagoEfectivoException) {
        $text .= json_encode($e->toArray()) . $e->getHint();
    }
    return $text;
}

/** A user's own frame that holds SDK objects as arguments, as application code does. */
function through(Client $client, Sandbox $sb, callable $f): mixed
{
    return $f($client, $sb);
}

/** A user's webhook handler frame that holds the deduplicator and the event as arguments. */
function deduplicate(Deduplicator $d, Event $e): string
{
    return $d->begin($e);
}

$sb = new Sandbox();
$client = $sb->client(['max_attempts' => 1]);
$wrong = Webhook::sign('{"eventType":"cip.paid"}', 'other');
$paid = '{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"5","currency":"PEN","amount":1.00}}';
$event = Webhook::constructEvent($paid, Webhook::sign($paid, 'k'), 'k');
$failures = [
    // Every path through the C ABI (issue 9 #2).
    'pe_call' => fn () => Time::toWire('2026-01-01T00:00:00'),
    'pe_call, a number' => fn () => CipStatus::fromCode(-1),
    'pe_call, a bad argument' => fn () => Reconcile::businessDays('nope', 1),
    'pe_client_new' => fn () => new Client(['access_key' => 'a', 'secret_key' => '', 'id_service' => 1]),
    'pe_client_call' => fn () => through($client, $sb, fn (Client $c) => $c->cips()->get(999_999)),
    'pe_client_call, refused input' => fn () => through($client, $sb, fn (Client $c) => $c->cips()->create(['amount' => 25.5])),
    'pe_sandbox_start' => fn () => new Sandbox(['no_such_option' => 1]),
    'pe_sandbox_call' => fn () => through($client, $sb, fn (Client $c, Sandbox $s) => $s->pay(999_999)),
    'pe_sandbox_call, a panic' => fn () => $sb->call('_panic'),
    'pe_webhook_verify' => fn () => Webhook::constructEvent('{}', str_repeat('0', 64), 'k'),
    'not JSON at all' => fn () => $client->cips()->create(['user_name' => "\xff"]),
    // Failures whose arguments hold the secret (issue 9 #7).
    'a padded secret' => fn () => new Client(['access_key' => 'ak', 'secret_key' => SECRET . "\n", 'id_service' => 1]),
    'a bad id_service' => fn () => new Client(['access_key' => 'ak', 'secret_key' => SECRET, 'id_service' => 'x']),
    'an unknown option' => fn () => new Client(['access_key' => 'ak', 'secret_key' => SECRET, 'acces_key' => 1]),
    'a float option' => fn () => new Client(['access_key' => 'ak', 'secret_key' => SECRET, 'id_service' => 1.5]),
    'invalid UTF-8 beside it' => fn () => new Client(['access_key' => "a\xff", 'secret_key' => SECRET, 'id_service' => 1]),
    'invalid UTF-8 in it' => fn () => new Client(['access_key' => 'ak', 'secret_key' => SECRET . "\xff", 'id_service' => 1]),
    'a NAN beside it' => fn () => new Client(['access_key' => 'ak', 'secret_key' => SECRET, 'max_attempts' => NAN]),
    'fromEnv' => fn () => Client::fromEnv(['PAGOEFECTIVO_SECRET_KEY' => SECRET, 'PAGOEFECTIVO_SERVICE_ID' => 'nope']),
    'refused credentials' => fn () => $sb->client(['secret_key' => SECRET, 'max_attempts' => 1])->cips()->get(1),
    'a wrong signature' => fn () => Webhook::constructEvent('{"eventType":"cip.paid"}', $wrong, SECRET),
    'no signature' => fn () => Webhook::constructEvent('{}', null, SECRET),
    'a body too large' => fn () => Webhook::constructEvent(str_repeat(' ', 100), $wrong, SECRET, 10),
    'a NUL in the signature' => fn () => Webhook::constructEvent('{}', "ab\0cd", SECRET),
    'a secret that is not UTF-8' => fn () => Webhook::constructEvent('{}', $wrong, SECRET . "\xff"),
    'sign, a body that is not UTF-8' => fn () => Webhook::sign("\xff", SECRET),
    'hashString' => fn () => Auth::hashString(1, "a\xff", SECRET, '2026-01-01T00:00:00-05:00'),
    // Store URLs that hold the secret as their password (issue 13): port 1 on loopback refuses at once.
    'a PostgreSQL store that is not there' => fn () => deduplicate(Deduplicator::fromUrl('postgres://shop:' . SECRET . '@127.0.0.1:1/shop'), $event),
    'a Redis store that is not there' => fn () => deduplicate(Deduplicator::fromUrl('redis://:' . SECRET . '@127.0.0.1:1/0', 60_000, 5_000), $event),
    'an unknown store scheme' => fn () => Deduplicator::fromUrl('mysql://shop:' . SECRET . '@127.0.0.1/shop'),
    'a store URL that cannot be read' => fn () => Deduplicator::fromUrl('postgres://shop:' . SECRET . '@127.0.0.1:port/shop'),
    'a misspelt dedup option' => fn () => Deduplicator::create(['url' => 'redis://:' . SECRET . '@127.0.0.1:1/0', 'lease' => 5]),
    'a negative lease' => fn () => Deduplicator::fromUrl('redis://:' . SECRET . '@127.0.0.1:1/0', null, -1),
];
foreach ($failures as $name => $failure) {
    try {
        $failure();
        $line = ['name' => $name, 'class' => null, 'dump' => ''];
    } catch (\Throwable $e) {
        $line = [
            'name' => $name, 'class' => get_class($e), 'dump' => render($e), 'args' => isset($e->getTrace()[0]['args']),
            'code' => $e instanceof PagoEfectivoException ? $e->getErrorCode() : null,
        ];
    }
    echo json_encode($line, JSON_INVALID_UTF8_SUBSTITUTE), "\n";
}
