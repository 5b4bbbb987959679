<?php
// Verifies PE-Signature over the raw request body; a request that fails is answered 400 before any controller runs.

declare(strict_types=1);

namespace App\Http\Middleware;

use Closure;
use Illuminate\Http\JsonResponse;
use Illuminate\Http\Request;
use Illuminate\Support\Facades\Log;
use PagoEfectivo\Exception\SignatureVerificationException;
use PagoEfectivo\Webhook;
use Symfony\Component\HttpFoundation\Response;

class VerifyPagoEfectivoSignature
{
    /** The request attribute the verified PagoEfectivo\Event is left in. */
    public const EVENT = 'pagoefectivo.event';

    public function handle(Request $request, Closure $next): Response
    {
        try {
            // getContent(): the bytes as received. Never $request->all() or a json_decode + json_encode round trip.
            $event = Webhook::constructEvent(
                $request->getContent(),
                $request->header('PE-Signature'),
                config('pagoefectivo.secret_key'),
            );
        } catch (SignatureVerificationException $e) {
            Log::warning('pagoefectivo: notification refused', ['reason' => $e->getReason(), 'ip' => $request->ip()]);
            return new JsonResponse(['error' => $e->getReason()], 400);
        }
        $request->attributes->set(self::EVENT, $event);
        return $next($request);
    }
}
