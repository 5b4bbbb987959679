<?php
// One CIP as PagoEfectivo recorded it: a row of the settlement report (or a search result).

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Wire;

final class PaymentRecord
{
    public readonly ?int $cip;
    public readonly string $transactionCode;
    public readonly string $currency;
    public readonly string $amount;
    public readonly CipStatus $status;
    public readonly ?\DateTimeImmutable $paidAt;
    /** When PagoEfectivo paid the money out to the merchant; null while unsettled. */
    public readonly ?\DateTimeImmutable $settledAt;
    /** Refunded so far according to PagoEfectivo; null when the source does not say. */
    public readonly ?string $refundedAmount;

    /** @param array<string, mixed> $data the core's JSON */
    public function __construct(private readonly array $data)
    {
        $this->cip = isset($data['cip']) ? (int) $data['cip'] : null;
        $this->transactionCode = $data['transactionCode'];
        $this->currency = $data['currency'];
        $this->amount = $data['amount'];
        $this->status = CipStatus::from($data['status']);
        $this->paidAt = Wire::time($data['paidAt'] ?? null);
        $this->settledAt = Wire::time($data['settledAt'] ?? null);
        $this->refundedAmount = $data['refundedAmount'] ?? null;
    }

    public function toArray(): array
    {
        return $this->data;
    }
}
