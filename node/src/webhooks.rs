//! Webhook verification over the raw body (the hot path of a webhook endpoint) and signing.

use std::io;

use napi::bindgen_prelude::{BufferSlice, Unknown};
use napi::{Env, JsString, ValueType};
use napi_derive::napi;
use pagoefectivo::boundary::input;
use pagoefectivo::{Deduplicator, Error, ErrorCode, webhook};
use serde::Serialize as _;
use serde_json::Value;

use crate::errors::{IntoNapi, Result, guard, raise};

/// The core's raw-body hint (Express among others) plus the Node frameworks it does not name.
fn raw_body_hint() -> String {
    format!(
        "{}; in Node pass a Buffer or the exact string: Next.js route handlers: await request.text() (App \
         Router), or disable the body parser and read the stream (Pages Router)",
        webhook::RAW_BODY_HINT
    )
}

/// A body of a JS type that holds no raw bytes: the core's `malformed_body` refusal, with the hint.
fn parsed_body_error(kind: &str) -> napi::Error {
    let message = format!("the webhook body must be a Buffer or a string, got {kind}");
    raise(
        &Error::new(ErrorCode::SignatureVerificationFailed, message)
            .with_reason(webhook::reason::MALFORMED_BODY)
            .with_hint(raw_body_hint()),
    )
}

/// The raw body as bytes, without copying a Buffer / Uint8Array; `f` also learns whether it was bytes.
fn with_body<T>(body: Unknown<'_>, f: impl FnOnce(&[u8], bool) -> Result<T>) -> Result<T> {
    let not_bytes = |e: napi::Error| raise(&Error::invalid_field("body", e.reason.clone()));
    match body.get_type().map_err(not_bytes)? {
        ValueType::String => {
            // SAFETY: the value was just checked to be a string.
            let s: String = unsafe { body.cast() }.map_err(not_bytes)?;
            f(s.as_bytes(), false)
        }
        // SAFETY: `BufferSlice` checks itself that the object is a Buffer / Uint8Array.
        ValueType::Object => match unsafe { body.cast::<BufferSlice>() } {
            Ok(buf) => f(&buf, true),
            Err(_) => Err(parsed_body_error("a parsed object")),
        },
        ValueType::Undefined | ValueType::Null => Err(parsed_body_error("nothing (undefined or null)")),
        other => Err(parsed_body_error(&format!("a {other}"))),
    }
}

/// JSON with every non-ASCII character as a `\u` escape: the text crosses as a one-byte (latin1) JS
/// string, a copy with no UTF-8 decoding, and `JSON.parse` reads it back to the same strings.
struct AsciiJson;

impl serde_json::ser::Formatter for AsciiJson {
    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, w: &mut W, fragment: &str) -> io::Result<()> {
        if fragment.is_ascii() {
            return w.write_all(fragment.as_bytes()); // the common case, checked a word at a time
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices().filter(|(_, c)| !c.is_ascii()) {
            w.write_all(&fragment.as_bytes()[start..i])?;
            for unit in c.encode_utf16(&mut [0u16; 2]) {
                write!(w, "\\u{unit:04x}")?;
            }
            start = i + c.len_utf8();
        }
        w.write_all(&fragment.as_bytes()[start..])
    }
}

/// A JS number as the JSON the core reads: a safe integer as an integer, anything else as a float.
pub(crate) fn js_number(n: f64) -> Value {
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map(Value::Number).unwrap_or(Value::Null)
    }
}

/// Verifies `PE-Signature` over the raw body, then parses the event (the core's `webhook.verify`).
/// `secret` and `signature` arrive as strings: the TypeScript layer sends any other value through
/// `call("webhook.verify")`, so that the core names it. The result: see [`verify_with`].
#[napi(
    ts_args_type = "body: Buffer | Uint8Array | string, signature: string | null | undefined, secret: string, maxBodyBytes?: number | null",
    ts_return_type = "string"
)]
pub fn verify_webhook<'env>(
    env: &'env Env,
    body: Unknown<'_>,
    signature: Option<String>,
    secret: String,
    max_body_bytes: Option<f64>,
) -> Result<JsString<'env>> {
    verify_with(env, body, signature.as_deref(), &secret, max_body_bytes)
}

/// The verified event as one latin1 JS string: the core's serialization (`type`, `eventType`,
/// `dedupKey` and the fields) in ASCII JSON, then, for a body given as bytes, a newline and the body
/// itself (byte for byte; ts/webhooks.ts keeps it for the deduplicator: one string, no second copy).
pub fn verify_with<'env>(
    env: &'env Env,
    body: Unknown<'_>,
    signature: Option<&str>,
    secret: &str,
    max_body_bytes: Option<f64>,
) -> Result<JsString<'env>> {
    let max = match max_body_bytes {
        None => webhook::DEFAULT_MAX_BODY_BYTES,
        Some(n) => input::count(&js_number(n), "maxBodyBytes", u32::MAX.into()).napi()? as usize,
    };
    with_body(body, |bytes, is_bytes| {
        let text = guard(|| {
            let event = webhook::verify_within(bytes, signature, secret, max)?;
            let mut out = Vec::with_capacity(if is_bytes { 2 * bytes.len() } else { bytes.len() } + 64);
            event
                .serialize(&mut serde_json::Serializer::with_formatter(&mut out, AsciiJson))
                .map_err(|e| Error::internal(&format!("an event did not serialize: {e}")))?;
            if is_bytes {
                out.push(b'\n');
                out.extend_from_slice(bytes);
            }
            Ok(out)
        })?;
        env.create_string_latin1(&text)
    })
}

/// `lowercase_hex(HMAC-SHA256(secret, body))`, to test one's own endpoint.
#[napi(ts_args_type = "body: Buffer | Uint8Array | string, secret: string")]
pub fn sign_webhook(body: Unknown<'_>, secret: String) -> Result<String> {
    with_body(body, |bytes, _| Ok(webhook::sign(bytes, &secret)))
}

/// How long a deduplicator remembers a delivery by default (the core's default; a store of your own gets it).
#[napi]
pub fn dedup_default_ttl_ms() -> f64 {
    Deduplicator::DEFAULT_TTL.as_millis() as f64
}
