//! What crosses back to the JVM: one tag byte (`O` ok, `E` error) and the core's JSON, panics included.

use std::panic::{AssertUnwindSafe, catch_unwind};

use pagoefectivo::Error;
use serde::Serialize;
use serde_json::Value;

pub const OK: u8 = b'O';
pub const ERR: u8 = b'E';

/// The reply for a result: the tag and the value's JSON (an unserializable result is a bug, said as one).
pub fn encode<T: Serialize>(result: Result<T, Error>) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    let written = match &result {
        Ok(value) => {
            out.push(OK);
            serde_json::to_writer(&mut out, value)
        }
        Err(e) => return failure(e),
    };
    match written {
        Ok(()) => out,
        Err(e) => failure(&Error::internal(&format!("a result did not serialize: {e}"))),
    }
}

/// An error reply: the core's serialized `Error` plus `display`, its `Display` form (the exception's message).
pub fn failure(e: &Error) -> Vec<u8> {
    let mut value = serde_json::to_value(e).unwrap_or(Value::Null);
    if let Some(map) = value.as_object_mut() {
        map.insert("display".to_owned(), Value::String(e.to_string()));
    }
    let mut out = vec![ERR];
    // The core's Error always serializes (strings, numbers and a list of them).
    let _ = serde_json::to_writer(&mut out, &value);
    out
}

/// Runs `f`, catching a panic as the core's `internal_error`: nothing unwinds into the JVM.
pub fn guarded<T: Serialize>(f: impl FnOnce() -> Result<T, Error>) -> Vec<u8> {
    encode(catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| Err(Error::from_panic(&*p))))
}

/// A request's JSON as the Kotlin side wrote it (empty: no arguments). The Kotlin writer only
/// produces valid JSON, so anything else is this SDK's bug, not the caller's input.
pub fn request(bytes: &[u8]) -> Result<Value, Error> {
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(bytes)
        .map_err(|e| Error::internal(&format!("the JVM binding sent invalid JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_errors_and_panics_have_one_shape() {
        assert_eq!(guarded(|| Ok(serde_json::json!({"a": 1}))), b"O{\"a\":1}");
        let e = guarded::<Value>(|| Err(Error::invalid_field("cip", "bad")));
        assert_eq!(e[0], ERR);
        let v: Value = serde_json::from_slice(&e[1..]).unwrap();
        assert_eq!(
            (v["code"].as_str(), v["family"].as_str()),
            (Some("validation_error"), Some("validation"))
        );
        let p = guarded::<Value>(|| panic!("boom"));
        let v: Value = serde_json::from_slice(&p[1..]).unwrap();
        assert_eq!(v["code"], "internal_error");
        assert!(v["message"].as_str().unwrap().contains("boom"));
    }

    #[test]
    fn requests_keep_exact_numbers() {
        let v = request(b"{\"amount\":25.50,\"cip\":99999999999999}").unwrap();
        assert_eq!(v["amount"].to_string(), "25.50");
        assert_eq!(request(b"").unwrap(), Value::Null);
        assert_eq!(request(b"{").unwrap_err().code().as_str(), "internal_error");
    }
}
