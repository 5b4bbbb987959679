//! A sandbox configured from a JSON options object, as the language bindings' test helpers receive it.

use std::time::Duration;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::config::{SandboxConfig, Service};

/// A bad option: which one, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field} {message}")]
pub struct OptionError {
    pub field: String,
    pub message: String,
}

fn bad(field: &str, message: &str) -> OptionError {
    OptionError { field: field.to_owned(), message: message.to_owned() }
}

/// The options a test sandbox takes (snake_case; camelCase and any case work too).
pub const SANDBOX_OPTIONS: [&str; 11] = [
    "id_service",
    "access_key",
    "secret_key",
    "code_service",
    "token_lifetime_seconds",
    "default_expiry_seconds",
    "webhook_retry_delay_ms",
    "first_cip",
    "port",
    "max_amount",
    "notification_url",
];

/// `tokenLifetimeSeconds`, `token_lifetime_seconds` and `TOKEN_LIFETIME_SECONDS` name one option.
fn same_key(key: &str, name: &str) -> bool {
    let a = key.bytes().filter(|b| *b != b'_');
    let b = name.bytes().filter(|b| *b != b'_');
    a.map(|c| c.to_ascii_lowercase()).eq(b.map(|c| c.to_ascii_lowercase()))
}

fn get<'a>(options: &'a Value, key: &str) -> Option<&'a Value> {
    options.as_object()?.iter().find(|(k, _)| same_key(k, key)).map(|(_, v)| v)
}

fn unsigned(options: &Value, key: &str) -> Result<Option<u64>, OptionError> {
    match get(options, key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64()),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().map(Some).map_err(|_| bad(key, "is too large"))
        }
        Some(_) => Err(bad(key, "must be a non-negative integer")),
    }
}

impl SandboxConfig {
    /// Options for a test sandbox (`null` or an object): `id_service`, `access_key`,
    /// `secret_key`, `code_service`, `token_lifetime_seconds`, `default_expiry_seconds`,
    /// `webhook_retry_delay_ms` (50 ms unless set: tests want the one retry
    /// quickly), `first_cip`, `port`, `max_amount` (a decimal string) and
    /// `notification_url`. One service, [`Service::demo`] with `id_service` if given.
    pub fn from_options(options: &Value) -> Result<SandboxConfig, OptionError> {
        if !(options.is_null() || options.is_object()) {
            return Err(bad("options", "must be an object"));
        }
        // A misspelt option silently ignored would be a sandbox nobody asked for.
        if let Some(k) = options
            .as_object()
            .into_iter()
            .flat_map(|m| m.keys())
            .find(|k| !SANDBOX_OPTIONS.iter().any(|n| same_key(k, n)))
        {
            let shown: String = k.chars().take(60).collect();
            return Err(OptionError {
                field: shown,
                message: format!("is not a sandbox option (known: {})", SANDBOX_OPTIONS.join(", ")),
            });
        }
        let mut service = Service::demo();
        if let Some(id) = unsigned(options, "id_service")? {
            service.id_service = u32::try_from(id).map_err(|_| bad("id_service", "is too large"))?;
        }
        for (key, slot) in [
            ("access_key", &mut service.access_key),
            ("secret_key", &mut service.secret_key),
            ("code_service", &mut service.code_service),
        ] {
            match get(options, key) {
                None | Some(Value::Null) => {}
                Some(Value::String(v)) if !v.is_empty() => *slot = v.clone(),
                Some(_) => return Err(bad(key, "must be a non-empty string")),
            }
        }
        let mut config = SandboxConfig {
            services: vec![service],
            webhook_retry_delay: Duration::from_millis(50),
            ..SandboxConfig::default()
        };
        if let Some(s) = unsigned(options, "token_lifetime_seconds")? {
            config.token_lifetime = Duration::from_secs(s);
        }
        if let Some(s) = unsigned(options, "default_expiry_seconds")? {
            config.default_expiry = Duration::from_secs(s);
        }
        if let Some(ms) = unsigned(options, "webhook_retry_delay_ms")? {
            config.webhook_retry_delay = Duration::from_millis(ms);
        }
        if let Some(c) = unsigned(options, "first_cip")? {
            config.first_cip = c;
        }
        if let Some(p) = unsigned(options, "port")? {
            config.port = u16::try_from(p).map_err(|_| bad("port", "must be a port number"))?;
        }
        if let Some(m) = get(options, "max_amount").filter(|v| !v.is_null()) {
            config.max_amount = m
                .as_str()
                .and_then(|s| s.parse::<Decimal>().ok())
                .ok_or_else(|| bad("max_amount", "must be a decimal string"))?;
        }
        match get(options, "notification_url") {
            None | Some(Value::Null) => {}
            Some(Value::String(url)) => config.notification_url = Some(url.clone()),
            Some(_) => return Err(bad("notification_url", "must be a URL string")),
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn options_map_onto_the_config() {
        let c = SandboxConfig::from_options(&json!({"id_service": 77, "max_amount": "1000.00",
            "token_lifetime_seconds": "300", "notification_url": "http://127.0.0.1:9/hook"}))
        .unwrap();
        assert_eq!(c.services[0].id_service, 77);
        assert_eq!(c.max_amount.to_string(), "1000.00");
        assert_eq!(c.token_lifetime, Duration::from_secs(300));
        assert_eq!(c.webhook_retry_delay, Duration::from_millis(50));
        assert!(SandboxConfig::from_options(&Value::Null).is_ok());
        let e = SandboxConfig::from_options(&json!({"port": 70000})).unwrap_err();
        assert_eq!(e.field, "port");
        assert!(SandboxConfig::from_options(&json!([1])).is_err());
        assert!(SandboxConfig::from_options(&json!({"max_amount": 5.5})).is_err());
        let c =
            SandboxConfig::from_options(&json!({"tokenLifetimeSeconds": 60, "MaxAmount": "10.00"})).unwrap();
        assert_eq!((c.token_lifetime, c.max_amount.to_string()), (Duration::from_secs(60), "10.00".into()));
        let e = SandboxConfig::from_options(&json!({"token_lifetime": 60})).unwrap_err();
        assert_eq!(e.field, "token_lifetime");
        let c =
            SandboxConfig::from_options(&json!({"accessKey": "MYACCESS", "secret_key": "MYSECRET"})).unwrap();
        assert_eq!(
            (c.services[0].access_key.as_str(), c.services[0].secret_key.as_str()),
            ("MYACCESS", "MYSECRET")
        );
        assert_eq!(SandboxConfig::from_options(&json!({"secret_key": ""})).unwrap_err().field, "secret_key");
    }
}
