//! Reading C arguments and writing JSON envelopes, with every panic caught before it reaches `extern "C"`.

use std::any::Any;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;

use pagoefectivo::Error;
use serde::Serialize;
use serde_json::{Value, json};

/// Runs `f` and encodes its outcome as `{"ok":true,"data":..}` or `{"ok":false,"error":{..}}`.
/// A panic becomes an `internal_error` envelope: unwinding into PHP would abort the worker.
pub fn answer(f: impl FnOnce() -> Result<Value, Error>) -> *mut c_char {
    let envelope = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(data)) => json!({"ok": true, "data": data}),
        Ok(Err(e)) => json!({"ok": false, "error": e}),
        Err(panic) => internal_error(&panic),
    };
    into_c_string(envelope.to_string())
}

/// Hands `text` to the caller, who frees it with `pe_string_free`.
pub fn into_c_string(text: String) -> *mut c_char {
    // serde_json escapes U+0000, so an envelope never holds an interior NUL; the fallback is for completeness.
    CString::new(text).map(CString::into_raw).unwrap_or_else(|_| {
        CString::new(
            r#"{"ok":false,"error":{"code":"internal_error","message":"an answer held a NUL byte"}}"#,
        )
        .map(CString::into_raw)
        .unwrap_or(ptr::null_mut())
    })
}

/// The error shape of the core's `Error`, for a panic (a bug in the SDK, never the caller's input).
fn internal_error(panic: &Box<dyn Any + Send>) -> Value {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned());
    let what: String = what.chars().take(200).collect();
    json!({"ok": false, "error": {
        "code": "internal_error", "message": format!("internal error in pagoefectivo (please report it): {what}"),
        "http_status": null, "pe_code": null, "pe_message": null, "field_errors": [], "retryable": false,
        "attempts": 0, "reason": null, "hint": null, "transaction_code": null, "request_id": null,
    }})
}

/// A NUL-terminated UTF-8 argument; null and invalid UTF-8 are typed errors naming the argument.
///
/// # Safety
/// `ptr` is null or points to a NUL-terminated string valid for the call.
pub unsafe fn str_arg<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Error> {
    if ptr.is_null() {
        return Err(Error::invalid_field(name, "is required (got a null pointer)"));
    }
    // SAFETY: non-null and NUL-terminated per the caller's contract.
    let text = unsafe { CStr::from_ptr(ptr) };
    text.to_str()
        .map_err(|e| Error::invalid_field(name, format!("is not valid UTF-8 (byte {})", e.valid_up_to())))
}

/// A JSON argument; a null pointer is JSON `null` when `optional`.
///
/// # Safety
/// As [`str_arg`].
pub unsafe fn json_arg(ptr: *const c_char, name: &str, optional: bool) -> Result<Value, Error> {
    if ptr.is_null() && optional {
        return Ok(Value::Null);
    }
    // SAFETY: forwarded contract.
    let text = unsafe { str_arg(ptr, name) }?;
    // The parser's message gives line and column only, never the text (it may hold a secret key).
    serde_json::from_str(text).map_err(|e| Error::invalid_field(name, format!("is not valid JSON: {e}")))
}

/// A result as JSON data. The core's results all derive Serialize; failing here is a bug, caught as one.
pub fn data<T: Serialize>(value: T) -> Result<Value, Error> {
    Ok(serde_json::to_value(value).expect("core results serialize to JSON"))
}

/// `args[key]` as a string, or a validation error naming it.
pub fn string<'a>(args: &'a Value, key: &str) -> Result<&'a str, Error> {
    args.get(key).and_then(Value::as_str).ok_or_else(|| Error::invalid_field(key, "must be a string"))
}

/// `args[key]` as a non-negative integer (a JSON number or a string of digits).
pub fn unsigned(args: &Value, key: &str) -> Result<u64, Error> {
    match args.get(key) {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
        _ => None,
    }
    .ok_or_else(|| Error::invalid_field(key, "must be a non-negative integer"))
}

/// `args[key]` as an optional non-negative integer.
pub fn optional_unsigned(args: &Value, key: &str) -> Result<Option<u64>, Error> {
    match args.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => unsigned(args, key).map(Some),
    }
}

/// Narrows to u32 with a validation error instead of a silent wrap.
pub fn u32_of(value: u64, key: &str) -> Result<u32, Error> {
    u32::try_from(value).map_err(|_| Error::invalid_field(key, "is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(p: *mut c_char) -> Value {
        let text = unsafe { CString::from_raw(p) }.into_string().unwrap();
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn a_panic_becomes_an_internal_error_envelope() {
        let v = decode(answer(|| panic!("boom")));
        assert_eq!(v["ok"], false);
        assert_eq!(v["error"]["code"], "internal_error");
        assert!(v["error"]["message"].as_str().unwrap().contains("boom"));
        let v = decode(answer(|| std::panic::panic_any(42_u8)));
        assert_eq!(v["error"]["code"], "internal_error");
    }

    #[test]
    fn errors_carry_every_field_of_the_core_error() {
        let v = decode(answer(|| Err(Error::invalid_field("amount", "must be positive"))));
        let e = &v["error"];
        for key in [
            "code",
            "message",
            "http_status",
            "pe_code",
            "pe_message",
            "field_errors",
            "retryable",
            "attempts",
            "reason",
            "hint",
            "transaction_code",
            "request_id",
        ] {
            assert!(e.get(key).is_some(), "missing {key}: {e}");
        }
        assert_eq!(e["field_errors"][0]["field"], "amount");
    }

    #[test]
    fn null_and_invalid_utf8_and_bad_json_are_validation_errors() {
        let e = unsafe { str_arg(ptr::null(), "op") }.unwrap_err();
        assert_eq!(e.code().as_str(), "validation_error");
        let bad = CString::new(vec![b'"', 0xff, 0xfe, b'"']).unwrap();
        let e = unsafe { json_arg(bad.as_ptr(), "args", false) }.unwrap_err();
        assert_eq!(e.field_errors()[0].field, "args");
        assert!(e.message().contains("UTF-8"));
        let garbage = CString::new("{\"a\": [1, 2").unwrap();
        let e = unsafe { json_arg(garbage.as_ptr(), "args", false) }.unwrap_err();
        assert!(e.message().contains("not valid JSON"));
        let deep = CString::new("[".repeat(100_000)).unwrap();
        assert!(unsafe { json_arg(deep.as_ptr(), "args", false) }.is_err());
        assert_eq!(unsafe { json_arg(ptr::null(), "args", true) }.unwrap(), Value::Null);
    }

    #[test]
    fn integers_are_checked() {
        let args = json!({"cip": "123", "bad": -1, "text": "12a", "big": 5_000_000_000_u64});
        assert_eq!(unsigned(&args, "cip").unwrap(), 123);
        assert!(unsigned(&args, "bad").is_err());
        assert!(unsigned(&args, "text").is_err());
        assert!(unsigned(&args, "missing").is_err());
        assert!(u32_of(unsigned(&args, "big").unwrap(), "big").is_err());
        assert_eq!(optional_unsigned(&args, "missing").unwrap(), None);
    }
}
