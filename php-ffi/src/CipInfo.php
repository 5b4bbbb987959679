<?php
// A CIP as PagoEfectivo reports it: status, amounts and dates (null while not set).

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Wire;

final class CipInfo
{
    public readonly int $cip;
    public readonly string $transactionCode;
    public readonly string $amount;
    public readonly string $currency;
    public readonly CipStatus $status;
    /** The number received (23, 593...). */
    public readonly int $statusCode;
    public readonly string $statusName;
    public readonly ?\DateTimeImmutable $dateCreation;
    public readonly ?\DateTimeImmutable $dateExpiry;
    /** Null while unpaid (the wire's 1900 sentinel). */
    public readonly ?\DateTimeImmutable $datePayment;
    public readonly ?\DateTimeImmutable $dateRemoval;
    public readonly ?string $token;

    /** @param array<string, mixed> $data the core's JSON */
    public function __construct(private readonly array $data)
    {
        $this->cip = (int) $data['cip'];
        $this->transactionCode = $data['transactionCode'];
        $this->amount = $data['amount'];
        $this->currency = $data['currency'];
        $this->status = CipStatus::from($data['status']);
        $this->statusCode = (int) $data['statusCode'];
        $this->statusName = (string) $data['statusName'];
        $this->dateCreation = Wire::time($data['dateCreation'] ?? null);
        $this->dateExpiry = Wire::time($data['dateExpiry'] ?? null);
        $this->datePayment = Wire::time($data['datePayment'] ?? null);
        $this->dateRemoval = Wire::time($data['dateRemoval'] ?? null);
        $this->token = $data['token'] ?? null;
    }

    public function toArray(): array
    {
        return $this->data;
    }
}
