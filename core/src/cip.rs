//! CIPs as PagoEfectivo returns them: the created code, search results and the status enum.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, ErrorCode};
use crate::money::{self, Currency};
use crate::time;

/// A CIP's lifecycle state. Codes the SDK does not know are kept, not refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CipStatus {
    /// Issued, waiting for payment (22, "Generado.").
    Generated,
    /// Paid ("Cancelado" in PagoEfectivo's words): 23, or 593 in the legacy API.
    Paid,
    /// Past its expiry unpaid: 21, or 595 in the legacy API.
    Expired,
    /// Deleted (logically) by the merchant: 25.
    Deleted,
    /// Any other code, kept as received.
    Unknown(u32),
}

impl CipStatus {
    pub fn from_code(code: u32) -> CipStatus {
        match code {
            22 => CipStatus::Generated,
            23 | 593 => CipStatus::Paid,
            21 | 595 => CipStatus::Expired,
            25 => CipStatus::Deleted,
            other => CipStatus::Unknown(other),
        }
    }

    /// The code this SDK's sandbox uses for the status (the received one for `Unknown`).
    pub fn code(&self) -> u32 {
        match self {
            CipStatus::Generated => 22,
            CipStatus::Paid => 23,
            CipStatus::Expired => 21,
            CipStatus::Deleted => 25,
            CipStatus::Unknown(c) => *c,
        }
    }

    /// Stable name: `generated`, `paid`, `expired`, `deleted`, `unknown`.
    pub fn as_str(&self) -> &'static str {
        match self {
            CipStatus::Generated => "generated",
            CipStatus::Paid => "paid",
            CipStatus::Expired => "expired",
            CipStatus::Deleted => "deleted",
            CipStatus::Unknown(_) => "unknown",
        }
    }

    /// Paid, expired and deleted never change again (barring an extension of an expired CIP).
    pub fn is_final(&self) -> bool {
        matches!(self, CipStatus::Paid | CipStatus::Expired | CipStatus::Deleted)
    }
}

impl schemars::JsonSchema for CipStatus {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CipStatus".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "generated, paid, expired, deleted; unknown for a code this SDK does not know (statusCode keeps it)",
            "type": "string", "enum": ["generated", "paid", "expired", "deleted", "unknown"]
        })
    }
}

impl Serialize for CipStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A newly created CIP: the code to show the shopper and its voucher page.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Cip {
    pub cip: u64,
    pub currency: Currency,
    pub amount: Decimal,
    pub transaction_code: String,
    pub date_expiry: DateTime<FixedOffset>,
    pub cip_url: String,
}

/// A CIP as `cips/search` reports it.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CipInfo {
    pub cip: u64,
    pub transaction_code: String,
    pub amount: Decimal,
    pub currency: Currency,
    pub status: CipStatus,
    pub status_code: u32,
    pub status_name: String,
    pub date_creation: Option<DateTime<FixedOffset>>,
    pub date_expiry: Option<DateTime<FixedOffset>>,
    /// `None` while unpaid (the wire's 1900 sentinel).
    pub date_payment: Option<DateTime<FixedOffset>>,
    pub date_removal: Option<DateTime<FixedOffset>>,
    /// The voucher page's GUID.
    pub token: Option<String>,
}

fn malformed(what: &str) -> Error {
    Error::new(ErrorCode::MalformedResponse, format!("unexpected answer: {what}"))
}

/// The largest CIP number: 14 digits (64-bit on the wire; production CIPs have 9).
pub const MAX_CIP: u64 = 99_999_999_999_999;

/// What a CIP number is, said the same way everywhere it is refused.
pub const CIP_RULE: &str = "must be a CIP number: 1 to 14 digits, not 0";

/// A CIP number's text: 1 to 14 ASCII digits, not zero. The one parser every
/// source (answers, notifications, CSV files, caller input) goes through.
pub fn parse_cip(text: &str) -> Option<u64> {
    let t = text.trim();
    if t.is_empty() || t.len() > 14 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok().filter(|n| (1..=MAX_CIP).contains(n))
}

/// A CIP number from JSON: an integer or a string of digits (notifications send strings).
pub(crate) fn wire_u64(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::Number(n) => parse_cip(n.as_str()),
        Value::String(s) => parse_cip(s),
        _ => None,
    }
}

fn wire_status(v: Option<&Value>) -> Option<u32> {
    match v? {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn wire_str<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn wire_currency(v: &Value) -> Result<Currency, Error> {
    wire_str(v, "currency").and_then(|c| c.parse().ok()).ok_or_else(|| malformed("currency"))
}

fn wire_amount(v: &Value) -> Result<Decimal, Error> {
    v.get("amount").and_then(money::from_json).map(money::two_decimals).ok_or_else(|| malformed("amount"))
}

fn wire_time(v: &Value, key: &str) -> Result<Option<DateTime<FixedOffset>>, Error> {
    match wire_str(v, key) {
        None => Ok(None),
        Some(s) => time::parse_optional(s),
    }
}

impl Cip {
    pub(crate) fn from_wire(v: &Value) -> Result<Cip, Error> {
        Ok(Cip {
            cip: wire_u64(v.get("cip")).ok_or_else(|| malformed("cip"))?,
            currency: wire_currency(v)?,
            amount: wire_amount(v)?,
            transaction_code: wire_str(v, "transactionCode").unwrap_or_default().to_owned(),
            date_expiry: wire_time(v, "dateExpiry")?.ok_or_else(|| malformed("dateExpiry"))?,
            cip_url: wire_str(v, "cipUrl").ok_or_else(|| malformed("cipUrl"))?.to_owned(),
        })
    }
}

impl CipInfo {
    pub(crate) fn from_wire(v: &Value) -> Result<CipInfo, Error> {
        let status_code = wire_status(v.get("status")).ok_or_else(|| malformed("status"))?;
        Ok(CipInfo {
            cip: wire_u64(v.get("cip")).ok_or_else(|| malformed("cip"))?,
            transaction_code: wire_str(v, "transactionCode").unwrap_or_default().to_owned(),
            amount: wire_amount(v)?,
            currency: wire_currency(v)?,
            status: CipStatus::from_code(status_code),
            status_code,
            status_name: wire_str(v, "statusName").unwrap_or_default().to_owned(),
            date_creation: wire_time(v, "dateCreation")?,
            date_expiry: wire_time(v, "dateExpiry")?,
            date_payment: wire_time(v, "datePayment")?,
            date_removal: wire_time(v, "dateRemoval")?,
            token: wire_str(v, "token").map(str::to_owned),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_and_unknown_codes_survive() {
        assert_eq!(CipStatus::from_code(22), CipStatus::Generated);
        assert_eq!(CipStatus::from_code(593), CipStatus::Paid);
        assert_eq!(CipStatus::from_code(777), CipStatus::Unknown(777));
        assert_eq!(CipStatus::from_code(777).code(), 777);
        assert!(!CipStatus::Generated.is_final());
    }

    #[test]
    fn search_result_parses_with_sentinels_and_extra_fields() {
        let v: Value = serde_json::from_str(
            r#"{"cip":10092759,"transactionCode":"101","amount":25,"currency":"PEN","status":22,
            "statusName":"Generado.","dateCreation":"2018-08-13T17:18:58-05:00",
            "dateExpiry":"2018-08-13T21:18:58-05:00","datePayment":"1900-01-01T00:00:00-05:00",
            "dateRemoval":"1900-01-01T00:00:00-05:00","token":"FFA97506-4BA1-41CF-B866-7B973565C725","new":1}"#,
        )
        .unwrap();
        let info = CipInfo::from_wire(&v).unwrap();
        assert_eq!(info.cip, 10092759);
        assert_eq!(info.amount.to_string(), "25.00");
        assert_eq!(info.status, CipStatus::Generated);
        assert_eq!(info.date_payment, None);
    }

    #[test]
    fn fourteen_digit_cips_fit() {
        let v: Value = serde_json::from_str(
            r#"{"cip":99999999999999,"currency":"USD","amount":201.01,"transactionCode":"1",
            "dateExpiry":"2020-12-31T23:59:59-05:00","cipUrl":"https://x/A.html"}"#,
        )
        .unwrap();
        let c = Cip::from_wire(&v).unwrap();
        assert_eq!(c.cip, 99_999_999_999_999);
        assert_eq!(c.amount.to_string(), "201.01");
    }
}
