<?php
// The checkout: records the order, asks PagoEfectivo for a CIP and answers the code and its voucher page.

declare(strict_types=1);

namespace App\Http\Controllers;

use App\Models\Order;
use Illuminate\Http\JsonResponse;
use Illuminate\Http\Request;
use PagoEfectivo\Client;
use PagoEfectivo\Exception\PagoEfectivoException;
use PagoEfectivo\Exception\ValidationException;

class CheckoutController
{
    public function __invoke(Request $request, Client $pagoefectivo): JsonResponse
    {
        // No rule of our own on the amount or the email: the package's core checks the request (a float
        // amount, a bad email, an amount with three decimals...) and names every field that is wrong.
        $order = Order::create([
            'currency' => (string) $request->input('currency', 'PEN'),
            'amount' => '0',
            'email' => (string) $request->input('email', ''),
        ]);
        $order->update(['reference' => 'ORD-' . $order->id]);
        try {
            $cip = $pagoefectivo->cips()->create([
                'currency' => $order->currency,
                'amount' => $request->input('amount'),
                'transaction_code' => $order->reference,
                'user_email' => $order->email,
                'payment_concept' => 'Pedido ' . $order->reference,
                'date_expiry' => new \DateTimeImmutable('+48 hours'),
            ]);
        } catch (ValidationException $e) {
            $order->delete();
            return new JsonResponse(['error' => $e->getErrorCode(), 'fields' => $e->getFieldErrors()], 422);
        } catch (PagoEfectivoException $e) {
            // The order stays pending without a CIP; getTransactionCode() names it when the outcome is unknown.
            report($e);
            return new JsonResponse(['error' => $e->getErrorCode(), 'retryable' => $e->isRetryable()], 502);
        }
        $order->update([
            'amount' => $cip->amount,
            'cip' => $cip->cip,
            'cip_url' => $cip->cipUrl,
            'expires_at' => $cip->dateExpiry,
        ]);
        return new JsonResponse([
            'order' => $order->reference,
            'cip' => $cip->cip,
            'amount' => $cip->amount,
            'currency' => $cip->currency,
            'pay_at' => $cip->cipUrl,
            'expires_at' => $cip->dateExpiry->format(DATE_ATOM),
        ], 201);
    }
}
