//! Waiting for a final state: searches spaced by a jittered, doubling pause, transient errors polled through.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::error::{Error, ErrorCode};

/// How `wait_for_final_status` (CIPs, refunds) polls.
#[derive(Clone, Debug, PartialEq)]
pub struct WaitOptions {
    /// Give up after this long with a `wait_timeout` error.
    pub timeout: Duration,
    /// First pause between two searches; doubles up to `max_interval`.
    pub initial_interval: Duration,
    pub max_interval: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(600),
            initial_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(60),
        }
    }
}

/// Calls `fetch` until `state` says final, and returns that value. Retryable
/// errors are polled through; the pause starts at `initial_interval`, doubles
/// up to `max_interval` and varies by ±20 % so pollers do not synchronize.
/// `wait_timeout` (retryable) when `timeout` passes first, naming the last state.
pub(crate) async fn until_final<T, F, Fut>(
    what: &str,
    options: &WaitOptions,
    mut fetch: F,
    state: impl Fn(&T) -> (bool, String),
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let deadline = Instant::now() + options.timeout;
    let mut interval = options.initial_interval.max(Duration::from_millis(1));
    let mut last = "unknown".to_owned();
    loop {
        match fetch().await {
            Ok(value) => match state(&value) {
                (true, _) => return Ok(value),
                (false, now) => last = now,
            },
            Err(e) if e.is_retryable() => {
                tracing::info!(target: "pagoefectivo", what, error = %e, "poll failed; polling on");
            }
            Err(e) => return Err(e),
        }
        let pause = interval.mul_f64(0.8 + fastrand::f64() * 0.4);
        if Instant::now() + pause >= deadline {
            return Err(Error::new(
                ErrorCode::WaitTimeout,
                format!("{what} is still {last} after {:?}", options.timeout),
            )
            .retryable(true));
        }
        tokio::time::sleep(pause).await;
        interval = (interval * 2).min(options.max_interval.max(Duration::from_millis(1)));
    }
}
