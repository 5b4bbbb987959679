//! The voucher page a `cipUrl` points at: served while the CIP exists, 404 once deleted.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::state::{CipStatus, Shared};
use crate::wire;

/// `GET /vouchers/{GUID}.html`.
pub(crate) async fn page(State(shared): State<Arc<Shared>>, Path(file): Path<String>) -> Response {
    let guid = file.strip_suffix(".html").unwrap_or(&file).to_ascii_uppercase();
    let now = shared.clock.now();
    let html = {
        let state = shared.lock();
        state
            .by_guid
            .get(&guid)
            .and_then(|cip| state.cips.get(cip))
            .filter(|r| r.status != CipStatus::Deleted)
            .map(|r| {
                let status = r.status_at(now);
                // Only sandbox-made values go into the page (numbers, the
                // validated currency, dates), so nothing needs HTML escaping.
                format!(
                    "<!DOCTYPE html>\n<html lang=\"es\"><head><meta charset=\"utf-8\">\
                     <title>CIP {cip}</title></head><body>\
                     <h1>Código de pago (CIP): {cip}</h1>\
                     <p>Monto a pagar: <span class=\"amount\">{currency} {amount}</span></p>\
                     <p>Estado: {status}</p><p>Vence: {expiry}</p>\
                     <p>PagoEfectivo sandbox</p></body></html>\n",
                    cip = r.cip,
                    currency = r.currency,
                    amount = wire::amount_two_decimals(r.amount),
                    status = status.name(),
                    expiry = wire::format_time(r.date_expiry),
                )
            })
    };
    match html {
        Some(html) => {
            (StatusCode::OK, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
        }
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!DOCTYPE html>\n<html><body><h1>404 - No encontrado</h1></body></html>\n",
        )
            .into_response(),
    }
}
