//! Fault injection: what can go wrong, which requests it hits, and how a connection is broken.

use std::collections::BTreeMap;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::state::{Shared, State};
use crate::wire;

/// Which requests a fault hits. `Any` covers every API request but not webhook deliveries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    Any,
    Authorizations,
    CipsCreate,
    CipsSearch,
    CipsExtend,
    CipsDelete,
    Webhook,
    /// `POST v1/refunds` (the SDK's refund extension).
    RefundsCreate,
    /// `GET v1/refunds/{id}` and `GET v1/refunds?cip=N`.
    RefundsGet,
    /// `GET v1/reports/settlements` (the SDK's settlement-report extension).
    Reports,
}

/// What goes wrong. Deserialized through a flat helper (`FaultWire`) because
/// serde's buffering for tagged and flattened types cannot read decimal
/// numbers under serde_json's `arbitrary_precision`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "FaultWire")]
pub enum FaultKind {
    /// Answer this status with the 166 envelope (and `Retry-After` if set), without processing.
    Status {
        status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u32>,
    },
    /// Wait, then process normally.
    Latency { ms: u64 },
    /// Process the request (state changes happen), then break the connection.
    Drop,
    /// Break the connection without processing.
    DropBefore,
    /// Process, then answer the normal status with a body that is not JSON.
    Malformed,
    /// Answer 401 as if the token were invalid, without processing.
    Unauthorized,
    /// (webhook) deliver each notification twice.
    DuplicateDelivery,
    /// Answer exactly this (status, headers, body), after processing the
    /// request when `process` is set: how a client meets answers the real API,
    /// a proxy or a load balancer could give (PascalCase envelopes, `204`,
    /// HTML pages, huge `Retry-After`...).
    Respond {
        status: u16,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        body: String,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        headers: BTreeMap<String, String>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        process: bool,
    },
}

/// One armed fault.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FaultWire")]
pub struct Fault {
    pub endpoint: Endpoint,
    #[serde(flatten)]
    pub kind: FaultKind,
    /// How many matching requests it hits; `None` = until cleared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
    /// Probability per matching request; `None` = always.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindTag {
    Status,
    Latency,
    Drop,
    DropBefore,
    Malformed,
    Unauthorized,
    DuplicateDelivery,
    Respond,
}

#[derive(Deserialize)]
struct FaultWire {
    #[serde(default)]
    endpoint: Option<Endpoint>,
    kind: KindTag,
    status: Option<u16>,
    retry_after: Option<u32>,
    ms: Option<u64>,
    times: Option<u32>,
    rate: Option<f64>,
    body: Option<String>,
    headers: Option<BTreeMap<String, String>>,
    process: Option<bool>,
}

impl TryFrom<FaultWire> for FaultKind {
    type Error = String;

    fn try_from(w: FaultWire) -> Result<FaultKind, String> {
        Ok(match w.kind {
            KindTag::Status => {
                let status = w.status.ok_or("a status fault needs \"status\"")?;
                if StatusCode::from_u16(status).is_err() {
                    return Err(format!("{status} is not an HTTP status"));
                }
                FaultKind::Status { status, retry_after: w.retry_after }
            }
            KindTag::Latency => FaultKind::Latency { ms: w.ms.ok_or("a latency fault needs \"ms\"")? },
            KindTag::Drop => FaultKind::Drop,
            KindTag::DropBefore => FaultKind::DropBefore,
            KindTag::Malformed => FaultKind::Malformed,
            KindTag::Unauthorized => FaultKind::Unauthorized,
            KindTag::DuplicateDelivery => FaultKind::DuplicateDelivery,
            KindTag::Respond => {
                let status = w.status.ok_or("a respond fault needs \"status\"")?;
                if StatusCode::from_u16(status).is_err() {
                    return Err(format!("{status} is not an HTTP status"));
                }
                let headers = w.headers.unwrap_or_default();
                for (name, value) in &headers {
                    if header::HeaderName::from_bytes(name.as_bytes()).is_err()
                        || HeaderValue::from_str(value).is_err()
                    {
                        return Err(format!("{name:?}: {value:?} is not an HTTP header"));
                    }
                }
                FaultKind::Respond {
                    status,
                    body: w.body.unwrap_or_default(),
                    headers,
                    process: w.process.unwrap_or(false),
                }
            }
        })
    }
}

impl TryFrom<FaultWire> for Fault {
    type Error = String;

    fn try_from(w: FaultWire) -> Result<Fault, String> {
        let endpoint = w.endpoint.ok_or("a fault needs \"endpoint\"")?;
        let (times, rate) = (w.times, w.rate);
        if rate.is_some_and(|r| !(0.0..=1.0).contains(&r)) {
            return Err("\"rate\" must be between 0 and 1".to_owned());
        }
        Ok(Fault { endpoint, kind: FaultKind::try_from(w)?, times, rate })
    }
}

impl FaultKind {
    /// Kinds that make sense when the sandbox is the *sender* (webhook deliveries).
    fn applies_to_webhook(&self) -> bool {
        matches!(
            self,
            FaultKind::DuplicateDelivery
                | FaultKind::Latency { .. }
                | FaultKind::Drop
                | FaultKind::DropBefore
        )
    }
}

impl Fault {
    fn matches(&self, endpoint: Option<Endpoint>) -> bool {
        match endpoint {
            Some(Endpoint::Webhook) => self.endpoint == Endpoint::Webhook && self.kind.applies_to_webhook(),
            _ => {
                self.kind != FaultKind::DuplicateDelivery
                    && (self.endpoint == Endpoint::Any
                        || (self.endpoint != Endpoint::Webhook && Some(self.endpoint) == endpoint))
            }
        }
    }
}

/// Arms a fault; one with `times: Some(0)` is already spent and is ignored.
pub(crate) fn add(shared: &Shared, fault: Fault) {
    if fault.times == Some(0) {
        return;
    }
    let mut state = shared.lock();
    state.faults.push(fault);
    shared.fault_count.store(state.faults.len(), Ordering::Relaxed);
}

pub(crate) fn clear(shared: &Shared) {
    let mut state = shared.lock();
    state.faults.clear();
    shared.fault_count.store(0, Ordering::Relaxed);
}

/// The first armed fault, in the order added, that matches and wins its rate
/// roll; consumes one of its `times`. `None` for an unrouted request.
pub(crate) fn take(shared: &Shared, endpoint: Option<Endpoint>) -> Option<FaultKind> {
    if shared.fault_count.load(Ordering::Relaxed) == 0 {
        return None;
    }
    let mut state = shared.lock();
    let kind = take_locked(&mut state, endpoint);
    shared.fault_count.store(state.faults.len(), Ordering::Relaxed);
    kind
}

fn take_locked(state: &mut State, endpoint: Option<Endpoint>) -> Option<FaultKind> {
    let index = state
        .faults
        .iter()
        .position(|f| f.matches(endpoint) && f.rate.is_none_or(|rate| fastrand::f64() < rate))?;
    let fault = &mut state.faults[index];
    let kind = fault.kind.clone();
    if let Some(left) = fault.times.as_mut() {
        *left = left.saturating_sub(1);
        if *left == 0 {
            state.faults.remove(index);
        }
    }
    Some(kind)
}

/// The `Status` fault's answer.
pub(crate) fn status_response(status: u16, retry_after: Option<u32>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = wire::internal_error(status);
    if let Some(secs) = retry_after {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

/// Answers a request to `endpoint`: by `run`, unless an armed fault says otherwise.
pub(crate) async fn answer(
    shared: &Shared,
    endpoint: Option<Endpoint>,
    run: impl Fn() -> Response,
) -> Response {
    let Some(kind) = take(shared, endpoint) else {
        return run();
    };
    tracing::debug!(?endpoint, ?kind, "fault injected");
    match kind {
        FaultKind::Status { status, retry_after } => status_response(status, retry_after),
        FaultKind::Unauthorized => wire::token_invalid(),
        FaultKind::DropBefore => broken_connection(),
        FaultKind::Drop => {
            drop(run());
            broken_connection()
        }
        FaultKind::Malformed => malformed(run()).await,
        FaultKind::Latency { ms } => {
            tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
            run()
        }
        FaultKind::DuplicateDelivery => run(),
        FaultKind::Respond { status, body, headers, process } => {
            if process {
                drop(run());
            }
            scripted(status, &body, &headers)
        }
    }
}

/// The `Respond` fault's answer, exactly as scripted.
pub(crate) fn scripted(status: u16, body: &str, headers: &BTreeMap<String, String>) -> Response {
    let mut response = Response::new(Body::from(body.to_owned()));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in headers {
        if let (Ok(n), Ok(v)) =
            (header::HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value))
        {
            response.headers_mut().insert(n, v);
        }
    }
    response
}

/// A response whose body fails on its first poll. hyper buffers the head and
/// polls the body before flushing, so the error aborts the connection before
/// a single byte of the answer is written: the client sees a reset, not a status.
pub(crate) fn broken_connection() -> Response {
    let mut response = Response::new(Body::new(FailingBody));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

struct FailingBody;

impl HttpBody for FailingBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection dropped by sandbox fault",
        ))))
    }
}

/// The `Malformed` fault's answer: same status and headers, the first half of
/// the real body, which can never be a complete JSON document.
pub(crate) async fn malformed(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let cut = if bytes.len() >= 2 { bytes.slice(..bytes.len() / 2) } else { Bytes::from_static(b"<html>") };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(cut))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Fault, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn faults_round_trip_through_json() {
        let f = parse(
            r#"{"endpoint":"cips_create","kind":"status","status":503,"retry_after":2,"times":1,"rate":0.50}"#,
        )
        .expect("fault");
        assert_eq!(f.endpoint, Endpoint::CipsCreate);
        assert_eq!(f.kind, FaultKind::Status { status: 503, retry_after: Some(2) });
        assert_eq!((f.times, f.rate), (Some(1), Some(0.5)));
        let text = serde_json::to_string(&f).expect("json");
        assert_eq!(parse(&text).expect("again"), f);

        let r = parse(
            r#"{"endpoint":"cips_create","kind":"respond","status":201,"body":"{}","process":true,
            "headers":{"Retry-After":"5"}}"#,
        )
        .expect("fault");
        assert_eq!(
            r.kind,
            FaultKind::Respond {
                status: 201,
                body: "{}".into(),
                headers: [("Retry-After".to_owned(), "5".to_owned())].into(),
                process: true
            }
        );
        assert_eq!(parse(&serde_json::to_string(&r).expect("json")).expect("again"), r);
        assert!(parse(r#"{"endpoint":"any","kind":"respond"}"#).is_err());
        assert!(parse(r#"{"endpoint":"any","kind":"respond","status":200,"headers":{"a b":"x"}}"#).is_err());

        let d = parse(r#"{"endpoint":"any","kind":"drop_before"}"#).expect("fault");
        assert_eq!(d.kind, FaultKind::DropBefore);
        assert_eq!(serde_json::to_string(&d).expect("json"), r#"{"endpoint":"any","kind":"drop_before"}"#);
        let kind: FaultKind = serde_json::from_str(r#"{"kind":"latency","ms":25}"#).expect("kind");
        assert_eq!(kind, FaultKind::Latency { ms: 25 });
    }

    #[test]
    fn bad_faults_are_rejected() {
        assert!(parse(r#"{"endpoint":"any","kind":"status"}"#).is_err());
        assert!(parse(r#"{"endpoint":"any","kind":"status","status":42}"#).is_err());
        assert!(parse(r#"{"endpoint":"nowhere","kind":"drop"}"#).is_err());
        assert!(parse(r#"{"kind":"drop"}"#).is_err());
        assert!(parse(r#"{"endpoint":"any","kind":"drop","rate":2}"#).is_err());
    }

    fn state_with(faults: Vec<Fault>) -> State {
        State {
            cips: Default::default(),
            by_guid: Default::default(),
            next_cip: 1,
            next_operation: 1,
            faults,
            notification_url: None,
            deliveries: Vec::new(),
            refunds: Vec::new(),
            next_refund: 0,
        }
    }

    fn fault(endpoint: Endpoint, kind: FaultKind, times: Option<u32>) -> Fault {
        Fault { endpoint, kind, times, rate: None }
    }

    #[test]
    fn matching_order_and_countdown() {
        let mut s = state_with(vec![
            fault(Endpoint::CipsSearch, FaultKind::Malformed, None),
            fault(Endpoint::Any, FaultKind::Drop, Some(2)),
            fault(Endpoint::Webhook, FaultKind::DuplicateDelivery, Some(1)),
        ]);
        let create = Some(Endpoint::CipsCreate);
        assert_eq!(take_locked(&mut s, create), Some(FaultKind::Drop));
        assert_eq!(take_locked(&mut s, Some(Endpoint::CipsSearch)), Some(FaultKind::Malformed));
        assert_eq!(take_locked(&mut s, None), Some(FaultKind::Drop));
        assert_eq!(take_locked(&mut s, create), None);
        assert_eq!(take_locked(&mut s, Some(Endpoint::Webhook)), Some(FaultKind::DuplicateDelivery));
        assert_eq!(take_locked(&mut s, Some(Endpoint::Webhook)), None);
        assert_eq!(s.faults.len(), 1);
    }

    #[test]
    fn zero_rate_never_fires() {
        let mut f = fault(Endpoint::Any, FaultKind::Drop, None);
        f.rate = Some(0.0);
        let mut s = state_with(vec![f]);
        assert!((0..100).all(|_| take_locked(&mut s, Some(Endpoint::CipsCreate)).is_none()));
    }
}
