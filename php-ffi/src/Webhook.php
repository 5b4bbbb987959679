<?php
// Verifies PagoEfectivo's signed notifications over the raw request body and returns a typed event.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Exception\SignatureVerificationException;
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
     *
     * @throws SignatureVerificationException reason `missing_signature`, `malformed_signature`,
     *         `signature_mismatch` or `malformed_body`
     */
    public static function constructEvent(
        string $rawBody,
        ?string $signature,
        #[\SensitiveParameter] string $secret
    ): Event {
        $data = Native::webhookVerify(
            $rawBody,
            $signature === null ? null : Native::noNul($signature, 'signature'),
            Native::noNul($secret, 'secret')
        );
        return match ($data['type']) {
            'cip_paid' => new CipPaidEvent($data),
            'refund' => new RefundEvent($data),
            default => new OtherEvent($data),
        };
    }

    /** The `PE-Signature` of `body` (UTF-8 text), to test your own endpoint. */
    public static function sign(string $body, #[\SensitiveParameter] string $secret): string
    {
        return Native::call('webhook.sign', ['body' => $body, 'secret' => $secret]);
    }
}
