//! Notifications over the C ABI: `pe_webhook_verify` (a JSON reply to free) and `pe_webhook_event`, its one-crossing form for PHP.

use std::cell::RefCell;
use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

use pagoefectivo::boundary::{input, ops};
use pagoefectivo::{Error, webhook};
use serde_json::Value;

use crate::reply::{answer, bytes_arg, envelope, text_of};
use crate::values;

thread_local! {
    /// The last `pe_webhook_event` reply of this thread (NUL-terminated): valid until the next one, which reuses it.
    static EVENT_REPLY: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(1024));
}

/// Verifies a notification over its raw bytes and answers the event (`type`, `eventType`,
/// `dedupKey`, ...) or `signature_verification_failed` with a `reason`.
///
/// Every argument is a pointer and a length, so no byte (a NUL included) can cut one short:
/// `body` (any content), `signature` (the `PE-Signature` header; NULL when absent) and `secret`
/// (NULL is a `validation_error`). `max_body_bytes` bounds the body (0: the core's 64 KiB; a
/// negative one is a `validation_error`).
///
/// # Safety
/// Each pointer is NULL or points to its length of readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pe_webhook_verify(
    body: *const c_char,
    body_len: usize,
    signature: *const c_char,
    signature_len: usize,
    secret: *const c_char,
    secret_len: usize,
    max_body_bytes: i64,
) -> *mut c_char {
    // SAFETY: forwarded contract.
    answer(|| {
        ops::data(unsafe {
            verified(body, body_len, signature, signature_len, secret, secret_len, max_body_bytes)
        }?)
    })
}

/// [`pe_webhook_verify`] in one crossing with a reply that is cheap to decode: on success the
/// values of the event's JSON object in its order (`type`, `eventType`, `dedupKey`, then the fields
/// of its kind), as fields when every value is a string, an integer or null (their text joined by
/// U+001F, null written U+001E: `cip_paid\x1fcip.paid\x1fcip.paid:7:9\x1f7\x1f9\x1fPEN\x1f2.50\x1f\x1e\x1f\x1e`),
/// else (a nested body, a text holding U+0000, U+001E or U+001F) as a JSON list
/// (`["other","cip.expired",...]`); on failure the usual `{"ok":false,"error":{...}}`. The first byte
/// tells them apart: `{`, `[`, or a letter. Same arguments.
///
/// The reply belongs to the library, not the caller (never pass it to `pe_string_free`): it
/// stays valid until the next `pe_webhook_event` on the same thread. PHP's FFI copies a
/// `const char *` result into a PHP string as the call returns.
///
/// # Safety
/// As [`pe_webhook_verify`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pe_webhook_event(
    body: *const c_char,
    body_len: usize,
    signature: *const c_char,
    signature_len: usize,
    secret: *const c_char,
    secret_len: usize,
    max_body_bytes: i64,
) -> *const c_char {
    EVENT_REPLY.with(|slot| {
        let mut reply = slot.borrow_mut();
        reply.clear();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            // SAFETY: forwarded contract.
            let event = unsafe {
                verified(body, body_len, signature, signature_len, secret, secret_len, max_body_bytes)
            }?;
            if values::write_fields(&event, &mut reply).is_ok() {
                return Ok(());
            }
            reply.clear();
            values::write(&event, &mut reply)
                .map_err(|e| Error::internal(&format!("an event did not serialize: {e}")))
        }));
        if let Err(e) = outcome.unwrap_or_else(|panic| Err(Error::from_panic(&*panic))) {
            reply.clear();
            reply.extend_from_slice(envelope(Err(e)).as_bytes());
        }
        // serde_json escapes U+0000, so the text holds no NUL; were it to, PHP would read it cut short there.
        reply.push(0);
        reply.as_ptr().cast()
    })
}

/// The three byte arguments read, checked and verified by the core.
///
/// # Safety
/// As [`pe_webhook_verify`].
unsafe fn verified(
    body: *const c_char,
    body_len: usize,
    signature: *const c_char,
    signature_len: usize,
    secret: *const c_char,
    secret_len: usize,
    max_body_bytes: i64,
) -> Result<webhook::Event, Error> {
    // SAFETY: forwarded contract, for each of the three.
    let body = unsafe { bytes_arg(body, body_len, "body") }?;
    let signature = match signature.is_null() {
        true => None,
        false => Some(text_of(unsafe { bytes_arg(signature, signature_len, "signature") }?, "signature")?),
    };
    if secret.is_null() {
        return Err(Error::invalid_field("secret", "is required (got a null pointer)"));
    }
    let secret = text_of(unsafe { bytes_arg(secret, secret_len, "secret") }?, "secret")?;
    let max = match max_body_bytes {
        0 => webhook::DEFAULT_MAX_BODY_BYTES,
        n => input::count(&Value::from(n), "maxBodyBytes", u32::MAX.into())? as usize,
    };
    webhook::verify_within(body, signature, secret, max)
}

#[cfg(test)]
mod tests {
    use std::ffi::CStr;
    use std::ptr;

    use super::*;
    use crate::pe_string_free;

    /// Parses and frees a reply.
    fn take(p: *mut c_char) -> Value {
        assert!(!p.is_null());
        let text = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
        unsafe { pe_string_free(p) };
        serde_json::from_str(&text).unwrap()
    }

    fn verify(body: &[u8], signature: Option<&[u8]>, secret: Option<&[u8]>, max: i64) -> Value {
        let (sig, sig_len) = signature.map_or((ptr::null(), 0), |s| (s.as_ptr().cast(), s.len()));
        let (key, key_len) = secret.map_or((ptr::null(), 0), |s| (s.as_ptr().cast(), s.len()));
        take(unsafe { pe_webhook_verify(body.as_ptr().cast(), body.len(), sig, sig_len, key, key_len, max) })
    }

    /// The reply of pe_webhook_event (not freed: it is the library's), its fields as JSON strings (null for the
    /// null mark): `["cip_paid",...,"9",...]`; a JSON reply parsed.
    fn event(body: &[u8], signature: Option<&[u8]>, secret: &[u8]) -> Value {
        let (sig, sig_len) = signature.map_or((ptr::null(), 0), |s| (s.as_ptr().cast(), s.len()));
        let p = unsafe {
            pe_webhook_event(
                body.as_ptr().cast(),
                body.len(),
                sig,
                sig_len,
                secret.as_ptr().cast(),
                secret.len(),
                0,
            )
        };
        let text = unsafe { CStr::from_ptr(p) }.to_str().unwrap();
        if text.starts_with(['[', '{']) {
            return serde_json::from_str(text).unwrap();
        }
        let field = |f: &str| if f == "\u{1e}" { Value::Null } else { Value::from(f) };
        Value::Array(text.split('\u{1f}').map(field).collect())
    }

    /// A value of the verify reply as the fields form writes it.
    fn as_field(v: &Value) -> Value {
        match v {
            Value::Number(n) => Value::from(n.to_string()),
            other => other.clone(),
        }
    }

    #[test]
    fn webhook_arguments_are_bytes_with_lengths() {
        let body = br#"{"eventType":"cip.paid","operationNumber":"7","data":{"cip":"9","currency":"PEN","amount":2.50}}"#;
        let sig = webhook::sign(body, "key");
        let v = verify(body, Some(sig.as_bytes()), Some(b"key"), 0);
        assert_eq!(v["data"]["amount"], "2.50", "{v}");
        assert_eq!(v["data"]["dedupKey"], "cip.paid:7:9");
        // A NUL inside the secret is part of it, not its end.
        let v = verify(body, Some(sig.as_bytes()), Some(b"key\0more"), 0);
        assert_eq!(v["error"]["reason"], "signature_mismatch");
        let v = verify(&[0xff, 0, 0xfe, b'{'], None, Some(b"key"), 0);
        assert_eq!(v["error"]["reason"], "missing_signature");
        let v = verify(body, Some(sig.as_bytes()), None, 0);
        assert_eq!(v["error"]["field_errors"][0]["field"], "secret");
        let v = verify(body, Some(sig.as_bytes()), Some(b"\xed\xa0\x80k"), 0);
        assert_eq!(v["error"]["field_errors"][0]["field"], "secret");
        assert!(!v.to_string().contains("\\ud800"));
        let v = verify(body, Some(b"\xff"), Some(b"key"), 0);
        assert_eq!(v["error"]["field_errors"][0]["field"], "signature");
        let v = verify(body, Some(sig.as_bytes()), Some(b"key"), 10);
        assert_eq!(v["error"]["reason"], "body_too_large");
        let v = verify(body, Some(sig.as_bytes()), Some(b"key"), -1);
        assert_eq!(v["error"]["field_errors"][0]["field"], "maxBodyBytes");
    }

    #[test]
    fn the_event_reply_is_the_verify_reply_values_in_order() {
        // Fields, fields, a JSON list (nested values), a JSON list (a text holding the separator).
        let bodies: [&[u8]; 4] = [
            br#"{"eventType":"cip.paid","operationNumber":"7","data":{"cip":"9","currency":"PEN","amount":2.50,"paymentDate":"2026-11-21T09:15:00-05:00"}}"#,
            br#"{"eventType":"refund.refunded","operationNumber":"8","data":{"cip":"9","refundId":"r1","currency":"USD","amount":1.00,"status":"refunded"}}"#,
            br#"{"eventType":"cip.expired","operationNumber":"9","data":{"cip":"9","x":[1,{"y":null}]}}"#,
            br#"{"eventType":"cip.paid","operationNumber":"7","data":{"cip":"9","currency":"PEN","amount":2.50,"transactionCode":"a\u001fb"}}"#,
        ];
        for (i, body) in bodies.into_iter().enumerate() {
            let sig = webhook::sign(body, "key");
            let object = verify(body, Some(sig.as_bytes()), Some(b"key"), 0)["data"].clone();
            let values = object.as_object().unwrap().values();
            let values: Vec<Value> =
                if i < 2 { values.map(as_field).collect() } else { values.cloned().collect() };
            assert_eq!(event(body, Some(sig.as_bytes()), b"key"), Value::Array(values), "{object}");
        }
        let body = bodies[0];
        let e = event(body, None, b"key");
        assert_eq!(e["ok"], false);
        assert_eq!(e["error"]["reason"], "missing_signature");
        let sig = webhook::sign(body, "key");
        assert_eq!(event(body, Some(sig.as_bytes()), b"nope")["error"]["reason"], "signature_mismatch");
        let null =
            unsafe { pe_webhook_event(body.as_ptr().cast(), body.len(), ptr::null(), 0, ptr::null(), 0, 0) };
        let text = unsafe { CStr::from_ptr(null) }.to_str().unwrap();
        assert!(text.contains(r#""field":"secret""#), "{text}");
    }
}
