//! CIPs as PagoEfectivo returns them: the created code, search results and the status enum.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use std::borrow::Cow;

use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::{Error, ErrorCode};
use crate::money::{self, Currency};
use crate::time;
use crate::wire::{self, Names, Scalar};

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

fn wire_status(v: Option<&RawValue>) -> Option<u32> {
    match wire::scalar(v) {
        Scalar::Number(n) => n.parse().ok(),
        Scalar::Text(s) => s.trim().parse().ok(),
        Scalar::Other => None,
    }
}

fn wire_cip(v: Option<&RawValue>) -> Result<u64, Error> {
    match wire::scalar(v) {
        Scalar::Number(n) => parse_cip(n),
        Scalar::Text(s) => parse_cip(&s),
        Scalar::Other => None,
    }
    .ok_or_else(|| malformed("cip"))
}

fn wire_currency(v: Option<&RawValue>) -> Result<Currency, Error> {
    wire::text(v).and_then(|c| c.parse().ok()).ok_or_else(|| malformed("currency"))
}

fn wire_amount(v: Option<&RawValue>) -> Result<Decimal, Error> {
    match wire::scalar(v) {
        Scalar::Number(n) => money::from_text(n),
        Scalar::Text(s) => money::from_text(s.trim()),
        Scalar::Other => None,
    }
    .map(money::two_decimals)
    .ok_or_else(|| malformed("amount"))
}

/// A time member: absent, or not text, is none; the 1900 sentinel too.
fn wire_time(v: Option<&RawValue>) -> Result<Option<DateTime<FixedOffset>>, Error> {
    match wire::text(v) {
        None => Ok(None),
        Some(s) => time::parse_optional(&s),
    }
}

fn wire_string(v: Option<&RawValue>) -> String {
    wire::text(v).map(Cow::into_owned).unwrap_or_default()
}

fn object<'j, const N: usize>(json: &'j str, names: &[&str; N]) -> Result<[Option<&'j RawValue>; N], Error> {
    wire::members(json.as_bytes(), names, Names::Exact).map_err(|_| malformed("not an object"))
}

impl Cip {
    /// A creation answer's `data`.
    pub(crate) fn from_wire(json: &str) -> Result<Cip, Error> {
        let [cip, currency, amount, transaction_code, date_expiry, cip_url] =
            object(json, &["cip", "currency", "amount", "transactionCode", "dateExpiry", "cipUrl"])?;
        Ok(Cip {
            cip: wire_cip(cip)?,
            currency: wire_currency(currency)?,
            amount: wire_amount(amount)?,
            transaction_code: wire_string(transaction_code),
            date_expiry: wire_time(date_expiry)?.ok_or_else(|| malformed("dateExpiry"))?,
            cip_url: wire::text(cip_url).ok_or_else(|| malformed("cipUrl"))?.into_owned(),
        })
    }
}

impl CipInfo {
    /// One item of a search answer's `data`.
    pub(crate) fn from_wire(json: &str) -> Result<CipInfo, Error> {
        let [
            cip,
            transaction_code,
            amount,
            currency,
            status,
            status_name,
            created,
            expiry,
            paid,
            removed,
            token,
        ] = object(
            json,
            &[
                "cip",
                "transactionCode",
                "amount",
                "currency",
                "status",
                "statusName",
                "dateCreation",
                "dateExpiry",
                "datePayment",
                "dateRemoval",
                "token",
            ],
        )?;
        let status_code = wire_status(status).ok_or_else(|| malformed("status"))?;
        Ok(CipInfo {
            cip: wire_cip(cip)?,
            transaction_code: wire_string(transaction_code),
            amount: wire_amount(amount)?,
            currency: wire_currency(currency)?,
            status: CipStatus::from_code(status_code),
            status_code,
            status_name: wire_string(status_name),
            date_creation: wire_time(created)?,
            date_expiry: wire_time(expiry)?,
            date_payment: wire_time(paid)?,
            date_removal: wire_time(removed)?,
            token: wire::text(token).map(Cow::into_owned),
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
        let v = r#"{"cip":10092759,"transactionCode":"101","amount":25,"currency":"PEN","status":22,
            "statusName":"Generado.","dateCreation":"2018-08-13T17:18:58-05:00",
            "dateExpiry":"2018-08-13T21:18:58-05:00","datePayment":"1900-01-01T00:00:00-05:00",
            "dateRemoval":"1900-01-01T00:00:00-05:00","token":"FFA97506-4BA1-41CF-B866-7B973565C725","new":1}"#;
        let info = CipInfo::from_wire(v).unwrap();
        assert_eq!(info.cip, 10092759);
        assert_eq!(info.amount.to_string(), "25.00");
        assert_eq!(info.status, CipStatus::Generated);
        assert_eq!(info.date_payment, None);
    }

    #[test]
    fn fourteen_digit_cips_fit() {
        let v = r#"{"cip":99999999999999,"currency":"USD","amount":201.01,"transactionCode":"1",
            "dateExpiry":"2020-12-31T23:59:59-05:00","cipUrl":"https://x/A.html"}"#;
        let c = Cip::from_wire(v).unwrap();
        assert_eq!(c.cip, 99_999_999_999_999);
        assert_eq!(c.amount.to_string(), "201.01");
    }

    #[test]
    fn numbers_as_text_and_escapes_read() {
        let c = Cip::from_wire(
            r#"{"cip":"2536789","currency":"PEN","amount":"25.5","transactionCode":"A-1",
            "dateExpiry":"2020-12-31T23:59:59-05:00","cipUrl":"https://x/\u0041.html"}"#,
        )
        .unwrap();
        assert_eq!(
            (c.cip, c.amount.to_string(), c.transaction_code.as_str()),
            (2536789, "25.50".into(), "A-1")
        );
        assert_eq!(c.cip_url, "https://x/A.html");
        for bad in [r#"{"cip":0}"#, r#"[1]"#, r#"{"cip":1,"currency":"PEN","amount":true}"#, r#"{"Cip":1}"#] {
            assert_eq!(Cip::from_wire(bad).unwrap_err().code(), ErrorCode::MalformedResponse, "{bad}");
        }
    }
}
