<?php
// Reconciliation of the merchant's orders against PagoEfectivo's records, on the core's rules.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Native;

final class Reconcile
{
    /**
     * Orders: ['orderId', 'cip'?, 'currency', 'amount' (decimal string), 'status', 'expiresAt'?, 'paidAt'?,
     * 'refundedAmount'?]; payments: ['cip', 'transactionCode', 'currency', 'amount', 'status'?,
     * 'datePayment'?, 'dateSettlement'?, 'refundedAmount'?] (snake_case keys work too).
     * Coverage: ['everyOrderCip' => bool, 'settlement' => bool, 'refunds' => bool];
     * options: ['amountTolerance' => '0.05', 'settlementDays' => 3, 'asOf' => wire time, 'extraHolidays' => [...]].
     */
    public static function run(array $orders, array $payments, ?array $coverage = null, ?array $options = null): Reconciliation
    {
        $input = ['orders' => array_values($orders), 'payments' => array_values($payments)];
        if ($coverage !== null) {
            $input['coverage'] = $coverage;
        }
        if ($options !== null) {
            $input['options'] = $options === [] ? new \stdClass() : $options;
        }
        return new Reconciliation(Native::call('reconcile.run', $input));
    }

    /** T+`days` business days after `date` (YYYY-MM-DD) on the Peruvian calendar, and whether `date` is one. */
    public static function businessDays(string $date, int $days): array
    {
        return Native::call('reconcile.business_days', ['date' => $date, 'days' => $days]);
    }
}
