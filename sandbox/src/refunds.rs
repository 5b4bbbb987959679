//! The refund extension (`v1/refunds`, not public at PagoEfectivo): rules, idempotency and lifecycle.

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::config::Service;
use crate::state::{CipStatus, Shared};
use crate::wire::{self, FieldError};

/// A refund's lifecycle: requested -> processing -> refunded | rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    Requested,
    Processing,
    Refunded,
    Rejected,
}

impl RefundStatus {
    pub fn name(&self) -> &'static str {
        match self {
            RefundStatus::Requested => "requested",
            RefundStatus::Processing => "processing",
            RefundStatus::Refunded => "refunded",
            RefundStatus::Rejected => "rejected",
        }
    }
}

impl std::fmt::Display for RefundStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A refund as the sandbox stores it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundRecord {
    pub refund_id: String,
    pub id_service: u32,
    pub cip: u64,
    pub merchant_refund_id: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub currency: String,
    pub reason: String,
    pub status: RefundStatus,
    pub reason_code: Option<String>,
    /// `bank_account` or `ewallet`.
    pub destination_type: String,
    /// The CCI or phone, masked but for the last 4 digits.
    pub destination_masked: String,
    pub date_creation: DateTime<FixedOffset>,
    pub date_update: DateTime<FixedOffset>,
    pub idempotency_key: String,
    /// SHA-256 of the request's canonical fields: a key reused with other
    /// parameters is a conflict.
    pub(crate) fingerprint: String,
}

impl RefundRecord {
    pub(crate) fn wire(&self) -> Value {
        json!({
            "refundId": self.refund_id,
            "cip": self.cip,
            "merchantRefundId": self.merchant_refund_id,
            "amount": wire::amount_two_decimals(self.amount),
            "currency": self.currency,
            "reason": self.reason,
            "status": self.status.name(),
            "reasonCode": self.reason_code,
            "destination": {"type": self.destination_type, "account": self.destination_masked},
            "dateCreation": wire::format_time(self.date_creation),
            "dateUpdate": wire::format_time(self.date_update),
        })
    }
}

fn mask(value: &str) -> String {
    let n = value.chars().count();
    value.chars().enumerate().map(|(i, c)| if i + 4 < n { '*' } else { c }).collect()
}

fn text<'a>(v: Option<&'a Value>, field: &'static str, max: usize, errs: &mut Vec<FieldError>) -> &'a str {
    match v.and_then(Value::as_str) {
        None => {
            errs.push(FieldError::required(field));
            ""
        }
        Some(s) if s.trim().is_empty() || s.chars().count() > max => {
            errs.push(FieldError::invalid(field));
            s
        }
        Some(s) => s,
    }
}

struct NewRefund<'a> {
    cip: u64,
    amount: Decimal,
    currency: &'a str,
    reason: &'a str,
    merchant_refund_id: &'a str,
    destination_type: &'a str,
    destination: &'a str,
}

fn digits(s: &str, n: std::ops::RangeInclusive<usize>) -> bool {
    n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse(obj: &serde_json::Map<String, Value>) -> Result<NewRefund<'_>, Vec<FieldError>> {
    let [cip, amount, currency, reason, mrid, destination, beneficiary] = wire::fields(
        obj,
        &["cip", "amount", "currency", "reason", "merchantRefundId", "destination", "beneficiary"],
    );
    let mut errs = Vec::new();
    let cip = match cip.and_then(wire::unsigned) {
        Some(c) if c > 0 => c,
        _ => {
            errs.push(if cip.is_none() { FieldError::required("cip") } else { FieldError::invalid("cip") });
            0
        }
    };
    let amount = match amount.and_then(wire::decimal) {
        Some(a) if a > Decimal::ZERO && a.normalize().scale() <= 2 => a,
        _ => {
            errs.push(if amount.is_none() {
                FieldError::required("amount")
            } else {
                FieldError::invalid("amount")
            });
            Decimal::ZERO
        }
    };
    let currency = text(currency, "currency", 3, &mut errs);
    if !currency.is_empty() && !matches!(currency, "PEN" | "USD") {
        errs.push(FieldError::invalid("currency"));
    }
    let reason = text(reason, "reason", 200, &mut errs);
    let merchant_refund_id = text(mrid, "merchantRefundId", 64, &mut errs);
    let (mut destination_type, mut account) = ("", "");
    match destination.and_then(Value::as_object) {
        None => errs.push(FieldError::required("destination")),
        Some(d) => {
            let [kind, cci, phone] = wire::fields(d, &["type", "cci", "phone"]);
            destination_type = kind.and_then(Value::as_str).unwrap_or_default();
            let (value, ok) = match destination_type {
                "bank_account" => (cci.and_then(Value::as_str).unwrap_or_default(), true),
                "ewallet" => (phone.and_then(Value::as_str).unwrap_or_default(), true),
                _ => ("", false),
            };
            account = value;
            let valid = match destination_type {
                "bank_account" => digits(value, 20..=20),
                _ => digits(value, 9..=9) && value.starts_with('9'),
            };
            if !ok {
                errs.push(FieldError::invalid("destination.type"));
            } else if !valid {
                errs.push(FieldError::invalid(if destination_type == "ewallet" {
                    "destination.phone"
                } else {
                    "destination.cci"
                }));
            }
        }
    }
    match beneficiary.and_then(Value::as_object) {
        None => errs.push(FieldError::required("beneficiary")),
        Some(b) => {
            let [dt, dn, name] = wire::fields(b, &["documentType", "documentNumber", "name"]);
            text(dt, "beneficiary.documentType", 3, &mut errs);
            text(dn, "beneficiary.documentNumber", 15, &mut errs);
            text(name, "beneficiary.name", 100, &mut errs);
        }
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(NewRefund {
        cip,
        amount,
        currency,
        reason,
        merchant_refund_id,
        destination_type,
        destination: account,
    })
}

fn fingerprint(r: &NewRefund<'_>) -> String {
    let canon = format!(
        "{}|{}|{}|{}|{}|{}|{}",
        r.cip,
        r.amount.normalize(),
        r.currency,
        r.reason,
        r.merchant_refund_id,
        r.destination_type,
        r.destination
    );
    hex::encode(Sha256::digest(canon.as_bytes()))
}

fn rule(code: &str, message: &str) -> Response {
    wire::error(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

/// `POST /v1/refunds`, with an `Idempotency-Key` header.
pub(crate) fn create(shared: &Shared, service: &Service, headers: &HeaderMap, body: &[u8]) -> Response {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::trim).unwrap_or("");
    let Some(obj) = wire::object(body) else {
        return wire::invalid(&[]);
    };
    let new = match parse(&obj) {
        Ok(n) => n,
        Err(errs) => return wire::invalid(&errs),
    };
    if key.is_empty() || key.len() > 255 {
        return wire::invalid(&[FieldError::required("Idempotency-Key")]);
    }
    let print = fingerprint(&new);
    let now = shared.clock.now();
    let mut state = shared.lock();
    if let Some(existing) =
        state.refunds.iter().find(|r| r.id_service == service.id_service && r.idempotency_key == key)
    {
        if existing.fingerprint != print {
            return wire::error(
                StatusCode::CONFLICT,
                "134",
                "Idempotency-Key reutilizada con otros parámetros.",
            );
        }
        return wire::ok(StatusCode::OK, existing.wire());
    }
    let Some(cip) = state.cips.get(&new.cip).filter(|c| c.id_service == service.id_service) else {
        return wire::error(StatusCode::NOT_FOUND, "120", "CIP no encontrado.");
    };
    if cip.status_at(now) != CipStatus::Paid {
        return rule("130", "El CIP no está pagado.");
    }
    if cip.currency != new.currency {
        return rule("132", "La moneda no coincide con la del CIP.");
    }
    let paid_at = cip.date_payment.unwrap_or(now);
    if now > paid_at + crate::clock::span(shared.config.refund_window) {
        return rule("133", "El plazo para devolver este pago ha vencido.");
    }
    let refunded: Decimal = state
        .refunds
        .iter()
        .filter(|r| r.cip == new.cip && r.status != RefundStatus::Rejected)
        .map(|r| r.amount)
        .sum();
    if refunded + new.amount > cip.amount {
        return rule("131", "El monto excede lo pagado menos lo ya devuelto.");
    }
    state.next_refund += 1;
    let record = RefundRecord {
        refund_id: format!("RFD{}", state.next_refund),
        id_service: service.id_service,
        cip: new.cip,
        merchant_refund_id: new.merchant_refund_id.to_owned(),
        amount: new.amount,
        currency: new.currency.to_owned(),
        reason: new.reason.to_owned(),
        status: RefundStatus::Requested,
        reason_code: None,
        destination_type: new.destination_type.to_owned(),
        destination_masked: mask(new.destination),
        date_creation: now,
        date_update: now,
        idempotency_key: key.to_owned(),
        fingerprint: print,
    };
    let answer = record.wire();
    state.refunds.push(record);
    wire::ok(StatusCode::CREATED, answer)
}

/// `GET /v1/refunds/{id}`.
pub(crate) fn get(shared: &Shared, service: &Service, id: &str) -> Response {
    let state = shared.lock();
    match state
        .refunds
        .iter()
        .find(|r| r.id_service == service.id_service && r.refund_id.eq_ignore_ascii_case(id))
    {
        Some(r) => wire::ok(StatusCode::OK, r.wire()),
        None => wire::error(StatusCode::NOT_FOUND, "120", "Devolución no encontrada."),
    }
}

/// `GET /v1/refunds?cip=N`: a CIP's refunds, oldest first.
pub(crate) fn list(shared: &Shared, service: &Service, query: Option<&str>) -> Response {
    let cip = query
        .unwrap_or("")
        .split('&')
        .find_map(|kv| kv.strip_prefix("cip="))
        .and_then(|v| v.parse::<u64>().ok());
    let Some(cip) = cip else {
        return wire::invalid(&[FieldError::required("cip")]);
    };
    let state = shared.lock();
    let list: Vec<Value> = state
        .refunds
        .iter()
        .filter(|r| r.id_service == service.id_service && r.cip == cip)
        .map(RefundRecord::wire)
        .collect();
    wire::ok(StatusCode::OK, list)
}

/// The signed notification of a refund's new state (`refund.processing`, `refund.refunded`, `refund.rejected`).
pub(crate) fn notification_body(r: &RefundRecord, operation_number: &str) -> String {
    let mut data = json!({
        "refundId": r.refund_id,
        "cip": r.cip.to_string(),
        "merchantRefundId": r.merchant_refund_id,
        "currency": r.currency,
        "amount": wire::amount_two_decimals(r.amount),
        "status": r.status.name(),
        "dateUpdate": wire::format_time(r.date_update),
    });
    if let Some(code) = &r.reason_code {
        data["reasonCode"] = json!(code);
    }
    json!({"eventType": format!("refund.{}", r.status.name()), "operationNumber": operation_number, "data": data})
        .to_string()
}
