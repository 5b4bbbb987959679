//! Reading C arguments and writing JSON replies, with every panic caught before it reaches `extern "C"`.

use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use pagoefectivo::Error;
use serde_json::{Value, json};

/// Runs `f` and writes its outcome as `{"ok":true,"data":..}` or `{"ok":false,"error":{..}}`.
/// A panic becomes the core's `internal_error`: unwinding into PHP or C would abort the process.
pub fn answer(f: impl FnOnce() -> Result<Value, Error>) -> *mut c_char {
    let outcome = catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| Err(Error::from_panic(&*panic)));
    into_c_string(envelope(outcome))
}

/// The reply's text: `{"ok":true,"data":..}` or `{"ok":false,"error":{..}}`.
pub fn envelope(outcome: Result<Value, Error>) -> String {
    match outcome {
        Ok(data) => json!({"ok": true, "data": data}),
        Err(e) => json!({"ok": false, "error": e}),
    }
    .to_string()
}

/// Hands `text` to the caller, who frees it with `pe_string_free`. serde_json writes U+0000 as
/// `\u0000`, so a reply never holds a NUL byte; were it to, the text is cut there rather than lost.
fn into_c_string(text: String) -> *mut c_char {
    let mut bytes = text.into_bytes();
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        bytes.truncate(nul);
    }
    CString::new(bytes).map_or(std::ptr::null_mut(), CString::into_raw)
}

/// `len` bytes at `ptr` (any content, NULs included); NULL with length 0 is empty.
///
/// # Safety
/// `ptr` is NULL or points to `len` readable bytes valid for the call.
pub unsafe fn bytes_arg<'a>(ptr: *const c_char, len: usize, name: &str) -> Result<&'a [u8], Error> {
    match (ptr.is_null(), len) {
        (true, 0) => Ok(&[]),
        (true, _) => Err(Error::invalid_field(name, "is required (got a null pointer)")),
        // SAFETY: `len` readable bytes per the caller's contract.
        (false, n) => Ok(unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), n) }),
    }
}

/// Bytes as UTF-8 text; invalid UTF-8 is a typed error naming the argument (never its content).
pub fn text_of<'a>(bytes: &'a [u8], name: &str) -> Result<&'a str, Error> {
    std::str::from_utf8(bytes)
        .map_err(|e| Error::invalid_field(name, format!("is not valid UTF-8 (byte {})", e.valid_up_to())))
}

/// A NUL-terminated UTF-8 argument; NULL and invalid UTF-8 are typed errors naming the argument.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string valid for the call.
pub unsafe fn str_arg<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Error> {
    if ptr.is_null() {
        return Err(Error::invalid_field(name, "is required (got a null pointer)"));
    }
    // SAFETY: non-null and NUL-terminated per the caller's contract.
    text_of(unsafe { CStr::from_ptr(ptr) }.to_bytes(), name)
}

/// A JSON argument; NULL is JSON `null` when `optional`.
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

#[cfg(test)]
mod tests {
    use std::ptr;

    use super::*;

    fn decode(p: *mut c_char) -> Value {
        let text = unsafe { CString::from_raw(p) }.into_string().unwrap();
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn a_panic_becomes_the_core_internal_error() {
        let v = decode(answer(|| panic!("boom")));
        assert_eq!(v["ok"], false);
        assert_eq!(v["error"]["code"], "internal_error");
        assert_eq!(v["error"]["family"], "internal");
        assert!(v["error"]["message"].as_str().unwrap().contains("boom"));
        let v = decode(answer(|| std::panic::panic_any(42_u8)));
        assert_eq!(v["error"]["code"], "internal_error");
    }

    #[test]
    fn errors_are_the_core_error_whole() {
        let e = Error::invalid_field("amount", "must be positive");
        let v = decode(answer(|| Err(e.clone())));
        assert_eq!(v["error"], serde_json::to_value(&e).unwrap());
        assert_eq!(v["error"]["field_errors"][0]["field"], "amount");
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
        assert!(unsafe { bytes_arg(ptr::null(), 3, "body") }.is_err());
        assert_eq!(unsafe { bytes_arg(ptr::null(), 0, "body") }.unwrap(), b"");
    }

    #[test]
    fn a_reply_is_never_lost_to_a_nul() {
        let p = into_c_string("ab\0cd".into());
        assert_eq!(unsafe { CString::from_raw(p) }.to_str().unwrap(), "ab");
    }
}
