//! The C ABI of the pagoefectivo core: opaque handles, JSON in, JSON replies out (for PHP FFI and any C caller).
//!
//! A thin shell over the core's boundary (`pagoefectivo::boundary`): every operation,
//! argument rule and error is the core's, so this crate decides nothing. Every function
//! that answers returns a NUL-terminated UTF-8 JSON reply, `{"ok":true,"data":...}` or
//! `{"ok":false,"error":{"code":...,"family":...,"message":...,...}}` (the core's `Error`),
//! which the caller frees with [`pe_string_free`] (except `pe_webhook_event`'s, which the library keeps: PHP's
//! hot path, one crossing, an event's values as fields or a JSON list, nothing to free). Handles come back through an
//! out-parameter, so creating one fails the same way as any call. No panic crosses the
//! boundary (it becomes the core's `internal_error`); null pointers, invalid UTF-8 and
//! invalid JSON are `validation_error`s naming the argument. Blocking calls run on the
//! core's per-process runtime, which a forked child (PHP-FPM) rebuilds for itself. Handles: a client
//! (`pe_client_*`), a test sandbox (`pe_sandbox_*`) and a notification deduplicator (`pe_dedup_*`, in memory or in
//! a PostgreSQL or Redis store many servers share).

mod dedup;
mod fields;
mod reply;
mod sandbox;
mod values;
mod webhook;

use std::ffi::{CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use pagoefectivo::boundary::ops;
use pagoefectivo::{Client, Error, runtime};

pub use dedup::{PeDedup, pe_dedup_call, pe_dedup_free, pe_dedup_new};
use reply::{answer, json_arg, str_arg};
pub use sandbox::PeSandbox;
pub use webhook::{pe_webhook_event, pe_webhook_verify};

/// One merchant configuration: the core's client (token cache and connection pool shared by its calls).
pub struct PeClient {
    client: Client,
}

pub(crate) fn null_handle(name: &str) -> Error {
    Error::invalid_field(name, "is required (got a null handle)")
}

/// Creates a client from `config_json` and stores it in `*out` (NULL on failure).
///
/// `config_json` is the core's options object (`access_key`, `secret_key`, `id_service`,
/// `environment`, `base_url`, `*_timeout_ms`, `max_attempts`, `proxy`, `no_proxy`, `ca_file`,
/// `max_response_bytes`, ..., `refund_audit_file`; any casing), or
/// `{"env": {"PAGOEFECTIVO_...": "..."}}`. The reply's data is the client's non-secret
/// settings; free it with `pe_string_free`.
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
        let client = Client::from_options(&unsafe { json_arg(config_json, "config", false) }?)?;
        let settings = client.config().settings();
        // SAFETY: as above.
        unsafe { *out = Box::into_raw(Box::new(PeClient { client })) };
        Ok(settings)
    })
}

/// Runs the client operation `op` (`pagoefectivo::boundary::ops::CLIENT_OPS`: `cips.create`,
/// `cips.get`, ..., `reports.page`, `reconcile.search`, `reconcile.report`, `config`) with
/// `args_json` (NULL for none). Blocks until done, within the client's deadlines.
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
        runtime::block_on(ops::client_call(&client.client, op, &args))
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

/// Runs an operation that needs no client (`pagoefectivo::boundary::ops::OPS`: `webhook.verify`,
/// `webhook.sign`, `webhook.find_signature`, `time.parse`, `cip.validate_create`, `errors.table`,
/// `reconcile.run`, `reconcile.files`, ...) with `args_json` (NULL for none).
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

/// Starts a sandbox on 127.0.0.1 (a free port) and stores it in `*out` (NULL on failure).
/// `options_json` (NULL for defaults): `token_lifetime_seconds`, `max_amount`,
/// `default_expiry_seconds`, `webhook_retry_delay_ms`, `notification_url`, `first_cip`,
/// `id_service`, `port`; an unknown option is a `validation_error` naming it. The reply's data
/// is `{baseUrl, idService, accessKey, secretKey}` (demo credentials). In a library built
/// without the `sandbox` feature (the production build) this is a `configuration_error`.
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

/// Runs a sandbox control `op` (`pagoefectivo_testing::CONTROL_OPS`: `pay`, `expire`,
/// `advance_clock`, `now`, `cip`, `cips`, `fault`, `faults`, `clear_faults`, `request_count`,
/// `deliveries`, `notification_url`, `set_notification_url`, `refund`, `refunds`,
/// `refund_count`, `info`) with `args_json` (NULL for none). `_panic` panics on purpose, so
/// tests can see a panic become `internal_error`.
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
        if op == "_panic" {
            panic!("a panic asked for by the sandbox's _panic test hook");
        }
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
        // SAFETY: from Box::into_raw in pe_sandbox_start, freed once; dropping it stops the server.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(sandbox) })));
    }
}

/// Frees a string returned by any `pe_*` function; NULL is ignored.
///
/// # Safety
/// `s` is NULL or a string returned by this library, freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pe_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: from CString::into_raw in reply::answer.
        drop(unsafe { CString::from_raw(s) });
    }
}

#[cfg(test)]
mod tests {
    use std::ptr;

    use serde_json::Value;

    use super::*;

    /// Parses and frees a reply.
    fn take(p: *mut c_char) -> Value {
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
            let v = take(pe_webhook_verify(ptr::null(), 5, ptr::null(), 0, c("k").as_ptr(), 1, 0));
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
    fn every_core_operation_is_reachable() {
        let table = take(unsafe { pe_call(c("errors.table").as_ptr(), ptr::null()) });
        assert!(table["data"]["codes"].as_array().unwrap().len() >= 17);
        for op in ops::OPS {
            let v = take(unsafe { pe_call(c(op).as_ptr(), c("{}").as_ptr()) });
            // Empty arguments are refused or answered, never an unknown operation.
            let unknown = v["error"]["field_errors"][0]["message"].as_str().unwrap_or("");
            assert!(!unknown.contains("unknown operation"), "{op}: {v}");
        }
    }

    #[cfg(not(feature = "sandbox"))]
    #[test]
    fn the_lean_build_has_no_sandbox() {
        let mut sb = ptr::null_mut();
        let v = take(unsafe { pe_sandbox_start(ptr::null(), &mut sb) });
        assert_eq!(v["error"]["code"], "configuration_error");
        assert!(sb.is_null());
    }

    #[cfg(feature = "sandbox")]
    #[test]
    fn a_client_runs_against_the_sandbox_and_a_panic_is_typed() {
        unsafe {
            let mut sb = ptr::null_mut();
            let v = take(pe_sandbox_start(c(r#"{"no_such_option": 1}"#).as_ptr(), &mut sb));
            assert_eq!(v["error"]["field_errors"][0]["field"], "no_such_option", "{v}");
            assert!(sb.is_null());
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
            let args = c(&format!(r#"{{"cip":{n}}}"#));
            let paid = take(pe_sandbox_call(sb, c("pay").as_ptr(), args.as_ptr()));
            assert_eq!(paid["ok"], true);
            let got = take(pe_client_call(client, c("cips.get").as_ptr(), args.as_ptr()));
            assert_eq!(got["data"]["status"], "paid");
            let v = take(pe_client_call(client, c("cips.nope").as_ptr(), ptr::null()));
            assert_eq!(v["error"]["code"], "validation_error");
            let v = take(pe_sandbox_call(sb, c("_panic").as_ptr(), ptr::null()));
            assert_eq!(v["error"]["code"], "internal_error");
            pe_client_free(client);
            pe_sandbox_free(sb);
        }
    }
}
