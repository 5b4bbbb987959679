//! The control API over HTTP under `/_sandbox/` (no auth), for tools outside the process.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::control::{Control, ControlError};
use crate::fault::Fault;
use crate::state::Shared;
use crate::wire;

type Ctx = State<Arc<Shared>>;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_sandbox/health", get(health))
        .route("/_sandbox/cips", get(list))
        .route("/_sandbox/cips/{cip}", get(one))
        .route("/_sandbox/cips/{cip}/pay", post(pay))
        .route("/_sandbox/cips/{cip}/expire", post(expire))
        .route("/_sandbox/clock/advance", post(advance))
        .route("/_sandbox/deliveries", get(deliveries))
        .route("/_sandbox/faults", get(faults).post(add_fault).delete(clear_faults))
        .route("/_sandbox/notification-url", put(notification_url))
        .merge(crate::refund_control::routes())
        .merge(crate::cip_control::routes())
        .merge(crate::ui::routes())
}

pub(crate) fn control(shared: Arc<Shared>) -> Control {
    Control { shared }
}

pub(crate) fn reply<T: Serialize>(status: StatusCode, value: &T) -> Response {
    wire::json(status, serde_json::to_string(value).unwrap_or_default())
}

pub(crate) fn problem(status: StatusCode, message: impl Into<String>) -> Response {
    reply(status, &json!({ "error": message.into() }))
}

pub(crate) fn control_error(e: &ControlError) -> Response {
    let status = match e {
        ControlError::UnknownCip(_) | ControlError::UnknownRefund(_) | ControlError::UnknownDelivery(_) => {
            StatusCode::NOT_FOUND
        }
        ControlError::InvalidState { .. } | ControlError::InvalidRefundTransition { .. } => {
            StatusCode::CONFLICT
        }
    };
    problem(status, e.to_string())
}

pub(crate) fn body<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, String> {
    serde_json::from_slice(bytes).map_err(|e| e.to_string())
}

pub(crate) fn bad_request(message: String) -> Response {
    problem(StatusCode::BAD_REQUEST, message)
}

/// A path segment that is not a number names no CIP.
fn not_a_cip(text: &str) -> Response {
    problem(StatusCode::NOT_FOUND, format!("unknown CIP {text}"))
}

async fn health(State(shared): Ctx) -> Response {
    let now = wire::format_time(shared.clock.now());
    reply(StatusCode::OK, &json!({ "status": "ok", "now": now }))
}

async fn list(State(shared): Ctx) -> Response {
    reply(StatusCode::OK, &control(shared).cips())
}

async fn one(State(shared): Ctx, Path(cip): Path<String>) -> Response {
    let Ok(cip) = cip.parse::<u64>() else {
        return not_a_cip(&cip);
    };
    match control(shared).cip(cip) {
        Some(record) => reply(StatusCode::OK, &record),
        None => control_error(&ControlError::UnknownCip(cip)),
    }
}

async fn pay(State(shared): Ctx, Path(cip): Path<String>) -> Response {
    let Ok(cip) = cip.parse::<u64>() else {
        return not_a_cip(&cip);
    };
    match control(shared).pay(cip) {
        Ok(payment) => reply(StatusCode::OK, &payment),
        Err(e) => control_error(&e),
    }
}

async fn expire(State(shared): Ctx, Path(cip): Path<String>) -> Response {
    let Ok(cip) = cip.parse::<u64>() else {
        return not_a_cip(&cip);
    };
    let control = control(shared);
    match control.expire(cip).map(|()| control.cip(cip)) {
        Ok(record) => reply(StatusCode::OK, &record),
        Err(e) => control_error(&e),
    }
}

#[derive(Deserialize)]
struct Advance {
    seconds: u64,
}

async fn advance(State(shared): Ctx, bytes: Bytes) -> Response {
    let advance: Advance = match body(&bytes) {
        Ok(advance) => advance,
        Err(e) => return bad_request(e),
    };
    let now = control(shared).advance_clock(Duration::from_secs(advance.seconds));
    reply(StatusCode::OK, &json!({ "now": wire::format_time(now) }))
}

async fn deliveries(State(shared): Ctx) -> Response {
    reply(StatusCode::OK, &control(shared).deliveries())
}

async fn faults(State(shared): Ctx) -> Response {
    reply(StatusCode::OK, &control(shared).faults())
}

async fn add_fault(State(shared): Ctx, bytes: Bytes) -> Response {
    let fault: Fault = match body(&bytes) {
        Ok(fault) => fault,
        Err(e) => return bad_request(e),
    };
    control(shared).add_fault(fault.clone());
    reply(StatusCode::CREATED, &fault)
}

async fn clear_faults(State(shared): Ctx) -> Response {
    control(shared).clear_faults();
    reply(StatusCode::OK, &json!({ "cleared": true }))
}

#[derive(Deserialize)]
struct NotificationUrl {
    url: Option<String>,
}

async fn notification_url(State(shared): Ctx, bytes: Bytes) -> Response {
    let set: NotificationUrl = match body(&bytes) {
        Ok(set) => set,
        Err(e) => return bad_request(e),
    };
    control(shared).set_notification_url(set.url.clone());
    reply(StatusCode::OK, &json!({ "url": set.url }))
}
