//! Authentication: the `hashString`, and a token cache shared by all calls of a client.

use std::sync::RwLock;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::secret::Secret;

/// `lowercase_hex(SHA-256(idService "." accessKey "." secretKey "." dateRequest))`.
/// `date_request` must be byte-identical to the value sent.
pub fn hash_string(id_service: u32, access_key: &str, secret_key: &str, date_request: &str) -> String {
    let mut h = Sha256::new();
    h.update(id_service.to_string().as_bytes());
    h.update(b".");
    h.update(access_key.as_bytes());
    h.update(b".");
    h.update(secret_key.as_bytes());
    h.update(b".");
    h.update(date_request.as_bytes());
    hex::encode(h.finalize())
}

/// The `data` of a successful `POST v1/authorizations`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenData {
    pub token: String,
    #[serde(default)]
    pub code_service: Option<String>,
    pub token_start: String,
    pub token_expires: String,
}

/// A bearer token and the local instant after which it is not used.
#[derive(Clone)]
pub(crate) struct Token {
    pub value: Secret,
    pub refresh_at: Instant,
}

impl Token {
    /// The lifetime is `tokenExpires - tokenStart`, both server times, applied
    /// to the local monotonic clock: a skewed local clock cannot make us use an
    /// expired token. Refreshed `margin` early (half the lifetime if shorter).
    pub fn new(
        value: String,
        start: DateTime<FixedOffset>,
        expires: DateTime<FixedOffset>,
        margin: Duration,
        received_at: Instant,
    ) -> Token {
        let lifetime = (expires - start).to_std().unwrap_or(Duration::ZERO);
        let margin = margin.min(lifetime / 2);
        // Times from the network: a token "valid until 9999" must not overflow the clock.
        let refresh_at =
            received_at.checked_add(lifetime - margin).unwrap_or(received_at + Duration::from_secs(86_400));
        Token { value: Secret::new(value), refresh_at }
    }

    /// A token another process fetched and shared, usable for `left` more.
    pub fn adopted(value: String, left: Duration) -> Token {
        let now = Instant::now();
        Token { value: Secret::new(value), refresh_at: now.checked_add(left).unwrap_or(now) }
    }

    pub fn is_fresh(&self, now: Instant) -> bool {
        now < self.refresh_at
    }
}

/// One cached token per client. Readers take the fast path; a refresh is done
/// by one caller while the others wait for it (`refresh_lock`).
pub(crate) struct TokenCache {
    current: RwLock<Option<Token>>,
    pub refresh_lock: tokio::sync::Mutex<()>,
}

impl TokenCache {
    pub fn new() -> Self {
        TokenCache { current: RwLock::new(None), refresh_lock: tokio::sync::Mutex::new(()) }
    }

    pub fn fresh(&self) -> Option<Secret> {
        let guard = self.current.read().unwrap_or_else(|p| p.into_inner());
        guard.as_ref().filter(|t| t.is_fresh(Instant::now())).map(|t| t.value.clone())
    }

    pub fn store(&self, token: Token) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some(token);
    }

    /// Forget `rejected` (answered 401), unless another caller already replaced it.
    pub fn invalidate(&self, rejected: &Secret) {
        let mut guard = self.current.write().unwrap_or_else(|p| p.into_inner());
        if guard.as_ref().is_some_and(|t| &t.value == rejected) {
            *guard = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse;

    #[test]
    fn known_answer_from_the_spec() {
        assert_eq!(
            hash_string(
                1234,
                "ACCESSKEY00000000000",
                "SECRETKEY0000000000000000000000000000000",
                "2020-11-15T15:45:00-05:00"
            ),
            "964ad38ff73a8933bdd5bd62470e592442d1ca7156f0333dbc1d3881871a81b7"
        );
    }

    #[test]
    fn token_refreshes_before_expiry_even_for_short_lifetimes() {
        let now = Instant::now();
        let start = parse("2018-08-13T16:30:13-05:00").unwrap();
        let five_min = parse("2018-08-13T16:35:13-05:00").unwrap();
        let t = Token::new("x".into(), start, five_min, Duration::from_secs(30), now);
        assert_eq!(t.refresh_at, now + Duration::from_secs(270));
        let t = Token::new(
            "x".into(),
            start,
            start + chrono::Duration::seconds(10),
            Duration::from_secs(30),
            now,
        );
        assert_eq!(t.refresh_at, now + Duration::from_secs(5));
    }

    #[test]
    fn invalidate_only_the_rejected_token() {
        let cache = TokenCache::new();
        let now = Instant::now();
        let start = parse("2018-08-13T16:30:13-05:00").unwrap();
        let end = start + chrono::Duration::hours(2);
        cache.store(Token::new("new".into(), start, end, Duration::from_secs(30), now));
        cache.invalidate(&Secret::new("old"));
        assert!(cache.fresh().is_some());
        cache.invalidate(&Secret::new("new"));
        assert!(cache.fresh().is_none());
    }
}
