<?php
// What can still be refunded on a CIP, and until when.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Wire;

final class RefundEligibility
{
    public readonly int $cip;
    public readonly string $currency;
    public readonly string $paidAmount;
    /** Sum of the refunds not rejected. */
    public readonly string $refundedAmount;
    public readonly string $refundableAmount;
    public readonly ?\DateTimeImmutable $paymentDate;
    public readonly ?\DateTimeImmutable $deadline;
    public readonly int $secondsLeft;
    /** Null when a refund is possible; else `cip_not_paid`, `window_expired` or `nothing_left`. */
    public readonly ?string $blockedBy;

    /** @param array<string, mixed> $data the core's JSON */
    public function __construct(private readonly array $data)
    {
        $this->cip = (int) $data['cip'];
        $this->currency = $data['currency'];
        $this->paidAmount = $data['paidAmount'];
        $this->refundedAmount = $data['refundedAmount'];
        $this->refundableAmount = $data['refundableAmount'];
        $this->paymentDate = Wire::time($data['paymentDate'] ?? null);
        $this->deadline = Wire::time($data['deadline'] ?? null);
        $this->secondsLeft = (int) $data['secondsLeft'];
        $this->blockedBy = $data['blockedBy'] ?? null;
    }

    public function toArray(): array
    {
        return $this->data;
    }
}
