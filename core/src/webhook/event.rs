//! Verified notifications as typed events, and how they cross to other languages as JSON.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::money::Currency;
use crate::refund::RefundStatus;

/// A verified notification. As JSON (what bindings receive) every kind carries
/// `type` (`cip_paid`, `refund`, `other`), `eventType` and `dedupKey`, decided here once.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// `cip.paid`: the money is confirmed.
    CipPaid(CipPaid),
    /// A refund changed state (`refund.processing`, `refund.refunded`,
    /// `refund.rejected`, and `cip.refunded`): the SDK's refund extension.
    Refund(RefundEvent),
    /// Any other event type (`cip.expired`, future ones), with its raw JSON.
    Other(OtherEvent),
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefundEvent {
    #[serde(skip)]
    pub event_type: String,
    pub operation_number: String,
    pub refund_id: Option<String>,
    pub cip: u64,
    pub merchant_refund_id: Option<String>,
    pub currency: Currency,
    pub amount: Decimal,
    pub status: RefundStatus,
    pub reason_code: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CipPaid {
    pub operation_number: String,
    pub cip: u64,
    pub currency: Currency,
    pub amount: Decimal,
    pub payment_date: Option<DateTime<FixedOffset>>,
    pub transaction_code: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OtherEvent {
    #[serde(skip)]
    pub event_type: String,
    pub operation_number: Option<String>,
    pub cip: Option<u64>,
    /// The whole notification body, parsed.
    pub body: Value,
}

impl Event {
    pub fn event_type(&self) -> &str {
        match self {
            Event::CipPaid(_) => "cip.paid",
            Event::Refund(r) => &r.event_type,
            Event::Other(o) => &o.event_type,
        }
    }
    pub fn operation_number(&self) -> Option<&str> {
        match self {
            Event::CipPaid(p) => Some(&p.operation_number),
            Event::Refund(r) => Some(&r.operation_number),
            Event::Other(o) => o.operation_number.as_deref(),
        }
    }
    pub fn cip(&self) -> Option<u64> {
        match self {
            Event::CipPaid(p) => Some(p.cip),
            Event::Refund(r) => Some(r.cip),
            Event::Other(o) => o.cip,
        }
    }
    /// SHA-256 (hex) of the event as this SDK reads it: a redelivery hashes the
    /// same; a notification changed under the same key does not.
    pub fn payload_hash(&self) -> String {
        super::payload_hash::payload_hash(self)
    }

    /// `eventType:operationNumber:cip`, the identity of a delivery: the
    /// protocol has no event id, and a notification can arrive twice.
    pub fn dedup_key(&self) -> String {
        use std::fmt::Write;
        let (event_type, operation) = (self.event_type(), self.operation_number().unwrap_or(""));
        // One allocation, sized for the longest CIP number: on every delivery's path.
        let mut key = String::with_capacity(event_type.len() + operation.len() + 22);
        key.push_str(event_type);
        key.push(':');
        key.push_str(operation);
        key.push(':');
        if let Some(cip) = self.cip() {
            let _ = write!(key, "{cip}");
        }
        key
    }
}

impl Event {
    /// `cip_paid`, `refund` or `other`: which typed shape the event has.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::CipPaid(_) => "cip_paid",
            Event::Refund(_) => "refund",
            Event::Other(_) => "other",
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Tagged<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: &'static str,
    event_type: &'a str,
    dedup_key: String,
    #[serde(flatten)]
    fields: &'a T,
}

impl schemars::JsonSchema for Event {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Event".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let tagged = |kind: &str, fields: schemars::Schema| {
            schemars::json_schema!({
                "allOf": [fields, {
                    "type": "object",
                    "properties": {
                        "type": {"const": kind},
                        "eventType": {"type": "string"},
                        "dedupKey": {"type": "string", "description": "eventType:operationNumber:cip, the identity of a delivery"}
                    },
                    "required": ["type", "eventType", "dedupKey"]
                }]
            })
        };
        let (paid, refund, other) =
            (g.subschema_for::<CipPaid>(), g.subschema_for::<RefundEvent>(), g.subschema_for::<OtherEvent>());
        schemars::json_schema!({
            "description": "A verified notification: cip_paid, refund (the SDK's extension) or any other event type",
            "oneOf": [tagged("cip_paid", paid), tagged("refund", refund), tagged("other", other)]
        })
    }
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (kind, event_type, dedup_key) = (self.kind(), self.event_type(), self.dedup_key());
        match self {
            Event::CipPaid(e) => Tagged { kind, event_type, dedup_key, fields: e }.serialize(s),
            Event::Refund(e) => Tagged { kind, event_type, dedup_key, fields: e }.serialize(s),
            Event::Other(e) => Tagged { kind, event_type, dedup_key, fields: e }.serialize(s),
        }
    }
}
