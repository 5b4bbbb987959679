<?php
// The database queue: a notification is stored with the 200 and processed by `php artisan queue:work` after it.

declare(strict_types=1);

return [
    'default' => env('QUEUE_CONNECTION', 'database'),
    'connections' => [
        'database' => [
            'driver' => 'database',
            'connection' => 'pgsql',
            'table' => 'jobs',
            'queue' => 'default',
            'retry_after' => 90,
            // Queued inside a transaction? Stored only when it commits.
            'after_commit' => true,
        ],
        'sync' => ['driver' => 'sync'],
    ],
    'failed' => [
        'driver' => 'database-uuids',
        'database' => 'pgsql',
        'table' => 'failed_jobs',
    ],
];
