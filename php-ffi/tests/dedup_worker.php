<?php
// Run by StoresTest as a php-cli process of its own, as each PHP-FPM child is: one role, through the public API only.
//
//   deliveries URL RUN OUT         every one of 100 events delivered 3 times, in one shuffled order; says "ready"
//                                  once set up and starts at the line "go" on stdin; a started event is appended
//                                  to OUT (this process's own file) and completed; in_progress is a non-200
//                                  answer: PagoEfectivo delivers again later
//   hold URL RUN LEASE_MS          begins event 0 with a short lease, says "started", then hangs (to be killed)
//   take URL RUN OUT               one delivery of event 0: prints what begin answered; a started one is processed
//   relay TARGET                   a TCP relay on a free loopback port to TARGET (host:port); prints the port

declare(strict_types=1);

require dirname(__DIR__) . '/autoload.php';

use PagoEfectivo\Deduplicator;
use PagoEfectivo\Event;
use PagoEfectivo\Webhook;

const SECRET = 'stores-test-secret';

function event(string $run, int $n): Event
{
    $body = sprintf(
        '{"eventType":"cip.paid","operationNumber":"%s-%d","data":{"cip":"%d","currency":"PEN","amount":10.00}}',
        $run,
        $n,
        1000 + $n
    );
    return Webhook::constructEvent($body, Webhook::sign($body, SECRET), SECRET);
}

function say(string $line): void
{
    fwrite(STDOUT, $line . "\n");
    fflush(STDOUT);
}

function relay(string $target): never
{
    $server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
    if ($server === false) {
        fwrite(STDERR, "relay: {$errstr}\n");
        exit(1);
    }
    say((string) parse_url('tcp://' . stream_socket_get_name($server, false), PHP_URL_PORT));
    $peer = []; // socket id => the socket it forwards to
    $sockets = [];
    while (true) {
        $read = array_values($sockets);
        $read[] = $server;
        $write = $except = null;
        if (stream_select($read, $write, $except, null) === false) {
            exit(1);
        }
        foreach ($read as $s) {
            if ($s === $server) {
                $a = stream_socket_accept($server);
                $b = @stream_socket_client("tcp://{$target}", $errno, $errstr, 5);
                if ($a === false || $b === false) {
                    continue;
                }
                $sockets[(int) $a] = $a;
                $sockets[(int) $b] = $b;
                $peer[(int) $a] = $b;
                $peer[(int) $b] = $a;
                continue;
            }
            $data = @fread($s, 65536);
            $other = $peer[(int) $s] ?? null;
            if ($data === '' || $data === false || $other === null) {
                foreach ([$s, $other] as $c) {
                    if ($c !== null) {
                        unset($sockets[(int) $c], $peer[(int) $c]);
                        @fclose($c);
                    }
                }
                continue;
            }
            for ($sent = 0; $sent < strlen($data);) {
                $n = @fwrite($other, substr($data, $sent));
                if ($n === false || $n === 0) {
                    break;
                }
                $sent += $n;
            }
        }
    }
}

[, $role] = $argv + [1 => ''];
switch ($role) {
    case 'deliveries':
        [, , $url, $run, $out] = $argv;
        $d = Deduplicator::fromUrl($url);
        $file = fopen($out, 'w');
        $queue = [];
        foreach (range(0, 99) as $n) {
            array_push($queue, $n, $n, $n);
        }
        // The same order in every worker (seeded by the run): the four race for each event at the same moment.
        mt_srand(crc32($run));
        shuffle($queue);
        mt_srand();
        $events = [];
        foreach (range(0, 99) as $n) {
            $events[$n] = event($run, $n);
        }
        $answers = ['started' => 0, 'duplicate' => 0, 'in_progress' => 0, 'conflict' => 0];
        // The store's connection is made at its first use: made here (on an event of this worker's
        // own), so that no worker starts late by its connection's set-up.
        $warm = event("{$run}-warm-" . getmypid(), 0);
        $d->begin($warm);
        $d->forget($warm);
        // Every worker starts at the same moment, however long each took to load PHP, the library and its store.
        say('ready');
        if (trim((string) fgets(STDIN)) !== 'go') {
            exit(1);
        }
        while ($queue !== []) {
            $n = array_shift($queue);
            $e = $events[$n];
            $answer = $d->begin($e);
            $answers[$answer]++;
            if ($answer === 'started') {
                fwrite($file, $e->dedupKey() . "\n");
                fflush($file);
                usleep(random_int(0, 2000));
                $d->complete($e);
            } elseif ($answer === 'in_progress') {
                $queue[] = $n; // answered non-200: delivered again later
            }
        }
        fclose($file);
        say(json_encode($answers));
        break;
    case 'hold':
        [, , $url, $run, $lease] = $argv;
        $d = Deduplicator::fromUrl($url, null, (int) $lease);
        $answer = $d->begin(event($run, 0));
        say($answer);
        sleep(3600);
        break;
    case 'take':
        [, , $url, $run, $out] = $argv;
        $d = Deduplicator::fromUrl($url);
        $e = event($run, 0);
        $answer = $d->begin($e);
        if ($answer === 'started') {
            file_put_contents($out, $e->dedupKey() . "\n", FILE_APPEND);
            $d->complete($e);
        }
        say($answer);
        break;
    case 'relay':
        relay($argv[2]);
    default:
        fwrite(STDERR, "unknown role {$role}\n");
        exit(2);
}
