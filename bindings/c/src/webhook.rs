//! Notifications over the C ABI: `pe_webhook_verify` (a JSON reply to free) and `pe_webhook_event`, its one-crossing form for PHP.

use std::cell::RefCell;
use std::ffi::{CString, c_char};
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};

use pagoefectivo::boundary::{input, ops};
use pagoefectivo::{Error, webhook};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::reply::{answer, bytes_arg, envelope, text_of};

thread_local! {
    /// The last `pe_webhook_event` reply of this thread: valid until the next one.
    static EVENT_REPLY: RefCell<CString> = RefCell::new(CString::default());
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
/// values of the event's JSON object, in its order, as a JSON list (`["cip_paid","cip.paid",
/// "cip.paid:7:9","7",9,"PEN","2.50",null,null]`: `type`, `eventType`, `dedupKey`, then the
/// fields of its kind); on failure the usual `{"ok":false,"error":{...}}`. Same arguments.
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
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: forwarded contract.
        let event = unsafe {
            verified(body, body_len, signature, signature_len, secret, secret_len, max_body_bytes)
        }?;
        let object = serde_json::to_string(&event)
            .map_err(|e| Error::internal(&format!("an event did not serialize: {e}")))?;
        values_of(&object).map_err(|e| Error::internal(&format!("an event is not a JSON object: {e}")))
    }));
    let text = match outcome {
        Ok(Ok(list)) => list,
        Ok(Err(e)) => envelope(Err(e)),
        Err(panic) => envelope(Err(Error::from_panic(&*panic))),
    };
    // serde_json escapes U+0000, so the text holds no NUL; were it to, an empty reply says so.
    let text = CString::new(text).unwrap_or_default();
    EVENT_REPLY.with(|slot| {
        let mut slot = slot.borrow_mut();
        *slot = text;
        slot.as_ptr()
    })
}

/// The values of a JSON object's text, in order and as written, as the text of a JSON list (no tree is built).
fn values_of(object: &str) -> Result<String, serde_json::Error> {
    struct Values<'a>(Vec<&'a RawValue>);
    struct Visit;
    impl<'de> Visitor<'de> for Visit {
        type Value = Values<'de>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Values<'de>, A::Error> {
            let mut values = Vec::with_capacity(12);
            while let Some((IgnoredAny, value)) = map.next_entry::<IgnoredAny, &'de RawValue>()? {
                values.push(value);
            }
            Ok(Values(values))
        }
    }
    impl<'de> Deserialize<'de> for Values<'de> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_map(Visit)
        }
    }
    let Values(values) = serde_json::from_str(object)?;
    let mut list = String::with_capacity(object.len());
    list.push('[');
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            list.push(',');
        }
        list.push_str(value.get());
    }
    list.push(']');
    Ok(list)
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

    /// The reply of pe_webhook_event, parsed (not freed: it is the library's).
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
        serde_json::from_str(unsafe { CStr::from_ptr(p) }.to_str().unwrap()).unwrap()
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
        let bodies: [&[u8]; 3] = [
            br#"{"eventType":"cip.paid","operationNumber":"7","data":{"cip":"9","currency":"PEN","amount":2.50,"paymentDate":"2026-11-21T09:15:00-05:00"}}"#,
            br#"{"eventType":"refund.refunded","operationNumber":"8","data":{"cip":"9","refundId":"r1","currency":"USD","amount":1.00,"status":"refunded"}}"#,
            br#"{"eventType":"cip.expired","operationNumber":"9","data":{"cip":"9","x":[1,{"y":null}]}}"#,
        ];
        for body in bodies {
            let sig = webhook::sign(body, "key");
            let object = verify(body, Some(sig.as_bytes()), Some(b"key"), 0)["data"].clone();
            let values: Vec<Value> = object.as_object().unwrap().values().cloned().collect();
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
