//! Driving refunds from tests: move one through its lifecycle (and notify), in-process or over HTTP.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use crate::control::{Control, ControlError};
use crate::control_http::{bad_request, body, control, control_error, reply};
use crate::notify;
use crate::refunds::{self, RefundRecord, RefundStatus};
use crate::state::Shared;

impl Control {
    /// Every refund, oldest first.
    pub fn refunds(&self) -> Vec<RefundRecord> {
        self.shared.lock().refunds.clone()
    }

    pub fn refund(&self, refund_id: &str) -> Option<RefundRecord> {
        self.shared.lock().refunds.iter().find(|r| r.refund_id == refund_id).cloned()
    }

    /// Moves a refund on (`requested -> processing -> refunded | rejected`;
    /// `requested -> rejected` too) and sends the signed `refund.<status>`
    /// notification. `reason_code` is kept for rejections.
    pub fn advance_refund(
        &self,
        refund_id: &str,
        to: RefundStatus,
        reason_code: Option<&str>,
    ) -> Result<RefundRecord, ControlError> {
        use RefundStatus::*;
        let shared = &self.shared;
        let now = shared.clock.now();
        let mut state = shared.lock();
        let operation_number = state.next_operation.to_string();
        let record = state
            .refunds
            .iter_mut()
            .find(|r| r.refund_id == refund_id)
            .ok_or_else(|| ControlError::UnknownRefund(refund_id.to_owned()))?;
        let allowed = matches!(
            (record.status, to),
            (Requested, Processing) | (Processing, Refunded) | (Processing, Rejected) | (Requested, Rejected)
        );
        if !allowed {
            return Err(ControlError::InvalidRefundTransition {
                id: refund_id.to_owned(),
                status: record.status,
                to,
            });
        }
        record.status = to;
        record.date_update = now;
        if to == Rejected {
            record.reason_code = Some(reason_code.unwrap_or("R99").to_owned());
        }
        let snapshot = record.clone();
        state.next_operation = state.next_operation.wrapping_add(1);
        drop(state);
        let body = refunds::notification_body(&snapshot, &operation_number);
        let secret = shared.service(snapshot.id_service).map(|s| s.secret_key.as_str()).unwrap_or_default();
        let signature = notify::sign(secret, &body);
        notify::dispatch(shared, &format!("refund.{}", to.name()), body, signature);
        Ok(snapshot)
    }
}

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_sandbox/refunds", get(list))
        .route("/_sandbox/refunds/{id}", get(one))
        .route("/_sandbox/refunds/{id}/{step}", post(advance))
}

async fn list(State(shared): State<Arc<Shared>>) -> Response {
    reply(StatusCode::OK, &control(shared).refunds())
}

async fn one(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    match control(shared).refund(&id) {
        Some(r) => reply(StatusCode::OK, &r),
        None => control_error(&ControlError::UnknownRefund(id)),
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Reject {
    reason_code: Option<String>,
}

/// `POST /_sandbox/refunds/{id}/process|complete|reject` (reject takes `{"reasonCode":"R01"}`).
async fn advance(
    State(shared): State<Arc<Shared>>,
    Path((id, step)): Path<(String, String)>,
    bytes: Bytes,
) -> Response {
    let to = match step.as_str() {
        "process" => RefundStatus::Processing,
        "complete" => RefundStatus::Refunded,
        "reject" => RefundStatus::Rejected,
        other => return bad_request(format!("unknown step {other:?}: process, complete or reject")),
    };
    let reject: Reject = if bytes.is_empty() {
        Reject::default()
    } else {
        match body(&bytes) {
            Ok(r) => r,
            Err(e) => return bad_request(e),
        }
    };
    match control(shared).advance_refund(&id, to, reject.reason_code.as_deref()) {
        Ok(r) => reply(StatusCode::OK, &r),
        Err(e) => control_error(&e),
    }
}
