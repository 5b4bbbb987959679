//! The CIP endpoints: create, search, extend and delete.

use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

use crate::clock;
use crate::config::Service;
use crate::state::{CipRecord, CipStatus, Shared, guid};
use crate::validate;
use crate::wire::{self, FieldError};

const MAX_SEARCH: usize = 100;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Created<'a> {
    cip: u64,
    currency: &'a str,
    #[serde(serialize_with = "wire::serialize_amount")]
    amount: Decimal,
    transaction_code: &'a str,
    date_expiry: String,
    cip_url: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Found<'a> {
    cip: u64,
    transaction_code: &'a str,
    #[serde(serialize_with = "wire::serialize_amount")]
    amount: Decimal,
    currency: &'a str,
    status: u32,
    status_name: &'static str,
    date_creation: String,
    date_expiry: String,
    date_payment: String,
    date_removal: String,
    token: &'a str,
}

/// `POST /v1/cips`.
pub(crate) fn create(shared: &Shared, service: &Service, body: &[u8]) -> Response {
    let now = shared.clock.now();
    let new = match validate::new_cip(body, now) {
        Ok(new) => new,
        Err(errors) => return wire::invalid(&errors),
    };
    if new.service_id.is_some_and(|id| id != service.id_service) {
        return wire::error(StatusCode::BAD_REQUEST, "508", "Servicio asociado al token es inválido.");
    }
    if new.amount > shared.config.max_amount {
        return wire::error(
            StatusCode::BAD_REQUEST,
            "511",
            "Usted ha generado un Código CIP que excede el valor máximo permitido en este comercio. Por favor intente con un importe de menor cuantía.",
        );
    }

    let guid = guid();
    let mut record = CipRecord {
        cip: 0,
        id_service: service.id_service,
        status: CipStatus::Generated,
        currency: new.currency,
        amount: new.amount,
        transaction_code: new.transaction_code,
        date_creation: now,
        date_expiry: new.date_expiry.unwrap_or_else(|| clock::later(now, shared.default_expiry)),
        date_payment: None,
        date_removal: None,
        cip_url: format!("{}{guid}.html", shared.voucher_prefix),
        guid,
        operation_number: None,
        user_email: new.user_email,
        payment_concept: new.payment_concept,
        additional_data: new.additional_data,
        admin_email: new.admin_email,
        user_id: new.user_id,
        user_name: new.user_name,
        user_last_name: new.user_last_name,
        user_ubigeo: new.user_ubigeo,
        user_country: new.user_country,
        user_document_type: new.user_document_type,
        user_document_number: new.user_document_number,
        user_phone: new.user_phone,
        user_code_country: new.user_code_country,
    };
    let date_expiry = wire::format_time(record.date_expiry);
    // One short critical section: number, answer (about a microsecond of
    // serialization) and insert, so the record needs no copies.
    let mut state = shared.lock();
    let cip = state.next_cip;
    state.next_cip = cip.wrapping_add(1);
    record.cip = cip;
    let response = wire::ok(
        StatusCode::CREATED,
        Created {
            cip,
            currency: &record.currency,
            amount: record.amount,
            transaction_code: &record.transaction_code,
            date_expiry,
            cip_url: &record.cip_url,
        },
    );
    state.by_guid.insert(record.guid.clone(), cip);
    state.cips.insert(cip, record);
    response
}

/// `POST /v1/cips/search`: the token's service's CIPs among those asked for, in request order.
pub(crate) fn search(shared: &Shared, service: &Service, body: &[u8]) -> Response {
    let cips = match search_request(body) {
        Ok(cips) => cips,
        Err(errors) => return wire::invalid(&errors),
    };
    let now = shared.clock.now();
    let state = shared.lock();
    let found: Vec<Found<'_>> = cips
        .iter()
        .filter_map(|cip| state.cips.get(cip))
        .filter(|r| r.id_service == service.id_service)
        .map(|r| {
            let status = r.status_at(now);
            Found {
                cip: r.cip,
                transaction_code: &r.transaction_code,
                amount: r.amount,
                currency: &r.currency,
                status: status.code(),
                status_name: status.name(),
                date_creation: wire::format_time(r.date_creation),
                date_expiry: wire::format_time(r.date_expiry),
                date_payment: wire::format_opt_time(r.date_payment),
                date_removal: wire::format_opt_time(r.date_removal),
                token: &r.guid,
            }
        })
        .collect();
    wire::ok(StatusCode::OK, found)
}

fn search_request(body: &[u8]) -> Result<Vec<u64>, Vec<FieldError>> {
    let obj = wire::object(body).ok_or_else(Vec::new)?;
    let [data] = wire::fields(&obj, &["data"]);
    let items = match data {
        None => return Err(vec![FieldError::required("data")]),
        Some(Value::Array(items)) if (1..=MAX_SEARCH).contains(&items.len()) => items,
        Some(_) => return Err(vec![FieldError::invalid("data")]),
    };
    let mut cips = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    for item in items {
        let cip = match item {
            Value::Object(o) => wire::fields(o, &["cip"])[0],
            _ => {
                errors.push(FieldError::invalid("data"));
                continue;
            }
        };
        match cip.map(wire::unsigned) {
            None => errors.push(FieldError::required("cip")),
            Some(None) => errors.push(FieldError::invalid("cip")),
            Some(Some(cip)) => cips.push(cip),
        }
    }
    if errors.is_empty() { Ok(cips) } else { Err(errors) }
}

fn not_found() -> Response {
    wire::error(StatusCode::NOT_FOUND, "120", "CIP no encontrado.")
}

fn wrong_state() -> Response {
    wire::error(
        StatusCode::CONFLICT,
        "121",
        "El CIP no se encuentra en un estado válido para esta operación.",
    )
}

/// Runs `change` on the token's service's CIP named by the path segment;
/// another service's CIP is reported as unknown so services cannot probe each other.
fn with_cip(
    shared: &Shared,
    service: &Service,
    cip: &str,
    change: impl FnOnce(&mut CipRecord, CipStatus, DateTime<FixedOffset>) -> bool,
) -> Response {
    let Ok(cip) = cip.parse::<u64>() else {
        return not_found();
    };
    let now = shared.clock.now();
    let mut state = shared.lock();
    let Some(record) = state.cips.get_mut(&cip).filter(|r| r.id_service == service.id_service) else {
        return not_found();
    };
    let status = record.status_at(now);
    if change(record, status, now) { wire::ok_empty() } else { wrong_state() }
}

/// `PATCH /v1/cips/{cip}`: a new expiry; an expired CIP becomes generated again.
pub(crate) fn extend(shared: &Shared, service: &Service, cip: &str, body: &[u8]) -> Response {
    let expiry = match validate::new_expiry(body, shared.clock.now()) {
        Ok(expiry) => expiry,
        Err(errors) => return wire::invalid(&errors),
    };
    with_cip(shared, service, cip, |record, status, _| {
        let allowed = matches!(status, CipStatus::Generated | CipStatus::Expired);
        if allowed {
            record.status = CipStatus::Generated;
            record.date_expiry = expiry;
        }
        allowed
    })
}

/// `DELETE /v1/cips/{cip}`: a logical delete, only while generated and unexpired.
pub(crate) fn delete(shared: &Shared, service: &Service, cip: &str) -> Response {
    with_cip(shared, service, cip, |record, status, now| {
        let allowed = status == CipStatus::Generated;
        if allowed {
            record.status = CipStatus::Deleted;
            record.date_removal = Some(now);
        }
        allowed
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_request_shapes() {
        assert_eq!(search_request(br#"{"Data":[{"CIP":5},{"cip":"6"}]}"#).expect("ok"), [5, 6]);
        let codes = |body: &[u8]| -> Vec<(&'static str, &'static str)> {
            search_request(body).expect_err("invalid").iter().map(|e| (e.code, e.field)).collect()
        };
        assert_eq!(codes(b"{}"), [("112", "data")]);
        assert_eq!(codes(br#"{"data":[]}"#), [("113", "data")]);
        assert_eq!(codes(br#"{"data":{"cip":1}}"#), [("113", "data")]);
        assert_eq!(
            codes(br#"{"data":[{}, {"cip":-1}, 7]}"#),
            [("112", "cip"), ("113", "cip"), ("113", "data")]
        );
        let many = format!(r#"{{"data":[{}]}}"#, vec![r#"{"cip":1}"#; 101].join(","));
        assert_eq!(codes(many.as_bytes()), [("113", "data")]);
        assert!(search_request(b"nope").expect_err("invalid").is_empty());
    }
}
