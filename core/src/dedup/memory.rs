//! The in-process lease store: one server (or tests).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{Begin, DedupStore, LeaseStore, StoreFuture};
use crate::error::Error;
use crate::fork::PerProcess;

#[derive(Clone)]
struct Entry {
    hash: String,
    done: bool,
    until: Instant,
}

/// In memory, per process (a forked worker starts empty: its parent's locks
/// may be held). Expired entries are swept as the map grows.
pub struct MemoryDedupStore {
    entries: PerProcess<Mutex<HashMap<String, Entry>>>,
}

fn empty() -> Mutex<HashMap<String, Entry>> {
    Mutex::new(HashMap::new())
}

impl Default for MemoryDedupStore {
    fn default() -> Self {
        MemoryDedupStore { entries: PerProcess::new(empty) }
    }
}

fn later(now: Instant, by: Duration) -> Instant {
    now.checked_add(by).unwrap_or(now + Duration::from_secs(100 * 365 * 86_400))
}

impl MemoryDedupStore {
    pub fn new() -> Self {
        Self::default()
    }
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.get().lock().unwrap_or_else(|p| p.into_inner())
    }
    pub fn len(&self) -> usize {
        self.map().len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn begin_now(&self, key: &str, hash: &str, lease: Duration) -> Begin {
        let now = Instant::now();
        let mut map = self.map();
        if map.len() >= 1024 && map.len().is_power_of_two() {
            map.retain(|_, e| e.until > now);
        }
        match map.get(key) {
            Some(e) if e.until > now && e.hash != hash => Begin::Conflict,
            Some(e) if e.until > now && e.done => Begin::Duplicate,
            Some(e) if e.until > now => Begin::InProgress,
            _ => {
                map.insert(
                    key.to_owned(),
                    Entry { hash: hash.to_owned(), done: false, until: later(now, lease) },
                );
                Begin::Started
            }
        }
    }
}

impl LeaseStore for MemoryDedupStore {
    fn begin<'a>(&'a self, key: &'a str, payload_hash: &'a str, lease: Duration) -> StoreFuture<'a, Begin> {
        Box::pin(std::future::ready(Ok(self.begin_now(key, payload_hash, lease))))
    }
    fn complete<'a>(&'a self, key: &'a str, ttl: Duration) -> StoreFuture<'a, ()> {
        if let Some(e) = self.map().get_mut(key) {
            e.done = true;
            e.until = later(Instant::now(), ttl);
        }
        Box::pin(std::future::ready(Ok(())))
    }
    fn fail<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        let mut map = self.map();
        if map.get(key).is_some_and(|e| !e.done) {
            map.remove(key);
        }
        Box::pin(std::future::ready(Ok(())))
    }
    fn remove<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        self.map().remove(key);
        Box::pin(std::future::ready(Ok(())))
    }
}

/// The claim contract over the same map, for code written against [`DedupStore`].
impl DedupStore for MemoryDedupStore {
    fn claim(&self, key: &str, ttl: Duration) -> Result<bool, Error> {
        let started = self.begin_now(key, "", ttl) == Begin::Started;
        if started && let Some(e) = self.map().get_mut(key) {
            e.done = true;
        }
        Ok(started)
    }
    fn release(&self, key: &str) -> Result<(), Error> {
        self.map().remove(key);
        Ok(())
    }
}
