//! Core errors (and the binding's own input errors) as JS exceptions the TypeScript layer turns into typed classes.

use pagoefectivo::{Error, FieldError};
use serde_json::{Value, json};

/// Every exception this addon raises on purpose has a message starting with
/// this marker, followed by the error as JSON; `ts/errors.ts` recognises it
/// and builds the typed class. (napi's factories and constructors only throw
/// its own status codes, so the marker travels in the message.)
pub const ERROR_MARKER: &str = "PagoEfectivoError:";

pub type NapiError = napi::Error;
pub type Result<T> = std::result::Result<T, NapiError>;

fn raise(payload: Value) -> NapiError {
    napi::Error::new(napi::Status::GenericFailure, format!("{ERROR_MARKER}{payload}"))
}

/// A core error, with every field the core exposes (none holds a secret).
pub fn from_core(e: &Error) -> NapiError {
    let mut v = serde_json::to_value(e).unwrap_or_else(|_| json!({ "code": e.code().as_str() }));
    if let Value::Object(map) = &mut v {
        map.insert("display".into(), e.to_string().into());
    }
    raise(v)
}

/// An input the binding refuses while converting JS values (a JS number for
/// an amount, a CIP that is not an integer...), shaped like the core's
/// `validation_error` so callers handle both alike.
pub fn invalid(field_errors: Vec<FieldError>) -> NapiError {
    let list: Vec<String> = field_errors.iter().map(|f| format!("{} {}", f.field, f.message)).collect();
    let message = format!("invalid input: {}", list.join("; "));
    raise(json!({
        "code": "validation_error", "message": message, "display": format!("[validation_error] {message}"),
        "field_errors": field_errors, "retryable": false, "attempts": 0,
    }))
}

pub fn invalid_field(field: &str, message: impl Into<String>) -> NapiError {
    invalid(vec![FieldError::invalid(field, message)])
}

/// A configuration option the binding cannot convert.
pub fn config(message: impl Into<String>) -> NapiError {
    let message = message.into();
    raise(json!({
        "code": "configuration_error", "message": message, "display": format!("[configuration_error] {message}"),
        "field_errors": [], "retryable": false, "attempts": 0,
    }))
}

/// An error of another kind with only a code and message (sandbox control errors).
pub fn other(code: &str, message: impl Into<String>) -> NapiError {
    other_with(code, &message.into(), json!({}))
}

/// Like [`other`], with more fields (`reason`, `hint`).
pub fn other_with(code: &str, message: &str, extra: Value) -> NapiError {
    let display = match extra.get("hint").and_then(Value::as_str) {
        Some(hint) => format!("[{code}] {message} hint: {hint}"),
        None => format!("[{code}] {message}"),
    };
    let mut v = json!({
        "code": code, "message": message, "display": display,
        "field_errors": [], "retryable": false, "attempts": 0,
    });
    if let (Value::Object(m), Value::Object(x)) = (&mut v, extra) {
        m.extend(x);
    }
    raise(v)
}

pub trait IntoNapi<T> {
    fn napi(self) -> Result<T>;
}

impl<T> IntoNapi<T> for std::result::Result<T, Error> {
    fn napi(self) -> Result<T> {
        self.map_err(|e| from_core(&e))
    }
}
