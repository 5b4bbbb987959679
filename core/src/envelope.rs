//! The `{code, message, data}` envelope every answer comes in, and the errors it can carry.

use serde_json::Value;

use crate::error::{Error, ErrorCode, FieldError};

pub(crate) const SUCCESS: &str = "100";

pub(crate) struct Envelope {
    /// PagoEfectivo sends `code` as a number in some answers and a numeric
    /// string in others; both end up here as a string.
    pub code: Option<String>,
    pub message: Option<String>,
    pub data: Value,
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `None` when the body is not a JSON object.
pub(crate) fn parse(bytes: &[u8]) -> Option<Envelope> {
    let Value::Object(mut map) = serde_json::from_slice::<Value>(bytes).ok()? else {
        return None;
    };
    Some(Envelope {
        code: text(map.get("code")),
        message: text(map.get("message")),
        data: map.remove("data").unwrap_or(Value::Null),
    })
}

/// Field errors of a 111 answer: `data: [{code, message, field}]`.
fn field_errors(data: &Value) -> Vec<FieldError> {
    let Value::Array(items) = data else { return Vec::new() };
    items
        .iter()
        .filter_map(|item| {
            let field = text(item.get("field"))?;
            Some(FieldError {
                field,
                code: text(item.get("code")).unwrap_or_default(),
                message: text(item.get("message")).unwrap_or_default(),
            })
        })
        .collect()
}

/// The typed error for a non-success answer. `retryable` is decided by the caller.
pub(crate) fn to_error(status: u16, env: Option<&Envelope>) -> Error {
    let pe_code = env.and_then(|e| e.code.clone());
    let pe_message = env.and_then(|e| e.message.clone());
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
    let mut err = Error::new(code, format!("{what} (HTTP {status})"))
        .with_http_status(status)
        .with_pe(pe_code, pe_message);
    if let Some(r) = reason {
        err = err.with_reason(r);
    }
    if let Some(env) = env {
        let fields = field_errors(&env.data);
        if !fields.is_empty() {
            let list: Vec<String> = fields.iter().map(|f| format!("{} ({})", f.field, f.message)).collect();
            err = Error::new(code, format!("{what}: {}", list.join(", ")))
                .with_http_status(status)
                .with_pe(env.code.clone(), env.message.clone())
                .with_field_errors(fields);
        }
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_as_number_or_string() {
        let a = parse(br#"{"code":100,"message":"Solicitud exitosa.","data":{}}"#).unwrap();
        let b = parse(br#"{"code":"100","message":"Solicitud exitosa.","data":{},"extra":1}"#).unwrap();
        assert_eq!(a.code.as_deref(), Some(SUCCESS));
        assert_eq!(b.code.as_deref(), Some(SUCCESS));
        assert!(parse(b"<html>").is_none());
    }

    #[test]
    fn validation_answer_becomes_field_errors() {
        let env = parse(
            r#"{"code":"111","message":"Solicitud con datos inválidos.","data":[{"code":"112","message":"Requerido.","field":"amount"}]}"#.as_bytes(),
        )
        .unwrap();
        let e = to_error(400, Some(&env));
        assert_eq!(e.code(), ErrorCode::ValidationError);
        assert_eq!(e.pe_code(), Some("111"));
        assert_eq!(e.field_errors()[0].field, "amount");
        assert_eq!(e.field_errors()[0].code, "112");
        assert_eq!(e.http_status(), Some(400));
    }
}
