//! uniffi bindings of the pagoefectivo core: the Kotlin (and, through it, Java) API of the JVM package.
//!
//! Results and webhook events are typed records (amounts as decimal strings,
//! BigDecimal in the Kotlin helpers; times in `-05:00` wire form); requests and
//! reconciliation are the core's JSON text, so request parsing (camelCase or
//! snake_case keys) and those varied shapes stay in the core. Blocking calls run on the
//! core's shared runtime. uniffi catches panics and raises them as exceptions.

// The error is a flat record of every detail because uniffi lowers it field by field into the
// Kotlin exception; it is built once per failed call, next to a network round trip.
#![allow(clippy::result_large_err)]

mod client;
mod config;
mod error;
mod json;
mod records;
mod sandbox;

use std::collections::HashMap;

use pagoefectivo::{CipStatus, Config, CreateCipRequest, CreateRefundRequest, reconcile, time, webhook};

pub use client::PagoEfectivoClient;
pub use error::{FieldError, PagoEfectivoError, Result};
pub use records::{CipInfo, CreatedCip, Refund, RefundEligibility, WebhookEvent};
pub use sandbox::{Delivery, PaidCip, Sandbox};

uniffi::setup_scaffolding!();

/// Verifies a webhook over its raw body bytes and the `PE-Signature` header (null when absent).
#[uniffi::export]
pub fn webhook_verify(body: Vec<u8>, signature: Option<String>, secret: String) -> Result<WebhookEvent> {
    Ok(webhook::verify(&body, signature.as_deref(), &secret)?.into())
}

/// The `PE-Signature` value for a body (for the merchant's own tests).
#[uniffi::export]
pub fn webhook_sign(body: Vec<u8>, secret: String) -> String {
    webhook::sign(&body, &secret)
}

/// The authentication hash string of the wire protocol.
#[uniffi::export]
pub fn hash_string(
    id_service: i64,
    access_key: String,
    secret_key: String,
    date_request: String,
) -> Result<String> {
    let id_service = json::non_negative(id_service, "idService")?;
    Ok(pagoefectivo::hash_string(id_service, &access_key, &secret_key, &date_request))
}

/// A time in any accepted form, as the Lima wire form (`-05:00`).
#[uniffi::export]
pub fn parse_time(text: String) -> Result<String> {
    Ok(time::format(&time::parse(&text)?))
}

/// The name of a numeric CIP status code (`23` is `paid`).
#[uniffi::export]
pub fn cip_status_name(code: i64) -> Result<String> {
    Ok(CipStatus::from_code(json::non_negative(code, "status")?).as_str().to_owned())
}

/// Validates a CIP create request (JSON, camelCase or snake_case keys) without sending it.
#[uniffi::export]
pub fn validate_create_cip(request_json: String) -> Result<()> {
    let request = CreateCipRequest::from_json(&json::parse(&request_json, "request")?)?;
    request.validate(time::now_lima())?;
    Ok(())
}

/// Validates a refund request (JSON) without sending it.
#[uniffi::export]
pub fn validate_refund(request_json: String) -> Result<()> {
    CreateRefundRequest::from_json(&json::parse(&request_json, "request")?)?;
    Ok(())
}

/// The non-secret settings a map of `PAGOEFECTIVO_*` variables configures, as JSON.
#[uniffi::export]
pub fn config_from_env(env: HashMap<String, String>) -> Result<String> {
    Ok(Config::from_env_map(&json::object(&env))?.settings().to_string())
}

/// Validates a bank account CCI (20 digits with its check digits) for refunds to a bank account.
#[uniffi::export]
pub fn validate_cci(cci: String) -> Result<()> {
    Ok(pagoefectivo::validate_cci(&cci)?)
}

/// Reconciles orders against PagoEfectivo payments (JSON `{orders, payments, coverage?, options?}`);
/// returns `{summary, exceptions}` as JSON.
#[uniffi::export]
pub fn reconcile(input_json: String) -> Result<String> {
    Ok(json::text(reconcile::reconcile_json(&json::parse(&input_json, "input")?)?))
}

/// The Peruvian business day `days` after `date` (`YYYY-MM-DD`).
#[uniffi::export]
pub fn add_business_days(date: String, days: i32) -> Result<String> {
    let calendar = reconcile::Calendar::peru();
    Ok(calendar.add_business_days(parse_date(&date)?, json::non_negative(days.into(), "days")?).to_string())
}

/// Whether `date` (`YYYY-MM-DD`) is a business day in Peru.
#[uniffi::export]
pub fn is_business_day(date: String) -> Result<bool> {
    Ok(reconcile::Calendar::peru().is_business_day(parse_date(&date)?))
}

fn parse_date(text: &str) -> std::result::Result<chrono::NaiveDate, pagoefectivo::Error> {
    text.parse().map_err(|_| pagoefectivo::Error::invalid_field("date", "must be a date (YYYY-MM-DD)"))
}
