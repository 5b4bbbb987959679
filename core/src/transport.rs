//! One API call: token, HTTP attempts, retries inside the deadline, error mapping, logging and audit.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::audit::{self, AuditHook, Exchange};
use crate::auth::{self, Token, TokenCache, TokenData};
use crate::config::Config;
use crate::error::{Error, ErrorCode};
use crate::outcome::{Attempt, Verdict, judge};
use crate::retry::parse_retry_after;
use crate::secret::Secret;
use crate::time;

/// Whether resending a request can do harm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// Reads, and writes whose repetition has the same effect (extend, delete).
    Safe,
    /// CIP creation: PagoEfectivo accepts duplicate transactionCodes, so a
    /// resend after the request may have arrived could create a second CIP.
    CreateOnce,
}

pub(crate) struct Call<'a> {
    pub operation: &'static str,
    pub method: Method,
    pub path: String,
    pub body: Option<Value>,
    pub idempotency: Idempotency,
    pub transaction_code: Option<&'a str>,
    /// Extra headers, e.g. `Idempotency-Key`.
    pub headers: Vec<(&'static str, String)>,
}

/// Error from the retry loop; `Unauthorized` lets the caller refresh the token once.
pub(crate) enum Failure {
    Unauthorized(Error),
    Final(Error),
}

pub(crate) struct Transport {
    /// The pool and the process that built it: a forked child (gunicorn,
    /// PHP-FPM) must not reuse its parent's sockets, so it builds its own.
    http: Mutex<(u32, reqwest::Client)>,
    config: Config,
    base_url: String,
    tokens: TokenCache,
    audit: Option<Arc<dyn AuditHook>>,
}

impl Transport {
    pub fn new(config: Config, audit: Option<Arc<dyn AuditHook>>) -> Result<Transport, Error> {
        let http = build_http(&config)?;
        let base_url = config.base_url();
        let http = Mutex::new((std::process::id(), http));
        Ok(Transport { http, config, base_url, tokens: TokenCache::new(), audit })
    }

    fn http(&self) -> Result<reqwest::Client, Error> {
        let mut guard = self.http.lock().unwrap_or_else(|p| p.into_inner());
        let pid = std::process::id();
        if guard.0 != pid {
            *guard = (pid, build_http(&self.config)?);
        }
        Ok(guard.1.clone())
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Makes an authenticated call and returns the envelope's `data`.
    pub async fn call(&self, call: Call<'_>) -> Result<Value, Error> {
        let deadline = Instant::now() + self.config.total_timeout;
        let request_id = format!("req_{:016x}", fastrand::u64(..));
        let mut attempts = 0;
        let mut refreshed = false;
        loop {
            let token =
                self.token(deadline, &request_id).await.map_err(|e| e.with_request_id(&request_id))?;
            match self.send(&call, Some(&token), deadline, &request_id, &mut attempts).await {
                Ok(data) => return Ok(data),
                // A 401 on a later call means "token no longer valid": refresh once.
                Err(Failure::Unauthorized(_)) if !refreshed => {
                    self.tokens.invalidate(&token);
                    refreshed = true;
                }
                Err(Failure::Unauthorized(e) | Failure::Final(e)) => {
                    return Err(e.with_attempts(attempts).with_request_id(&request_id));
                }
            }
        }
    }

    /// Fetches a new token now, ignoring the cache (to check credentials).
    pub async fn authenticate(&self) -> Result<(), Error> {
        let deadline = Instant::now() + self.config.total_timeout;
        let _guard = self.tokens.refresh_lock.lock().await;
        self.fetch_token(deadline, "req_auth").await.map(|_| ())
    }

    async fn token(&self, deadline: Instant, request_id: &str) -> Result<Secret, Error> {
        if let Some(t) = self.tokens.fresh() {
            return Ok(t);
        }
        // One refresh at a time; whoever waited finds the new token cached.
        let _guard = self.tokens.refresh_lock.lock().await;
        if let Some(t) = self.tokens.fresh() {
            return Ok(t);
        }
        self.fetch_token(deadline, request_id).await
    }

    async fn fetch_token(&self, deadline: Instant, request_id: &str) -> Result<Secret, Error> {
        let c = &self.config;
        let date_request = time::format(&time::now_lima());
        let hash = auth::hash_string(c.id_service, &c.access_key, c.secret_key.expose(), &date_request);
        let call = Call {
            operation: "authorizations",
            method: Method::POST,
            path: "authorizations".into(),
            body: Some(json!({
                "accessKey": c.access_key,
                "idService": c.id_service,
                "dateRequest": date_request,
                "hashString": hash,
            })),
            idempotency: Idempotency::Safe,
            transaction_code: None,
            headers: Vec::new(),
        };
        let sent_at = Instant::now();
        let mut attempts = 0;
        let data = match self.send(&call, None, deadline, request_id, &mut attempts).await {
            Ok(d) => d,
            Err(Failure::Unauthorized(e)) => {
                return Err(e.with_attempts(attempts).with_hint(
                    "check access_key, secret_key and id_service, and that they belong to this environment \
                     (sandbox and production keys differ)",
                ));
            }
            Err(Failure::Final(e)) => return Err(e.with_attempts(attempts)),
        };
        let bad =
            |what: &str| Error::new(ErrorCode::MalformedResponse, format!("authorization answer: {what}"));
        let data: TokenData = serde_json::from_value(data).map_err(|e| bad(&e.to_string()))?;
        let start = time::parse(&data.token_start).map_err(|_| bad("bad tokenStart"))?;
        let expires = time::parse(&data.token_expires).map_err(|_| bad("bad tokenExpires"))?;
        tracing::debug!(target: "pagoefectivo", code_service = ?data.code_service, token_expires = %data.token_expires, "token issued");
        let token = Token::new(data.token, start, expires, c.token_refresh_margin, sent_at);
        let value = token.value.clone();
        self.tokens.store(token);
        Ok(value)
    }

    /// Attempts `call` until success, a final failure, the attempt limit or the deadline.
    async fn send(
        &self,
        call: &Call<'_>,
        token: Option<&Secret>,
        deadline: Instant,
        request_id: &str,
        attempts: &mut u32,
    ) -> Result<Value, Failure> {
        let body = call.body.as_ref().map(|b| serde_json::to_vec(b).expect("JSON values serialize"));
        let policy = &self.config.retry;
        let mut retries = 0;
        loop {
            *attempts += 1;
            let outcome = self.attempt(call, body.as_deref(), token, deadline, request_id, *attempts).await;
            let (err, wait) = match judge(call, outcome) {
                Verdict::Done(r) => return r,
                Verdict::Retry(err, wait) => (err, wait),
            };
            retries += 1;
            let wait = wait.unwrap_or_else(|| policy.backoff(retries));
            let out_of_time = Instant::now() + wait >= deadline;
            if *attempts >= policy.max_attempts || out_of_time {
                return Err(Failure::Final(err.retryable(true)));
            }
            tracing::info!(target: "pagoefectivo", operation = call.operation, attempt = *attempts,
                wait_ms = wait.as_millis() as u64, error = %err.code(), "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    async fn attempt(
        &self,
        call: &Call<'_>,
        body: Option<&[u8]>,
        token: Option<&Secret>,
        deadline: Instant,
        request_id: &str,
        attempt: u32,
    ) -> Attempt {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let url = format!("{}{}", self.base_url, call.path);
        let http = match self.http() {
            Ok(h) => h,
            Err(e) => return Attempt::Broken(e),
        };
        let mut req = http
            .request(call.method.clone(), &url)
            .timeout(self.config.request_timeout.min(remaining).max(Duration::from_millis(1)))
            .header("Accept", "application/json")
            .header("Accept-Language", self.config.language.as_str())
            .header("Origin", "web")
            .header("X-Request-Id", request_id);
        if let Some(t) = token {
            req = req.bearer_auth(t.expose());
        }
        for (name, value) in &call.headers {
            req = req.header(*name, value);
        }
        if let Some(b) = body {
            req = req.header("Content-Type", "application/json").body(b.to_vec());
        }
        let started = Instant::now();
        let started_at = time::now_lima();
        let result = match req.send().await {
            Ok(resp) => {
                let status = resp.status().as_u16();
                let retry_after = resp
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(parse_retry_after);
                match resp.bytes().await {
                    Ok(bytes) => Attempt::Answer { status, retry_after, body: bytes.to_vec() },
                    Err(e) => Attempt::NoAnswer { timed_out: e.is_timeout(), error: e },
                }
            }
            Err(e) if e.is_connect() => Attempt::NotSent(e),
            Err(e) => Attempt::NoAnswer { timed_out: e.is_timeout(), error: e },
        };
        let duration = started.elapsed();
        let (status, error) = match &result {
            Attempt::Answer { status, .. } => (Some(*status), None),
            Attempt::NotSent(e) | Attempt::NoAnswer { error: e, .. } => (None, Some(e.to_string())),
            Attempt::Broken(e) => (None, Some(e.to_string())),
        };
        tracing::info!(target: "pagoefectivo", request_id, operation = call.operation,
            method = %call.method, path = %call.path, status, duration_ms = duration.as_millis() as u64,
            attempt, error = error.as_deref(), "http");
        if tracing::enabled!(target: "pagoefectivo", tracing::Level::DEBUG) || self.audit.is_some() {
            let exchange = Exchange {
                operation: call.operation.to_owned(),
                method: call.method.to_string(),
                url,
                attempt,
                started_at,
                duration,
                request_body: call.body.as_ref().map(audit::redact),
                status,
                response_body: match &result {
                    Attempt::Answer { body, .. } => audit::body_for_record(body),
                    _ => None,
                },
                error,
            };
            tracing::debug!(target: "pagoefectivo", request_id,
                request = %exchange.request_body.as_ref().map(|v| v.to_string()).unwrap_or_default(),
                response = %exchange.response_body.as_ref().map(|v| v.to_string()).unwrap_or_default(),
                "http bodies");
            if let Some(hook) = &self.audit {
                hook.record(&exchange);
            }
        }
        result
    }
}

fn build_http(config: &Config) -> Result<reqwest::Client, Error> {
    // reqwest is built without a default crypto provider; ring is ours.
    // An application that installed another provider keeps it.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let ua = match &config.user_agent {
        Some(extra) => format!("pagoefectivo-rust/{} {extra}", env!("CARGO_PKG_VERSION")),
        None => format!("pagoefectivo-rust/{}", env!("CARGO_PKG_VERSION")),
    };
    reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        .user_agent(ua)
        .pool_idle_timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")).with_source(e))
}
