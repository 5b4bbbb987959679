//! The first store contract (one `claim` per delivery), kept for stores written against it, as a lease store.

use std::sync::Arc;
use std::time::Duration;

use super::{Begin, LeaseStore, StoreFuture};
use crate::error::Error;

/// Where seen delivery keys are kept, claim style: an INSERT on a unique key.
/// [`super::LeaseStore`] is the full contract (leases, completion, conflicts);
/// a `DedupStore` is adapted to it: `claim` = begin and complete at once.
pub trait DedupStore: Send + Sync {
    /// Records `key` for `ttl`; `true` if it was not already recorded.
    fn claim(&self, key: &str, ttl: Duration) -> Result<bool, Error>;
    /// Forgets `key`, so that a redelivery is processed (after a failure).
    fn release(&self, key: &str) -> Result<(), Error>;
}

/// A claim store seen as a lease store (no leases, no payload check).
pub(crate) struct Claims(pub Arc<dyn DedupStore>, pub Duration);

impl LeaseStore for Claims {
    fn begin<'a>(&'a self, key: &'a str, _hash: &'a str, _lease: Duration) -> StoreFuture<'a, Begin> {
        let r = self.0.claim(key, self.1).map(|first| if first { Begin::Started } else { Begin::Duplicate });
        Box::pin(std::future::ready(r))
    }
    fn complete<'a>(&'a self, _key: &'a str, _ttl: Duration) -> StoreFuture<'a, ()> {
        Box::pin(std::future::ready(Ok(())))
    }
    fn fail<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(std::future::ready(self.0.release(key)))
    }
    fn remove<'a>(&'a self, key: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(std::future::ready(self.0.release(key)))
    }
}
