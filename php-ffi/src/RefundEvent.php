<?php
// A refund changed state (`refund.processing`, `refund.refunded`, `refund.rejected`, `cip.refunded`).

declare(strict_types=1);

namespace PagoEfectivo;

final class RefundEvent implements Event
{
    public readonly string $eventType;
    public readonly string $dedupKey;
    public readonly string $operationNumber;
    public readonly ?string $refundId;
    public readonly int $cip;
    public readonly ?string $merchantRefundId;
    public readonly string $currency;
    public readonly string $amount;
    public readonly RefundStatus $status;
    public readonly ?string $reasonCode;

    /**
     * @param array<string, mixed> $data    the core's JSON
     * @param string               $rawBody the body it was verified from, byte for byte (Webhook::constructEvent keeps it)
     */
    public function __construct(private readonly array $data, private readonly string $rawBody = '')
    {
        $this->eventType = $data['eventType'];
        $this->dedupKey = $data['dedupKey'];
        $this->operationNumber = $data['operationNumber'];
        $this->refundId = $data['refundId'] ?? null;
        $this->cip = (int) $data['cip'];
        $this->merchantRefundId = $data['merchantRefundId'] ?? null;
        $this->currency = $data['currency'];
        $this->amount = $data['amount'];
        $this->status = RefundStatus::tryFrom((string) $data['status']) ?? RefundStatus::Unknown;
        $this->reasonCode = $data['reasonCode'] ?? null;
    }

    public function eventType(): string
    {
        return $this->eventType;
    }

    public function dedupKey(): string
    {
        return $this->dedupKey;
    }

    public function toArray(): array
    {
        return $this->data;
    }

    public function rawBody(): string
    {
        return $this->rawBody;
    }
}
