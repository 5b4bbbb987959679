<?php
// Class loading: Laravel 8 from Debian's php-laravel-framework (/usr/share/php), the app and pagoefectivo from vendor/.

declare(strict_types=1);

// With Packagist reachable, `composer require laravel/framework:^8.83` instead and drop this line.
require_once 'Illuminate/autoload.php';
require_once dirname(__DIR__) . '/vendor/autoload.php';
