//! What one API call is (method, path, body, how repeatable) and what its answer carries back.

use http::Method;
use serde_json::Value;

use crate::error::Error;

/// Whether resending a request can do harm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// Reads, and writes whose repetition has the same effect (extend, delete).
    Safe,
    /// CIP creation: PagoEfectivo accepts duplicate transactionCodes, so a
    /// resend after the request may have arrived could create a second CIP.
    CreateOnce,
}

/// What a successful answer must contain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expect {
    /// The `{code, message, data}` envelope.
    Envelope,
    /// Only that the operation happened: `204`, an empty `200`, or the envelope
    /// (PATCH and DELETE: the API answers `data: {}`, proxies sometimes nothing).
    Acknowledgement,
}

pub(crate) struct Call<'a> {
    pub operation: &'static str,
    pub method: Method,
    pub path: String,
    pub body: Option<Value>,
    pub idempotency: Idempotency,
    pub expect: Expect,
    pub transaction_code: Option<&'a str>,
    /// Extra headers, e.g. `Idempotency-Key`.
    pub headers: Vec<(&'static str, String)>,
}

impl<'a> Call<'a> {
    /// A repeatable call that wants the envelope's `data`: the common case.
    pub fn safe(
        operation: &'static str,
        method: Method,
        path: impl Into<String>,
        body: Option<Value>,
    ) -> Self {
        Call {
            operation,
            method,
            path: path.into(),
            body,
            idempotency: Idempotency::Safe,
            expect: Expect::Envelope,
            transaction_code: None,
            headers: Vec::new(),
        }
    }
}

/// A successful answer: its `data` and how it was obtained.
#[derive(Debug)]
pub(crate) struct Reply {
    pub data: Value,
    pub status: u16,
    pub attempts: u32,
    pub request_id: String,
}

/// Error from the retry loop; `Unauthorized` lets the caller refresh the token once.
pub(crate) enum Failure {
    Unauthorized(Error),
    Final(Error),
}
