<?php
// The cache queue:work reads its restart signal from: in memory (this example keeps no other cache).

declare(strict_types=1);

return [
    'default' => env('CACHE_DRIVER', 'array'),
    'stores' => [
        'array' => ['driver' => 'array', 'serialize' => false],
    ],
    'prefix' => 'shop_cache',
];
