//! Stores several servers share, chosen by URL: PostgreSQL and Redis for dedup leases and the token cache.
//!
//! Connections are made on first use and per process (a forked worker opens
//! its own), on the runtime of the call that needs them; a broken one is
//! replaced on the next call. A URL may hold a password: it never appears in
//! an error, a log or `Debug`.

#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "redis")]
mod redis;
mod tokens;

use std::sync::Arc;

use crate::dedup::{LeaseStore, MemoryDedupStore};
use crate::error::Error;

pub use tokens::{MemoryTokenStore, TokenStore};

fn scheme(url: &str) -> &str {
    url.split_once(':').map_or("", |(s, _)| s)
}

fn unsupported(url: &str) -> Error {
    let scheme = scheme(url);
    Error::config(format!(
        "a store URL is memory:, postgres://... or redis://... (got scheme {:?}; was this SDK built without that store?)",
        scheme.chars().take(20).collect::<String>()
    ))
}

/// The lease store a URL names.
pub(crate) fn lease_store(url: &str) -> Result<Arc<dyn LeaseStore>, Error> {
    match scheme(url) {
        "memory" => Ok(Arc::new(MemoryDedupStore::new())),
        #[cfg(feature = "postgres")]
        "postgres" | "postgresql" => Ok(Arc::new(postgres::PgStore::new(url)?)),
        #[cfg(feature = "redis")]
        "redis" | "rediss" => Ok(Arc::new(redis::RedisStore::new(url)?)),
        _ => Err(unsupported(url)),
    }
}

/// The token store a URL names.
pub fn token_store(url: &str) -> Result<Arc<dyn TokenStore>, Error> {
    match scheme(url) {
        "memory" => Ok(Arc::new(MemoryTokenStore::default())),
        #[cfg(feature = "postgres")]
        "postgres" | "postgresql" => Ok(Arc::new(postgres::PgStore::new(url)?)),
        #[cfg(feature = "redis")]
        "redis" | "rediss" => Ok(Arc::new(redis::RedisStore::new(url)?)),
        _ => Err(unsupported(url)),
    }
}
