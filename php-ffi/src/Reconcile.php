<?php
// Reconciliation of the merchant's orders against PagoEfectivo's records, on the core's rules.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Native;
use PagoEfectivo\Internal\Wire;

final class Reconcile
{
    /**
     * Orders: ['orderId', 'cip'?, 'currency', 'amount' (decimal string), 'status', 'expiresAt'?, 'paidAt'?,
     * 'refundedAmount'?]; payments: ['cip', 'transactionCode', 'currency', 'amount', 'status'?,
     * 'datePayment'?, 'dateSettlement'?, 'refundedAmount'?] (snake_case keys work too).
     * Coverage: ['everyOrderCip' => bool, 'settlement' => bool, 'refunds' => bool];
     * options: ['amountTolerance' => '0.05', 'settlementDays' => 3, 'asOf' => time, 'extraHolidays' => [...]].
     */
    public static function run(array $orders, array $payments, ?array $coverage = null, ?array $options = null): Reconciliation
    {
        $input = ['orders' => array_values(Wire::request($orders)), 'payments' => array_values(Wire::request($payments))];
        if ($coverage !== null) {
            $input['coverage'] = $coverage === [] ? new \stdClass() : $coverage;
        }
        if ($options !== null) {
            $input['options'] = $options === [] ? new \stdClass() : Wire::request($options);
        }
        return new Reconciliation(Native::call('reconcile.run', $input));
    }

    /**
     * Loads an orders CSV and a PagoEfectivo report CSV (the CLI's formats; `$orderColumns` and
     * `$reportColumns` rename columns: ['orderId' => 'pedido']), reconciles, and with `$outDir`
     * writes summary.json, exceptions.csv, exceptions.jsonl and report.html there too.
     */
    public static function files(
        string $orders,
        string $report,
        ?array $options = null,
        ?array $orderColumns = null,
        ?array $reportColumns = null,
        ?string $outDir = null
    ): Reconciliation {
        $input = ['orders' => $orders, 'report' => $report];
        foreach (['orderColumns' => $orderColumns, 'reportColumns' => $reportColumns] as $key => $columns) {
            if ($columns !== null) {
                $input[$key] = $columns === [] ? new \stdClass() : $columns;
            }
        }
        if ($options !== null) {
            $input['options'] = $options === [] ? new \stdClass() : Wire::request($options);
        }
        if ($outDir !== null) {
            $input['outDir'] = $outDir;
        }
        return new Reconciliation(Native::call('reconcile.files', $input));
    }

    /**
     * T+`days` business days after `date` (YYYY-MM-DD) on the Peruvian calendar, and whether
     * `date` is one: ['due' => ..., 'isBusinessDay' => bool, 'isHoliday' => bool].
     */
    public static function businessDays(string $date, int|float|string $days, array $extraHolidays = []): array
    {
        $args = ['date' => $date, 'days' => $days];
        if ($extraHolidays !== []) {
            $args['extraHolidays'] = array_values($extraHolidays);
        }
        return Native::call('reconcile.business_days', $args);
    }

    /** @return list<array{date: string, name: string}> the Peruvian holidays of `year` */
    public static function holidays(int $year, array $extraHolidays = []): array
    {
        $args = ['year' => $year];
        if ($extraHolidays !== []) {
            $args['extraHolidays'] = array_values($extraHolidays);
        }
        return Native::call('reconcile.holidays', $args);
    }
}
