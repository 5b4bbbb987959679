//! What one API call is (method, path, body, how repeatable) and what its answer carries back.

use bytes::Bytes;
use http::Method;
use serde_json::Value;
use serde_json::value::RawValue;

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

/// A request's JSON body: a value, or text already written (the CIP creation, serialized straight from its request).
pub(crate) enum Body {
    Value(Value),
    Json(Bytes),
}

impl Body {
    /// The bytes to send, shared by every attempt.
    pub fn bytes(&self) -> Bytes {
        match self {
            Body::Value(v) => Bytes::from(serde_json::to_vec(v).unwrap_or_default()),
            Body::Json(b) => b.clone(),
        }
    }

    /// The body as a value, for a log or audit record (text we wrote always parses).
    pub fn value(&self) -> Value {
        match self {
            Body::Value(v) => v.clone(),
            Body::Json(b) => serde_json::from_slice(b).unwrap_or(Value::Null),
        }
    }
}

pub(crate) struct Call<'a> {
    pub operation: &'static str,
    pub method: Method,
    pub path: String,
    pub body: Option<Body>,
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
            body: body.map(Body::Value),
            idempotency: Idempotency::Safe,
            expect: Expect::Envelope,
            transaction_code: None,
            headers: Vec::new(),
        }
    }
}

/// A successful answer's `data` as received (`None`: absent, or no envelope at all), read by the
/// operation that knows its shape.
#[derive(Debug, Default)]
pub(crate) struct Data(pub Option<Box<RawValue>>);

impl Data {
    /// The raw JSON text; `null` when there was none.
    pub fn json(&self) -> &str {
        self.0.as_deref().map_or("null", RawValue::get)
    }

    /// As a tree, for the operations that walk it (raw values are always valid JSON).
    pub fn value(&self) -> Value {
        serde_json::from_str(self.json()).unwrap_or(Value::Null)
    }
}

/// A successful answer: its `data` and how it was obtained.
#[derive(Debug)]
pub(crate) struct Reply {
    pub data: Data,
    pub status: u16,
    pub attempts: u32,
    pub request_id: String,
}

/// Error from the retry loop; `Unauthorized` lets the caller refresh the token once.
pub(crate) enum Failure {
    Unauthorized(Error),
    Final(Error),
}
