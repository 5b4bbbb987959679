//! The one public error type: a stable code, PagoEfectivo's own code and message, and whether a retry can help.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// Stable, language-neutral error codes. Bindings expose these strings as
/// `error.code`; they never change meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// Input refused before any request, or PagoEfectivo's 111 field errors.
    ValidationError,
    /// The configuration is unusable (empty key, sandbox URL in production...).
    ConfigurationError,
    /// Credentials refused, or the token stayed invalid after one refresh.
    AuthenticationError,
    /// PagoEfectivo answered with an error not covered by a narrower code.
    ApiError,
    /// The CIP (or other resource) does not exist for this service.
    NotFound,
    /// The operation is not allowed in the resource's current state.
    InvalidState,
    /// The amount is above the merchant's maximum (PagoEfectivo code 511).
    AmountAboveMaximum,
    /// The connection could not be made or broke before any answer.
    ConnectionError,
    /// No answer within the configured timeouts / deadline.
    Timeout,
    /// A non-idempotent request (CIP creation) was sent but no answer came:
    /// it may or may not have taken effect. Not retried automatically.
    OutcomeUnknown,
    /// The answer could not be understood (not JSON, missing fields).
    MalformedResponse,
    /// A webhook failed verification; see [`Error::reason`].
    SignatureVerificationFailed,
    /// Waiting for a state ended at the deadline with the state unchanged.
    WaitTimeout,
    /// A refund rule refused the request; see [`Error::reason`]
    /// (`cip_not_paid`, `amount_exceeds_refundable`, `currency_mismatch`, `window_expired`).
    RefundNotAllowed,
    /// The same idempotency key was used with different parameters.
    IdempotencyConflict,
    /// A local file could not be read or written (reconciliation inputs and reports).
    IoError,
}

impl ErrorCode {
    pub fn as_str(&self) -> &'static str {
        match self {
            ErrorCode::ValidationError => "validation_error",
            ErrorCode::ConfigurationError => "configuration_error",
            ErrorCode::AuthenticationError => "authentication_error",
            ErrorCode::ApiError => "api_error",
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidState => "invalid_state",
            ErrorCode::AmountAboveMaximum => "amount_above_maximum",
            ErrorCode::ConnectionError => "connection_error",
            ErrorCode::Timeout => "timeout",
            ErrorCode::OutcomeUnknown => "outcome_unknown",
            ErrorCode::MalformedResponse => "malformed_response",
            ErrorCode::SignatureVerificationFailed => "signature_verification_failed",
            ErrorCode::WaitTimeout => "wait_timeout",
            ErrorCode::RefundNotAllowed => "refund_not_allowed",
            ErrorCode::IdempotencyConflict => "idempotency_conflict",
            ErrorCode::IoError => "io_error",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One invalid field, from client-side validation or from PagoEfectivo's
/// 111 answer. `code` is PagoEfectivo's: `112` required, `113` invalid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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

#[derive(Clone, Debug, Serialize)]
struct ErrorInner {
    code: ErrorCode,
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
