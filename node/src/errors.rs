//! Core errors (and the binding's own input errors, built by the core) as JS exceptions the TypeScript layer turns into typed classes.

use pagoefectivo::{Error, ErrorCode, FieldError};
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
/// an amount, a CIP that is not an integer...): the core's own `validation_error`.
pub fn invalid(field_errors: Vec<FieldError>) -> NapiError {
    from_core(&Error::invalid_fields(field_errors))
}

pub fn invalid_field(field: &str, message: impl Into<String>) -> NapiError {
    from_core(&Error::invalid_field(field, message))
}

/// A configuration option the binding cannot convert.
pub fn config(message: impl Into<String>) -> NapiError {
    from_core(&Error::new(ErrorCode::ConfigurationError, message))
}

/// An error of another kind with only a code and message (sandbox control, local files).
pub fn other(code: ErrorCode, message: impl Into<String>) -> NapiError {
    from_core(&Error::new(code, message))
}

/// A webhook body of the wrong JS type: the core's `signature_verification_failed` with a reason and hint.
pub fn signature_failure(message: &str, reason: &str, hint: &str) -> NapiError {
    from_core(
        &Error::new(ErrorCode::SignatureVerificationFailed, message).with_reason(reason).with_hint(hint),
    )
}

pub trait IntoNapi<T> {
    fn napi(self) -> Result<T>;
}

impl<T> IntoNapi<T> for std::result::Result<T, Error> {
    fn napi(self) -> Result<T> {
        self.map_err(|e| from_core(&e))
    }
}
