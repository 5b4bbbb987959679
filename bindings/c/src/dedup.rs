//! The core's notification deduplicator behind a handle: in memory, or a store several servers share by URL.
//!
//! Operations take the notification's raw (already verified) body and the core parses it again, so
//! the key, the payload hash, the options and the store are the core's (`pagoefectivo::boundary::dedup`).

use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

use pagoefectivo::Deduplicator;
use pagoefectivo::boundary::dedup;
use serde_json::Value;

use crate::null_handle;
use crate::reply::{answer, bytes_arg, json_arg, str_arg};

/// A deduplicator: its store (in memory, PostgreSQL or Redis), ttl and lease (opaque to C).
pub struct PeDedup {
    dedup: Deduplicator,
}

/// Creates a deduplicator from `options_json` and stores it in `*out` (NULL on failure).
///
/// `options_json` (NULL for defaults: in memory) is the core's options object
/// (`pagoefectivo::boundary::dedup::DEDUP_OPTIONS`): `url` (`memory:`, `postgres://...`,
/// `redis://...`; it may hold a password, which no reply or error ever shows), `ttlMs` (how long
/// completed keys are remembered) and `leaseMs` (how long a worker holds an event). An unknown
/// option is a `validation_error` naming it; an unknown store scheme a `configuration_error`. A
/// shared store is connected on first use, by each process for itself. The reply's data is the
/// deduplicator as the core's `Debug` shows it (its ttl and lease, never the store or its URL).
///
/// # Safety
/// `options_json` is NULL or NUL-terminated; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pe_dedup_new(options_json: *const c_char, out: *mut *mut PeDedup) -> *mut c_char {
    answer(|| {
        if out.is_null() {
            return Err(null_handle("out"));
        }
        // SAFETY: `out` is writable per the contract.
        unsafe { *out = std::ptr::null_mut() };
        // SAFETY: forwarded contract.
        let dedup = dedup::deduplicator(&unsafe { json_arg(options_json, "options", true) }?)?;
        let shown = format!("{dedup:?}");
        // SAFETY: as above.
        unsafe { *out = Box::into_raw(Box::new(PeDedup { dedup })) };
        Ok(Value::String(shown))
    })
}

/// Runs the deduplicator operation `op` (`pagoefectivo::boundary::dedup::DEDUP_OPS`: `begin`,
/// `complete`, `fail`, `first_delivery`, `forget`) for the notification whose raw body is the
/// `body_len` bytes at `body` (verified before, with `pe_webhook_verify`: this reads it, it does
/// not check it). `begin` answers `"started"`, `"duplicate"`, `"in_progress"` or `"conflict"`,
/// `first_delivery` a boolean, the others `null`. A store that cannot be reached is a
/// `connection_error` with reason `store_unavailable` (answer the notification non-200). Blocks
/// until the store answers.
///
/// # Safety
/// `dedup` is NULL or from `pe_dedup_new` and not yet freed; `op` is NULL or NUL-terminated;
/// `body` is NULL or points to `body_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pe_dedup_call(
    dedup: *const PeDedup,
    op: *const c_char,
    body: *const c_char,
    body_len: usize,
) -> *mut c_char {
    answer(|| {
        // SAFETY: a live handle or NULL per the contract.
        let d = unsafe { dedup.as_ref() }.ok_or_else(|| null_handle("dedup"))?;
        // SAFETY: forwarded contract.
        let (op, body) = unsafe { (str_arg(op, "op")?, bytes_arg(body, body_len, "body")?) };
        dedup::run_on_body(&d.dedup, op, body)
    })
}

/// Frees a deduplicator from `pe_dedup_new` (its store connections close); NULL is ignored.
///
/// # Safety
/// `dedup` is NULL or from `pe_dedup_new`, freed once, with no call running on it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pe_dedup_free(dedup: *mut PeDedup) {
    if !dedup.is_null() {
        // SAFETY: from Box::into_raw in pe_dedup_new, freed once. A panic in a destructor is dropped here.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(dedup) })));
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::{CStr, CString};
    use std::ptr;

    use super::*;
    use crate::pe_string_free;

    const BODY: &[u8] =
        br#"{"eventType":"cip.paid","operationNumber":"7","data":{"cip":"5","currency":"PEN","amount":1.00}}"#;

    fn take(p: *mut c_char) -> Value {
        assert!(!p.is_null());
        let text = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
        unsafe { pe_string_free(p) };
        serde_json::from_str(&text).unwrap()
    }

    fn c(s: &str) -> CString {
        CString::new(s).unwrap()
    }

    fn call(d: *const PeDedup, op: &str, body: &[u8]) -> Value {
        take(unsafe { pe_dedup_call(d, c(op).as_ptr(), body.as_ptr().cast(), body.len()) })
    }

    fn new(options: Option<&str>) -> (Value, *mut PeDedup) {
        let mut out = ptr::null_mut();
        let options = options.map(c);
        let v = take(unsafe { pe_dedup_new(options.as_ref().map_or(ptr::null(), |o| o.as_ptr()), &mut out) });
        (v, out)
    }

    #[test]
    fn the_lease_contract_through_the_handle() {
        let (v, d) = new(None);
        assert_eq!(v["data"], "Deduplicator { ttl: 604800s, lease: 60s, .. }", "{v}");
        assert!(!d.is_null());
        assert_eq!(call(d, "begin", BODY)["data"], "started");
        assert_eq!(call(d, "begin", BODY)["data"], "in_progress");
        assert_eq!(call(d, "complete", BODY)["data"], Value::Null);
        assert_eq!(call(d, "begin", BODY)["data"], "duplicate");
        assert_eq!(call(d, "first_delivery", BODY)["data"], false);
        let forged = String::from_utf8(BODY.to_vec()).unwrap().replace("1.00", "2.00");
        assert_eq!(call(d, "begin", forged.as_bytes())["data"], "conflict");
        assert_eq!(call(d, "forget", BODY)["ok"], true);
        assert_eq!(call(d, "first_delivery", BODY)["data"], true);
        unsafe { pe_dedup_free(d) };
    }

    #[test]
    fn bad_options_ops_bodies_and_pointers_are_typed_errors() {
        let field = |v: &Value| v["error"]["field_errors"][0]["field"].clone();
        let (v, d) = new(Some(r#"{"ttl": 1}"#));
        assert_eq!(field(&v), "ttl", "{v}");
        assert!(d.is_null());
        let (v, d) = new(Some(r#"{"url": "mysql://u:hunter2@x/db"}"#));
        assert_eq!(v["error"]["code"], "configuration_error");
        assert!(!v.to_string().contains("hunter2"), "{v}");
        assert!(d.is_null());
        let (v, _) = new(Some("{not json"));
        assert_eq!(field(&v), "options");
        let v = take(unsafe { pe_dedup_new(ptr::null(), ptr::null_mut()) });
        assert_eq!(field(&v), "out");

        let (_, d) = new(Some(r#"{"url": "memory:", "leaseMs": 50}"#));
        assert_eq!(field(&call(d, "claim", BODY)), "op");
        assert_eq!(call(d, "begin", b"not json")["error"]["code"], "signature_verification_failed");
        let v = take(unsafe { pe_dedup_call(d, ptr::null(), BODY.as_ptr().cast(), BODY.len()) });
        assert_eq!(field(&v), "op");
        let v = take(unsafe { pe_dedup_call(d, c("begin").as_ptr(), ptr::null(), 3) });
        assert_eq!(field(&v), "body");
        let v = take(unsafe {
            pe_dedup_call(ptr::null(), c("begin").as_ptr(), BODY.as_ptr().cast(), BODY.len())
        });
        assert_eq!(field(&v), "dedup");
        unsafe {
            pe_dedup_free(d);
            pe_dedup_free(ptr::null_mut());
        }
    }

    #[test]
    fn an_unreachable_store_is_a_typed_error_without_its_password() {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        for url in ["postgres://shop:hunter2@127.0.0.1:1/shop", "redis://:hunter2@127.0.0.1:1/0"] {
            let (v, d) = new(Some(&serde_json::json!({ "url": url }).to_string()));
            assert_eq!(v["ok"], true, "{v}");
            assert!(!v.to_string().contains("hunter2") && !v.to_string().contains("127.0.0.1"), "{v}");
            let v = call(d, "begin", BODY);
            assert_eq!(v["error"]["code"], "connection_error", "{url}: {v}");
            assert_eq!(v["error"]["reason"], "store_unavailable", "{url}: {v}");
            assert!(!v.to_string().contains("hunter2"), "{v}");
            unsafe { pe_dedup_free(d) };
        }
    }
}
