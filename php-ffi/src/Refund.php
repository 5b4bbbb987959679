<?php
// A refund as the refund extension reports it.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Wire;

final class Refund
{
    public readonly string $refundId;
    public readonly int $cip;
    public readonly string $merchantRefundId;
    public readonly string $amount;
    public readonly string $currency;
    public readonly string $reason;
    public readonly RefundStatus $status;
    /** Why it was rejected. */
    public readonly ?string $reasonCode;
    public readonly ?\DateTimeImmutable $dateCreation;
    public readonly ?\DateTimeImmutable $dateUpdate;

    /** @param array<string, mixed> $data the core's JSON */
    public function __construct(private readonly array $data)
    {
        $this->refundId = $data['refundId'];
        $this->cip = (int) $data['cip'];
        $this->merchantRefundId = $data['merchantRefundId'];
        $this->amount = $data['amount'];
        $this->currency = $data['currency'];
        $this->reason = $data['reason'];
        $this->status = RefundStatus::tryFrom((string) $data['status']) ?? RefundStatus::Unknown;
        $this->reasonCode = $data['reasonCode'] ?? null;
        $this->dateCreation = Wire::time($data['dateCreation'] ?? null);
        $this->dateUpdate = Wire::time($data['dateUpdate'] ?? null);
    }

    public function toArray(): array
    {
        return $this->data;
    }
}
