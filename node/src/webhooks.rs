//! Webhook verification over the raw body, signing, and the in-memory dedup store.

use std::time::Duration;

use napi::ValueType;
use napi::bindgen_prelude::{BufferSlice, Unknown};
use napi_derive::napi;
use pagoefectivo::{DedupStore, Deduplicator, ErrorCode, webhook};

use crate::errors::{self, IntoNapi, Result};

/// The core's raw-body hint (Express among others) plus the Node frameworks it does not name.
fn raw_body_hint() -> String {
    format!(
        "{}; in Node pass a Buffer or the exact string: Next.js route handlers: await request.text() (App \
         Router), or disable the body parser and read the stream (Pages Router)",
        webhook::RAW_BODY_HINT
    )
}

fn parsed_body_error(kind: &str) -> errors::NapiError {
    let message = format!("the webhook body must be a Buffer or a string, got {kind}");
    errors::signature_failure(&message, webhook::reason::MALFORMED_BODY, &raw_body_hint())
}

/// Reads the raw body as bytes without copying a Buffer / Uint8Array.
fn with_body<T>(body: Unknown<'_>, f: impl FnOnce(&[u8]) -> Result<T>) -> Result<T> {
    match body.get_type().map_err(|e| errors::invalid_field("body", e.reason.clone()))? {
        ValueType::String => {
            // SAFETY: the value was just checked to be a string.
            let s: String =
                unsafe { body.cast() }.map_err(|e| errors::invalid_field("body", e.reason.clone()))?;
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
/// each property through N-API. Written into one buffer: this is the hot path
/// of a webhook endpoint.
fn event_json(event: &webhook::Event) -> Result<String> {
    let encode = |e: serde_json::Error| errors::other(ErrorCode::MalformedResponse, e.to_string());
    let core = serde_json::to_vec(event).map_err(encode)?;
    let mut out = Vec::with_capacity(core.len() + 96);
    out.extend_from_slice(b"{\"eventType\":");
    serde_json::to_writer(&mut out, event.event_type()).map_err(encode)?;
    out.extend_from_slice(b",\"dedupKey\":");
    serde_json::to_writer(&mut out, &event.dedup_key()).map_err(encode)?;
    // The core's object without its opening brace continues this one.
    out.push(b',');
    out.extend_from_slice(&core[1..]);
    String::from_utf8(out).map_err(|e| errors::other(ErrorCode::MalformedResponse, e.to_string()))
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
