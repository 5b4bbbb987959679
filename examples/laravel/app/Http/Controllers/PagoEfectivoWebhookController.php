<?php
// The notification endpoint: queues the verified notification and answers 200 at once; the job does the work.

declare(strict_types=1);

namespace App\Http\Controllers;

use App\Http\Middleware\VerifyPagoEfectivoSignature;
use App\Jobs\ProcessPagoEfectivoNotification;
use Illuminate\Http\JsonResponse;
use Illuminate\Http\Request;

class PagoEfectivoWebhookController
{
    public function __invoke(Request $request): JsonResponse
    {
        $event = $request->attributes->get(VerifyPagoEfectivoSignature::EVENT);
        // Stored in the jobs table before the 200: if that fails the answer is 500 and PagoEfectivo delivers again.
        ProcessPagoEfectivoNotification::dispatch($request->getContent(), $request->header('PE-Signature'))
            ->onConnection(config('pagoefectivo.queue_connection'))
            ->onQueue(config('pagoefectivo.queue'));
        return new JsonResponse(['received' => $event->dedupKey()]);
    }
}
