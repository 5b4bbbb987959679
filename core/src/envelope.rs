//! The `{code, message, data}` envelope every answer comes in, and the errors it can carry.

use serde_json::value::RawValue;

use crate::error::{Error, ErrorCode, FieldError};
use crate::wire::{self, Names};

pub(crate) const SUCCESS: &str = "100";

pub(crate) struct Envelope {
    /// PagoEfectivo sends `code` as a number in some answers and a numeric
    /// string in others; both end up here as a string.
    pub code: Option<String>,
    pub message: Option<String>,
    /// `data` as received (absent: `None`), read by whoever knows its shape.
    pub data: Option<Box<RawValue>>,
}

impl Envelope {
    /// A success code, or none at all (some answers carry only `data`).
    pub fn is_success(&self) -> bool {
        self.code.as_deref().is_none_or(|c| c == SUCCESS)
    }
}

/// `None` when the body is not a JSON object. Member names in any case: the API is ASP.NET, and
/// `Code`/`Message`/`Data` are as likely as `code`/`message`/`data`.
pub(crate) fn parse(bytes: &[u8]) -> Option<Envelope> {
    let [code, message, data] = wire::members(bytes, &["code", "message", "data"], Names::AnyCase).ok()?;
    Some(Envelope {
        code: wire::text_or_number(code),
        message: wire::text_or_number(message),
        data: data.map(ToOwned::to_owned),
    })
}

/// Field errors of a 111 answer: `data: [{code, message, field}]`.
fn field_errors(data: Option<&RawValue>) -> Vec<FieldError> {
    let Some(items) = data.and_then(|d| serde_json::from_str::<Vec<&RawValue>>(d.get()).ok()) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let [field, code, message] =
                wire::members(item.get().as_bytes(), &["field", "code", "message"], Names::AnyCase).ok()?;
            Some(FieldError {
                field: wire::text_or_number(field)?,
                code: wire::text_or_number(code).unwrap_or_default(),
                message: wire::text_or_number(message).unwrap_or_default(),
            })
        })
        .collect()
}

/// What a body that is not the envelope looks like, to say who probably answered.
fn foreign_body(body: &[u8]) -> &'static str {
    let start = body.iter().position(|b| !b.is_ascii_whitespace()).map_or(&[][..], |i| &body[i..]);
    let head: Vec<u8> = start.iter().take(64).map(u8::to_ascii_lowercase).collect();
    if head.is_empty() {
        "an empty body"
    } else if head.starts_with(b"<!doctype html") || head.starts_with(b"<html") {
        "an HTML page"
    } else if head.starts_with(b"<?xml") || head.starts_with(b"<") {
        "an XML/HTML document"
    } else {
        "a body that is not PagoEfectivo's JSON"
    }
}

/// The typed error for a non-success answer. `retryable` is decided by the caller.
pub(crate) fn to_error(status: u16, env: Option<&Envelope>, body: &[u8]) -> Error {
    let Some(env) = env else {
        return foreign_error(status, body);
    };
    let pe_code = env.code.clone();
    let pe_message = env.message.clone();
    let (code, what) = match (status, pe_code.as_deref()) {
        (_, Some("111")) => (ErrorCode::ValidationError, "PagoEfectivo refused the request's data"),
        (_, Some("511")) => (ErrorCode::AmountAboveMaximum, "the amount is above this merchant's maximum"),
        (_, Some("130" | "131" | "132" | "133")) => {
            (ErrorCode::RefundNotAllowed, "PagoEfectivo refused the refund")
        }
        (_, Some("134")) => {
            (ErrorCode::IdempotencyConflict, "the idempotency key was already used with other parameters")
        }
        (_, Some("508")) => {
            (ErrorCode::AuthenticationError, "the token's service is not valid for this request")
        }
        (401 | 403, _) => (ErrorCode::AuthenticationError, "PagoEfectivo refused the credentials"),
        (404, _) => (ErrorCode::NotFound, "not found"),
        (409, _) => (ErrorCode::InvalidState, "not allowed in the current state"),
        _ => (ErrorCode::ApiError, "PagoEfectivo answered with an error"),
    };
    let reason = match pe_code.as_deref() {
        Some("130") => Some("cip_not_paid"),
        Some("131") => Some("amount_exceeds_refundable"),
        Some("132") => Some("currency_mismatch"),
        Some("133") => Some("window_expired"),
        _ => None,
    };
    let fields = field_errors(env.data.as_deref());
    let message = if fields.is_empty() {
        format!("{what} (HTTP {status})")
    } else {
        let list: Vec<String> = fields.iter().map(|f| format!("{} ({})", f.field, f.message)).collect();
        format!("{what}: {}", list.join(", "))
    };
    let mut err = Error::new(code, message)
        .with_http_status(status)
        .with_pe(pe_code, pe_message)
        .with_field_errors(fields);
    if let Some(r) = reason {
        err = err.with_reason(r);
    }
    err
}

/// An answer that is not PagoEfectivo's envelope: most often a proxy,
/// firewall or load balancer speaking instead of the API.
fn foreign_error(status: u16, body: &[u8]) -> Error {
    let kind = foreign_body(body);
    let (code, what, hint) = match status {
        401 => (
            ErrorCode::AuthenticationError,
            format!("HTTP 401 with {kind}: the token was refused"),
            "check access_key, secret_key and id_service for this environment",
        ),
        403 | 407 => (
            ErrorCode::ApiError,
            format!(
                "HTTP {status} with {kind} instead of PagoEfectivo's JSON: a proxy, firewall or WAF between \
                 this server and PagoEfectivo refused the request"
            ),
            "allow outbound HTTPS to PagoEfectivo's host in your proxy/firewall (or set the SDK's proxy \
             option); the credentials were not what was refused",
        ),
        404 => (
            ErrorCode::NotFound,
            format!("HTTP 404 with {kind}: the path does not exist at this base URL"),
            "check base_url (it ends in /v1/) and, for extensions, refunds_path / reports_path",
        ),
        _ => (
            ErrorCode::ApiError,
            format!("HTTP {status} with {kind} instead of PagoEfectivo's JSON answer"),
            "a proxy or load balancer may have answered; the request may not have reached PagoEfectivo",
        ),
    };
    Error::new(code, what).with_http_status(status).with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_as_number_or_string_in_any_key_case() {
        let a = parse(br#"{"code":100,"message":"Solicitud exitosa.","data":{}}"#).unwrap();
        let b = parse(br#"{"code":"100","message":"Solicitud exitosa.","data":{},"extra":1}"#).unwrap();
        let c = parse(br#"{"Code":"111","Message":"x","Data":[{"Code":"112","Message":"Requerido.","Field":"amount"}]}"#)
            .unwrap();
        assert_eq!(a.code.as_deref(), Some(SUCCESS));
        assert_eq!(b.code.as_deref(), Some(SUCCESS));
        assert_eq!(c.code.as_deref(), Some("111"));
        assert_eq!(to_error(400, Some(&c), b"").field_errors()[0].field, "amount");
        assert!(parse(b"<html>").is_none());
    }

    #[test]
    fn validation_answer_becomes_field_errors() {
        let env = parse(
            r#"{"code":"111","message":"Solicitud con datos inválidos.","data":[{"code":"112","message":"Requerido.","field":"amount"}]}"#.as_bytes(),
        )
        .unwrap();
        let e = to_error(400, Some(&env), b"");
        assert_eq!(e.code(), ErrorCode::ValidationError);
        assert_eq!(e.pe_code(), Some("111"));
        assert_eq!(e.field_errors()[0].field, "amount");
        assert_eq!(e.field_errors()[0].code, "112");
        assert_eq!(e.http_status(), Some(400));
    }

    #[test]
    fn a_proxy_page_is_not_called_a_credentials_problem() {
        let page = b"<!DOCTYPE html><html><title>Access denied</title></html>";
        let e = to_error(403, None, page);
        assert_eq!(e.code(), ErrorCode::ApiError);
        assert!(e.message().contains("proxy") && !e.message().contains("credentials"), "{}", e.message());
        let json = parse(br#"{"code":"104","message":"Credenciales inv\u00e1lidas.","data":[]}"#).unwrap();
        assert_eq!(to_error(403, Some(&json), b"").code(), ErrorCode::AuthenticationError);
    }
}
