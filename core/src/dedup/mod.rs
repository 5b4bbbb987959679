//! Notification deduplication: each delivery processed once, by leases in a store one server or many share.
//!
//! The contract, the same for every store and every language: `begin` takes a
//! lease on the event's key (`Started`: process it, then `complete`, or
//! `fail` to let a redelivery in) or reports `Duplicate` (already completed),
//! `InProgress` (another worker holds an unexpired lease) or `Conflict` (the
//! same key came with a different payload: a forged or changed notification).
//! A lease that expires (a worker died mid-processing) lets the next delivery
//! in; completed keys are kept for `ttl`. Stores: in-process
//! ([`MemoryDedupStore`]), PostgreSQL and Redis (chosen by URL, see
//! [`Deduplicator::from_url`]), or your own [`LeaseStore`].

mod claim;
mod memory;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use crate::error::{Error, ErrorCode};
use crate::webhook::Event;

pub use claim::DedupStore;
pub use memory::MemoryDedupStore;

/// A future a store returns; boxed so stores can be trait objects.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// What `begin` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Begin {
    /// The lease is yours: process the event, then `complete` (or `fail`).
    Started,
    /// Already processed: answer 200 and do nothing.
    Duplicate,
    /// Another worker holds a live lease: answer non-200 so PagoEfectivo retries later.
    InProgress,
    /// The key was seen with a different payload: a forged or changed notification.
    Conflict,
}

impl Begin {
    pub fn as_str(&self) -> &'static str {
        match self {
            Begin::Started => "started",
            Begin::Duplicate => "duplicate",
            Begin::InProgress => "in_progress",
            Begin::Conflict => "conflict",
        }
    }
}

/// Where leases live. Implementations are atomic per key: of two concurrent
/// `begin`s on a new key, one gets `Started`.
pub trait LeaseStore: Send + Sync {
    /// Takes a lease of `lease` on `key` for a payload hashing to `payload_hash`,
    /// unless the key is completed (and younger than its ttl) or leased.
    fn begin<'a>(&'a self, key: &'a str, payload_hash: &'a str, lease: Duration) -> StoreFuture<'a, Begin>;
    /// Marks `key` done, kept for `ttl`.
    fn complete<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, ()>;
    /// Releases the lease on `key` (processing failed), so a redelivery is
    /// processed. A completed key stays completed.
    fn fail<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()>;
    /// Forgets `key` whatever its state (an operator undoing a delivery).
    fn remove<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()>;
}

/// A store that could not be reached or did not answer: the delivery must not be
/// acknowledged (answer non-200, so PagoEfectivo retries) and nothing is marked done.
pub(crate) fn store_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::ConnectionError, format!("the dedup store is unavailable ({what}): {e}"))
        .with_reason("store_unavailable")
        .with_hint("answer the notification with a non-200 status so PagoEfectivo delivers it again")
        .retryable(true)
}

/// Answers "have we already processed this notification?".
#[derive(Clone)]
pub struct Deduplicator {
    store: Arc<dyn LeaseStore>,
    ttl: Duration,
    lease: Duration,
}

impl std::fmt::Debug for Deduplicator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deduplicator")
            .field("ttl", &self.ttl)
            .field("lease", &self.lease)
            .finish_non_exhaustive()
    }
}

impl Deduplicator {
    /// PagoEfectivo retries once, soon after; a week covers any replay worth catching.
    pub const DEFAULT_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
    /// Long enough for a webhook handler's work; a dead worker's lease frees after it.
    pub const DEFAULT_LEASE: Duration = Duration::from_secs(60);

    /// Over a legacy claim store (`claim` = begin and complete at once, `release` = fail).
    pub fn new(store: Arc<dyn DedupStore>, ttl: Duration) -> Self {
        Deduplicator { store: Arc::new(claim::Claims(store, ttl)), ttl, lease: Self::DEFAULT_LEASE }
    }

    /// Over any lease store.
    pub fn with_store(store: Arc<dyn LeaseStore>) -> Self {
        Deduplicator { store, ttl: Self::DEFAULT_TTL, lease: Self::DEFAULT_LEASE }
    }

    /// In this process only: one server.
    pub fn in_memory() -> Self {
        Deduplicator::with_store(Arc::new(MemoryDedupStore::new()))
    }

    /// The store a URL names: `memory:`, `postgres://user:pass@host:5432/db` (a
    /// table `pagoefectivo_dedup`, created if missing) or `redis://host:6379/0`
    /// (one key per event under `pagoefectivo:dedup:`). Connects lazily, on first use.
    pub fn from_url(url: &str) -> Result<Self, Error> {
        Ok(Deduplicator::with_store(crate::shared::lease_store(url)?))
    }

    /// How long completed keys are remembered (default a week).
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// How long a worker holds a lease before another may take it (default 60 s).
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = lease.max(Duration::from_millis(1));
        self
    }

    /// Takes the lease for `event`: see [`Begin`].
    pub async fn begin(&self, event: &Event) -> Result<Begin, Error> {
        self.store.begin(&event.dedup_key(), &event.payload_hash(), self.lease).await
    }

    /// Processing succeeded: redeliveries are duplicates for `ttl`.
    pub async fn complete(&self, event: &Event) -> Result<(), Error> {
        self.store.complete(&event.dedup_key(), self.ttl).await
    }

    /// Processing failed: release the lease so a redelivery is processed.
    pub async fn fail(&self, event: &Event) -> Result<(), Error> {
        self.store.fail(&event.dedup_key()).await
    }

    /// [`begin`](Self::begin) by key and payload hash (bindings that hold only the event's JSON).
    pub async fn begin_key(&self, key: &str, payload_hash: &str) -> Result<Begin, Error> {
        self.store.begin(key, payload_hash, self.lease).await
    }

    /// [`complete`](Self::complete) by key.
    pub async fn complete_key(&self, key: &str) -> Result<(), Error> {
        self.store.complete(key, self.ttl).await
    }

    /// [`fail`](Self::fail) by key.
    pub async fn fail_key(&self, key: &str) -> Result<(), Error> {
        self.store.fail(key).await
    }

    /// `true` the first time an event is seen (it is then marked done at once),
    /// `false` for a redelivery. The one-call form for in-process stores; with a
    /// shared store, `begin` + `complete`/`fail` keep a crash from losing the event.
    pub fn first_delivery(&self, event: &Event) -> Result<bool, Error> {
        crate::runtime::block_on_anywhere(self.first_delivery_async(event))
    }

    /// [`first_delivery`](Self::first_delivery), awaited.
    pub async fn first_delivery_async(&self, event: &Event) -> Result<bool, Error> {
        match self.begin(event).await? {
            Begin::Started => self.complete(event).await.map(|_| true),
            Begin::Duplicate | Begin::InProgress => Ok(false),
            Begin::Conflict => Err(conflict(event)),
        }
    }

    /// Call when processing after [`first_delivery`](Self::first_delivery) failed,
    /// so the redelivery is processed (the key is forgotten whatever its state).
    pub fn forget(&self, event: &Event) -> Result<(), Error> {
        crate::runtime::block_on_anywhere(self.forget_async(event))
    }

    /// [`forget`](Self::forget), awaited.
    pub async fn forget_async(&self, event: &Event) -> Result<(), Error> {
        self.store.remove(&event.dedup_key()).await
    }
}

fn conflict(event: &Event) -> Error {
    Error::new(
        ErrorCode::SignatureVerificationFailed,
        format!("notification {} was seen before with a different payload", event.dedup_key()),
    )
    .with_reason("payload_conflict")
    .with_hint(
        "a correctly signed notification changed, or a forged one reused a key: investigate before acting",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhook::parse_event;

    #[test]
    fn second_delivery_is_recognised_until_ttl_or_forget() {
        let body = br#"{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"5","currency":"PEN","amount":1.00}}"#;
        let event = parse_event(body).unwrap();
        assert_eq!(event.dedup_key(), "cip.paid:1:5");
        let d = Deduplicator::in_memory();
        assert!(d.first_delivery(&event).unwrap());
        assert!(!d.first_delivery(&event).unwrap());
        d.forget(&event).unwrap();
        assert!(d.first_delivery(&event).unwrap());
        let short = Deduplicator::in_memory().with_ttl(Duration::ZERO);
        assert!(short.first_delivery(&event).unwrap());
        assert!(short.first_delivery(&event).unwrap());
    }

    #[tokio::test]
    async fn the_lease_contract() {
        let body = br#"{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"5","currency":"PEN","amount":1.00}}"#;
        let forged = br#"{"eventType":"cip.paid","operationNumber":"1","data":{"cip":"5","currency":"PEN","amount":99.00}}"#;
        let (event, other) = (parse_event(body).unwrap(), parse_event(forged).unwrap());
        let d = Deduplicator::in_memory().with_lease(Duration::from_millis(50));
        assert_eq!(d.begin(&event).await.unwrap(), Begin::Started);
        assert_eq!(d.begin(&event).await.unwrap(), Begin::InProgress);
        assert_eq!(d.begin(&other).await.unwrap(), Begin::Conflict);
        // The worker died: after the lease, the next delivery is processed.
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(d.begin(&event).await.unwrap(), Begin::Started);
        d.fail(&event).await.unwrap();
        assert_eq!(d.begin(&event).await.unwrap(), Begin::Started);
        d.complete(&event).await.unwrap();
        assert_eq!(d.begin(&event).await.unwrap(), Begin::Duplicate);
        assert_eq!(d.begin(&other).await.unwrap(), Begin::Conflict);
        // fail does not undo a completed delivery.
        d.fail(&event).await.unwrap();
        assert_eq!(d.begin(&event).await.unwrap(), Begin::Duplicate);
    }
}
