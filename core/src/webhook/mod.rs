//! Payment notifications: `PE-Signature` verification over the raw body, and typed events.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};
use hmac::{Hmac, KeyInit, Mac};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use sha2::Sha256;

use crate::cip::wire_u64;
use crate::error::{Error, ErrorCode};
use crate::money::{self, Currency};
use crate::refund::RefundStatus;
use crate::time;

/// The header PagoEfectivo signs notifications with.
pub const SIGNATURE_HEADER: &str = "PE-Signature";

/// Stable reasons a notification is refused (`Error::reason`).
pub mod reason {
    pub const MISSING_SIGNATURE: &str = "missing_signature";
    pub const MALFORMED_SIGNATURE: &str = "malformed_signature";
    pub const SIGNATURE_MISMATCH: &str = "signature_mismatch";
    pub const MALFORMED_BODY: &str = "malformed_body";
}

/// How to get the raw body in common frameworks (used in hints and by bindings).
pub const RAW_BODY_HINT: &str = "verify the raw request bytes exactly as received, before any JSON parsing \
    (Django: request.body; Flask: request.get_data(); FastAPI: await request.body(); \
    Express: express.raw({type: 'application/json'}); PHP: file_get_contents('php://input'))";

/// A verified notification.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// `cip.paid`: the money is confirmed.
    CipPaid(CipPaid),
    /// A refund changed state (`refund.processing`, `refund.refunded`,
    /// `refund.rejected`, and `cip.refunded`): the SDK's refund extension.
    Refund(RefundEvent),
    /// Any other event type (`cip.expired`, future ones), with its raw JSON.
    Other(OtherEvent),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundEvent {
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

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CipPaid {
    pub operation_number: String,
    pub cip: u64,
    pub currency: Currency,
    pub amount: Decimal,
    pub payment_date: Option<DateTime<FixedOffset>>,
    pub transaction_code: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OtherEvent {
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
    /// `eventType:operationNumber:cip`, the identity of a delivery: the
    /// protocol has no event id, and a notification can arrive twice.
    pub fn dedup_key(&self) -> String {
        format!(
            "{}:{}:{}",
            self.event_type(),
            self.operation_number().unwrap_or(""),
            self.cip().map(|c| c.to_string()).unwrap_or_default()
        )
    }
}

fn mac(secret: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes keys of any length")
}

/// `lowercase_hex(HMAC-SHA256(secret, body))`, as PagoEfectivo signs.
pub fn sign(body: &[u8], secret: &str) -> String {
    let mut m = mac(secret.as_bytes());
    m.update(body);
    hex::encode(m.finalize().into_bytes())
}

fn failure(reason: &str, message: impl Into<String>) -> Error {
    Error::new(ErrorCode::SignatureVerificationFailed, message).with_reason(reason)
}

fn matches(body: &[u8], secret: &[u8], expected: &[u8]) -> bool {
    let mut m = mac(secret);
    m.update(body);
    m.verify_slice(expected).is_ok() // constant-time comparison
}

/// Checks `PE-Signature` over the raw body. The header may be upper-case hex
/// and surrounded by whitespace.
pub fn verify_signature(raw_body: &[u8], signature: Option<&str>, secret: &str) -> Result<(), Error> {
    let sig = signature.map(str::trim).unwrap_or("");
    if sig.is_empty() {
        return Err(failure(
            reason::MISSING_SIGNATURE,
            format!("the {SIGNATURE_HEADER} header is missing or empty"),
        )
        .with_hint("read the PE-Signature header of the incoming request and pass it unchanged"));
    }
    let mut expected = [0u8; 32];
    if sig.len() != 64 || hex::decode_to_slice(sig, &mut expected).is_err() {
        return Err(failure(
            reason::MALFORMED_SIGNATURE,
            format!("{SIGNATURE_HEADER} must be 64 hex characters, got {} characters", sig.len()),
        ));
    }
    if secret.is_empty() {
        return Err(Error::config("the webhook secret is empty"));
    }
    if matches(raw_body, secret.as_bytes(), &expected) {
        return Ok(());
    }
    Err(failure(reason::SIGNATURE_MISMATCH, "the signature does not match the body")
        .with_hint(mismatch_hint(raw_body, secret, &expected)))
}

/// Tries the usual mistakes, to tell which one was probably made. Only runs
/// on failure, so its cost does not matter.
fn mismatch_hint(body: &[u8], secret: &str, expected: &[u8]) -> String {
    let trimmed = secret.trim();
    if trimmed != secret && !trimmed.is_empty() && matches(body, trimmed.as_bytes(), expected) {
        return "the secret has leading or trailing whitespace (a newline from a file or env var?); strip it"
            .into();
    }
    if let Ok(v) = serde_json::from_slice::<Value>(body) {
        let compact = serde_json::to_vec(&v).unwrap_or_default();
        if compact != body && matches(&compact, secret.as_bytes(), expected) {
            return format!("the body was re-formatted after it was received; {RAW_BODY_HINT}");
        }
        let text = String::from_utf8_lossy(body);
        if text.contains("\": ") || text.contains(", \"") || text.contains('\n') {
            return format!(
                "the body does not look like the compact JSON PagoEfectivo sends: was it parsed and re-serialized? {RAW_BODY_HINT}"
            );
        }
    }
    "check that the secret key is this environment's (sandbox and production keys differ) and that the body \
     is the raw bytes received"
        .into()
}

/// Verifies the signature, then parses the body into an [`Event`].
pub fn verify(raw_body: &[u8], signature: Option<&str>, secret: &str) -> Result<Event, Error> {
    verify_signature(raw_body, signature, secret)?;
    parse_event(raw_body)
}

/// A notification as sent, borrowed from the body: parsing allocates only
/// what the event keeps. Scalars are read from their exact JSON text, so a
/// CIP or amount may be a number or a string and money never meets a float.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire<'a> {
    #[serde(borrow)]
    event_type: Cow<'a, str>,
    #[serde(borrow, default)]
    operation_number: Option<&'a RawValue>,
    #[serde(borrow, default)]
    data: Option<WireData<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct WireData<'a> {
    #[serde(borrow, default)]
    cip: Option<&'a RawValue>,
    #[serde(borrow, default)]
    currency: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    amount: Option<&'a RawValue>,
    #[serde(borrow, default)]
    payment_date: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    transaction_code: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    refund_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    merchant_refund_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    reason_code: Option<Cow<'a, str>>,
}

/// The text of a JSON number or string scalar (`22.05`, `"22.05"` -> `22.05`).
fn scalar(raw: Option<&RawValue>) -> Option<Cow<'_, str>> {
    let text = raw?.get();
    if text.starts_with('"') {
        serde_json::from_str::<Cow<'_, str>>(text).ok()
    } else if text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        Some(Cow::Borrowed(text))
    } else {
        None
    }
}

fn owned(v: Option<Cow<'_, str>>) -> Option<String> {
    v.map(Cow::into_owned)
}

/// Parses a notification body (already verified). Unknown fields are ignored;
/// unknown event types become [`Event::Other`] whatever their shape.
pub fn parse_event(raw_body: &[u8]) -> Result<Event, Error> {
    let bad = |what: &str| failure(reason::MALFORMED_BODY, format!("notification body: {what}"));
    let Ok(wire) = serde_json::from_slice::<Wire<'_>>(raw_body) else {
        return other_event(raw_body, bad("not a JSON notification"));
    };
    let event_type = wire.event_type.as_ref();
    let is_refund = event_type.starts_with("refund.") || event_type == "cip.refunded";
    if event_type != "cip.paid" && !is_refund {
        return other_event(raw_body, bad("not JSON"));
    }
    let data = wire.data.unwrap_or_default();
    let operation_number =
        scalar(wire.operation_number).ok_or_else(|| bad("no operationNumber"))?.into_owned();
    let cip = scalar(data.cip).and_then(|c| c.parse::<u64>().ok()).ok_or_else(|| bad("no data.cip"))?;
    let currency = data
        .currency
        .as_deref()
        .and_then(|c| c.parse::<Currency>().ok())
        .ok_or_else(|| bad("data.currency is not PEN or USD"))?;
    let amount = scalar(data.amount)
        .and_then(|a| Decimal::from_str_exact(&a).or_else(|_| Decimal::from_scientific(&a)).ok())
        .map(money::two_decimals)
        .ok_or_else(|| bad("no data.amount"))?;
    if is_refund {
        let status = match data.status.as_deref() {
            Some(s) => s.to_owned(),
            None => event_type.rsplit('.').next().unwrap_or("").to_owned(),
        };
        return Ok(Event::Refund(RefundEvent {
            event_type: event_type.to_owned(),
            operation_number,
            refund_id: owned(data.refund_id),
            cip,
            merchant_refund_id: owned(data.merchant_refund_id),
            currency,
            amount,
            status: RefundStatus::parse(&status),
            reason_code: owned(data.reason_code),
        }));
    }
    let payment_date = match data.payment_date.as_deref() {
        Some(s) => time::parse_optional(s).map_err(|_| bad("data.paymentDate is not a time"))?,
        None => None,
    };
    Ok(Event::CipPaid(CipPaid {
        operation_number,
        cip,
        currency,
        amount,
        payment_date,
        transaction_code: owned(data.transaction_code),
    }))
}

/// Any other event type, kept whole; `malformed` if the body is not even that.
fn other_event(raw_body: &[u8], malformed: Error) -> Result<Event, Error> {
    let Ok(body) = serde_json::from_slice::<Value>(raw_body) else { return Err(malformed) };
    let Some(event_type) = body.get("eventType").and_then(Value::as_str) else {
        return Err(failure(reason::MALFORMED_BODY, "notification body: no eventType"));
    };
    if event_type == "cip.paid" || event_type.starts_with("refund.") || event_type == "cip.refunded" {
        return Err(failure(
            reason::MALFORMED_BODY,
            format!("notification body: {event_type} with unexpected fields"),
        ));
    }
    let operation_number = match body.get("operationNumber") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let cip = wire_u64(body.get("data").and_then(|d| d.get("cip")));
    Ok(Event::Other(OtherEvent { event_type: event_type.to_owned(), operation_number, cip, body }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC_BODY: &str = r#"{"eventType":"cip.paid","operationNumber":"1253","data":{"cip":"11546901","currency":"PEN","amount":22.05}}"#;
    const DOC_SIG: &str = "fcc07a2aa17273c870c820a32ca3ca628961c7f28e4d7ce8e0c8d9a7c26603a9";

    #[test]
    fn known_answer_from_the_spec() {
        assert_eq!(DOC_BODY.len(), 107);
        assert_eq!(sign(DOC_BODY.as_bytes(), "test_secret"), DOC_SIG);
        let Event::CipPaid(p) = verify(DOC_BODY.as_bytes(), Some(DOC_SIG), "test_secret").unwrap() else {
            panic!("not cip.paid")
        };
        assert_eq!(
            (p.cip, p.amount.to_string(), p.operation_number.as_str()),
            (11546901, "22.05".into(), "1253")
        );
    }

    #[test]
    fn explains_padded_secret_and_reformatted_body() {
        let e = verify(DOC_BODY.as_bytes(), Some(DOC_SIG), "test_secret\n").unwrap_err();
        assert_eq!(e.reason(), Some(reason::SIGNATURE_MISMATCH));
        assert!(e.hint().unwrap().contains("whitespace"));
        let pretty = serde_json::to_string_pretty(&serde_json::from_str::<Value>(DOC_BODY).unwrap()).unwrap();
        let e = verify(pretty.as_bytes(), Some(DOC_SIG), "test_secret").unwrap_err();
        assert!(e.hint().unwrap().contains("re-formatted"), "{:?}", e.hint());
        assert!(!e.to_string().contains("test_secret"));
    }

    #[test]
    fn valid_signature_on_garbage_is_malformed_body() {
        let body = b"not json";
        let e = verify(body, Some(&sign(body, "k")), "k").unwrap_err();
        assert_eq!(e.reason(), Some(reason::MALFORMED_BODY));
    }
}
