//! The C ABI of the pagoefectivo core: opaque handles, JSON in, JSON envelopes out (for PHP FFI and any C caller).
//!
//! Every function that answers returns a NUL-terminated UTF-8 JSON envelope,
//! `{"ok":true,"data":...}` or `{"ok":false,"error":{"code":...,"message":...,...}}`,
//! which the caller frees with [`pe_string_free`]. Handles come back through an
//! out-parameter, so creating one fails the same way as any call. No panic
//! crosses the boundary (it becomes an `internal_error` envelope); null
//! pointers, invalid UTF-8 and invalid JSON are `validation_error`s. Blocking
//! calls run on the core's shared runtime, which is rebuilt after a fork (PHP-FPM).

mod client_ops;
mod config;
mod envelope;
mod ops;
mod sandbox;

use std::ffi::{CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use pagoefectivo::{Error, JsonLinesAuditSink, blocking};

use envelope::{answer, json_arg, str_arg};
pub use sandbox::PeSandbox;

/// One merchant configuration: the core's blocking client (token cache and connection pool shared by its calls).
pub struct PeClient {
    client: blocking::Client,
}

fn null_handle(name: &str) -> Error {
    Error::invalid_field(name, "is required (got a null handle)")
}

/// Creates a client from `config_json` and stores it in `*out` (NULL on failure).
///
/// `config_json` is an object of options (`access_key`, `secret_key`, `id_service`,
/// `environment`, `base_url`, `request_timeout_ms`, `max_attempts`, ...,
/// `refund_audit_file`), or `{"env": {"PAGOEFECTIVO_...": "..."}}`. Returns an
/// envelope whose data is the client's non-secret settings; free it with `pe_string_free`.
///
/// # Safety
/// `config_json` is NULL or a NUL-terminated string; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pe_client_new(config_json: *const c_char, out: *mut *mut PeClient) -> *mut c_char {
    answer(|| {
        if out.is_null() {
            return Err(null_handle("out"));
        }
        // SAFETY: `out` is writable per the contract.
        unsafe { *out = std::ptr::null_mut() };
        // SAFETY: forwarded contract.
        let options = config::client_options(&unsafe { json_arg(config_json, "config", false) }?)?;
        let mut client = blocking::Client::new(options.config)?;
        if let Some(path) = options.refund_audit_file {
            client = client.with_refund_audit_sink(Arc::new(JsonLinesAuditSink::open(path)?));
        }
        let settings = client.config().settings();
        // SAFETY: as above.
        unsafe { *out = Box::into_raw(Box::new(PeClient { client })) };
        Ok(settings)
    })
}

/// Runs `op` (`cips.create`, `cips.get`, `cips.search`, `cips.extend`, `cips.delete`,
/// `cips.wait_for_final_status`, `refunds.create`, `refunds.get`, `refunds.list`,
/// `refunds.eligibility`, `refunds.wait_for_final_status`, `config`) with `args_json`
/// (the core's JSON: camelCase or snake_case keys). Blocks until done.
///
/// # Safety
/// `client` is NULL or from `pe_client_new` and not yet freed; strings are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pe_client_call(
    client: *const PeClient,
    op: *const c_char,
    args_json: *const c_char,
) -> *mut c_char {
    answer(|| {
        // SAFETY: a live handle or NULL per the contract.
        let client = unsafe { client.as_ref() }.ok_or_else(|| null_handle("client"))?;
        // SAFETY: forwarded contract.
        let (op, args) = unsafe { (str_arg(op, "op")?, json_arg(args_json, "args", true)?) };
        client_ops::call(&client.client, op, &args)
    })
}

/// Frees a client from `pe_client_new`; NULL is ignored.
///
/// # Safety
/// `client` is NULL or from `pe_client_new`, freed once, with no call running on it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pe_client_free(client: *mut PeClient) {
    if !client.is_null() {
        // SAFETY: from Box::into_raw in pe_client_new, freed once. A panic in a destructor is dropped here.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(client) })));
    }
}

/// Runs a client-less `op`: `webhook.verify`, `webhook.sign`, `hash_string`, `time.parse`,
/// `cip.status`, `cip.validate_create`, `refund.validate`, `payee.cci`, `config.from_env`,
/// `reconcile.run`, `reconcile.business_days`.
///
/// # Safety
/// Strings are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pe_call(op: *const c_char, args_json: *const c_char) -> *mut c_char {
    answer(|| {
        // SAFETY: forwarded contract.
        let (op, args) = unsafe { (str_arg(op, "op")?, json_arg(args_json, "args", true)?) };
        ops::call(op, &args)
    })
}

/// Verifies a webhook over its raw bytes (`body_len` bytes, any content, NULs included)
/// and the `PE-Signature` header (NULL when absent); answers the event or
/// `signature_verification_failed` with a `reason`.
///
/// # Safety
/// `body` points to `body_len` readable bytes (or is NULL with `body_len` 0); strings are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pe_webhook_verify(
    body: *const c_char,
    body_len: usize,
    signature: *const c_char,
    secret: *const c_char,
) -> *mut c_char {
    answer(|| {
        let raw: &[u8] = match (body.is_null(), body_len) {
            (true, 0) => &[],
            (true, _) => return Err(Error::invalid_field("body", "is required (got a null pointer)")),
            // SAFETY: `body_len` readable bytes per the contract.
            (false, n) => unsafe { std::slice::from_raw_parts(body.cast::<u8>(), n) },
        };
        let signature =
            if signature.is_null() { None } else { Some(unsafe { str_arg(signature, "signature") }?) };
        // SAFETY: forwarded contract.
        let secret = unsafe { str_arg(secret, "secret") }?;
        ops::verify_webhook(raw, signature, secret)
    })
}

/// Starts a sandbox on 127.0.0.1 (a free port) and stores it in `*out`. `options_json`
/// (NULL for defaults): `token_lifetime_seconds`, `max_amount`, `default_expiry_seconds`,
/// `webhook_retry_delay_ms`, `notification_url`, `first_cip`, `id_service`, `port`.
/// The envelope's data is `{baseUrl, idService, accessKey, secretKey}` (demo credentials).
///
/// # Safety
/// `options_json` is NULL or NUL-terminated; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pe_sandbox_start(
    options_json: *const c_char,
    out: *mut *mut PeSandbox,
) -> *mut c_char {
    answer(|| {
        if out.is_null() {
            return Err(null_handle("out"));
        }
        // SAFETY: `out` is writable per the contract.
        unsafe { *out = std::ptr::null_mut() };
        // SAFETY: forwarded contract.
        let sandbox = PeSandbox::start(&unsafe { json_arg(options_json, "options", true) }?)?;
        let info = sandbox.info();
        // SAFETY: as above.
        unsafe { *out = Box::into_raw(Box::new(sandbox)) };
        Ok(info)
    })
}

/// Runs a sandbox control `op`: `pay`, `expire`, `advance_clock`, `now`, `cip`, `fault`,
/// `clear_faults`, `request_count`, `deliveries`, `set_notification_url`, `refund`,
/// `refunds`, `refund_count`, `info`.
///
/// # Safety
/// `sandbox` is NULL or from `pe_sandbox_start` and not yet freed; strings are NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pe_sandbox_call(
    sandbox: *const PeSandbox,
    op: *const c_char,
    args_json: *const c_char,
) -> *mut c_char {
    answer(|| {
        // SAFETY: a live handle or NULL per the contract.
        let sandbox = unsafe { sandbox.as_ref() }.ok_or_else(|| null_handle("sandbox"))?;
        // SAFETY: forwarded contract.
        let (op, args) = unsafe { (str_arg(op, "op")?, json_arg(args_json, "args", true)?) };
        sandbox.call(op, &args)
    })
}

/// Stops and frees a sandbox; NULL is ignored.
///
/// # Safety
/// `sandbox` is NULL or from `pe_sandbox_start`, freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pe_sandbox_free(sandbox: *mut PeSandbox) {
    if !sandbox.is_null() {
        let _ = catch_unwind(AssertUnwindSafe(|| {
            // SAFETY: from Box::into_raw in pe_sandbox_start, freed once.
            let mut sandbox = unsafe { Box::from_raw(sandbox) };
            sandbox.shutdown();
        }));
    }
}

/// Frees a string returned by any `pe_*` function; NULL is ignored.
///
/// # Safety
/// `s` is NULL or a string returned by this library, freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pe_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: from CString::into_raw in envelope::into_c_string.
        drop(unsafe { CString::from_raw(s) });
    }
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;

    /// Parses and frees an envelope.
    fn take(p: *mut c_char) -> serde_json::Value {
        assert!(!p.is_null());
        let text = unsafe { std::ffi::CStr::from_ptr(p) }.to_str().unwrap().to_owned();
        unsafe { pe_string_free(p) };
        serde_json::from_str(&text).unwrap()
    }

    fn c(s: &str) -> CString {
        CString::new(s).unwrap()
    }

    #[test]
    fn null_pointers_are_typed_errors() {
        unsafe {
            let v = take(pe_client_call(ptr::null(), c("cips.get").as_ptr(), ptr::null()));
            assert_eq!(v["error"]["code"], "validation_error");
            assert_eq!(v["error"]["field_errors"][0]["field"], "client");
            let v = take(pe_call(ptr::null(), ptr::null()));
            assert_eq!(v["error"]["field_errors"][0]["field"], "op");
            let v = take(pe_client_new(ptr::null(), ptr::null_mut()));
            assert_eq!(v["error"]["field_errors"][0]["field"], "out");
            let mut out = ptr::null_mut();
            let v = take(pe_client_new(ptr::null(), &mut out));
            assert_eq!(v["error"]["field_errors"][0]["field"], "config");
            assert!(out.is_null());
            let v = take(pe_webhook_verify(ptr::null(), 5, ptr::null(), c("k").as_ptr()));
            assert_eq!(v["error"]["field_errors"][0]["field"], "body");
            let v = take(pe_sandbox_call(ptr::null(), c("pay").as_ptr(), ptr::null()));
            assert_eq!(v["error"]["code"], "validation_error");
            pe_client_free(ptr::null_mut());
            pe_sandbox_free(ptr::null_mut());
            pe_string_free(ptr::null_mut());
        }
    }

    #[test]
    fn invalid_json_and_utf8_are_typed_errors() {
        unsafe {
            let v = take(pe_call(c("time.parse").as_ptr(), c("{not json").as_ptr()));
            assert_eq!(v["error"]["code"], "validation_error");
            let bad = CString::new(vec![0xc3, 0x28]).unwrap();
            let v = take(pe_call(bad.as_ptr(), c("null").as_ptr()));
            assert_eq!(v["error"]["field_errors"][0]["field"], "op");
            let mut out = ptr::null_mut();
            let v = take(pe_client_new(c(r#"{"secret_key": "k"}"#).as_ptr(), &mut out));
            assert_eq!(v["error"]["code"], "configuration_error");
            assert!(out.is_null());
        }
    }

    #[test]
    fn webhook_bodies_are_raw_bytes() {
        let body = br#"{"eventType":"cip.paid","operationNumber":"7","data":{"cip":"9","currency":"PEN","amount":2.50}}"#;
        let sig = pagoefectivo::webhook::sign(body, "key");
        unsafe {
            let v = take(pe_webhook_verify(
                body.as_ptr().cast(),
                body.len(),
                c(&sig).as_ptr(),
                c("key").as_ptr(),
            ));
            assert_eq!(v["data"]["amount"], "2.50", "{v}");
            let garbage = [0xff_u8, 0, 0xfe, b'{'];
            let v = take(pe_webhook_verify(garbage.as_ptr().cast(), 4, ptr::null(), c("key").as_ptr()));
            assert_eq!(v["error"]["reason"], "missing_signature");
        }
    }

    #[test]
    fn a_client_runs_against_the_sandbox() {
        unsafe {
            let mut sb = ptr::null_mut();
            let info = take(pe_sandbox_start(ptr::null(), &mut sb));
            assert!(!sb.is_null(), "{info}");
            let d = &info["data"];
            let config = serde_json::json!({"base_url": d["baseUrl"], "access_key": d["accessKey"],
                "secret_key": d["secretKey"], "id_service": d["idService"]});
            let mut client = ptr::null_mut();
            let v = take(pe_client_new(c(&config.to_string()).as_ptr(), &mut client));
            assert_eq!(v["ok"], true, "{v}");
            let request =
                r#"{"currency":"PEN","amount":"25.50","transactionCode":"ORD-1","userEmail":"a@b.pe"}"#;
            let cip = take(pe_client_call(client, c("cips.create").as_ptr(), c(request).as_ptr()));
            assert_eq!(cip["data"]["amount"], "25.50", "{cip}");
            let n = cip["data"]["cip"].clone();
            let paid = take(pe_sandbox_call(sb, c("pay").as_ptr(), c(&format!(r#"{{"cip":{n}}}"#)).as_ptr()));
            assert_eq!(paid["ok"], true);
            let got = take(pe_client_call(
                client,
                c("cips.get").as_ptr(),
                c(&format!(r#"{{"cip":{n}}}"#)).as_ptr(),
            ));
            assert_eq!(got["data"]["status"], "paid");
            let v = take(pe_client_call(client, c("cips.nope").as_ptr(), ptr::null()));
            assert_eq!(v["error"]["code"], "validation_error");
            pe_client_free(client);
            pe_sandbox_free(sb);
        }
    }
}
