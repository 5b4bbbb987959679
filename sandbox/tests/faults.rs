//! Fault injection seen from a client: broken connections, statuses, bad bodies, latency.

mod common;

use std::time::{Duration, Instant};

use common::{JsonBody, start};
use pagoefectivo_sandbox::{Endpoint, Fault, FaultKind};

fn fault(endpoint: Endpoint, kind: FaultKind, times: Option<u32>) -> Fault {
    Fault { endpoint, kind, times, rate: None }
}

#[tokio::test]
async fn drop_before_breaks_the_connection_without_creating() {
    let h = start().await;
    let control = h.sandbox.control();
    control.add_fault(fault(Endpoint::CipsCreate, FaultKind::DropBefore, Some(1)));
    let sent =
        h.http.post(h.url("cips")).bearer_auth(&h.token).json_body(&h.cip_body("10", "DB")).send().await;
    assert!(sent.is_err(), "expected a transport error, got {sent:?}");
    assert!(control.cips().is_empty());
    assert_eq!(control.request_count(Endpoint::CipsCreate), 1);
    // Spent after one use: the next request goes through.
    assert_eq!(h.post("cips", h.cip_body("10", "DB")).await.status, 201);
    assert!(control.faults().is_empty());
}

#[tokio::test]
async fn drop_creates_the_cip_but_the_client_sees_an_error() {
    let h = start().await;
    let control = h.sandbox.control();
    control.add_fault(fault(Endpoint::CipsCreate, FaultKind::Drop, Some(1)));
    let sent = h
        .http
        .post(h.url("cips"))
        .bearer_auth(&h.token)
        .json_body(&h.cip_body("10", "AMBIGUOUS"))
        .send()
        .await;
    assert!(sent.is_err(), "expected a transport error, got {sent:?}");
    let cips = control.cips();
    assert_eq!(cips.len(), 1);
    assert_eq!(cips[0].transaction_code, "AMBIGUOUS");
    assert_eq!(control.request_count(Endpoint::CipsCreate), 1);
}

#[tokio::test]
async fn status_fault_answers_166_with_retry_after() {
    let h = start().await;
    let control = h.sandbox.control();
    control.add_fault(fault(Endpoint::Any, FaultKind::Status { status: 503, retry_after: Some(2) }, Some(2)));
    let reply = h.post("cips/search", serde_json::json!({"data":[{"cip":1}]})).await;
    assert_eq!(reply.status, 503);
    assert_eq!(reply.headers["retry-after"], "2");
    assert_eq!(reply.text, r#"{"code":"166","message":"Error interno del servidor.","data":[]}"#);
    assert_eq!(h.post("cips", h.cip_body("1", "S")).await.status, 503);
    assert!(control.cips().is_empty());
    assert_eq!(h.post("cips", h.cip_body("1", "S")).await.status, 201);
}

#[tokio::test]
async fn malformed_keeps_the_status_and_the_side_effect() {
    let h = start().await;
    let control = h.sandbox.control();
    control.add_fault(fault(Endpoint::CipsCreate, FaultKind::Malformed, Some(1)));
    let reply = h.post("cips", h.cip_body("3", "M")).await;
    assert_eq!(reply.status, 201);
    assert!(serde_json::from_str::<serde_json::Value>(&reply.text).is_err());
    assert_eq!(control.cips().len(), 1);
}

#[tokio::test]
async fn unauthorized_fault_rejects_a_good_token_once() {
    let h = start().await;
    let control = h.sandbox.control();
    control.add_fault(fault(Endpoint::CipsCreate, FaultKind::Unauthorized, Some(1)));
    let reply = h.post("cips", h.cip_body("3", "U")).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.json()["code"], "107");
    assert_eq!(h.post("cips", h.cip_body("3", "U")).await.status, 201);
}

#[tokio::test]
async fn latency_delays_then_processes() {
    let h = start().await;
    let control = h.sandbox.control();
    control.add_fault(fault(Endpoint::CipsCreate, FaultKind::Latency { ms: 300 }, None));
    let started = Instant::now();
    assert_eq!(h.post("cips", h.cip_body("3", "L")).await.status, 201);
    assert!(started.elapsed() >= Duration::from_millis(300));
    // Other endpoints are untouched; clearing disarms it.
    let started = Instant::now();
    h.search(&[1]).await;
    assert!(started.elapsed() < Duration::from_millis(300));
    control.clear_faults();
    let started = Instant::now();
    assert_eq!(h.post("cips", h.cip_body("3", "L")).await.status, 201);
    assert!(started.elapsed() < Duration::from_millis(300));
}

#[tokio::test]
async fn rate_zero_never_fires_and_rate_one_always_does() {
    let h = start().await;
    let control = h.sandbox.control();
    control.add_fault(Fault { rate: Some(0.0), ..fault(Endpoint::Any, FaultKind::Unauthorized, None) });
    for _ in 0..5 {
        assert_eq!(h.post("cips", h.cip_body("1", "R")).await.status, 201);
    }
    control.add_fault(Fault {
        rate: Some(1.0),
        ..fault(Endpoint::CipsCreate, FaultKind::Unauthorized, Some(3))
    });
    for _ in 0..3 {
        assert_eq!(h.post("cips", h.cip_body("1", "R")).await.status, 401);
    }
    assert_eq!(h.post("cips", h.cip_body("1", "R")).await.status, 201);
    assert_eq!(control.faults().len(), 1);
}
