//! Webhook verification over the raw body, signing, and the in-memory dedup store.

use std::time::Duration;

use napi::ValueType;
use napi::bindgen_prelude::{BufferSlice, Unknown};
use napi_derive::napi;
use pagoefectivo::{DedupStore, Deduplicator, webhook};

use crate::errors::{self, IntoNapi, Result};

const RAW_BODY_HINT: &str = "pass the raw request body (a Buffer or the exact string received), not a parsed \
    object: in Express use express.raw({ type: 'application/json' }) on the webhook route and pass req.body; \
    in Next.js route handlers use await request.text() (App Router) or disable the body parser and read the \
    stream (Pages Router)";

fn parsed_body_error(kind: &str) -> errors::NapiError {
    let message = format!("the webhook body must be a Buffer or a string, got {kind}");
    errors::other_with(
        "signature_verification_failed",
        &message,
        serde_json::json!({ "reason": webhook::reason::MALFORMED_BODY, "hint": RAW_BODY_HINT }),
    )
}

/// Reads the raw body as bytes without copying a Buffer / Uint8Array.
fn with_body<T>(body: Unknown<'_>, f: impl FnOnce(&[u8]) -> Result<T>) -> Result<T> {
    match body.get_type().map_err(|e| errors::other("validation_error", e.reason.clone()))? {
        ValueType::String => {
            // SAFETY: the value was just checked to be a string.
            let s: String =
                unsafe { body.cast() }.map_err(|e| errors::other("validation_error", e.reason.clone()))?;
            f(s.as_bytes())
        }
        // SAFETY: `BufferSlice` checks itself that the object is a Buffer / Uint8Array.
        ValueType::Object => match unsafe { body.cast::<BufferSlice>() } {
            Ok(buf) => f(&buf),
            Err(_) => Err(parsed_body_error("a parsed object")),
        },
        ValueType::Undefined | ValueType::Null => Err(parsed_body_error("nothing (undefined or null)")),
        other => Err(parsed_body_error(&format!("a {other}"))),
    }
}

/// The event as the TypeScript layer exposes it, as JSON text: `eventType` and
/// `dedupKey` followed by the core's own serialization. One string crosses to
/// JS and `JSON.parse` builds the object, several times faster than setting
/// each property through N-API.
fn event_json(event: &webhook::Event) -> Result<String> {
    let core =
        serde_json::to_string(event).map_err(|e| errors::other("malformed_response", e.to_string()))?;
    let head =
        serde_json::json!({ "eventType": event.event_type(), "dedupKey": event.dedup_key() }).to_string();
    // Both are JSON objects: splice their members into one.
    let mut out = String::with_capacity(head.len() + core.len() + 1);
    out.push_str(&head[..head.len() - 1]);
    out.push(',');
    out.push_str(&core[1..]);
    Ok(out)
}

/// Verifies `PE-Signature` over the raw body, then parses the event.
#[napi(
    ts_args_type = "body: Buffer | Uint8Array | string, signature: string | null | undefined, secret: string"
)]
pub fn verify_webhook(body: Unknown<'_>, signature: Option<String>, secret: String) -> Result<String> {
    verify_with(body, signature.as_deref(), &secret)
}

/// The verified event as JSON text (see [`event_json`]).
pub fn verify_with(body: Unknown<'_>, signature: Option<&str>, secret: &str) -> Result<String> {
    with_body(body, |bytes| event_json(&webhook::verify(bytes, signature, secret).napi()?))
}

/// `lowercase_hex(HMAC-SHA256(secret, body))`, to test one's own endpoint.
#[napi(ts_args_type = "body: Buffer | Uint8Array | string, secret: string")]
pub fn sign_webhook(body: Unknown<'_>, secret: String) -> Result<String> {
    with_body(body, |bytes| Ok(webhook::sign(bytes, &secret)))
}

/// How long the default deduplicator remembers a delivery (the core's default).
#[napi]
pub fn dedup_default_ttl_ms() -> f64 {
    Deduplicator::DEFAULT_TTL.as_millis() as f64
}

/// The core's in-memory TTL store of delivery keys (one process).
#[napi]
pub struct MemoryDedupStore {
    inner: pagoefectivo::MemoryDedupStore,
}

impl Default for MemoryDedupStore {
    fn default() -> Self {
        Self::new()
    }
}

#[napi]
impl MemoryDedupStore {
    #[napi(constructor)]
    pub fn new() -> MemoryDedupStore {
        MemoryDedupStore { inner: pagoefectivo::MemoryDedupStore::new() }
    }

    /// Records `key` for `ttl_ms`; `true` when it was not already recorded.
    #[napi]
    pub fn claim(&self, key: String, ttl_ms: f64) -> Result<bool> {
        let ttl = Duration::try_from_secs_f64(ttl_ms.max(0.0) / 1000.0)
            .map_err(|_| errors::invalid_field("ttlMs", "must be a finite number of milliseconds"))?;
        self.inner.claim(&key, ttl).napi()
    }

    #[napi]
    pub fn release(&self, key: String) -> Result<()> {
        self.inner.release(&key).napi()
    }

    #[napi(getter)]
    pub fn size(&self) -> u32 {
        self.inner.len() as u32
    }
}
