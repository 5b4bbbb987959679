<?php
// The console kernel: the framework's commands (migrate, queue:work, serve) and none of our own.

declare(strict_types=1);

namespace App\Console;

use Illuminate\Foundation\Console\Kernel as ConsoleKernel;

class Kernel extends ConsoleKernel
{
}
