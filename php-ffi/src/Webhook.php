<?php
// Verifies PagoEfectivo's signed notifications over the raw request body and returns a typed event.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Exception\SignatureVerificationException;
use PagoEfectivo\Exception\ValidationException;
use PagoEfectivo\Internal\Native;

final class Webhook
{
    /**
     * Verifies `PE-Signature` over the raw body and returns the event.
     *
     * Pass the bytes exactly as received: `file_get_contents('php://input')` in plain PHP,
     * `$request->getContent()` in Laravel/Symfony, `$this->getRequest()->getContent()` in Magento,
     * `WP_REST_Request::get_body()` in WooCommerce. A re-encoded `json_decode`/`json_encode`
     * round trip changes the bytes and fails with reason `signature_mismatch` (see getHint()).
     * The body, the signature and the secret reach the core as bytes with their lengths, so a NUL
     * byte cuts nothing short. `$maxBodyBytes` bounds the body (null: the core's 64 KiB).
     *
     * @throws SignatureVerificationException reason `missing_signature`, `malformed_signature`,
     *         `signature_mismatch`, `malformed_body` or `body_too_large`
     * @throws ValidationException a null secret, or a signature or secret that is not UTF-8
     */
    public static function constructEvent(
        string $rawBody,
        ?string $signature,
        #[\SensitiveParameter] ?string $secret,
        ?int $maxBodyBytes = null
    ): Event {
        // The secret goes straight to the C function (which cannot throw), through no PHP helper. One
        // crossing: the reply is a PHP string already (a `const char *` the library keeps), nothing to free.
        $reply = (self::$ffi ??= Native::ffi())->pe_webhook_event(
            $rawBody,
            strlen($rawBody),
            $signature,
            $signature === null ? 0 : strlen($signature),
            $secret,
            $secret === null ? 0 : strlen($secret),
            $maxBodyBytes ?? 0
        );
        $first = $reply[0] ?? '{';
        if ($first === '{') {
            return self::event(Native::result($reply ?? ''), $rawBody); // the error, thrown
        }
        // The event's values in the order of the core's JSON: its fields (text joined by U+001F, explode() takes
        // a third of json_decode's time) or, for a nested body or an odd text, a JSON list.
        $values = $first === '[' ? json_decode($reply, true, 512, JSON_BIGINT_AS_STRING) : explode("\x1f", $reply);
        $fields = self::FIELDS[$values[0] ?? ''] ?? [];
        if ($fields === [] || count($fields) !== count($values)) {
            throw Native::local('internal_error', 'the native library answered an event of another version: '
                . 'use the library and header this package was built with');
        }
        $data = array_combine($fields, $values);
        if ($first !== '[') {
            // Fields are text: the JSON's nulls (written U+001E) and its one integer (the CIP number) as they were.
            foreach (array_keys($values, "\x1e", true) as $i) {
                $data[$fields[$i]] = null;
            }
            if (isset($data['cip'])) {
                $data['cip'] = (int) $data['cip'];
            }
        }
        return self::event($data, $rawBody);
    }

    /** Native::ffi(), kept here too: constructEvent is a shop's hottest call. */
    private static ?\FFI $ffi = null;

    /** The keys of pe_webhook_event's values by `type`: the core's JSON of each kind, in order (bindings/c/src/webhook.rs). */
    private const FIELDS = [
        'cip_paid' => ['type', 'eventType', 'dedupKey', 'operationNumber', 'cip', 'currency', 'amount', 'paymentDate', 'transactionCode'],
        'refund' => ['type', 'eventType', 'dedupKey', 'operationNumber', 'refundId', 'cip', 'merchantRefundId', 'currency', 'amount',
            'status', 'reasonCode'],
        'other' => ['type', 'eventType', 'dedupKey', 'operationNumber', 'cip', 'body'],
    ];

    /** @param array<string, mixed> $data the core's JSON of a verified event */
    private static function event(array $data, string $rawBody): Event
    {
        return match ($data['type']) {
            'cip_paid' => new CipPaidEvent($data, $rawBody),
            'refund' => new RefundEvent($data, $rawBody),
            default => new OtherEvent($data, $rawBody),
        };
    }

    /**
     * The `PE-Signature` header of the current request, its name in any case: from `$headers`
     * (e.g. `$request->headers->all()` flattened, or `getallheaders()`), else from `getallheaders()`
     * and `$_SERVER` (`HTTP_PE_SIGNATURE`). Null when absent (constructEvent then refuses with
     * reason `missing_signature`).
     *
     * @param array<string, string|list<string>>|null $headers
     */
    public static function signatureFrom(?array $headers = null): ?string
    {
        if ($headers === null) {
            $headers = (function_exists('getallheaders') ? (getallheaders() ?: []) : []) + $_SERVER;
        }
        // Only the candidates cross (a whole $_SERVER is large); the core decides which one it is.
        $candidates = [];
        foreach ($headers as $name => $value) {
            if (is_array($value)) {
                $value = $value[0] ?? null;
            }
            if (is_string($name) && is_string($value) && stripos($name, 'signature') !== false) {
                $candidates[$name] = $value;
            }
        }
        return $candidates === [] ? null : Native::call('webhook.find_signature', ['headers' => $candidates]);
    }

    /** The `PE-Signature` of `body` (UTF-8 text), to test your own endpoint. */
    public static function sign(string $body, #[\SensitiveParameter] string $secret): string
    {
        return Native::call('webhook.sign', ['body' => $body, 'secret' => $secret]);
    }
}
