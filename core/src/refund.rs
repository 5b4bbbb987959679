//! Refunds as the SDK models them (an extension: PagoEfectivo provisions refunds per merchant).

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::cip::wire_u64;
use crate::cip_request::{CONTROL_CHARACTERS, DocumentType, forbidden_char};
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

impl schemars::JsonSchema for RefundStatus {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RefundStatus".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "requested -> processing -> refunded | rejected; a status this SDK does not know is kept as sent",
            "type": "string", "examples": ["requested", "processing", "refunded", "rejected"]
        })
    }
}

impl Serialize for RefundStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Where the money goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RefundDestination {
    /// A bank account, by its 20-digit CCI.
    BankAccount { cci: String },
    /// An e-wallet (Yape, Plin...) by its Peruvian mobile number.
    Ewallet { phone: String },
}

/// The person paid back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Beneficiary {
    pub document_type: DocumentType,
    pub document_number: String,
    pub name: String,
}

/// A refund request. `merchant_refund_id` is the merchant's own reference for
/// this refund: the idempotency key is derived from it, so retrying with the
/// same reference can never refund twice.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
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
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
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
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
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
            } else if v.chars().any(forbidden_char) {
                errs.push(FieldError::invalid(field, CONTROL_CHARACTERS));
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
