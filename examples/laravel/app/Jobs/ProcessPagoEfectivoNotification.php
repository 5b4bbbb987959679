<?php
// Applies one verified notification to its order, once across every worker and server (the database deduplicator).

declare(strict_types=1);

namespace App\Jobs;

use App\Models\Order;
use Illuminate\Bus\Queueable;
use Illuminate\Contracts\Queue\ShouldQueue;
use Illuminate\Foundation\Bus\Dispatchable;
use Illuminate\Queue\InteractsWithQueue;
use Illuminate\Support\Facades\DB;
use Illuminate\Support\Facades\Log;
use PagoEfectivo\CipPaidEvent;
use PagoEfectivo\Deduplicator;
use PagoEfectivo\Event;
use PagoEfectivo\Webhook;

class ProcessPagoEfectivoNotification implements ShouldQueue
{
    use Dispatchable;
    use InteractsWithQueue;
    use Queueable;

    public int $tries = 10;
    /** @var list<int> seconds before each retry */
    public array $backoff = [5, 30, 120];

    /** The raw body and its signature as received: the job verifies again, so a row edited in `jobs` is refused. */
    public function __construct(public string $rawBody, public ?string $signature)
    {
    }

    public function handle(Deduplicator $dedup): void
    {
        $event = Webhook::constructEvent($this->rawBody, $this->signature, config('pagoefectivo.secret_key'));
        // The store is unreachable? ConnectionException: the job is retried later, nothing was marked done.
        switch ($dedup->begin($event)) {
            case 'duplicate':
                return;
            case 'in_progress':
                $this->release(30);  // another worker holds it now: look again once its lease may have run out
                return;
            case 'conflict':
                Log::error('pagoefectivo: the same notification came with another payload', ['key' => $event->dedupKey()]);
                $this->fail(new \RuntimeException("conflicting payload for {$event->dedupKey()}"));
                return;
        }
        try {
            DB::transaction(fn () => $this->apply($event));
        } catch (\Throwable $e) {
            $dedup->fail($event);  // released: the retry of this job processes it
            throw $e;
        }
        $dedup->complete($event);
    }

    private function apply(Event $event): void
    {
        if (!$event instanceof CipPaidEvent) {
            Log::info('pagoefectivo: notification not handled by this shop', ['type' => $event->eventType()]);
            return;
        }
        $order = Order::where('cip', $event->cip)->lockForUpdate()->first();
        if ($order === null) {
            Log::warning('pagoefectivo: payment for an unknown CIP', ['cip' => $event->cip]);
            return;
        }
        $order->events()->create([
            'event_type' => $event->eventType,
            'operation_number' => $event->operationNumber,
            'currency' => $event->currency,
            'amount' => $event->amount,
        ]);
        // Both amounts are the core's two-decimal strings: equal money is equal text.
        $matches = $order->currency === $event->currency && $order->amount === $event->amount;
        $order->update(['status' => $matches ? 'paid' : 'review', 'paid_at' => $event->paymentDate]);
    }
}
