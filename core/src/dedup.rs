//! Notification deduplication: the same delivery processed once, behind a pluggable store.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::webhook::Event;

/// Where seen delivery keys are kept. In-process for one server
/// ([`MemoryDedupStore`]); implement it over a shared database (an INSERT on
/// a unique key) when several servers receive notifications.
pub trait DedupStore: Send + Sync {
    /// Records `key` for `ttl`; `true` if it was not already recorded.
    fn claim(&self, key: &str, ttl: Duration) -> Result<bool, Error>;
    /// Forgets `key`, so that a redelivery is processed (after a failure).
    fn release(&self, key: &str) -> Result<(), Error>;
}

/// An in-memory TTL store. Expired keys are swept as the map grows.
#[derive(Default)]
pub struct MemoryDedupStore {
    entries: Mutex<HashMap<String, Instant>>,
}

impl MemoryDedupStore {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl DedupStore for MemoryDedupStore {
    fn claim(&self, key: &str, ttl: Duration) -> Result<bool, Error> {
        let now = Instant::now();
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= 1024 && map.len().is_power_of_two() {
            map.retain(|_, until| *until > now);
        }
        match map.get(key) {
            Some(until) if *until > now => Ok(false),
            _ => {
                map.insert(key.to_owned(), now + ttl);
                Ok(true)
            }
        }
    }

    fn release(&self, key: &str) -> Result<(), Error> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
        Ok(())
    }
}

/// Answers "have we already processed this notification?".
#[derive(Clone)]
pub struct Deduplicator {
    store: Arc<dyn DedupStore>,
    ttl: Duration,
}

impl Deduplicator {
    /// PagoEfectivo retries once, soon after; a week covers any replay worth catching.
    pub const DEFAULT_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

    pub fn new(store: Arc<dyn DedupStore>, ttl: Duration) -> Self {
        Deduplicator { store, ttl }
    }

    pub fn in_memory() -> Self {
        Deduplicator::new(Arc::new(MemoryDedupStore::new()), Self::DEFAULT_TTL)
    }

    /// `true` the first time an event is seen, `false` for a redelivery.
    pub fn first_delivery(&self, event: &Event) -> Result<bool, Error> {
        self.store.claim(&event.dedup_key(), self.ttl)
    }

    /// Call when processing failed, so the redelivery is processed.
    pub fn forget(&self, event: &Event) -> Result<(), Error> {
        self.store.release(&event.dedup_key())
    }
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
        let short = Deduplicator::new(Arc::new(MemoryDedupStore::new()), Duration::ZERO);
        assert!(short.first_delivery(&event).unwrap());
        assert!(short.first_delivery(&event).unwrap());
    }
}
