//! The HTTP client a config asks for, and reading an answer without trusting its size.

use std::time::Duration;

use crate::attempt::Attempt;
use crate::config::Config;
use crate::error::Error;
use crate::retry::parse_retry_after;
use crate::roots;

/// The reqwest client for `config`: timeouts, user agent, pool, proxy, trusted roots.
pub(crate) fn build(config: &Config) -> Result<reqwest::Client, Error> {
    // reqwest is built without a default crypto provider; ring is ours.
    // An application that installed another provider keeps it.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let ua = match &config.user_agent {
        Some(extra) => format!("pagoefectivo-rust/{} {extra}", env!("CARGO_PKG_VERSION")),
        None => format!("pagoefectivo-rust/{}", env!("CARGO_PKG_VERSION")),
    };
    let mut b = reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        .user_agent(ua)
        .pool_idle_timeout(Duration::from_secs(60))
        // The API never redirects, and a redirected POST would lose its body: a 3xx is an answer.
        .redirect(reqwest::redirect::Policy::none())
        // Retries are ours (attempt.rs), with the idempotency rules of each call; reqwest's layer
        // would clone every request to be able to resend it. hyper still resends a request that
        // a closed keep-alive connection refused before it was written.
        .retry(reqwest::retry::never());
    if let Some(url) = &config.proxy {
        let no_proxy = match &config.no_proxy {
            Some(list) => reqwest::NoProxy::from_string(list),
            None => reqwest::NoProxy::from_env(),
        };
        let proxy = reqwest::Proxy::all(url.expose())
            .map_err(|_| Error::config("proxy is not a usable proxy URL"))?
            .no_proxy(no_proxy);
        b = b.proxy(proxy);
    }
    b = b.tls_backend_preconfigured(roots::tls_config(config.ca_file.as_deref())?);
    b.build().map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")).with_source(e))
}

/// Reads an answer, stopping at `limit` bytes: a server (or whatever answers
/// in its place) decides how long a body is, not how much memory we give it.
pub(crate) async fn read_answer(mut resp: reqwest::Response, limit: usize) -> Attempt {
    let status = resp.status().as_u16();
    let retry_after =
        resp.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(parse_retry_after);
    if resp.content_length().is_some_and(|n| n > limit as u64) {
        return Attempt::Oversized { status, limit };
    }
    let mut body = Vec::with_capacity(resp.content_length().map_or(1024, |n| n as usize));
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limit {
                    return Attempt::Oversized { status, limit };
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Attempt::Answer { status, retry_after, body },
            Err(e) => return Attempt::NoAnswer { timed_out: e.is_timeout(), error: e },
        }
    }
}
