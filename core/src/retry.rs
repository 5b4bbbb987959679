//! Retry policy: exponential back-off with full jitter, bounded by the total deadline.

use std::time::Duration;

/// How failed requests are retried. Which failures are retried depends on
/// the operation (see the README's retry table); this only says how often
/// and how long to wait.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included. 1 disables retries.
    pub max_attempts: u32,
    /// Cap of the first back-off; doubles at each retry.
    pub initial_backoff: Duration,
    /// Cap of any single back-off.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..Default::default() }
    }

    /// The wait before retry number `retry` (1 for the first retry): a
    /// uniformly random duration in `[0, min(max, initial * 2^(retry-1))]`
    /// ("full jitter"), so that many clients failing together spread out.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = retry.saturating_sub(1).min(20);
        let cap = self.initial_backoff.saturating_mul(1u32 << exp).min(self.max_backoff);
        let millis = cap.as_millis() as u64;
        Duration::from_millis(fastrand::u64(0..=millis))
    }
}

/// `Retry-After` in seconds (the HTTP-date form is not used by PagoEfectivo).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stays_under_its_cap() {
        let p = RetryPolicy {
            max_attempts: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(800),
        };
        for _ in 0..200 {
            assert!(p.backoff(1) <= Duration::from_millis(100));
            assert!(p.backoff(3) <= Duration::from_millis(400));
            assert!(p.backoff(9) <= Duration::from_millis(800));
        }
    }

    #[test]
    fn retry_after_seconds() {
        assert_eq!(parse_retry_after(" 3 "), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
