//! The voucher page a `cipUrl` points at (`/<GUID>.html`): served while the CIP exists, S3's `NoSuchKey` after.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::state::{CipStatus, Shared};
use crate::wire;

/// The GUID a voucher path names (`/AB803C1C-....html`), if the path is one.
pub(crate) fn guid_of(path: &str) -> Option<&str> {
    let file = path.strip_prefix('/')?;
    let guid = file.strip_suffix(".html")?;
    (guid.len() == 36 && guid.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')).then_some(guid)
}

/// `GET /<GUID>.html`. The real pages are static files on S3-style storage,
/// named by the upper-case GUID; a deleted CIP's page is removed.
pub(crate) fn page(shared: &Shared, guid: &str) -> Response {
    let now = shared.clock.now();
    let html = {
        let state = shared.lock();
        state
            .by_guid
            .get(guid)
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
        None => no_such_key(guid),
    }
}

/// What the storage behind the voucher host answers for a missing object.
fn no_such_key(guid: &str) -> Response {
    let request_id = hex::encode_upper(crate::state::random_bytes::<8>());
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>\
         <Message>The specified key does not exist.</Message><Key>{guid}.html</Key>\
         <RequestId>{request_id}</RequestId></Error>"
    );
    (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "application/xml")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_guid_pages_are_vouchers() {
        assert_eq!(
            guid_of("/AB803C1C-3266-4CFF-A236-4D9DD5AD260A.html"),
            Some("AB803C1C-3266-4CFF-A236-4D9DD5AD260A")
        );
        for other in
            ["/v1/cips", "/x.html", "/AB803C1C-3266-4CFF-A236-4D9DD5AD260A", "/../etc/passwd.html", ""]
        {
            assert_eq!(guid_of(other), None, "{other}");
        }
    }
}
