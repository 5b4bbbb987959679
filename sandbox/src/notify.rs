//! Payment notifications: the signed `cip.paid` body and its delivery with one retry.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use hmac::{Hmac, KeyInit, Mac};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::WEBHOOK_TIMEOUT;
use crate::delivery;
use crate::fault::{self, Endpoint, FaultKind};
use crate::state::Shared;
use crate::wire;

/// One notification the sandbox tried to send, with every attempt's outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub event_type: String,
    pub url: String,
    pub body: String,
    pub signature: String,
    pub attempts: Vec<DeliveryAttempt>,
}

/// The HTTP status the receiver answered (with the start of its body and how
/// long it took), or why there was none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryAttempt {
    pub status: Option<u16>,
    pub error: Option<String>,
    /// The first 300 bytes of the answer's body (the merchant's "ok" or "duplicate").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
}

impl DeliveryAttempt {
    /// An answered attempt (status only: for comparisons in tests).
    pub fn answered(status: u16) -> DeliveryAttempt {
        DeliveryAttempt { status: Some(status), error: None, response: None, duration_ms: None }
    }
    fn failed(error: impl Into<String>) -> DeliveryAttempt {
        DeliveryAttempt { status: None, error: Some(error.into()), response: None, duration_ms: None }
    }
}

pub(crate) struct DeliverySlot {
    pub delivery: Delivery,
    /// Set once no further attempt will be made.
    pub done: bool,
}

/// What a paid CIP contributes to its notification.
pub(crate) struct PaidEvent<'a> {
    pub operation_number: &'a str,
    pub cip: u64,
    pub currency: &'a str,
    pub amount: Decimal,
    pub payment_date: DateTime<FixedOffset>,
    pub transaction_code: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    event_type: &'static str,
    operation_number: &'a str,
    data: BodyData<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BodyData<'a> {
    cip: String,
    currency: &'a str,
    amount: serde_json::Number,
    payment_date: String,
    transaction_code: &'a str,
}

/// The compact body, fields in the documented order, `cip` as a string and
/// `amount` with exactly two decimals.
pub(crate) fn paid_body(event: &PaidEvent<'_>) -> String {
    let body = Body {
        event_type: "cip.paid",
        operation_number: event.operation_number,
        data: BodyData {
            cip: event.cip.to_string(),
            currency: event.currency,
            amount: wire::amount_two_decimals(event.amount),
            payment_date: wire::format_time(event.payment_date),
            transaction_code: event.transaction_code,
        },
    };
    serde_json::to_string(&body).unwrap_or_default()
}

/// `PE-Signature`: lowercase hex HMAC-SHA256 over the exact body bytes.
pub(crate) fn sign(secret: &str, body: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Only loopback receivers, unless allowed: a test double must not post to the world.
fn refusal(url: &str, allow_any: bool) -> Option<String> {
    let Ok(parsed) = url::Url::parse(url) else {
        return Some(format!("invalid notification url {url:?}"));
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return Some(format!("unsupported scheme in notification url {url:?}"));
    }
    if allow_any {
        return None;
    }
    let host = parsed.host_str().unwrap_or_default();
    let ip = host.trim_start_matches('[').trim_end_matches(']');
    let loopback =
        host.eq_ignore_ascii_case("localhost") || ip.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    (!loopback).then(|| format!("refused non-loopback notification url {url:?}"))
}

/// Records the delivery (twice under a duplicate fault) and sends it in the background.
pub(crate) fn dispatch(shared: &Arc<Shared>, event_type: &str, body: String, signature: String) {
    let kind = fault::take(shared, Some(Endpoint::Webhook));
    let copies = if kind == Some(FaultKind::DuplicateDelivery) { 2 } else { 1 };
    let latency = match kind {
        Some(FaultKind::Latency { ms }) => Duration::from_millis(ms),
        _ => Duration::ZERO,
    };
    let mut state = shared.lock();
    let url = state.notification_url.clone();
    let settled = match (&url, &kind) {
        (None, _) => Some("no notification url".to_owned()),
        (_, Some(FaultKind::Drop | FaultKind::DropBefore)) => {
            Some("notification dropped by fault".to_owned())
        }
        (Some(url), _) => refusal(url, shared.config.allow_non_loopback_webhooks),
    };
    for _ in 0..copies {
        let index = state.deliveries.len();
        state.deliveries.push(DeliverySlot {
            delivery: Delivery {
                event_type: event_type.to_owned(),
                url: url.clone().unwrap_or_default(),
                body: body.clone(),
                signature: signature.clone(),
                attempts: settled.iter().cloned().map(DeliveryAttempt::failed).collect(),
            },
            done: settled.is_some(),
        });
        if let (None, Some(url)) = (&settled, &url) {
            let task =
                deliver(Arc::clone(shared), index, url.clone(), body.clone(), signature.clone(), latency);
            shared.runtime.spawn(task);
        }
    }
    drop(state);
    if settled.is_some() {
        shared.deliveries_changed.notify_waiters();
    }
}

/// Two attempts at most: PagoEfectivo retries once when the answer is not 200.
async fn deliver(
    shared: Arc<Shared>,
    index: usize,
    url: String,
    body: String,
    signature: String,
    latency: Duration,
) {
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let parsed = url::Url::parse(&url).map_err(|e| format!("invalid notification url: {e}"));
    for attempt in 0..2 {
        if attempt > 0 {
            tokio::time::sleep(shared.config.webhook_retry_delay).await;
        }
        shared.counters.hit(Endpoint::Webhook);
        let started = std::time::Instant::now();
        let mut outcome = match &parsed {
            Ok(url) => {
                match delivery::post(&shared.webhook_tls, url, &body, &signature, WEBHOOK_TIMEOUT).await {
                    Ok(a) => DeliveryAttempt {
                        status: Some(a.status),
                        error: None,
                        response: Some(a.body),
                        duration_ms: None,
                    },
                    Err(e) => DeliveryAttempt::failed(e),
                }
            }
            Err(e) => DeliveryAttempt::failed(e.clone()),
        };
        outcome.duration_ms = Some(u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX));
        let delivered = outcome.status == Some(200);
        tracing::debug!(url, attempt, ?outcome, "notification attempt");
        if let Some(slot) = shared.lock().deliveries.get_mut(index) {
            slot.delivery.attempts.push(outcome);
        }
        if delivered {
            break;
        }
    }
    if let Some(slot) = shared.lock().deliveries.get_mut(index) {
        slot.done = true;
    }
    shared.deliveries_changed.notify_waiters();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_known_answer() {
        let body = r#"{"eventType":"cip.paid","operationNumber":"1253","data":{"cip":"11546901","currency":"PEN","amount":22.05}}"#;
        assert_eq!(body.len(), 107);
        assert_eq!(
            sign("test_secret", body),
            "fcc07a2aa17273c870c820a32ca3ca628961c7f28e4d7ce8e0c8d9a7c26603a9"
        );
    }

    #[test]
    fn body_matches_the_published_vector() {
        let event = PaidEvent {
            operation_number: "98000412",
            cip: 2_523_136,
            currency: "USD",
            amount: Decimal::from(1500),
            payment_date: wire::parse_time("2026-11-20T18:04:11-05:00").expect("time"),
            transaction_code: "ORD-2026-000981",
        };
        let body = paid_body(&event);
        assert_eq!(
            body,
            r#"{"eventType":"cip.paid","operationNumber":"98000412","data":{"cip":"2523136","currency":"USD","amount":1500.00,"paymentDate":"2026-11-20T18:04:11-05:00","transactionCode":"ORD-2026-000981"}}"#
        );
        assert_eq!(
            sign("whsec_demo_1a2b3c4d5e6f7g8h9i0j", &body),
            "b4674e45cbe2611d0eb8359900bc423b8a920487579b66d5a635e263d9ecb052"
        );
    }

    #[test]
    fn only_loopback_unless_allowed() {
        for ok in
            ["http://127.0.0.1:9/hook", "http://127.8.9.10/", "http://[::1]:80/x", "http://LOCALHOST:1/"]
        {
            assert_eq!(refusal(ok, false), None, "{ok}");
        }
        for bad in ["http://10.0.0.1/", "https://example.com/", "http://[::2]/"] {
            assert!(refusal(bad, false).is_some(), "{bad}");
            assert_eq!(refusal(bad, true), None, "{bad}");
        }
        assert!(refusal("not a url", true).is_some());
        assert!(refusal("ftp://127.0.0.1/", true).is_some());
    }
}
