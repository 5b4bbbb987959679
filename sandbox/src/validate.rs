//! Validation of a create-CIP body against the spec's field table.

use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::wire::{self, FieldError};

/// Canonical camelCase names, in the spec table's order (the order errors are listed in).
const FIELDS: [&str; 18] = [
    "currency",
    "amount",
    "transactionCode",
    "dateExpiry",
    "paymentConcept",
    "additionalData",
    "adminEmail",
    "userEmail",
    "userId",
    "userName",
    "userLastName",
    "userUbigeo",
    "userCountry",
    "userDocumentType",
    "userDocumentNumber",
    "userPhone",
    "userCodeCountry",
    "serviceId",
];

const DOCUMENT_TYPES: [&str; 5] = ["DNI", "PAR", "PAS", "LMI", "NAN"];

/// A create request that passed validation.
#[derive(Debug)]
pub(crate) struct NewCip {
    pub currency: String,
    pub amount: Decimal,
    pub transaction_code: String,
    pub date_expiry: Option<DateTime<FixedOffset>>,
    pub payment_concept: Option<String>,
    pub additional_data: Option<String>,
    pub admin_email: Option<String>,
    pub user_email: String,
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    pub user_last_name: Option<String>,
    pub user_ubigeo: Option<String>,
    pub user_country: Option<String>,
    pub user_document_type: Option<String>,
    pub user_document_number: Option<String>,
    pub user_phone: Option<String>,
    pub user_code_country: Option<String>,
    pub service_id: Option<u32>,
}

fn any(_: &str) -> bool {
    true
}

fn digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

fn email(s: &str) -> bool {
    s.contains('@')
}

struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    /// A string field of 1..=`max` characters satisfying `rule`. An empty
    /// string counts as missing for required fields (as .NET's `[Required]`
    /// does) and as invalid for optional ones (it breaks the minimum of 1).
    /// A JSON number is read as its decimal text, as .NET's binder does for a
    /// string property (`"userId": 200`, `"userUbigeo": 150101`).
    fn text(
        &mut self,
        field: &'static str,
        value: Option<&Value>,
        required: bool,
        max: usize,
        rule: fn(&str) -> bool,
    ) -> Option<String> {
        let text = match value {
            None => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(Value::Number(n)) => Some(n.as_str()),
            Some(_) => {
                self.errors.push(FieldError::invalid(field));
                return None;
            }
        };
        match text {
            None if required => self.errors.push(FieldError::required(field)),
            None => {}
            Some("") if required => self.errors.push(FieldError::required(field)),
            Some(s) if !s.is_empty() && s.chars().count() <= max && rule(s) => return Some(s.to_owned()),
            Some(_) => self.errors.push(FieldError::invalid(field)),
        }
        None
    }

    fn amount(&mut self, value: Option<&Value>) -> Option<Decimal> {
        let Some(value) = value else {
            self.errors.push(FieldError::required("amount"));
            return None;
        };
        // Up to 16 integer digits means strictly below 10^16.
        let limit = Decimal::from(10_000_000_000_000_000u64);
        let amount =
            wire::decimal(value).filter(|d| *d > Decimal::ZERO && d.normalize().scale() <= 2 && *d < limit);
        if amount.is_none() {
            self.errors.push(FieldError::invalid("amount"));
        }
        amount
    }

    /// An expiry in any offset, after `now`. On creation, .NET's default
    /// value (`0001-01-01T00:00:00+00:00`) means "not sent", like an absent or null one.
    fn date_expiry(
        &mut self,
        value: Option<&Value>,
        now: DateTime<FixedOffset>,
        default_means_absent: bool,
    ) -> Option<DateTime<FixedOffset>> {
        let parsed = value.and_then(Value::as_str).and_then(wire::parse_time);
        if default_means_absent && parsed.as_ref().is_some_and(wire::is_dotnet_default) {
            return None;
        }
        let at = parsed.filter(|at| *at > now);
        if value.is_some() && at.is_none() {
            self.errors.push(FieldError::invalid("dateExpiry"));
        }
        at
    }

    fn service_id(&mut self, value: Option<&Value>) -> Option<u32> {
        let value = value?;
        let id = wire::unsigned(value).and_then(|n| u32::try_from(n).ok());
        if id.is_none() {
            self.errors.push(FieldError::invalid("serviceId"));
        }
        id
    }
}

/// A `PATCH` body's new expiry: required, in a Lima format, after `now`.
pub(crate) fn new_expiry(
    body: &[u8],
    now: DateTime<FixedOffset>,
) -> Result<DateTime<FixedOffset>, Vec<FieldError>> {
    let obj = wire::object(body).ok_or_else(Vec::new)?;
    let [value] = wire::fields(&obj, &["dateExpiry"]);
    if value.is_none() {
        return Err(vec![FieldError::required("dateExpiry")]);
    }
    let mut c = Checker { errors: Vec::new() };
    c.date_expiry(value, now, false).ok_or(c.errors)
}

/// Checks every field and reports all problems at once; a body that is not a
/// JSON object yields an empty error list (a bare 111).
pub(crate) fn new_cip(body: &[u8], now: DateTime<FixedOffset>) -> Result<NewCip, Vec<FieldError>> {
    let obj = wire::object(body).ok_or_else(Vec::new)?;
    let [
        currency,
        amount,
        transaction_code,
        date_expiry,
        payment_concept,
        additional_data,
        admin_email,
        user_email,
        user_id,
        user_name,
        user_last_name,
        user_ubigeo,
        user_country,
        user_document_type,
        user_document_number,
        user_phone,
        user_code_country,
        service_id,
    ] = wire::fields(&obj, &FIELDS);

    let mut c = Checker { errors: Vec::new() };
    let currency = c.text("currency", currency, true, 3, |s| s == "PEN" || s == "USD");
    let amount = c.amount(amount);
    let transaction_code = c.text("transactionCode", transaction_code, true, 36, any);
    let date_expiry = c.date_expiry(date_expiry, now, true);
    let new = NewCip {
        payment_concept: c.text("paymentConcept", payment_concept, false, 50, any),
        additional_data: c.text("additionalData", additional_data, false, 200, any),
        admin_email: c.text("adminEmail", admin_email, false, 100, email),
        user_email: c.text("userEmail", user_email, true, 100, email).unwrap_or_default(),
        user_id: c.text("userId", user_id, false, 100, any),
        user_name: c.text("userName", user_name, false, 30, any),
        user_last_name: c.text("userLastName", user_last_name, false, 30, any),
        user_ubigeo: c.text("userUbigeo", user_ubigeo, false, 6, |s| s.len() == 6 && digits(s)),
        user_country: c.text("userCountry", user_country, false, 20, any),
        user_document_type: c
            .text("userDocumentType", user_document_type, false, 3, |s| DOCUMENT_TYPES.contains(&s)),
        user_document_number: c.text("userDocumentNumber", user_document_number, false, 14, digits),
        user_phone: c.text("userPhone", user_phone, false, 15, digits),
        user_code_country: c.text("userCodeCountry", user_code_country, false, 5, any),
        service_id: c.service_id(service_id),
        currency: currency.unwrap_or_default(),
        amount: amount.unwrap_or_default(),
        transaction_code: transaction_code.unwrap_or_default(),
        date_expiry,
    };
    if c.errors.is_empty() { Ok(new) } else { Err(c.errors) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;

    fn now() -> DateTime<FixedOffset> {
        wire::parse_time("2026-11-20T10:00:00-05:00").expect("time")
    }

    fn fields_of(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors.iter().map(|e| (e.code, e.field)).collect()
    }

    #[test]
    fn pascal_case_body_from_the_official_demo_is_accepted() {
        let body = br#"{"Currency":"PEN","Amount":25.50,"TransactionCode":"101",
            "DateExpiry":"2026-11-21 10:00:00-0500","PaymentConcept":"Prueba",
            "UserEmail":"a@b.pe","UserName":null,"USERPHONE":"987654321","userCodeCountry":"+51",
            "UserDocumentType":"DNI","UserDocumentNumber":"12345678","UserUbigeo":"150115","ServiceId":1234}"#;
        let new = new_cip(body, now()).expect("valid");
        assert_eq!(new.currency, "PEN");
        assert_eq!(new.amount.to_string(), "25.50");
        assert_eq!(new.transaction_code, "101");
        assert_eq!(new.date_expiry.map(wire::format_time).as_deref(), Some("2026-11-21T10:00:00-05:00"));
        assert_eq!(new.user_name, None);
        assert_eq!(new.user_phone.as_deref(), Some("987654321"));
        assert_eq!(new.service_id, Some(1234));
    }

    #[test]
    fn minimal_body_and_numeric_string_amount() {
        let body = br#"{"currency":"USD","amount":"10","transactionCode":"x","userEmail":"a@b"}"#;
        let new = new_cip(body, now()).expect("valid");
        assert_eq!(new.amount, Decimal::from(10));
        assert_eq!(new.date_expiry, None);
    }

    #[test]
    fn missing_required_fields_are_all_reported() {
        let errors = new_cip(b"{}", now()).expect_err("invalid");
        assert_eq!(
            fields_of(&errors),
            [("112", "currency"), ("112", "amount"), ("112", "transactionCode"), ("112", "userEmail"),]
        );
    }

    #[test]
    fn invalid_values_are_reported_with_113() {
        let body =
            br#"{"currency":"EUR","amount":1.234,"transactionCode":"0123456789012345678901234567890123456",
            "dateExpiry":"2026-11-20T09:59:59-05:00","paymentConcept":"","adminEmail":"nope",
            "userEmail":"x","userUbigeo":"15011","userDocumentType":"CE","userDocumentNumber":"12a",
            "userPhone":"+51987","userCodeCountry":"+51000","userName":"0123456789012345678901234567890",
            "serviceId":"abc"}"#;
        let errors = new_cip(body, now()).expect_err("invalid");
        assert!(errors.iter().all(|e| e.code == "113"));
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "currency",
                "amount",
                "transactionCode",
                "dateExpiry",
                "paymentConcept",
                "adminEmail",
                "userEmail",
                "userName",
                "userUbigeo",
                "userDocumentType",
                "userDocumentNumber",
                "userPhone",
                "userCodeCountry",
                "serviceId",
            ]
        );
    }

    #[test]
    fn amount_limits() {
        let check = |amount: &str| {
            let body =
                format!(r#"{{"currency":"PEN","amount":{amount},"transactionCode":"1","userEmail":"a@b"}}"#);
            new_cip(body.as_bytes(), now()).is_ok()
        };
        assert!(check("0.01"));
        assert!(check("9999999999999999.99"));
        assert!(check("1.50000"));
        assert!(!check("10000000000000000"));
        assert!(!check("0"));
        assert!(!check("-1"));
        assert!(!check("0.001"));
        assert!(!check("\"1,5\""));
        assert!(!check("true"));
    }

    #[test]
    fn numbers_in_string_fields_are_read_as_their_text() {
        let body = br#"{"currency":"PEN","amount":10,"transactionCode":84,"userEmail":"a@b.pe",
            "userId":200,"userUbigeo":150101,"userPhone":987654321,"userDocumentNumber":44556677}"#;
        let new = new_cip(body, now()).expect("valid");
        assert_eq!(new.transaction_code, "84");
        assert_eq!(new.user_id.as_deref(), Some("200"));
        assert_eq!(new.user_ubigeo.as_deref(), Some("150101"));
        assert_eq!(new.user_phone.as_deref(), Some("987654321"));
        assert_eq!(new.user_document_number.as_deref(), Some("44556677"));
        let bad = br#"{"currency":"PEN","amount":10,"transactionCode":true,"userEmail":"a@b.pe","userUbigeo":1501.5}"#;
        let errors = new_cip(bad, now()).expect_err("invalid");
        assert_eq!(fields_of(&errors), [("113", "transactionCode"), ("113", "userUbigeo")]);
    }

    #[test]
    fn every_spelling_of_no_expiry_means_the_default() {
        for expiry in ["", r#","dateExpiry":null"#, r#","DateExpiry":"0001-01-01T00:00:00+00:00""#] {
            let body = format!(
                r#"{{"currency":"PEN","amount":10,"transactionCode":"1","userEmail":"a@b"{expiry}}}"#
            );
            assert_eq!(new_cip(body.as_bytes(), now()).expect(&body).date_expiry, None, "{body}");
        }
        let utc = br#"{"currency":"PEN","amount":10,"transactionCode":"1","userEmail":"a@b",
            "dateExpiry":"2026-11-21T15:00:00.1234567+00:00"}"#;
        let at = new_cip(utc, now()).expect("utc").date_expiry.map(wire::format_time);
        assert_eq!(at.as_deref(), Some("2026-11-21T10:00:00-05:00"));
    }

    #[test]
    fn not_json_is_a_bare_111() {
        assert_eq!(new_cip(b"not json", now()).expect_err("invalid"), []);
        assert_eq!(new_cip(b"[1]", now()).expect_err("invalid"), []);
    }

    #[test]
    fn new_expiry_rules() {
        let now = Clock::new().now();
        assert_eq!(fields_of(&new_expiry(b"{}", now).expect_err("missing")), [("112", "dateExpiry")]);
        assert_eq!(
            fields_of(&new_expiry(br#"{"dateExpiry":"2001-01-01T00:00:00-05:00"}"#, now).expect_err("past")),
            [("113", "dateExpiry")]
        );
        let ok = new_expiry(br#"{"DATEEXPIRY":"2999-01-01 00:00:00-0500"}"#, now).expect("ok");
        assert_eq!(wire::format_time(ok), "2999-01-01T00:00:00-05:00");
    }
}
