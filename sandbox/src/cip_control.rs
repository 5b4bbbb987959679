//! The rest of the dashboard's controls: delete and extend a CIP, replay a notification, and one snapshot of it all.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, FixedOffset, TimeDelta};
use serde::Deserialize;
use serde_json::json;

use crate::control::{Control, ControlError};
use crate::control_http::{bad_request, body, control, control_error, reply};
use crate::fault::Endpoint;
use crate::notify;
use crate::state::{CipStatus, Shared};
use crate::wire;

impl Control {
    /// Deletes a generated CIP, as `DELETE v1/cips/{cip}` does (its voucher page goes).
    pub fn delete(&self, cip: u64) -> Result<(), ControlError> {
        let now = self.shared.clock.now();
        let mut state = self.shared.lock();
        let record = state.cips.get_mut(&cip).ok_or(ControlError::UnknownCip(cip))?;
        match record.status_at(now) {
            CipStatus::Generated => {
                record.status = CipStatus::Deleted;
                record.date_removal = Some(now);
                Ok(())
            }
            status => Err(ControlError::InvalidState { cip, status }),
        }
    }

    /// Moves a generated or expired CIP's expiry to `at`, as `PATCH v1/cips/{cip}` does.
    pub fn extend(&self, cip: u64, at: DateTime<FixedOffset>) -> Result<(), ControlError> {
        let now = self.shared.clock.now();
        let mut state = self.shared.lock();
        let record = state.cips.get_mut(&cip).ok_or(ControlError::UnknownCip(cip))?;
        match record.status_at(now) {
            CipStatus::Generated | CipStatus::Expired if at > now => {
                record.status = CipStatus::Generated;
                record.date_expiry = at;
                Ok(())
            }
            status => Err(ControlError::InvalidState { cip, status }),
        }
    }

    /// Sends notification `index` again, byte for byte (a new delivery, as PagoEfectivo's retry would be).
    pub fn replay(&self, index: usize) -> Result<(), ControlError> {
        let delivery = self.shared.lock().deliveries.get(index).map(|s| s.delivery.clone());
        let d = delivery.ok_or(ControlError::UnknownDelivery(index))?;
        notify::dispatch(&self.shared, &d.event_type, d.body, d.signature);
        Ok(())
    }
}

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_sandbox/state", get(snapshot))
        .route("/_sandbox/cips/{cip}/delete", post(delete))
        .route("/_sandbox/cips/{cip}/extend", post(extend))
        .route("/_sandbox/deliveries/{index}/replay", post(replay))
}

/// Everything the dashboard shows, in one answer.
async fn snapshot(State(shared): State<Arc<Shared>>) -> Response {
    let c = control(shared);
    let counts: serde_json::Map<String, serde_json::Value> = [
        ("authorizations", Endpoint::Authorizations),
        ("cips_create", Endpoint::CipsCreate),
        ("cips_search", Endpoint::CipsSearch),
        ("webhook", Endpoint::Webhook),
        ("any", Endpoint::Any),
    ]
    .into_iter()
    .map(|(name, e)| (name.to_owned(), json!(c.request_count(e))))
    .collect();
    reply(
        StatusCode::OK,
        &json!({
            "now": wire::format_time(c.now()),
            "notificationUrl": c.notification_url(),
            "cips": c.cips(),
            "deliveries": c.deliveries(),
            "refunds": c.refunds(),
            "faults": c.faults(),
            "requests": counts,
        }),
    )
}

/// The CIP of a path, or the 400 that says it is not one.
fn cip_of(text: &str) -> Result<u64, Box<Response>> {
    text.parse().map_err(|_| Box::new(bad_request(format!("{text:?} is not a CIP number"))))
}

async fn delete(State(shared): State<Arc<Shared>>, Path(cip): Path<String>) -> Response {
    let cip = match cip_of(&cip) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let c = control(shared);
    match c.delete(cip) {
        Ok(()) => reply(StatusCode::OK, &c.cip(cip)),
        Err(e) => control_error(&e),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Extend {
    /// Hours from the sandbox's now.
    hours: Option<u32>,
    /// Or an exact time, any offset.
    date_expiry: Option<String>,
}

async fn extend(State(shared): State<Arc<Shared>>, Path(cip): Path<String>, bytes: Bytes) -> Response {
    let cip = match cip_of(&cip) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let ask: Extend = match body(&bytes) {
        Ok(a) => a,
        Err(e) => return bad_request(e),
    };
    let c = control(shared);
    let at = match (ask.hours, ask.date_expiry.as_deref()) {
        (Some(h), None) => c.now() + TimeDelta::hours(i64::from(h)),
        (None, Some(text)) => match wire::parse_time(text) {
            Some(at) => at,
            None => return bad_request(format!("{text:?} is not a time with an offset")),
        },
        _ => return bad_request("give hours or dateExpiry".to_owned()),
    };
    match c.extend(cip, at) {
        Ok(()) => reply(StatusCode::OK, &c.cip(cip)),
        Err(e) => control_error(&e),
    }
}

async fn replay(State(shared): State<Arc<Shared>>, Path(index): Path<usize>) -> Response {
    match control(shared).replay(index) {
        Ok(()) => reply(StatusCode::ACCEPTED, &json!({ "replayed": index })),
        Err(e) => control_error(&e),
    }
}
