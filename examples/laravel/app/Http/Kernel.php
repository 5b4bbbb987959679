<?php
// The HTTP kernel: an API-only shop (no sessions, cookies or CSRF), the signature check as a route middleware.

declare(strict_types=1);

namespace App\Http;

use Illuminate\Foundation\Http\Kernel as HttpKernel;

class Kernel extends HttpKernel
{
    protected $middleware = [
        \Illuminate\Foundation\Http\Middleware\ValidatePostSize::class,
    ];

    protected $middlewareGroups = [
        'api' => [
            \Illuminate\Routing\Middleware\SubstituteBindings::class,
        ],
    ];

    protected $routeMiddleware = [
        'pagoefectivo.signature' => \App\Http\Middleware\VerifyPagoEfectivoSignature::class,
    ];
}
