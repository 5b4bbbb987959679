<?php
// A shop order: its amount (a decimal string, never a float), its CIP and whether PagoEfectivo confirmed the money.

declare(strict_types=1);

namespace App\Models;

use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\HasMany;

/**
 * @property int $id
 * @property string $reference  the CIP's transaction code
 * @property string $currency
 * @property string $amount     numeric(12,2), read back as a string ("149.90"); no cast, which would go through float
 * @property ?int $cip
 * @property string $status     pending, paid or review (paid with another amount or currency)
 */
class Order extends Model
{
    protected $guarded = ['id'];

    /** timestamptz columns keep the offset: without it Laravel writes Lima's wall time and the session reads it as UTC. */
    protected $dateFormat = 'Y-m-d H:i:sP';

    protected $casts = ['cip' => 'integer', 'expires_at' => 'immutable_datetime', 'paid_at' => 'immutable_datetime'];

    /** The notifications applied to this order, one row each: a duplicate processed twice would show here. */
    public function events(): HasMany
    {
        return $this->hasMany(OrderEvent::class);
    }
}
