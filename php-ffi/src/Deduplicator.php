<?php
// Each notification processed once, by the core's leases: in this process, or in a PostgreSQL or Redis store many servers share.

declare(strict_types=1);

namespace PagoEfectivo;

use PagoEfectivo\Exception\ConfigurationException;
use PagoEfectivo\Exception\ConnectionException;
use PagoEfectivo\Exception\SignatureVerificationException;
use PagoEfectivo\Exception\ValidationException;
use PagoEfectivo\Internal\Handle;
use PagoEfectivo\Internal\Native;

/**
 * The core's deduplicator. `begin($event)` takes a lease on the event's key and answers
 * `'started'` (process it, then `complete($event)`, or `fail($event)` to let a redelivery in),
 * `'duplicate'` (already completed: answer 200, do nothing), `'in_progress'` (another worker holds
 * a live lease: answer non-200 so PagoEfectivo delivers it again later) or `'conflict'` (the same
 * key came with another payload: a changed or forged notification). A lease that runs out (a worker
 * died mid-processing) lets the next delivery in; completed keys are remembered for the ttl.
 *
 * The event carries the raw body it was verified from (Webhook::constructEvent), which the core
 * parses again: the key and the payload hash are the core's. A store that cannot be reached is a
 * ConnectionException with reason `store_unavailable` and nothing is marked done.
 */
final class Deduplicator
{
    private readonly Handle $handle;
    /** The core's description (ttl and lease): never the store URL, which may hold a password and lives in no PHP property. */
    private readonly string $shown;

    private function __construct(#[\SensitiveParameter] array $options)
    {
        [$this->handle, $this->shown] = Native::open('pe_dedup_new', 'pe_dedup_call', 'pe_dedup_free', $options, 'options');
    }

    /**
     * From the core's options: `url` (as fromUrl(); absent or null: in memory), `ttlMs` and `leaseMs`
     * (as fromUrl()), snake_case or camelCase as the core reads them. An unknown option is a
     * ValidationException naming it.
     *
     * @param array{url?: ?string, ttlMs?: ?int, leaseMs?: ?int} $options
     * @throws ConfigurationException an unknown scheme or a URL the store cannot read
     * @throws ValidationException    an unknown option, a negative ttl or lease
     */
    public static function create(#[\SensitiveParameter] array $options = []): self
    {
        return new self($options);
    }

    /**
     * A store many servers share: `postgres://user:pass@host:5432/db` (a table `pagoefectivo_dedup`,
     * created if missing), `redis://[:pass@]host:6379/0` (one key per event under
     * `pagoefectivo:dedup:`) or `memory:`. Each process connects on first use. `$ttlMs`: how long
     * completed keys are remembered (null: the core's week); `$leaseMs`: how long a worker holds an
     * event before another may take it (null: the core's 60 s).
     *
     * @throws ConfigurationException an unknown scheme or a URL the store cannot read
     * @throws ValidationException    a negative ttl or lease
     */
    public static function fromUrl(#[\SensitiveParameter] string $url, ?int $ttlMs = null, ?int $leaseMs = null): self
    {
        return new self(['url' => $url, 'ttlMs' => $ttlMs, 'leaseMs' => $leaseMs]);
    }

    /** In this process only: one server (under PHP-FPM each child has its own, so use fromUrl()). */
    public static function inMemory(?int $ttlMs = null, ?int $leaseMs = null): self
    {
        return new self(['ttlMs' => $ttlMs, 'leaseMs' => $leaseMs]);
    }

    /**
     * Takes the lease for `$event`: `'started'`, `'duplicate'`, `'in_progress'` or `'conflict'`.
     *
     * @throws ConnectionException            the store is unavailable (answer non-200)
     * @throws SignatureVerificationException reason `malformed_body`: an event without its raw body
     */
    public function begin(Event $event): string
    {
        return $this->call('begin', $event);
    }

    /** Processing succeeded: redeliveries are duplicates for the ttl. @throws ConnectionException */
    public function complete(Event $event): void
    {
        $this->call('complete', $event);
    }

    /** Processing failed: releases the lease so a redelivery is processed (a completed event stays completed). @throws ConnectionException */
    public function fail(Event $event): void
    {
        $this->call('fail', $event);
    }

    /**
     * True the first time (the event is marked done at once), false for a redelivery or while another
     * worker holds it. The one-call form for one server; with a shared store, begin() and
     * complete()/fail() keep a crash from losing the event.
     *
     * @throws SignatureVerificationException reason `payload_conflict`: seen before with another payload
     * @throws ConnectionException            the store is unavailable
     */
    public function firstDelivery(Event $event): bool
    {
        return $this->call('first_delivery', $event);
    }

    /** Forgets the event whatever its state, so its redelivery is processed (after firstDelivery() and a failure). */
    public function forget(Event $event): void
    {
        $this->call('forget', $event);
    }

    private function call(string $op, Event $event): mixed
    {
        return $this->handle->callOnBytes($op, $event->rawBody());
    }

    public function __debugInfo(): array
    {
        return ['deduplicator' => $this->shown];
    }

    public function __serialize(): array
    {
        throw new \LogicException('a PagoEfectivo\Deduplicator cannot be serialized; create one per process');
    }

    public function __clone()
    {
        throw new \LogicException('a PagoEfectivo\Deduplicator cannot be cloned; share the instance');
    }
}
