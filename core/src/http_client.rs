//! The HTTP client a config asks for (hyper's pooled client over rustls), and reading an answer without trusting its size.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::Request;
use http::header::{HeaderMap, HeaderValue, PROXY_AUTHORIZATION, USER_AGENT};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as Pool;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::attempt::Attempt;
use crate::config::Config;
use crate::error::Error;
use crate::request::Base;
use crate::retry::parse_retry_after;
use crate::roots;
use crate::route::{self, BoxError, Route};

/// One client's connection pool and the headers every one of its requests carries.
#[derive(Clone)]
pub(crate) struct HttpClient {
    pool: Pool<HttpsConnector<Route>, Full<Bytes>>,
    user_agent: HeaderValue,
    /// A forwarding proxy's credentials (a tunnel sends them in its CONNECT instead).
    proxy_auth: Option<HeaderValue>,
}

/// The client for `config` and its parsed `base` URL: timeouts, user agent, idle pool, proxy, trusted roots.
pub(crate) fn build(config: &Config, base: &Base) -> Result<HttpClient, Error> {
    // rustls is built without a default crypto provider; ring is ours.
    // An application that installed another provider keeps it.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let ua = match &config.user_agent {
        Some(extra) => format!("pagoefectivo-rust/{} {extra}", env!("CARGO_PKG_VERSION")),
        None => format!("pagoefectivo-rust/{}", env!("CARGO_PKG_VERSION")),
    };
    let user_agent = HeaderValue::try_from(ua)
        .map_err(|_| Error::config("user_agent has characters a header cannot carry"))?;
    let mut tcp = HttpConnector::new();
    // The connector sees https:// destinations too: TLS is the layer above it.
    tcp.enforce_http(false);
    tcp.set_connect_timeout(Some(config.connect_timeout));
    tcp.set_nodelay(true);
    tcp.set_keepalive(Some(Duration::from_secs(15)));
    let chosen =
        route::choose(tcp, &base.uri, config.proxy.as_ref().map(|p| p.expose()), config.no_proxy.as_deref())?;
    let tls = roots::tls_config(config.ca_file.as_deref())?;
    let connector = HttpsConnector::from((chosen.route, tls));
    let pool = Pool::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(60))
        .pool_timer(TokioTimer::new())
        // Retries are ours (attempt.rs), with the idempotency rules of each call. hyper still
        // resends a request that a closed keep-alive connection refused before it was written.
        .build(connector);
    Ok(HttpClient { pool, user_agent, proxy_auth: chosen.request_auth })
}

impl HttpClient {
    /// The headers every request of this client carries, added to `headers`.
    pub(crate) fn add_fixed(&self, headers: &mut HeaderMap) {
        headers.insert(USER_AGENT, self.user_agent.clone());
        if let Some(auth) = &self.proxy_auth {
            headers.insert(PROXY_AUTHORIZATION, auth.clone());
        }
    }

    /// Sends `req` and reads its answer (at most `limit` bytes), all within `timeout`.
    /// The API never redirects, and a redirected POST would lose its body: a 3xx is an answer.
    pub(crate) async fn exchange(
        &self,
        req: Request<Full<Bytes>>,
        timeout: Duration,
        limit: usize,
    ) -> Attempt {
        let exchange = async {
            match self.pool.request(req).await {
                Ok(resp) => read_answer(resp, limit).await,
                Err(e) if e.is_connect() => Attempt::NotSent(HttpError::new(e)),
                Err(e) => Attempt::NoAnswer { timed_out: false, error: HttpError::new(e) },
            }
        };
        match tokio::time::timeout(timeout, exchange).await {
            Ok(attempt) => attempt,
            Err(_) => Attempt::NoAnswer { timed_out: true, error: HttpError::timed_out(timeout) },
        }
    }
}

/// Why an attempt got no answer; its text is the whole chain of causes.
#[derive(Debug)]
pub(crate) struct HttpError {
    text: String,
    source: Option<BoxError>,
}

impl HttpError {
    fn new(e: impl StdError + Send + Sync + 'static) -> HttpError {
        // hyper-util's own text is its kind ("client error (Connect)"): the causes say what happened.
        let text = match e.source() {
            Some(cause) => route::chain(cause),
            None => e.to_string(),
        };
        HttpError { text, source: Some(Box::new(e)) }
    }

    fn timed_out(after: Duration) -> HttpError {
        HttpError { text: format!("no answer within {} ms", after.as_millis()), source: None }
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl StdError for HttpError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn StdError + 'static))
    }
}

/// Reads an answer, stopping at `limit` bytes: a server (or whatever answers
/// in its place) decides how long a body is, not how much memory we give it.
async fn read_answer(resp: http::Response<Incoming>, limit: usize) -> Attempt {
    let status = resp.status().as_u16();
    let retry_after =
        resp.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(parse_retry_after);
    let length = resp
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if length.is_some_and(|n| n > limit as u64) {
        return Attempt::Oversized { status, limit };
    }
    let mut body = Vec::with_capacity(length.map_or(1024, |n| n as usize));
    let mut incoming = resp.into_body();
    loop {
        match incoming.frame().await {
            Some(Ok(frame)) => {
                let Ok(chunk) = frame.into_data() else { continue };
                if body.len() + chunk.len() > limit {
                    return Attempt::Oversized { status, limit };
                }
                body.extend_from_slice(&chunk);
            }
            None => return Attempt::Answer { status, retry_after, body },
            Some(Err(e)) => return Attempt::NoAnswer { timed_out: false, error: HttpError::new(e) },
        }
    }
}
