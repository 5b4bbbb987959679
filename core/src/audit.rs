//! Request/response records for logs and dispute audit trails, redacted by construction.

use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use serde_json::Value;

/// JSON keys whose values never leave the SDK (compared case-insensitively).
const REDACTED_KEYS: [&str; 4] = ["hashstring", "token", "secretkey", "password"];
pub const REDACTED: &str = "[REDACTED]";

/// One HTTP exchange, as it can be stored for disputes. Bodies are stored
/// only after [`redact`]; the `Authorization` header is never stored.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Exchange {
    /// `authorizations`, `cips.create`, `cips.search`, `cips.extend`, `cips.delete`.
    pub operation: String,
    pub method: String,
    pub url: String,
    pub attempt: u32,
    pub started_at: DateTime<FixedOffset>,
    pub duration: Duration,
    pub request_body: Option<Value>,
    pub status: Option<u16>,
    pub response_body: Option<Value>,
    /// Transport failure, when there was no complete answer.
    pub error: Option<String>,
}

/// Receives every exchange (after redaction). Implementations must be quick
/// or hand off to a queue: they run on the request path.
pub trait AuditHook: Send + Sync {
    fn record(&self, exchange: &Exchange);
}

impl<F: Fn(&Exchange) + Send + Sync> AuditHook for F {
    fn record(&self, exchange: &Exchange) {
        self(exchange)
    }
}

/// A copy of `value` with every secret-bearing field replaced by `[REDACTED]`.
pub fn redact(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let hidden = REDACTED_KEYS.contains(&k.to_ascii_lowercase().as_str());
                    let v = if hidden { Value::String(REDACTED.into()) } else { redact(v) };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact).collect()),
        other => other.clone(),
    }
}

/// A response body for the record: JSON redacted, anything else as a short string.
pub(crate) fn body_for_record(bytes: &[u8]) -> Option<Value> {
    if bytes.is_empty() {
        return None;
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => Some(redact(&v)),
        Err(_) => {
            let text = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
            Some(Value::String(text))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hides_secrets_at_any_depth_and_case() {
        let v = json!({"accessKey":"A","HashString":"h","data":{"token":"jwt","cip":1},"list":[{"secretKey":"s"}]});
        let r = redact(&v).to_string();
        for s in ["\"h\"", "jwt", "\"s\""] {
            assert!(!r.contains(s), "{r}");
        }
        assert!(r.contains("\"cip\":1") && r.contains("\"accessKey\":\"A\""));
    }
}
