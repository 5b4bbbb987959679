//! The token cache several processes share: one token, one refresh at a time (a lock with an expiry).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::dedup::StoreFuture;

/// Where a shared token lives. `key` names a credential set (not secret);
/// `owner` names the process that holds the refresh lock.
pub trait TokenStore: Send + Sync {
    /// The token and how long it stays valid, if one is stored and unexpired.
    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<(String, Duration)>>;
    /// Takes the refresh lock for `ttl` unless another owner holds it.
    fn try_lock<'a>(&'a self, key: &'a str, owner: &'a str, ttl: Duration) -> StoreFuture<'a, bool>;
    /// Stores a fresh token valid for `valid_for`, and releases `owner`'s lock.
    fn put<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
        token: &'a str,
        valid_for: Duration,
    ) -> StoreFuture<'a, ()>;
    /// Releases `owner`'s lock (the refresh failed).
    fn unlock<'a>(&'a self, key: &'a str, owner: &'a str) -> StoreFuture<'a, ()>;
    /// Forgets the stored token if it is `rejected` (the API answered 401 to it).
    fn invalidate<'a>(&'a self, key: &'a str, rejected: &'a str) -> StoreFuture<'a, ()>;
}

#[derive(Default)]
struct Slot {
    token: Option<(String, Instant)>,
    lock: Option<(String, Instant)>,
}

/// In this process (tests; the token cache of one process needs no store).
#[derive(Default)]
pub struct MemoryTokenStore {
    slots: Mutex<HashMap<String, Slot>>,
}

impl MemoryTokenStore {
    fn with<T>(&self, key: &str, f: impl FnOnce(&mut Slot) -> T) -> T {
        let mut map = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        f(map.entry(key.to_owned()).or_default())
    }
}

impl TokenStore for MemoryTokenStore {
    fn get<'a>(&'a self, key: &'a str) -> StoreFuture<'a, Option<(String, Duration)>> {
        let now = Instant::now();
        let found = self.with(key, |s| {
            s.token.as_ref().filter(|(_, until)| *until > now).map(|(t, until)| (t.clone(), *until - now))
        });
        Box::pin(std::future::ready(Ok(found)))
    }
    fn try_lock<'a>(&'a self, key: &'a str, owner: &'a str, ttl: Duration) -> StoreFuture<'a, bool> {
        let now = Instant::now();
        let got = self.with(key, |s| match &s.lock {
            Some((o, until)) if *until > now && o != owner => false,
            _ => {
                s.lock = Some((owner.to_owned(), now + ttl));
                true
            }
        });
        Box::pin(std::future::ready(Ok(got)))
    }
    fn put<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
        token: &'a str,
        valid_for: Duration,
    ) -> StoreFuture<'a, ()> {
        self.with(key, |s| {
            s.token = Some((token.to_owned(), Instant::now() + valid_for));
            if s.lock.as_ref().is_some_and(|(o, _)| o == owner) {
                s.lock = None;
            }
        });
        Box::pin(std::future::ready(Ok(())))
    }
    fn unlock<'a>(&'a self, key: &'a str, owner: &'a str) -> StoreFuture<'a, ()> {
        self.with(key, |s| {
            if s.lock.as_ref().is_some_and(|(o, _)| o == owner) {
                s.lock = None;
            }
        });
        Box::pin(std::future::ready(Ok(())))
    }
    fn invalidate<'a>(&'a self, key: &'a str, rejected: &'a str) -> StoreFuture<'a, ()> {
        self.with(key, |s| {
            if s.token.as_ref().is_some_and(|(t, _)| t == rejected) {
                s.token = None;
            }
        });
        Box::pin(std::future::ready(Ok(())))
    }
}
