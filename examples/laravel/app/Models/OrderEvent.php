<?php
// One PagoEfectivo notification applied to an order (the order's ledger).

declare(strict_types=1);

namespace App\Models;

use Illuminate\Database\Eloquent\Model;

class OrderEvent extends Model
{
    public const UPDATED_AT = null;

    protected $guarded = ['id'];

    /** timestamptz columns keep the offset: without it Laravel writes Lima's wall time and the session reads it as UTC. */
    protected $dateFormat = 'Y-m-d H:i:sP';
}
