<?php
// The shop's two PagoEfectivo endpoints: the checkout that creates a CIP and the signed payment notification.

declare(strict_types=1);

use App\Http\Controllers\CheckoutController;
use App\Http\Controllers\PagoEfectivoWebhookController;
use Illuminate\Support\Facades\Route;

Route::post('/checkout', CheckoutController::class);
Route::post('/webhooks/pagoefectivo', PagoEfectivoWebhookController::class)->middleware('pagoefectivo.signature');
