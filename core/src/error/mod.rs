//! The one public error type: a stable code, PagoEfectivo's own code and message, and whether a retry can help.

mod code;

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

pub use code::{ErrorCode, Family, Retryable, table};

/// One invalid field, from client-side validation or from PagoEfectivo's
/// 111 answer. `code` is PagoEfectivo's: `112` required, `113` invalid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn required(field: &str) -> Self {
        FieldError { field: field.into(), code: "112".into(), message: "is required".into() }
    }
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), code: "113".into(), message: message.into() }
    }
}

/// Every failure of this SDK. Never contains a secret: messages are built
/// from redacted parts only. Boxed so that `Result<T, Error>` stays small.
#[derive(Clone, Debug)]
pub struct Error(Box<ErrorInner>);

#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "Error")]
pub(crate) struct ErrorInner {
    code: ErrorCode,
    family: Family,
    message: String,
    http_status: Option<u16>,
    pe_code: Option<String>,
    pe_message: Option<String>,
    field_errors: Vec<FieldError>,
    retryable: bool,
    attempts: u32,
    reason: Option<String>,
    hint: Option<String>,
    transaction_code: Option<String>,
    request_id: Option<String>,
    #[serde(skip)]
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error(Box::new(ErrorInner {
            code,
            family: code.family(),
            message: message.into(),
            http_status: None,
            pe_code: None,
            pe_message: None,
            field_errors: Vec::new(),
            retryable: false,
            attempts: 0,
            reason: None,
            hint: None,
            transaction_code: None,
            request_id: None,
            source: None,
        }))
    }

    /// A `validation_error` listing `field_errors`: for callers (bindings,
    /// CLIs) that refuse input before it reaches a request type, so their
    /// errors have exactly the core's shape and message.
    pub fn invalid_fields(field_errors: Vec<FieldError>) -> Self {
        Error::validation(field_errors)
    }

    pub(crate) fn validation(field_errors: Vec<FieldError>) -> Self {
        let list: Vec<String> = field_errors.iter().map(|f| format!("{} {}", f.field, f.message)).collect();
        let mut e = Error::new(ErrorCode::ValidationError, format!("invalid input: {}", list.join("; ")));
        e.0.field_errors = field_errors;
        e
    }

    /// A `validation_error` for one field: for callers (bindings, CLIs) that
    /// refuse input before it reaches a request type.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Error::validation(vec![FieldError::invalid(field, message)])
    }

    /// An `internal_error`: a bug of this SDK caught at a language boundary
    /// (a panic), described by `what` (cut to 200 characters).
    pub fn internal(what: &str) -> Self {
        let what: String = what.chars().take(200).collect();
        Error::new(
            ErrorCode::InternalError,
            format!("internal error in pagoefectivo (please report it): {what}"),
        )
    }

    /// The error for a caught panic's payload.
    pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        Error::internal(&what)
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::ConfigurationError, message)
    }

    pub(crate) fn malformed_time(text: &str) -> Self {
        let shown: String = text.chars().take(40).collect();
        Error::new(ErrorCode::MalformedResponse, format!("not a PagoEfectivo time: {shown:?}"))
    }

    pub(crate) fn with_http_status(mut self, status: u16) -> Self {
        self.0.http_status = Some(status);
        self
    }
    pub(crate) fn with_pe(mut self, code: Option<String>, message: Option<String>) -> Self {
        self.0.pe_code = code;
        self.0.pe_message = message;
        self
    }
    pub(crate) fn with_field_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.0.field_errors = errors;
        self
    }
    pub(crate) fn retryable(mut self, retryable: bool) -> Self {
        self.0.retryable = retryable;
        self
    }
    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.0.attempts = attempts;
        self
    }
    /// Sets the machine-readable sub-reason (e.g. a webhook failure's).
    pub fn with_reason(mut self, reason: &str) -> Self {
        self.0.reason = Some(reason.to_owned());
        self
    }
    /// Adds a human hint at the likely mistake.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.0.hint = Some(hint.into());
        self
    }
    pub(crate) fn with_transaction_code(mut self, code: &str) -> Self {
        self.0.transaction_code = Some(code.to_owned());
        self
    }
    pub(crate) fn with_request_id(mut self, id: &str) -> Self {
        self.0.request_id = Some(id.to_owned());
        self
    }
    pub(crate) fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.0.source = Some(Arc::new(source));
        self
    }

    /// The stable code, e.g. `validation_error`.
    pub fn code(&self) -> ErrorCode {
        self.0.code
    }
    /// The code's family (`api` for `not_found`...): one exception class per family in every language.
    pub fn family(&self) -> Family {
        self.0.family
    }
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// HTTP status of the answer, when there was one.
    pub fn http_status(&self) -> Option<u16> {
        self.0.http_status
    }
    /// PagoEfectivo's own code (`"111"`, `"511"`...), as a string.
    pub fn pe_code(&self) -> Option<&str> {
        self.0.pe_code.as_deref()
    }
    /// PagoEfectivo's own message (`"Solicitud con datos inválidos."`).
    pub fn pe_message(&self) -> Option<&str> {
        self.0.pe_message.as_deref()
    }
    pub fn field_errors(&self) -> &[FieldError] {
        &self.0.field_errors
    }
    /// Whether trying the same call again later can succeed.
    pub fn is_retryable(&self) -> bool {
        self.0.retryable
    }
    /// HTTP attempts made before giving up (0: refused before any request).
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }
    /// Machine-readable sub-reason, e.g. `signature_mismatch` for webhooks.
    pub fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
    /// A human hint at the likely mistake.
    pub fn hint(&self) -> Option<&str> {
        self.0.hint.as_deref()
    }
    /// For `outcome_unknown` on creation: the order whose CIP may exist.
    pub fn transaction_code(&self) -> Option<&str> {
        self.0.transaction_code.as_deref()
    }
    /// The `X-Request-Id` this SDK sent, to find the exchange in logs.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.0.code, self.0.message)?;
        if let (Some(c), Some(m)) = (&self.0.pe_code, &self.0.pe_message) {
            write!(f, " (PagoEfectivo {c}: {m})")?;
        }
        if let Some(h) = &self.0.hint {
            write!(f, " hint: {h}")?;
        }
        Ok(())
    }
}

impl Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}
