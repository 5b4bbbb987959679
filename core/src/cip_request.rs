//! What a merchant sends to create a CIP, validated with the API's own limits before any request.

use std::time::Duration;

use chrono::{DateTime, FixedOffset, TimeZone};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, FieldError};
use crate::money::{self, Currency};
use crate::time;

/// Identity document types PagoEfectivo accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub enum DocumentType {
    DNI,
    PAR,
    PAS,
    LMI,
    NAN,
}

impl DocumentType {
    pub fn as_str(&self) -> &'static str {
        match self {
            DocumentType::DNI => "DNI",
            DocumentType::PAR => "PAR",
            DocumentType::PAS => "PAS",
            DocumentType::LMI => "LMI",
            DocumentType::NAN => "NAN",
        }
    }
    pub fn parse(s: &str) -> Option<DocumentType> {
        Some(match s {
            "DNI" => DocumentType::DNI,
            "PAR" => DocumentType::PAR,
            "PAS" => DocumentType::PAS,
            "LMI" => DocumentType::LMI,
            "NAN" => DocumentType::NAN,
            _ => return None,
        })
    }
}

/// A CIP creation request. Required: currency, amount, transaction code
/// (the order id) and payer e-mail; the rest is optional. Field names on the
/// wire are the spec's camelCase ones.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateCipRequest {
    pub currency: Currency,
    pub amount: Decimal,
    pub transaction_code: String,
    pub user_email: String,
    /// Absent: the merchant's agreed default applies. Any zone; sent as Lima time.
    pub date_expiry: Option<DateTime<FixedOffset>>,
    pub payment_concept: Option<String>,
    pub additional_data: Option<String>,
    pub admin_email: Option<String>,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    pub user_last_name: Option<String>,
    pub user_ubigeo: Option<String>,
    pub user_country: Option<String>,
    pub user_document_type: Option<DocumentType>,
    pub user_document_number: Option<String>,
    pub user_phone: Option<String>,
    pub user_code_country: Option<String>,
}

impl CreateCipRequest {
    pub fn new(
        currency: Currency,
        amount: Decimal,
        transaction_code: impl Into<String>,
        user_email: impl Into<String>,
    ) -> Self {
        CreateCipRequest {
            currency,
            amount,
            transaction_code: transaction_code.into(),
            user_email: user_email.into(),
            date_expiry: None,
            payment_concept: None,
            additional_data: None,
            admin_email: None,
            user_id: None,
            user_name: None,
            user_last_name: None,
            user_ubigeo: None,
            user_country: None,
            user_document_type: None,
            user_document_number: None,
            user_phone: None,
            user_code_country: None,
        }
    }

    /// Expires at `at` (any zone; converted to Lima time).
    pub fn expires_at<Tz: TimeZone>(mut self, at: DateTime<Tz>) -> Self {
        self.date_expiry = Some(time::to_lima(&at));
        self
    }

    /// Expires `after` from now (typically 24–72 h).
    pub fn expires_in(mut self, after: Duration) -> Self {
        let after = chrono::Duration::from_std(after).unwrap_or(chrono::Duration::MAX);
        self.date_expiry = time::now_lima().checked_add_signed(after);
        self
    }

    /// Checks every field against the spec's limits; all violations at once.
    pub fn validate(&self, now: DateTime<FixedOffset>) -> Result<(), Error> {
        let mut errs = Vec::new();
        if let Some(p) = money::amount_problem(&self.amount) {
            errs.push(FieldError::invalid("amount", p));
        }
        text(&mut errs, "transactionCode", Some(&self.transaction_code), 36, true);
        text(&mut errs, "userEmail", Some(&self.user_email), 100, true);
        email(&mut errs, "userEmail", Some(&self.user_email));
        if let Some(d) = self.date_expiry
            && d <= now
        {
            errs.push(FieldError::invalid("dateExpiry", "must be in the future"));
        }
        text(&mut errs, "paymentConcept", self.payment_concept.as_deref(), 50, false);
        text(&mut errs, "additionalData", self.additional_data.as_deref(), 200, false);
        text(&mut errs, "adminEmail", self.admin_email.as_deref(), 100, false);
        email(&mut errs, "adminEmail", self.admin_email.as_deref());
        text(&mut errs, "userId", self.user_id.as_deref(), 100, false);
        text(&mut errs, "userName", self.user_name.as_deref(), 30, false);
        text(&mut errs, "userLastName", self.user_last_name.as_deref(), 30, false);
        text(&mut errs, "userCountry", self.user_country.as_deref(), 20, false);
        digits(&mut errs, "userUbigeo", self.user_ubigeo.as_deref(), 6, 6);
        digits(&mut errs, "userDocumentNumber", self.user_document_number.as_deref(), 1, 14);
        digits(&mut errs, "userPhone", self.user_phone.as_deref(), 1, 15);
        if let Some(c) = self.user_code_country.as_deref() {
            let body = c.strip_prefix('+').unwrap_or(c);
            if c.chars().count() > 5 || body.is_empty() || !body.chars().all(|ch| ch.is_ascii_digit()) {
                errs.push(FieldError::invalid(
                    "userCodeCountry",
                    "must be a calling code like +51 (at most 5 characters)",
                ));
            }
        }
        if errs.is_empty() { Ok(()) } else { Err(Error::validation(errs)) }
    }

    /// The JSON body for `POST v1/cips`, written straight from the request (no `Value` in between).
    pub(crate) fn wire_json(&self, service_id: u32) -> bytes::Bytes {
        bytes::Bytes::from(serde_json::to_vec(&self.wire(service_id)).unwrap_or_default())
    }

    fn wire(&self, service_id: u32) -> Wire<'_> {
        Wire {
            currency: self.currency.as_str(),
            amount: money::to_json_number(self.amount),
            transaction_code: &self.transaction_code,
            date_expiry: self.date_expiry.as_ref().map(time::format),
            user_email: &self.user_email,
            payment_concept: self.payment_concept.as_deref(),
            additional_data: self.additional_data.as_deref(),
            admin_email: self.admin_email.as_deref(),
            user_id: self.user_id.as_deref(),
            user_name: self.user_name.as_deref(),
            user_last_name: self.user_last_name.as_deref(),
            user_ubigeo: self.user_ubigeo.as_deref(),
            user_country: self.user_country.as_deref(),
            user_document_number: self.user_document_number.as_deref(),
            user_phone: self.user_phone.as_deref(),
            user_code_country: self.user_code_country.as_deref(),
            user_document_type: self.user_document_type.as_ref().map(DocumentType::as_str),
            service_id,
        }
    }
}

/// `POST v1/cips`'s body in the API's names and order; absent options are left out.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Wire<'a> {
    currency: &'a str,
    amount: Value,
    transaction_code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_expiry: Option<String>,
    user_email: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment_concept: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional_data: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    admin_email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_last_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_ubigeo: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_country: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_document_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_phone: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_code_country: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_document_type: Option<&'static str>,
    service_id: u32,
}

/// `userEmail`, `user_email`, `UserEmail` and `USER_EMAIL` name the same
/// field. Compared without allocating: bindings call `from_json` per request.
pub(crate) fn same_key(key: &str, name: &str) -> bool {
    // The usual cases first: the same spelling up to case, or different lengths and no `_`.
    if key.len() == name.len() && key.eq_ignore_ascii_case(name) {
        return true;
    }
    if !key.contains('_') && !name.contains('_') {
        return false;
    }
    let mut a = key.bytes().filter(|b| *b != b'_');
    let mut b = name.bytes().filter(|b| *b != b'_');
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(&y) => {}
            _ => return false,
        }
    }
}

fn text(errs: &mut Vec<FieldError>, field: &str, value: Option<&str>, max: usize, required: bool) {
    match value {
        None if required => errs.push(FieldError::required(field)),
        None => {}
        Some(v) if required && v.trim().is_empty() => errs.push(FieldError::required(field)),
        Some(v) => {
            let n = v.chars().count();
            if n == 0 || n > max {
                errs.push(FieldError::invalid(field, format!("must be 1 to {max} characters, got {n}")));
            } else if v.chars().any(forbidden_char) {
                errs.push(FieldError::invalid(field, CONTROL_CHARACTERS));
            }
        }
    }
}

/// Said of a text with a NUL byte or another control character.
pub(crate) const CONTROL_CHARACTERS: &str = "must not contain control characters (a NUL byte, an escape...)";

/// NUL and the other control characters, bar tab and line breaks: they end C
/// strings, corrupt logs and are never part of a name, an e-mail or an order id.
pub(crate) fn forbidden_char(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

fn email(errs: &mut Vec<FieldError>, field: &str, value: Option<&str>) {
    let Some(v) = value.filter(|v| !v.is_empty()) else { return };
    let ok = match v.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && domain.contains('.')
                && !domain.contains('@')
                && !v.contains(char::is_whitespace)
        }
        None => false,
    };
    if !ok && !errs.iter().any(|e| e.field == field) {
        errs.push(FieldError::invalid(field, "must be an e-mail address"));
    }
}

fn digits(errs: &mut Vec<FieldError>, field: &str, value: Option<&str>, min: usize, max: usize) {
    let Some(v) = value else { return };
    if v.len() < min || v.len() > max || !v.bytes().all(|b| b.is_ascii_digit()) {
        let size = if min == max { format!("{max}") } else { format!("{min} to {max}") };
        errs.push(FieldError::invalid(field, format!("must be {size} digits")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn base() -> CreateCipRequest {
        CreateCipRequest::new(Currency::PEN, Decimal::from_str("25.50").unwrap(), "ORD-1", "buyer@example.pe")
    }

    fn fields(e: Error) -> Vec<String> {
        e.field_errors().iter().map(|f| format!("{}:{}", f.field, f.code)).collect()
    }

    #[test]
    fn a_full_valid_request_passes_and_serializes_exactly() {
        let mut r = base().expires_at(time::parse("2030-01-01T10:00:00-05:00").unwrap());
        r.user_phone = Some("987654321".into());
        r.user_code_country = Some("+51".into());
        r.user_document_type = Some(DocumentType::DNI);
        r.user_document_number = Some("44556677".into());
        r.validate(time::now_lima()).unwrap();
        let wire = String::from_utf8(r.wire_json(1234).to_vec()).unwrap();
        assert!(wire.contains(r#""amount":25.50"#), "{wire}");
        // The API's order: the request's own fields, then the optional ones, then the service.
        assert!(wire.starts_with(r#"{"currency":"PEN","amount":25.50,"transactionCode":"ORD-1","#), "{wire}");
        assert!(wire.ends_with(r#""userDocumentType":"DNI","serviceId":1234}"#), "{wire}");
        assert!(wire.contains(r#""dateExpiry":"2030-01-01T10:00:00-05:00""#));
        assert!(wire.contains(r#""serviceId":1234"#));
    }

    #[test]
    fn reports_every_violation_at_once() {
        let mut r = base();
        r.amount = Decimal::from_str("1.005").unwrap();
        r.transaction_code = "x".repeat(37);
        r.user_email = "not-an-email".into();
        r.user_ubigeo = Some("1501".into());
        r.date_expiry = Some(time::parse("2020-01-01T00:00:00-05:00").unwrap());
        let f = fields(r.validate(time::now_lima()).unwrap_err());
        assert_eq!(
            f,
            ["amount:113", "transactionCode:113", "userEmail:113", "dateExpiry:113", "userUbigeo:113"]
        );
    }

    #[test]
    fn keys_match_across_casings_without_allocating() {
        for k in ["userEmail", "user_email", "UserEmail", "USER_EMAIL", "useremail"] {
            assert!(same_key(k, "userEmail"), "{k}");
        }
        assert!(!same_key("userEmails", "userEmail"));
        assert!(!same_key("user", "userEmail"));
    }
}
