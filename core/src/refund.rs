//! Refunds as the SDK models them (an extension: PagoEfectivo provisions refunds per merchant).

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::cip::wire_u64;
use crate::cip_request::{DocumentType, same_key};
use crate::error::{Error, ErrorCode, FieldError};
use crate::money::{self, Currency};
use crate::payee;
use crate::time;

/// `requested -> processing -> refunded | rejected`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RefundStatus {
    Requested,
    Processing,
    Refunded,
    Rejected,
    /// A status this SDK does not know, kept as received.
    Unknown(String),
}

impl RefundStatus {
    pub fn parse(s: &str) -> RefundStatus {
        match s {
            "requested" => RefundStatus::Requested,
            "processing" => RefundStatus::Processing,
            "refunded" => RefundStatus::Refunded,
            "rejected" => RefundStatus::Rejected,
            other => RefundStatus::Unknown(other.to_owned()),
        }
    }
    pub fn as_str(&self) -> &str {
        match self {
            RefundStatus::Requested => "requested",
            RefundStatus::Processing => "processing",
            RefundStatus::Refunded => "refunded",
            RefundStatus::Rejected => "rejected",
            RefundStatus::Unknown(s) => s,
        }
    }
    pub fn is_final(&self) -> bool {
        matches!(self, RefundStatus::Refunded | RefundStatus::Rejected)
    }
}

impl Serialize for RefundStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Where the money goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RefundDestination {
    /// A bank account, by its 20-digit CCI.
    BankAccount { cci: String },
    /// An e-wallet (Yape, Plin...) by its Peruvian mobile number.
    Ewallet { phone: String },
}

/// The person paid back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Beneficiary {
    pub document_type: DocumentType,
    pub document_number: String,
    pub name: String,
}

/// A refund request. `merchant_refund_id` is the merchant's own reference for
/// this refund: the idempotency key is derived from it, so retrying with the
/// same reference can never refund twice.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateRefundRequest {
    pub cip: u64,
    pub amount: Decimal,
    pub currency: Currency,
    pub reason: String,
    pub merchant_refund_id: String,
    pub destination: RefundDestination,
    pub beneficiary: Beneficiary,
    /// Overrides the configured refund window (e.g. 7 days for some goods).
    pub refund_window_days: Option<u32>,
    /// Who asked (an operator id), for the audit trail only; not sent.
    pub requested_by: Option<String>,
}

/// A refund as PagoEfectivo (the extension) reports it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Refund {
    pub refund_id: String,
    pub cip: u64,
    pub merchant_refund_id: String,
    pub amount: Decimal,
    pub currency: Currency,
    pub reason: String,
    pub status: RefundStatus,
    /// Why it was rejected (a bank's or PagoEfectivo's code).
    pub reason_code: Option<String>,
    pub date_creation: Option<DateTime<FixedOffset>>,
    pub date_update: Option<DateTime<FixedOffset>>,
}

/// What can still be refunded on a CIP, and until when.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundEligibility {
    pub cip: u64,
    pub currency: Currency,
    pub paid_amount: Decimal,
    /// Sum of refunds not rejected.
    pub refunded_amount: Decimal,
    pub refundable_amount: Decimal,
    pub payment_date: Option<DateTime<FixedOffset>>,
    pub deadline: Option<DateTime<FixedOffset>>,
    /// Seconds until the deadline (0 when past).
    pub seconds_left: i64,
    /// `None` when a refund is possible; else `cip_not_paid`, `window_expired` or `nothing_left`.
    pub blocked_by: Option<String>,
}

/// The `Idempotency-Key` for a merchant refund reference: stable across
/// process restarts and retries, distinct per service.
pub fn idempotency_key(id_service: u32, merchant_refund_id: &str) -> String {
    let digest = Sha256::digest(format!("pagoefectivo-refund:{id_service}:{merchant_refund_id}").as_bytes());
    format!("rfd_{}", &hex::encode(digest)[..32])
}

impl CreateRefundRequest {
    /// Format checks, all at once (the rules that need the CIP are checked by the client).
    pub fn validate(&self) -> Result<(), Error> {
        let mut errs = Vec::new();
        if self.cip == 0 {
            errs.push(FieldError::invalid("cip", "must be a positive CIP number"));
        }
        if let Some(p) = money::amount_problem(&self.amount) {
            errs.push(FieldError::invalid("amount", p));
        }
        let mut text = |field: &str, v: &str, max: usize| {
            let n = v.trim().chars().count();
            if n == 0 || v.chars().count() > max {
                errs.push(FieldError::invalid(field, format!("must be 1 to {max} characters")));
            }
        };
        text("reason", &self.reason, 200);
        text("merchantRefundId", &self.merchant_refund_id, 64);
        text("beneficiary.name", &self.beneficiary.name, 100);
        match &self.destination {
            RefundDestination::BankAccount { cci } => {
                if let Some(p) = payee::cci_problem(cci) {
                    errs.push(FieldError::invalid("destination.cci", p));
                }
            }
            RefundDestination::Ewallet { phone } => {
                if payee::normalize_mobile(phone).is_none() {
                    errs.push(FieldError::invalid(
                        "destination.phone",
                        "must be a Peruvian mobile: 9 digits starting with 9",
                    ));
                }
            }
        }
        if let Some(p) =
            payee::document_problem(self.beneficiary.document_type, &self.beneficiary.document_number)
        {
            errs.push(FieldError::invalid("beneficiary.documentNumber", p));
        }
        if errs.is_empty() { Ok(()) } else { Err(Error::validation(errs)) }
    }

    pub(crate) fn to_wire(&self) -> Value {
        let destination = match &self.destination {
            RefundDestination::BankAccount { cci } => json!({"type": "bank_account", "cci": cci}),
            RefundDestination::Ewallet { phone } => {
                let phone = payee::normalize_mobile(phone).unwrap_or_else(|| phone.clone());
                json!({"type": "ewallet", "phone": phone})
            }
        };
        json!({
            "cip": self.cip,
            "amount": money::to_json_number(self.amount),
            "currency": self.currency.as_str(),
            "reason": self.reason,
            "merchantRefundId": self.merchant_refund_id,
            "destination": destination,
            "beneficiary": {
                "documentType": self.beneficiary.document_type.as_str(),
                "documentNumber": self.beneficiary.document_number,
                "name": self.beneficiary.name,
            },
        })
    }

    /// From JSON-like input (bindings): camelCase or snake_case keys, the
    /// amount as a decimal string or exact number. Every problem is a field error.
    pub fn from_json(input: &Value) -> Result<CreateRefundRequest, Error> {
        let get = |obj: &Value, name: &str| -> Option<Value> {
            obj.as_object()?
                .iter()
                .find(|(k, _)| same_key(k, name))
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_null())
        };
        let mut errs = Vec::new();
        let mut string = |obj: &Value, field: &str, label: &str| match get(obj, field) {
            Some(Value::String(s)) => s,
            Some(_) => {
                errs.push(FieldError::invalid(label, "must be a string"));
                String::new()
            }
            None => {
                errs.push(FieldError::required(label));
                String::new()
            }
        };
        let reason = string(input, "reason", "reason");
        let merchant_refund_id = string(input, "merchantRefundId", "merchantRefundId");
        let dest = get(input, "destination").unwrap_or(Value::Null);
        let kind = string(&dest, "type", "destination.type");
        let destination = match kind.as_str() {
            "bank_account" => RefundDestination::BankAccount { cci: string(&dest, "cci", "destination.cci") },
            "ewallet" => RefundDestination::Ewallet { phone: string(&dest, "phone", "destination.phone") },
            _ => RefundDestination::BankAccount { cci: String::new() },
        };
        let ben = get(input, "beneficiary").unwrap_or(Value::Null);
        let doc_type = string(&ben, "documentType", "beneficiary.documentType");
        let document_number = string(&ben, "documentNumber", "beneficiary.documentNumber");
        let name = string(&ben, "name", "beneficiary.name");
        let requested_by = match get(input, "requestedBy") {
            Some(Value::String(s)) => Some(s),
            _ => None,
        };
        if !kind.is_empty() && !matches!(kind.as_str(), "bank_account" | "ewallet") {
            errs.push(FieldError::invalid("destination.type", "must be bank_account or ewallet"));
        }
        let document_type = DocumentType::parse(&doc_type);
        if document_type.is_none() && !doc_type.is_empty() {
            errs.push(FieldError::invalid("beneficiary.documentType", "must be DNI, PAR, PAS, LMI or NAN"));
        }
        let cip = match get(input, "cip") {
            None => {
                errs.push(FieldError::required("cip"));
                0
            }
            Some(v) => wire_u64(Some(&v)).unwrap_or_else(|| {
                errs.push(FieldError::invalid("cip", "must be a CIP number"));
                0
            }),
        };
        let amount = match get(input, "amount") {
            None => {
                errs.push(FieldError::required("amount"));
                None
            }
            Some(v) => money::from_json(&v).or_else(|| {
                errs.push(FieldError::invalid("amount", "must be a decimal number"));
                None
            }),
        };
        let currency = match get(input, "currency") {
            None => {
                errs.push(FieldError::required("currency"));
                None
            }
            Some(Value::String(c)) => c
                .parse::<Currency>()
                .map_err(|_| errs.push(FieldError::invalid("currency", "must be PEN or USD")))
                .ok(),
            Some(_) => {
                errs.push(FieldError::invalid("currency", "must be PEN or USD"));
                None
            }
        };
        let refund_window_days = match get(input, "refundWindowDays") {
            None => None,
            Some(v) => match v.as_u64().and_then(|d| u32::try_from(d).ok()) {
                Some(d) => Some(d),
                None => {
                    errs.push(FieldError::invalid("refundWindowDays", "must be a whole number of days"));
                    None
                }
            },
        };
        let req = CreateRefundRequest {
            cip,
            amount: amount.unwrap_or(Decimal::ONE),
            currency: currency.unwrap_or(Currency::PEN),
            reason,
            merchant_refund_id,
            destination,
            beneficiary: Beneficiary {
                document_type: document_type.unwrap_or(DocumentType::NAN),
                document_number,
                name,
            },
            refund_window_days,
            requested_by,
        };
        if let Err(more) = req.validate() {
            for f in more.field_errors() {
                if !errs.iter().any(|e| e.field == f.field) {
                    errs.push(f.clone());
                }
            }
        }
        // An unknown destination type makes its account field meaningless.
        if errs.iter().any(|e| e.field == "destination.type") {
            errs.retain(|e| e.field == "destination.type" || !e.field.starts_with("destination."));
        }
        if errs.is_empty() { Ok(req) } else { Err(Error::validation(errs)) }
    }
}

impl Refund {
    pub(crate) fn from_wire(v: &Value) -> Result<Refund, Error> {
        let bad = |what: &str| {
            Error::new(ErrorCode::MalformedResponse, format!("unexpected refund answer: {what}"))
        };
        let s = |k: &str| v.get(k).and_then(Value::as_str);
        let t = |k: &str| s(k).map(time::parse_optional).transpose().map(Option::flatten);
        Ok(Refund {
            refund_id: s("refundId").ok_or_else(|| bad("refundId"))?.to_owned(),
            cip: wire_u64(v.get("cip")).ok_or_else(|| bad("cip"))?,
            merchant_refund_id: s("merchantRefundId").unwrap_or_default().to_owned(),
            amount: v
                .get("amount")
                .and_then(money::from_json)
                .map(money::two_decimals)
                .ok_or_else(|| bad("amount"))?,
            currency: s("currency").and_then(|c| c.parse().ok()).ok_or_else(|| bad("currency"))?,
            reason: s("reason").unwrap_or_default().to_owned(),
            status: RefundStatus::parse(s("status").ok_or_else(|| bad("status"))?),
            reason_code: s("reasonCode").map(str::to_owned),
            date_creation: t("dateCreation")?,
            date_update: t("dateUpdate")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req() -> CreateRefundRequest {
        CreateRefundRequest {
            cip: 2523136,
            amount: "10.00".parse().unwrap(),
            currency: Currency::PEN,
            reason: "Pedido cancelado".into(),
            merchant_refund_id: "RF-1".into(),
            destination: RefundDestination::BankAccount {
                cci: payee::cci_with_check_digits("002191001234567890").unwrap(),
            },
            beneficiary: Beneficiary {
                document_type: DocumentType::DNI,
                document_number: "44556677".into(),
                name: "Ana Quispe".into(),
            },
            refund_window_days: None,
            requested_by: None,
        }
    }

    #[test]
    fn key_is_stable_and_per_service() {
        assert_eq!(idempotency_key(1234, "RF-1"), idempotency_key(1234, "RF-1"));
        assert_ne!(idempotency_key(1234, "RF-1"), idempotency_key(4321, "RF-1"));
        assert_ne!(idempotency_key(1234, "RF-1"), idempotency_key(1234, "RF-2"));
    }

    #[test]
    fn validation_reports_each_field() {
        req().validate().unwrap();
        let mut r = req();
        r.amount = "0".parse().unwrap();
        r.destination = RefundDestination::Ewallet { phone: "12345".into() };
        r.beneficiary.document_number = "123".into();
        let e = r.validate().unwrap_err();
        let f: Vec<_> = e.field_errors().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(f, ["amount", "destination.phone", "beneficiary.documentNumber"]);
    }
}
