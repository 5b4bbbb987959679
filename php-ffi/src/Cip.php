<?php
// A newly created CIP: the code to show the shopper, its amount (a decimal string) and its voucher page.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Internal\Wire;

final class Cip
{
    public readonly int $cip;
    public readonly string $currency;
    /** Two decimals, e.g. "149.90"; never a float. */
    public readonly string $amount;
    public readonly string $transactionCode;
    public readonly \DateTimeImmutable $dateExpiry;
    public readonly string $cipUrl;

    /** @param array<string, mixed> $data the core's JSON */
    public function __construct(private readonly array $data)
    {
        $this->cip = (int) $data['cip'];
        $this->currency = $data['currency'];
        $this->amount = $data['amount'];
        $this->transactionCode = $data['transactionCode'];
        $this->dateExpiry = Wire::time($data['dateExpiry']);
        $this->cipUrl = $data['cipUrl'];
    }

    /** The core's JSON form (camelCase keys, wire times). */
    public function toArray(): array
    {
        return $this->data;
    }
}
