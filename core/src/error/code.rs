//! The taxonomy: every stable code, its family, whether a retry can help, and the HTTP answers that give it.
//!
//! Bindings build their exception trees from this table (or are tested
//! against it): base class, one class per family, one per code inside a
//! family. `table()` is the exported form.

use std::fmt;

use serde::Serialize;
use serde_json::{Value, json};

/// Stable, language-neutral error codes. Bindings expose these strings as
/// `error.code`; they never change meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
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
    /// A bug in this SDK (a caught panic): never the caller's input. Please report it.
    InternalError,
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
            ErrorCode::InternalError => "internal_error",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A group of codes a caller handles alike; each is one class in every language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Validation,
    Configuration,
    Authentication,
    /// PagoEfectivo answered, with an error.
    Api,
    /// No (complete) answer: the network, or the deadline.
    Connection,
    /// Whether an operation happened, or may happen twice.
    Idempotency,
    Refund,
    Signature,
    Wait,
    Io,
    Internal,
}

impl Family {
    pub const ALL: [Family; 11] = [
        Family::Validation,
        Family::Configuration,
        Family::Authentication,
        Family::Api,
        Family::Connection,
        Family::Idempotency,
        Family::Refund,
        Family::Signature,
        Family::Wait,
        Family::Io,
        Family::Internal,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Family::Validation => "validation",
            Family::Configuration => "configuration",
            Family::Authentication => "authentication",
            Family::Api => "api",
            Family::Connection => "connection",
            Family::Idempotency => "idempotency",
            Family::Refund => "refund",
            Family::Signature => "signature",
            Family::Wait => "wait",
            Family::Io => "io",
            Family::Internal => "internal",
        }
    }

    /// The code whose class is the family's own class (`api_error` for `api`),
    /// or `None` for a family with no code of its own (`idempotency`).
    pub fn own_code(&self) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.family() == *self && c.is_family_root())
    }
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 17] = [
        ErrorCode::ValidationError,
        ErrorCode::ConfigurationError,
        ErrorCode::AuthenticationError,
        ErrorCode::ApiError,
        ErrorCode::NotFound,
        ErrorCode::InvalidState,
        ErrorCode::AmountAboveMaximum,
        ErrorCode::MalformedResponse,
        ErrorCode::ConnectionError,
        ErrorCode::Timeout,
        ErrorCode::OutcomeUnknown,
        ErrorCode::IdempotencyConflict,
        ErrorCode::RefundNotAllowed,
        ErrorCode::SignatureVerificationFailed,
        ErrorCode::WaitTimeout,
        ErrorCode::IoError,
        ErrorCode::InternalError,
    ];

    /// The code for a stable name, e.g. from another language.
    pub fn parse(name: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.iter().copied().find(|c| c.as_str() == name)
    }

    pub fn family(&self) -> Family {
        match self {
            ErrorCode::ValidationError => Family::Validation,
            ErrorCode::ConfigurationError => Family::Configuration,
            ErrorCode::AuthenticationError => Family::Authentication,
            ErrorCode::ApiError
            | ErrorCode::NotFound
            | ErrorCode::InvalidState
            | ErrorCode::AmountAboveMaximum
            | ErrorCode::MalformedResponse => Family::Api,
            ErrorCode::ConnectionError | ErrorCode::Timeout => Family::Connection,
            ErrorCode::OutcomeUnknown | ErrorCode::IdempotencyConflict => Family::Idempotency,
            ErrorCode::RefundNotAllowed => Family::Refund,
            ErrorCode::SignatureVerificationFailed => Family::Signature,
            ErrorCode::WaitTimeout => Family::Wait,
            ErrorCode::IoError => Family::Io,
            ErrorCode::InternalError => Family::Internal,
        }
    }

    /// Whether this code's class is its family's class (the others subclass it).
    pub fn is_family_root(&self) -> bool {
        !matches!(
            self,
            ErrorCode::NotFound
                | ErrorCode::InvalidState
                | ErrorCode::AmountAboveMaximum
                | ErrorCode::MalformedResponse
                | ErrorCode::Timeout
                | ErrorCode::OutcomeUnknown
                | ErrorCode::IdempotencyConflict
        )
    }

    /// Whether an error with this code is usually worth retrying later. An
    /// individual error can say otherwise (`Error::is_retryable` is the truth:
    /// an `api_error` after a 5xx is retryable, after a 4xx it is not).
    pub fn retryable(&self) -> Retryable {
        match self {
            ErrorCode::ConnectionError
            | ErrorCode::Timeout
            | ErrorCode::MalformedResponse
            | ErrorCode::WaitTimeout => Retryable::Yes,
            ErrorCode::ApiError => Retryable::Sometimes,
            _ => Retryable::No,
        }
    }

    /// The HTTP answers (status, PagoEfectivo code) that become this code;
    /// `*` for any. Network failures have none.
    pub fn from_http(&self) -> &'static [&'static str] {
        match self {
            ErrorCode::ValidationError => &["400/111", "*/111"],
            ErrorCode::AuthenticationError => &["401", "403 (JSON)", "*/508"],
            ErrorCode::AmountAboveMaximum => &["*/511"],
            ErrorCode::NotFound => &["404"],
            ErrorCode::InvalidState => &["409"],
            ErrorCode::RefundNotAllowed => &["*/130", "*/131", "*/132", "*/133"],
            ErrorCode::IdempotencyConflict => &["*/134"],
            ErrorCode::ApiError => &["other 4xx", "5xx (after retries)", "403 (not JSON: a proxy)"],
            ErrorCode::MalformedResponse => &["2xx that is not the documented JSON"],
            ErrorCode::OutcomeUnknown => &["5xx, timeout or unreadable 2xx to a creation"],
            _ => &[],
        }
    }
}

/// Whether a code is retryable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Retryable {
    Yes,
    No,
    /// Depends on the answer (see `Error::is_retryable`).
    Sometimes,
}

/// The whole taxonomy as JSON: `{families: [{name, code}], codes: [{code, family, root, retryable, http}]}`.
pub fn table() -> Value {
    let families: Vec<Value> = Family::ALL
        .iter()
        .map(|f| json!({"name": f.as_str(), "code": f.own_code().map(|c| c.as_str())}))
        .collect();
    let codes: Vec<Value> = ErrorCode::ALL
        .iter()
        .map(|c| {
            json!({"code": c.as_str(), "family": c.family().as_str(), "root": c.is_family_root(),
                   "retryable": c.retryable(), "http": c.from_http()})
        })
        .collect();
    json!({"families": families, "codes": codes})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once_and_every_family_is_used() {
        let mut names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ErrorCode::ALL.len());
        for c in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(c.as_str()), Some(c));
        }
        for f in Family::ALL {
            assert!(ErrorCode::ALL.iter().any(|c| c.family() == f), "{f:?} has no code");
            // At most one root per family.
            assert!(ErrorCode::ALL.iter().filter(|c| c.family() == f && c.is_family_root()).count() <= 1);
        }
        assert_eq!(Family::Idempotency.own_code(), None);
        assert_eq!(Family::Api.own_code(), Some(ErrorCode::ApiError));
    }
}
