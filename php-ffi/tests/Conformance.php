<?php
// Runs one case of tests/conformance/*.json through the public PHP API and compares it as the Rust runner does.

declare(strict_types=1);

namespace PagoEfectivo\Tests;

use PagoEfectivo\Auth;
use PagoEfectivo\Cips;
use PagoEfectivo\CipStatus;
use PagoEfectivo\Client;
use PagoEfectivo\Deduplicator;
use PagoEfectivo\Exception\PagoEfectivoException;
use PagoEfectivo\Payee;
use PagoEfectivo\Reconcile;
use PagoEfectivo\Refunds;
use PagoEfectivo\Testing\Sandbox;
use PagoEfectivo\Time;
use PagoEfectivo\Webhook;

final class Conformance
{
    /**
     * JSON text to PHP values, keeping `{}` an object (stdClass) so it is sent back as `{}`, and
     * typed markers (tests/conformance/README.md) as PHP's native values: `$float` a float,
     * `$decimal` and `$naive` strings, `$int` an int (a digit string past PHP_INT_MAX, which PHP
     * cannot hold as an int), `$aware` a DateTimeImmutable, `$surrogate` the text after the UTF-8
     * encoding of U+D800 (`"\xED\xA0\x80"`, which is not valid UTF-8).
     */
    public static function decode(string $json): mixed
    {
        return self::native(json_decode($json, false, 512, JSON_THROW_ON_ERROR | JSON_BIGINT_AS_STRING));
    }

    /** As decode(), for a value json_decode already made (objects as stdClass). */
    public static function native(mixed $v): mixed
    {
        if ($v instanceof \stdClass) {
            $a = (array) $v;
            if (count($a) === 1 && is_string(array_key_first($a)) && str_starts_with(array_key_first($a), '$')) {
                return self::marker(array_key_first($a), (string) reset($a));
            }
            return $a === [] ? $v : array_map([self::class, 'native'], $a);
        }
        return is_array($v) ? array_map([self::class, 'native'], $v) : $v;
    }

    private static function marker(string $kind, string $text): mixed
    {
        return match ($kind) {
            '$float' => (float) $text,
            '$decimal', '$naive' => $text,
            '$int' => (string) (int) $text === $text ? (int) $text : $text,
            '$aware' => new \DateTimeImmutable($text),
            '$surrogate' => "\xED\xA0\x80" . $text,
        };
    }

    /** @return array{code: string, reason: ?string, http_status: ?int, pe_code: ?string, retryable: bool, fields: list<string>, attempts: int} */
    public static function error(PagoEfectivoException $e): array
    {
        $fields = array_values(array_unique(array_map(fn (array $f) => $f['field'], $e->getFieldErrors())));
        sort($fields);
        return [
            'code' => $e->getErrorCode(), 'reason' => $e->getReason(), 'http_status' => $e->getHttpStatus(),
            'pe_code' => $e->getPeCode(), 'retryable' => $e->isRetryable(), 'fields' => $fields,
            'attempts' => $e->getAttempts(),
        ];
    }

    /** @return array{0: bool, 1: mixed} [ok, result or error] */
    public static function outcome(callable $f): array
    {
        try {
            return [true, self::plain($f())];
        } catch (PagoEfectivoException $e) {
            return [false, self::error($e)];
        }
    }

    /** Value objects to their JSON form, lists element by element. */
    private static function plain(mixed $v): mixed
    {
        if (is_object($v) && method_exists($v, 'toArray')) {
            return $v->toArray();
        }
        return is_array($v) ? array_map([self::class, 'plain'], $v) : $v;
    }

    public static function offline(string $op, mixed $in): array
    {
        return self::outcome(fn () => match ($op) {
            'auth.hash_string' => Auth::hashString($in['idService'], $in['accessKey'], $in['secretKey'], $in['dateRequest']),
            'webhook.verify' => Webhook::constructEvent($in['body'], $in['signature'] ?? null, $in['secret'] ?? null),
            'time.parse' => Time::toWire($in),
            'cip.status' => CipStatus::fromCode($in)->value,
            'cip.validate_create' => Cips::validate(self::request($in)),
            'refund.validate' => Refunds::validate(self::request($in)),
            'payee.cci' => Payee::validateCci($in),
            'config.from_env' => Client::fromEnv(self::request($in))->settings(),
            'reconcile.run' => Reconcile::run($in['orders'], $in['payments'], $in['coverage'] ?? null, $in['options'] ?? null),
            'reconcile.business_days' => Reconcile::businessDays($in['date'], $in['days']),
        });
    }

    /**
     * `dedup.sequence`: the steps on one Deduplicator made from the case's options (refused options
     * fail the case), each body made an Event by the public API (signed here, then verified by
     * Webhook::constructEvent, which keeps its raw body). One answer per non-sleep step, or
     * `{error}` for a step that failed, as core/tests/conformance.rs.
     *
     * @return array{0: bool, 1: mixed}
     */
    public static function dedupSequence(array $in): array
    {
        $made = self::outcome(fn () => Deduplicator::create(self::request($in['options'] ?? [])));
        if (!$made[0]) {
            return $made;
        }
        $d = Deduplicator::create(self::request($in['options'] ?? []));
        $answers = [];
        foreach ($in['steps'] as $step) {
            if ($step['op'] === 'sleep') {
                usleep($step['ms'] * 1000);
                continue;
            }
            [$ok, $value] = self::outcome(function () use ($d, $step) {
                $event = Webhook::constructEvent($step['body'], Webhook::sign($step['body'], 'conformance'), 'conformance');
                return match ($step['op']) {
                    'begin' => $d->begin($event),
                    'complete' => self::none($d->complete($event)),
                    'fail' => self::none($d->fail($event)),
                    'first_delivery' => $d->firstDelivery($event),
                    'forget' => self::none($d->forget($event)),
                };
            });
            $answers[] = $ok ? $value : ['error' => $value];
        }
        return [true, $answers];
    }

    /** An input object as the array the public API takes (`{}` becomes `[]`). */
    private static function request(mixed $in): array
    {
        return $in instanceof \stdClass ? [] : $in;
    }

    /** Partial match: every key of `want` must be in `got` with a matching value. Returns the first difference. */
    public static function check(mixed $want, mixed $got, string $path): ?string
    {
        if ($want instanceof \stdClass) {
            $want = [];
        }
        if (is_array($want) && !array_is_list($want)) {
            if (!is_array($got)) {
                return "{$path}: want an object, got " . json_encode($got);
            }
            foreach ($want as $k => $w) {
                if (($d = self::check($w, $got[$k] ?? null, "{$path}.{$k}")) !== null) {
                    return $d;
                }
            }
            return null;
        }
        if (is_array($want)) {
            if (!is_array($got) || count($got) !== count($want)) {
                return "{$path}: want " . json_encode($want) . ', got ' . json_encode($got);
            }
            foreach ($want as $i => $w) {
                if (($d = self::check($w, $got[$i] ?? null, "{$path}[{$i}]")) !== null) {
                    return $d;
                }
            }
            return null;
        }
        $same = (is_int($want) || is_float($want)) && (is_int($got) || is_float($got))
            ? json_encode($want) === json_encode($got)
            : $want === $got;
        return $same ? null : "{$path}: want " . json_encode($want) . ', got ' . json_encode($got);
    }

    public static function checkOutcome(mixed $expect, array $outcome): ?string
    {
        [$ok, $value] = $outcome;
        if (is_array($expect) && array_key_exists('ok', $expect) && $ok) {
            return self::check($expect['ok'], $value, 'ok');
        }
        if (is_array($expect) && array_key_exists('error', $expect) && !$ok) {
            return self::check($expect['error'], $value, 'error');
        }
        if (!is_array($expect) || (!array_key_exists('ok', $expect) && !array_key_exists('error', $expect))) {
            return $ok ? null : 'want success, got ' . json_encode($value);
        }
        return 'want ' . json_encode($expect) . ', got ' . ($ok ? 'ok ' : 'error ') . json_encode($value);
    }

    /** Runs a scenario against a fresh sandbox; returns the first failing step, or null. */
    public static function scenario(array $in): ?string
    {
        // The case's own option names: the sandbox and the client read camelCase as well.
        $sb = new Sandbox($in['sandbox'] ?? []);
        // Short back-offs keep fault scenarios fast, as in core/tests/common/mod.rs.
        $client = ($in['client'] ?? []) + [
            'requestTimeoutMs' => 5000, 'totalTimeoutMs' => 15000, 'maxAttempts' => 3,
            'initialBackoffMs' => 10, 'maxBackoffMs' => 50,
        ];
        $outcome = self::outcome(fn () => $sb->client($client));
        if (!$outcome[0]) {
            return 'client: ' . json_encode($outcome[1]);
        }
        $c = $sb->client($client);
        $saved = [];
        foreach ($in['steps'] as $i => $step) {
            $args = self::resolve($step['args'] ?? null, $saved);
            $result = self::outcome(fn () => self::step($c, $sb, $step['do'], $args));
            $expect = self::resolve($step['expect'] ?? [], $saved);
            if (($d = self::checkOutcome($expect, $result)) !== null) {
                return "step {$i} {$step['do']}: {$d}";
            }
            if (isset($step['save']) && $result[0]) {
                $saved[$step['save']] = $result[1];
            }
        }
        $sb->close();
        return null;
    }

    private static function resolve(mixed $v, array $saved): mixed
    {
        if (is_string($v) && preg_match('/^\$now\+(\d+)h$/', $v, $m)) {
            $lima = new \DateTimeImmutable('now', new \DateTimeZone('-05:00'));
            return $lima->modify("+{$m[1]} hours")->format('Y-m-d\TH:i:sP');
        }
        if (is_string($v) && str_starts_with($v, '$')) {
            [$name, $field] = explode('.', substr($v, 1), 2);
            return $saved[$name][$field];
        }
        return is_array($v) ? array_map(fn ($x) => self::resolve($x, $saved), $v) : $v;
    }

    private static function step(Client $c, Sandbox $sb, string $do, mixed $a): mixed
    {
        return match ($do) {
            'cips.create' => $c->cips()->create($a),
            'cips.get' => $c->cips()->get($a['cip']),
            'cips.search' => $c->cips()->search($a['cips']),
            'cips.extend' => $c->cips()->extend($a['cip'], $a['dateExpiry']),
            'cips.delete' => $c->cips()->delete($a['cip']),
            'cips.wait_for_final_status' => $c->cips()->waitForFinalStatus($a['cip'], $a['timeoutMs'] ?? 600_000, 20, 200),
            'refunds.create' => $c->refunds()->create($a),
            'refunds.get' => $c->refunds()->get($a['refundId']),
            'refunds.list' => $c->refunds()->list($a['cip']),
            'refunds.eligibility' => $c->refunds()->eligibility($a['cip'], $a['refundWindowDays'] ?? null),
            'refunds.wait_for_final_status' => $c->refunds()->waitForFinalStatus($a['refundId'], $a['timeoutMs'] ?? 600_000, 20, 200),
            'sandbox.pay' => $sb->pay($a['cip']),
            'sandbox.expire' => $sb->expire($a['cip']),
            'sandbox.advance_clock' => self::none($sb->advanceClock($a['seconds'])),
            'sandbox.fault' => $sb->addFault($a),
            'sandbox.request_count' => $sb->requestCount($a['endpoint']),
            'sandbox.deliveries' => $sb->deliveries($a['count']),
            'sandbox.refund' => self::none($sb->advanceRefund($a['refundId'], $a['to'], $a['reasonCode'] ?? null)),
            'sandbox.refund_count' => count($sb->refunds()),
            'webhook.verify_delivery' => self::verifyDelivery($sb, $a['index']),
        };
    }

    /** The Rust runner answers null for these control steps; their values are not compared. */
    private static function none(mixed $ignored): mixed
    {
        return null;
    }

    private static function verifyDelivery(Sandbox $sb, int $index): mixed
    {
        $d = $sb->deliveries()[$index];
        return Webhook::constructEvent($d['body'], $d['signature'], $sb->secretKey());
    }
}
