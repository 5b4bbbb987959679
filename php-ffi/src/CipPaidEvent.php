<?php
// `cip.paid`: the money is confirmed.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Wire;

final class CipPaidEvent implements Event
{
    public readonly string $operationNumber;
    public readonly int $cip;
    public readonly string $currency;
    public readonly string $amount;
    public readonly ?\DateTimeImmutable $paymentDate;
    public readonly ?string $transactionCode;

    /** @param array<string, mixed> $data the core's JSON */
    public function __construct(private readonly array $data)
    {
        $this->operationNumber = $data['operationNumber'];
        $this->cip = (int) $data['cip'];
        $this->currency = $data['currency'];
        $this->amount = $data['amount'];
        $this->paymentDate = Wire::time($data['paymentDate'] ?? null);
        $this->transactionCode = $data['transactionCode'] ?? null;
    }

    public function eventType(): string
    {
        return 'cip.paid';
    }

    public function dedupKey(): string
    {
        return "cip.paid:{$this->operationNumber}:{$this->cip}";
    }

    public function toArray(): array
    {
        return $this->data;
    }
}
