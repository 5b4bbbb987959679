<?php
// Reconciliation against what a client fetches from PagoEfectivo: the search sweep or the settlement report.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Handle;
use PagoEfectivo\Internal\Wire;

/**
 * `$orders` is a list of order records (see Reconcile::run) or the path of an orders CSV file
 * (with `$orderColumns` naming its columns: ['orderId' => 'pedido', ...]). `$options`:
 * ['amountTolerance' => '0.05', 'settlementDays' => 3, 'asOf' => time, 'extraHolidays' => [...]].
 */
final class ClientReconciliation
{
    /** @internal use Client::reconciliation() */
    public function __construct(private readonly Handle $handle)
    {
    }

    /**
     * Asks `cips/search` (the public API) for every CIP of the orders, then reconciles. Works with
     * any account; it knows statuses and payment dates, not settlements or refunds (those checks
     * are skipped). Orders without a CIP are not searched.
     */
    public function search(array|string $orders, ?array $options = null, ?array $orderColumns = null): Reconciliation
    {
        return new Reconciliation($this->handle->call('reconcile.search', self::orders($orders, $options, $orderColumns)));
    }

    /**
     * Reads every page of the settlement report (by Lima payment date), then reconciles. Keep
     * `$result->nextCursor` and pass it as `$cursor` next time: only later payments come back.
     */
    public function settlementReport(
        array|string $orders,
        \DateTimeInterface|string|null $dateFrom = null,
        \DateTimeInterface|string|null $dateTo = null,
        ?string $cursor = null,
        int|float $limit = 0,
        ?array $options = null,
        ?array $orderColumns = null
    ): Reconciliation {
        $args = self::orders($orders, $options, $orderColumns) + self::query($dateFrom, $dateTo, $cursor, $limit);
        return new Reconciliation($this->handle->call('reconcile.report', $args));
    }

    /** @internal */
    public static function query(
        \DateTimeInterface|string|null $dateFrom,
        \DateTimeInterface|string|null $dateTo,
        ?string $cursor,
        int|float $limit
    ): array {
        $day = fn ($d) => $d instanceof \DateTimeInterface ? $d->format('Y-m-d') : $d;
        return array_filter(
            ['dateFrom' => $day($dateFrom), 'dateTo' => $day($dateTo), 'cursor' => $cursor, 'limit' => $limit ?: null],
            fn ($v) => $v !== null
        );
    }

    private static function orders(array|string $orders, ?array $options, ?array $orderColumns): array
    {
        $args = is_string($orders) ? ['ordersFile' => $orders] : ['orders' => array_values(Wire::request($orders))];
        if ($orderColumns !== null) {
            $args['orderColumns'] = $orderColumns;
        }
        if ($options !== null) {
            $args['options'] = $options === [] ? new \stdClass() : Wire::request($options);
        }
        return $args;
    }
}
