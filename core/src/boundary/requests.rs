//! Requests from another language: a JSON object to a CIP or refund request, every problem at once.
//!
//! Keys in camelCase or snake_case (or PascalCase); an unknown key is refused,
//! named (a typo must not become a default nobody chose); money, times and CIP
//! numbers by the rules of `input.rs`; then the request's own validation, so a
//! caller sees every problem in one `validation_error`.

use rust_decimal::Decimal;
use serde_json::Value;

use super::input::{self, Fields, get};
use crate::cip_request::{CreateCipRequest, DocumentType};
use crate::error::{Error, FieldError};
use crate::money::Currency;
use crate::refund::{Beneficiary, CreateRefundRequest, RefundDestination};
use crate::time;

/// The fields of a CIP creation request, in the spec's order.
pub const CIP_REQUEST_FIELDS: [&str; 17] = [
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
];

pub const REFUND_REQUEST_FIELDS: [&str; 9] = [
    "cip",
    "amount",
    "currency",
    "reason",
    "merchantRefundId",
    "destination",
    "beneficiary",
    "refundWindowDays",
    "requestedBy",
];

/// Collects field errors; the first problem of a field wins.
#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    fn push(&mut self, e: FieldError) {
        if !self.0.iter().any(|f| f.field == e.field) {
            self.0.push(e);
        }
    }
    fn take(&mut self, r: Result<(), Error>) {
        if let Err(e) = r {
            for f in e.field_errors() {
                self.push(f.clone());
            }
        }
    }
    fn ok<T>(&mut self, r: Result<T, Error>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.take(Err(e));
                None
            }
        }
    }
    /// A text field: a string, or an integer written where a string was meant
    /// (`user_id=200` is as common in merchant code as in the API's own binder).
    fn text(&mut self, member: Option<&Value>, label: &str) -> Option<String> {
        match member? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) if !input::is_float_text(n) => Some(n.to_string()),
            _ => {
                self.push(FieldError::invalid(label, "must be a string"));
                None
            }
        }
    }
    fn required_text(&mut self, member: Option<&Value>, label: &str) -> String {
        if member.is_none() {
            self.push(FieldError::required(label));
        }
        self.text(member, label).unwrap_or_default()
    }
    fn result<T>(self, value: T) -> Result<T, Error> {
        if self.0.is_empty() { Ok(value) } else { Err(Error::invalid_fields(self.0)) }
    }
}

fn must_be_object(input: &Value, what: &str) -> Result<(), Error> {
    if input.is_object() { Ok(()) } else { Err(Error::invalid_field(what, "must be an object")) }
}

impl CreateCipRequest {
    /// Builds a request from JSON-like input (what bindings receive). Every
    /// problem is a field error, all at once; `validate` has run on success.
    pub fn from_json(input: &Value) -> Result<CreateCipRequest, Error> {
        must_be_object(input, "request")?;
        let mut p = Problems::default();
        let (f, unknown) = Fields::of(input, &CIP_REQUEST_FIELDS);
        p.take(unknown);
        let currency = match p.text(f.get("currency"), "currency") {
            None => {
                if f.get("currency").is_none() {
                    p.push(FieldError::required("currency"));
                }
                None
            }
            Some(c) => c
                .parse::<Currency>()
                .map_err(|_| p.push(FieldError::invalid("currency", "must be PEN or USD")))
                .ok(),
        };
        let amount = match f.get("amount") {
            None => {
                p.push(FieldError::required("amount"));
                None
            }
            Some(v) => p.ok(input::money(v, "amount")),
        };
        let transaction_code = p.required_text(f.get("transactionCode"), "transactionCode");
        let user_email = p.required_text(f.get("userEmail"), "userEmail");
        let date_expiry = f.get("dateExpiry").and_then(|v| p.ok(input::time(v, "dateExpiry")));
        let user_document_type = p.text(f.get("userDocumentType"), "userDocumentType").and_then(|s| {
            DocumentType::parse(&s).or_else(|| {
                p.push(FieldError::invalid("userDocumentType", "must be DNI, PAR, PAS, LMI or NAN"));
                None
            })
        });
        let mut req = CreateCipRequest::new(
            currency.unwrap_or(Currency::PEN),
            amount.unwrap_or(Decimal::ONE),
            transaction_code,
            user_email,
        );
        req.date_expiry = date_expiry;
        req.user_document_type = user_document_type;
        req.payment_concept = p.text(f.get("paymentConcept"), "paymentConcept");
        req.additional_data = p.text(f.get("additionalData"), "additionalData");
        req.admin_email = p.text(f.get("adminEmail"), "adminEmail");
        req.user_id = p.text(f.get("userId"), "userId");
        req.user_name = p.text(f.get("userName"), "userName");
        req.user_last_name = p.text(f.get("userLastName"), "userLastName");
        req.user_ubigeo = p.text(f.get("userUbigeo"), "userUbigeo");
        req.user_country = p.text(f.get("userCountry"), "userCountry");
        req.user_document_number = p.text(f.get("userDocumentNumber"), "userDocumentNumber");
        req.user_phone = p.text(f.get("userPhone"), "userPhone");
        req.user_code_country = p.text(f.get("userCodeCountry"), "userCodeCountry");
        // The request's own rules too, so the caller sees every problem at once.
        p.take(req.validate(time::now_lima()));
        p.result(req)
    }
}

impl CreateRefundRequest {
    /// From JSON-like input (bindings). Every problem is a field error, all at once.
    pub fn from_json(input: &Value) -> Result<CreateRefundRequest, Error> {
        must_be_object(input, "request")?;
        let mut p = Problems::default();
        let (f, unknown) = Fields::of(input, &REFUND_REQUEST_FIELDS);
        p.take(unknown);
        let cip = match f.get("cip") {
            None => {
                p.push(FieldError::required("cip"));
                0
            }
            Some(v) => p.ok(input::cip(v, "cip")).unwrap_or(0),
        };
        let amount = match f.get("amount") {
            None => {
                p.push(FieldError::required("amount"));
                None
            }
            Some(v) => p.ok(input::money(v, "amount")),
        };
        let currency = match p.text(f.get("currency"), "currency") {
            None => {
                if f.get("currency").is_none() {
                    p.push(FieldError::required("currency"));
                }
                None
            }
            Some(c) => c
                .parse::<Currency>()
                .map_err(|_| p.push(FieldError::invalid("currency", "must be PEN or USD")))
                .ok(),
        };
        let reason = p.required_text(f.get("reason"), "reason");
        let merchant_refund_id = p.required_text(f.get("merchantRefundId"), "merchantRefundId");
        let destination = destination(&mut p, f.get("destination").unwrap_or(&Value::Null));
        let beneficiary = beneficiary(&mut p, f.get("beneficiary").unwrap_or(&Value::Null));
        let refund_window_days = f
            .get("refundWindowDays")
            .and_then(|v| p.ok(input::count(v, "refundWindowDays", 3660)))
            .map(|d| d as u32);
        let requested_by = p.text(f.get("requestedBy"), "requestedBy");
        let req = CreateRefundRequest {
            cip,
            amount: amount.unwrap_or(Decimal::ONE),
            currency: currency.unwrap_or(Currency::PEN),
            reason,
            merchant_refund_id,
            destination,
            beneficiary,
            refund_window_days,
            requested_by,
        };
        let mut checked = Problems::default();
        checked.take(req.validate());
        for f in checked.0 {
            // An unknown destination type makes its account field meaningless.
            let dest_type_bad = p.0.iter().any(|e| e.field == "destination.type");
            if !(dest_type_bad && f.field.starts_with("destination.")) {
                p.push(f);
            }
        }
        p.result(req)
    }
}

fn destination(p: &mut Problems, dest: &Value) -> RefundDestination {
    if dest.is_null() {
        p.push(FieldError::required("destination.type"));
        return RefundDestination::BankAccount { cci: String::new() };
    }
    p.take(input::known_keys(dest, &["type", "cci", "phone"]).map_err(|e| prefixed(e, "destination.")));
    match p.required_text(get(dest, "type"), "destination.type").as_str() {
        "bank_account" => {
            RefundDestination::BankAccount { cci: p.required_text(get(dest, "cci"), "destination.cci") }
        }
        "ewallet" => {
            RefundDestination::Ewallet { phone: p.required_text(get(dest, "phone"), "destination.phone") }
        }
        "" => RefundDestination::BankAccount { cci: String::new() },
        _ => {
            p.push(FieldError::invalid("destination.type", "must be bank_account or ewallet"));
            RefundDestination::BankAccount { cci: String::new() }
        }
    }
}

fn beneficiary(p: &mut Problems, ben: &Value) -> Beneficiary {
    p.take(
        input::known_keys(ben, &["documentType", "documentNumber", "name"])
            .map_err(|e| prefixed(e, "beneficiary.")),
    );
    let doc_type = p.required_text(get(ben, "documentType"), "beneficiary.documentType");
    let document_type = DocumentType::parse(&doc_type);
    if document_type.is_none() && !doc_type.is_empty() {
        p.push(FieldError::invalid("beneficiary.documentType", "must be DNI, PAR, PAS, LMI or NAN"));
    }
    Beneficiary {
        document_type: document_type.unwrap_or(DocumentType::NAN),
        document_number: p.required_text(get(ben, "documentNumber"), "beneficiary.documentNumber"),
        name: p.required_text(get(ben, "name"), "beneficiary.name"),
    }
}

fn prefixed(e: Error, prefix: &str) -> Error {
    Error::invalid_fields(
        e.field_errors()
            .iter()
            .map(|f| FieldError { field: format!("{prefix}{}", f.field), ..f.clone() })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(e: Error) -> Vec<String> {
        e.field_errors().iter().map(|f| format!("{}:{}", f.field, f.code)).collect()
    }

    #[test]
    fn both_casings_and_every_problem_at_once() {
        let r = CreateCipRequest::from_json(&json!({
            "currency": "USD", "amount": "10.10", "transaction_code": "A1", "UserEmail": "a@b.pe", "userPhone": null
        }))
        .unwrap();
        assert_eq!(r.currency, Currency::USD);
        assert_eq!(r.amount.to_string(), "10.10");
        let e = CreateCipRequest::from_json(&json!({"currency": "EUR", "amount": true})).unwrap_err();
        assert_eq!(fields(e), ["currency:113", "amount:113", "transactionCode:112", "userEmail:112"]);
    }

    #[test]
    fn a_float_a_typo_and_a_nul_are_refused_together() {
        let e =
            CreateCipRequest::from_json(&json!({"currency": "PEN", "amount": 25.5, "transactionCode": "A",
            "userEmail": "a@b.pe\u{0}", "date_expire": "2030-01-01T00:00:00Z", "userId": 200}))
            .unwrap_err();
        assert_eq!(fields(e), ["date_expire:113", "amount:113", "userEmail:113"]);
        let ok = CreateCipRequest::from_json(&json!({"currency": "PEN", "amount": 25, "transactionCode": 84,
            "userEmail": "a@b.pe", "userId": 200}))
        .unwrap();
        assert_eq!((ok.transaction_code.as_str(), ok.user_id.as_deref()), ("84", Some("200")));
    }
}
