//! One API call: token, HTTP attempts, retries inside the deadline, logging and audit.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::Method;
use serde_json::json;

use crate::attempt::{Attempt, Verdict, decide};
use crate::audit::{self, AuditHook, Exchange};
use crate::auth::{self, Token, TokenCache, TokenData};
use crate::call::{Body, Call, Data, Failure, Reply};
use crate::config::Config;
use crate::error::{Error, ErrorCode};
use crate::fork::{Init, PerProcess};
use crate::http_client::{self, HttpClient};
use crate::request::{self, Base};
use crate::secret::Secret;
use crate::shared::TokenStore;
use crate::time;

const CREDENTIALS_HINT: &str = "check access_key, secret_key and id_service, and that they belong to this \
     environment (sandbox and production keys differ)";

/// What one process holds for a client: its connection pool and its token.
/// A forked child (gunicorn, PHP-FPM) builds its own: it must not reuse its
/// parent's sockets, nor wait on a refresh its parent's thread was doing.
struct Live {
    http: Result<HttpClient, Error>,
    tokens: TokenCache,
    /// Who holds the shared refresh lock when this process refreshes.
    owner: String,
}

pub(crate) struct Transport {
    live: PerProcess<Live, Init<Live>>,
    config: Config,
    /// The base URL parsed once; a call's URL is it with the call's path.
    base: Base,
    audit: Option<Arc<dyn AuditHook>>,
    /// The token shared with other processes, and its key there (not secret).
    shared: Option<(Arc<dyn TokenStore>, String)>,
}

/// How long one process may hold the shared refresh lock (an authorization is well under it).
const SHARED_LOCK: Duration = Duration::from_secs(10);
/// How often a process waiting for another's refresh looks for the new token.
const SHARED_POLL: Duration = Duration::from_millis(50);

impl Transport {
    pub fn new(config: Config, audit: Option<Arc<dyn AuditHook>>) -> Result<Transport, Error> {
        // Built once here so that a bad setting (CA file, proxy URL) fails now, not on first use.
        let base_url = config.base_url();
        let base = Base::parse(&base_url)?;
        let first = http_client::build(&config, &base)?;
        let for_children = (config.clone(), base.clone());
        let seed = std::sync::Mutex::new(Some(first));
        let init: Init<Live> = Box::new(move || {
            // The first process takes the client built above; a child builds its own.
            let http = match seed.lock().ok().and_then(|mut s| s.take()) {
                Some(client) => Ok(client),
                None => http_client::build(&for_children.0, &for_children.1),
            };
            Live {
                http,
                tokens: TokenCache::new(),
                owner: format!("{}-{:016x}", std::process::id(), fastrand::u64(..)),
            }
        });
        let shared = match &config.token_store {
            Some(url) => {
                let key = sha256_hex(&format!("{base_url}|{}|{}", config.id_service, config.access_key));
                Some((crate::shared::token_store(url.expose())?, key[..32].to_owned()))
            }
            None => None,
        };
        Ok(Transport { live: PerProcess::new(init), config, base, audit, shared })
    }

    fn live(&self) -> &Live {
        self.live.get()
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Makes an authenticated call and returns the envelope's `data`.
    pub async fn call(&self, call: Call<'_>) -> Result<serde_json::Value, Error> {
        self.exchange(call).await.map(|r| r.data.value())
    }

    /// Makes an authenticated call; the reply says how it went (for errors built from its data).
    pub async fn exchange(&self, call: Call<'_>) -> Result<Reply, Error> {
        let deadline = deadline_after(self.config.total_timeout);
        // `req_` and 16 hex digits (as `format!("req_{:016x}")`, without the formatting machinery).
        let request_id = ["req_", &hex::encode(fastrand::u64(..).to_be_bytes())].concat();
        let mut attempts = 0;
        let mut refreshed = false;
        loop {
            let token =
                self.token(deadline, &request_id).await.map_err(|e| e.with_request_id(&request_id))?;
            match self.send(&call, Some(&token), deadline, &request_id, &mut attempts).await {
                Ok((status, data)) => return Ok(Reply { data, status, attempts, request_id }),
                // A 401 on a later call means "token no longer valid": refresh once.
                Err(Failure::Unauthorized(_)) if !refreshed => {
                    self.live().tokens.invalidate(&token);
                    if let Some((store, key)) = &self.shared {
                        // The shared copy is as stale as ours: the refresh must not adopt it again.
                        let _ = store.invalidate(key, token.expose()).await;
                    }
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
        let deadline = deadline_after(self.config.total_timeout);
        let _guard = self.refresh_lock(deadline).await?;
        let token = self.fetch_token(deadline, "req_auth").await?;
        if let Some((store, key)) = &self.shared {
            let owner = &self.live().owner;
            let valid_for = token.refresh_at.saturating_duration_since(Instant::now());
            // A fresh token serves every process; a store that is down only loses the sharing.
            let _ = store.put(key, owner, token.value.expose(), valid_for).await;
        }
        Ok(())
    }

    /// The refresh lock, waited for no longer than the call's deadline.
    async fn refresh_lock(&self, deadline: Instant) -> Result<tokio::sync::MutexGuard<'_, ()>, Error> {
        let lock = self.live().tokens.refresh_lock.lock();
        tokio::time::timeout_at(deadline.into(), lock).await.map_err(|_| {
            Error::new(ErrorCode::Timeout, "waited the whole deadline for another call's token refresh")
                .retryable(true)
        })
    }

    async fn token(&self, deadline: Instant, request_id: &str) -> Result<Secret, Error> {
        if let Some(t) = self.live().tokens.fresh() {
            return Ok(t);
        }
        // One refresh at a time; whoever waited finds the new token cached.
        let _guard = self.refresh_lock(deadline).await?;
        if let Some(t) = self.live().tokens.fresh() {
            return Ok(t);
        }
        if let Some((store, key)) = &self.shared {
            match self.shared_token(store.as_ref(), key, deadline, request_id).await {
                Ok(Some(t)) => return Ok(t),
                Ok(None) => {}
                // The store is only a cache: without it, this process refreshes alone.
                Err(e) => {
                    tracing::warn!(target: "pagoefectivo", error = %e, "shared token store unavailable")
                }
            }
        }
        self.fetch_token(deadline, request_id).await.map(|t| t.value)
    }

    /// The token other processes share: theirs if stored, else ours after
    /// taking the store's refresh lock. `None`: refresh alone (the lock holder
    /// took too long, or the deadline is near).
    async fn shared_token(
        &self,
        store: &dyn TokenStore,
        key: &str,
        deadline: Instant,
        request_id: &str,
    ) -> Result<Option<Secret>, Error> {
        let owner = &self.live().owner;
        let waited_since = Instant::now();
        loop {
            if let Some((token, left)) = store.get(key).await? {
                let t = Token::adopted(token, left);
                let value = t.value.clone();
                self.live().tokens.store(t);
                return Ok(Some(value));
            }
            if store.try_lock(key, owner, SHARED_LOCK).await? {
                // The lock may have just been freed by a process that stored a new token.
                if let Some((token, left)) = store.get(key).await? {
                    let _ = store.unlock(key, owner).await;
                    let t = Token::adopted(token, left);
                    let value = t.value.clone();
                    self.live().tokens.store(t);
                    return Ok(Some(value));
                }
                return match self.fetch_token(deadline, request_id).await {
                    Ok(t) => {
                        let valid_for = t.refresh_at.saturating_duration_since(Instant::now());
                        if let Err(e) = store.put(key, owner, t.value.expose(), valid_for).await {
                            tracing::warn!(target: "pagoefectivo", error = %e, "shared token not stored");
                        }
                        Ok(Some(t.value))
                    }
                    Err(e) => {
                        let _ = store.unlock(key, owner).await;
                        Err(e)
                    }
                };
            }
            let now = Instant::now();
            if now.duration_since(waited_since) > SHARED_LOCK || now + SHARED_POLL >= deadline {
                return Ok(None);
            }
            tokio::time::sleep(SHARED_POLL).await;
        }
    }

    async fn fetch_token(&self, deadline: Instant, request_id: &str) -> Result<Token, Error> {
        let c = &self.config;
        let date_request = time::format(&time::now_lima());
        let hash = auth::hash_string(c.id_service, &c.access_key, c.secret_key.expose(), &date_request);
        let body = json!({
            "accessKey": c.access_key,
            "idService": c.id_service,
            "dateRequest": date_request,
            "hashString": hash,
        });
        let call = Call::safe("authorizations", Method::POST, "authorizations", Some(body));
        let sent_at = Instant::now();
        let mut attempts = 0;
        let data = match self.send(&call, None, deadline, request_id, &mut attempts).await {
            Ok((_, d)) => d,
            Err(Failure::Unauthorized(e)) => {
                return Err(e.with_attempts(attempts).with_hint(CREDENTIALS_HINT));
            }
            Err(Failure::Final(e)) => {
                // A refused authorization (400 with 111/112/113, 403) is about the credentials too.
                let refused = matches!(e.http_status(), Some(400 | 403)) && e.pe_code().is_some();
                let e = e.with_attempts(attempts);
                return Err(if refused { e.with_hint(CREDENTIALS_HINT) } else { e });
            }
        };
        let bad = |what: &str| {
            Error::new(ErrorCode::MalformedResponse, format!("authorization answer: {what}"))
                .with_attempts(attempts)
        };
        let data: TokenData = serde_json::from_str(data.json()).map_err(|e| bad(&e.to_string()))?;
        let start = time::parse_wire(&data.token_start).map_err(|_| bad("bad tokenStart"))?;
        let expires = time::parse_wire(&data.token_expires).map_err(|_| bad("bad tokenExpires"))?;
        tracing::debug!(target: "pagoefectivo", code_service = ?data.code_service, token_expires = %data.token_expires, "token issued");
        let token = Token::new(data.token, start, expires, c.token_refresh_margin, sent_at);
        self.live().tokens.store(token.clone());
        Ok(token)
    }

    /// Attempts `call` until success, a final failure, the attempt limit or the deadline.
    async fn send(
        &self,
        call: &Call<'_>,
        token: Option<&Secret>,
        deadline: Instant,
        request_id: &str,
        attempts: &mut u32,
    ) -> Result<(u16, Data), Failure> {
        // Serialized once; each attempt shares the bytes.
        let body = call.body.as_ref().map(Body::bytes);
        let policy = &self.config.retry;
        let mut retries = 0;
        loop {
            *attempts += 1;
            let outcome = self.attempt(call, body.as_ref(), token, deadline, request_id, *attempts).await;
            let status = match &outcome {
                Attempt::Answer { status, .. } | Attempt::Oversized { status, .. } => *status,
                _ => 0,
            };
            let (err, wait) = match decide(call, outcome) {
                Verdict::Done(r) => return r.map(|data| (status, data)),
                Verdict::Retry(err, wait) => (err, wait),
            };
            retries += 1;
            // The server's Retry-After is a number from the network: compared, never added to an Instant.
            let wait = wait.unwrap_or_else(|| policy.backoff(retries));
            let left = deadline.saturating_duration_since(Instant::now());
            if *attempts >= policy.max_attempts || wait >= left {
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
        body: Option<&Bytes>,
        token: Option<&Secret>,
        deadline: Instant,
        request_id: &str,
        attempt: u32,
    ) -> Attempt {
        let started = Instant::now();
        let remaining = deadline.saturating_duration_since(started);
        let client = match &self.live().http {
            Ok(h) => h,
            Err(e) => return Attempt::Broken(e.clone()),
        };
        let made =
            request::build(client, &self.base, self.config.language.as_str(), call, body, token, request_id);
        let req = match made {
            Ok(r) => r,
            Err(e) => return Attempt::Broken(e),
        };
        // What a record needs is gathered only when one is kept.
        let recorded =
            tracing::enabled!(target: "pagoefectivo", tracing::Level::DEBUG) || self.audit.is_some();
        let url = if recorded { req.uri().to_string() } else { String::new() };
        let started_at = if recorded { Some(time::now_lima()) } else { None };
        let timeout = self.config.request_timeout.min(remaining).max(Duration::from_millis(1));
        let result = client.exchange(req, timeout, self.config.max_response_bytes).await;
        let duration = started.elapsed();
        let (status, error) = match &result {
            Attempt::Answer { status, .. } | Attempt::Oversized { status, .. } => (Some(*status), None),
            Attempt::NotSent(e) | Attempt::NoAnswer { error: e, .. } => (None, Some(e.to_string())),
            Attempt::Broken(e) => (None, Some(e.to_string())),
        };
        tracing::info!(target: "pagoefectivo", request_id, operation = call.operation,
            method = %call.method, path = %call.path, status, duration_ms = duration.as_millis() as u64,
            attempt, error = error.as_deref(), "http");
        if let Some(started_at) = started_at {
            let exchange = Exchange {
                operation: call.operation.to_owned(),
                method: call.method.to_string(),
                url,
                attempt,
                started_at,
                duration,
                request_body: call.body.as_ref().map(|b| audit::redact(&b.value())),
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

/// `now + total`, saturating: a huge configured timeout must not overflow an `Instant`.
fn deadline_after(total: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(total)
        .or_else(|| now.checked_add(Duration::from_secs(u64::from(u32::MAX))))
        .unwrap_or(now)
}

fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(text.as_bytes()))
}
