<?php
// Errors as JSON (an API: no HTML error pages, so no view layer), never with a secret: the package's messages hold none.

declare(strict_types=1);

namespace App\Exceptions;

use Illuminate\Foundation\Exceptions\Handler as ExceptionHandler;
use Throwable;

class Handler extends ExceptionHandler
{
    protected function shouldReturnJson($request, Throwable $e)
    {
        return true;
    }
}
