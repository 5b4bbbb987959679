//! A config from a binding's options object (`access_key` or `accessKey`...) or a map of `PAGOEFECTIVO_*` variables.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::cip_request::same_key;
use crate::config::{Config, Environment, Language};
use crate::error::{Error, ErrorCode};
use crate::retry::RetryPolicy;

fn config_error(message: String) -> Error {
    Error::new(ErrorCode::ConfigurationError, message)
}

impl Config {
    /// From JSON-like options, as bindings receive them: keys in snake_case
    /// or camelCase (`access_key`, `requestTimeoutMs`, `refund_window_days`...),
    /// durations in milliseconds; or `{"env": {"PAGOEFECTIVO_...": "..."}}`,
    /// which goes through [`Config::from_lookup`]. An unknown key is refused:
    /// a misspelt option silently ignored would be a default nobody chose.
    pub fn from_options(options: &Value) -> Result<Config, Error> {
        let map =
            options.as_object().ok_or_else(|| config_error("the configuration must be an object".into()))?;
        match map.get("env") {
            Some(env) => Config::from_env_map(env),
            None => from_option_map(map),
        }
    }

    /// [`Config::from_lookup`] over a JSON object of variable names to strings.
    pub fn from_env_map(env: &Value) -> Result<Config, Error> {
        let env =
            env.as_object().ok_or_else(|| config_error("env must map variable names to strings".into()))?;
        if let Some((k, _)) = env.iter().find(|(_, v)| !v.is_string()) {
            return Err(config_error(format!("{k} must be a string")));
        }
        Config::from_lookup(|name| env.get(name).and_then(Value::as_str).map(str::to_owned))
    }

    /// The settings that are safe to show (never a key, never a proxy's
    /// password): what every binding's `client.config` shows.
    pub fn settings(&self) -> Value {
        serde_json::to_value(crate::settings::Settings::of(self)).unwrap_or(Value::Null)
    }
}

fn text<'a>(map: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, Error> {
    match map.iter().find(|(k, _)| same_key(k, key)).map(|(_, v)| v) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(config_error(format!("{key} must be a string"))),
    }
}

fn number(map: &Map<String, Value>, key: &str) -> Result<Option<u64>, Error> {
    match map.iter().find(|(k, _)| same_key(k, key)).map(|(_, v)| v) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64()),
        Some(Value::String(s)) if s.trim().parse::<u64>().is_ok() => Ok(s.trim().parse().ok()),
        Some(_) => Err(config_error(format!("{key} must be a non-negative integer"))),
    }
}

fn small(map: &Map<String, Value>, key: &str) -> Result<Option<u32>, Error> {
    number(map, key)?
        .map(|n| u32::try_from(n).map_err(|_| config_error(format!("{key} is too large"))))
        .transpose()
}

fn millis(map: &Map<String, Value>, key: &str) -> Result<Option<Duration>, Error> {
    Ok(number(map, key)?.map(Duration::from_millis))
}

const KNOWN: &[&str] = &[
    "environment",
    "base_url",
    "access_key",
    "secret_key",
    "id_service",
    "connect_timeout_ms",
    "request_timeout_ms",
    "total_timeout_ms",
    "max_attempts",
    "initial_backoff_ms",
    "max_backoff_ms",
    "language",
    "user_agent",
    "search_batch_size",
    "token_refresh_margin_ms",
    "refund_window_days",
    "refunds_path",
    "reports_path",
    "max_response_bytes",
    "proxy",
    "no_proxy",
    "ca_file",
    "token_store",
    // Aliases and groups the languages' READMEs document.
    "service_id",
    "retry",
];

fn from_option_map(map: &Map<String, Value>) -> Result<Config, Error> {
    // A misspelt option silently ignored would be a default the merchant did not choose.
    if let Some(k) = map.keys().find(|k| !KNOWN.iter().any(|known| same_key(k, known))) {
        let shown: String = k.chars().take(60).collect();
        return Err(config_error(format!("unknown option {shown:?}; known: {}", KNOWN.join(", "))));
    }
    let mut b = Config::builder();
    if let Some(v) = text(map, "environment")? {
        b = b.environment(Environment::parse(v)?);
    }
    if let Some(v) = text(map, "base_url")? {
        b = b.base_url(v);
    }
    if let Some(v) = text(map, "access_key")? {
        b = b.access_key(v);
    }
    if let Some(v) = text(map, "secret_key")? {
        b = b.secret_key(v);
    }
    if let Some(v) = small(map, "id_service")?.or(small(map, "service_id")?) {
        b = b.id_service(v);
    }
    if let Some(d) = millis(map, "connect_timeout_ms")? {
        b = b.connect_timeout(d);
    }
    if let Some(d) = millis(map, "request_timeout_ms")? {
        b = b.request_timeout(d);
    }
    if let Some(d) = millis(map, "total_timeout_ms")? {
        b = b.total_timeout(d);
    }
    // Back-off and attempts at the top level, or grouped as `retry: {maxAttempts, initialBackoffMs, maxBackoffMs}`.
    let group = match map.iter().find(|(k, _)| same_key(k, "retry")).map(|(_, v)| v) {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => {
            if let Some(k) = m.keys().find(|k| {
                !["max_attempts", "initial_backoff_ms", "max_backoff_ms"].iter().any(|n| same_key(k, n))
            }) {
                return Err(config_error(format!(
                    "unknown retry option {:?}",
                    k.chars().take(60).collect::<String>()
                )));
            }
            m.clone()
        }
        Some(_) => return Err(config_error("retry must be an object".into())),
    };
    let either =
        |key: &str| -> Result<Option<Duration>, Error> { Ok(millis(map, key)?.or(millis(&group, key)?)) };
    let (initial, max) = (either("initial_backoff_ms")?, either("max_backoff_ms")?);
    if initial.is_some() || max.is_some() {
        let d = RetryPolicy::default();
        b = b.retry(RetryPolicy {
            max_attempts: d.max_attempts,
            initial_backoff: initial.unwrap_or(d.initial_backoff),
            max_backoff: max.unwrap_or(d.max_backoff),
        });
    }
    if let Some(n) = small(map, "max_attempts")?.or(small(&group, "max_attempts")?) {
        b = b.max_attempts(n);
    }
    if let Some(v) = text(map, "language")? {
        b = b.language(Language::parse(v)?);
    }
    if let Some(v) = text(map, "user_agent")? {
        b = b.user_agent(v);
    }
    if let Some(n) = number(map, "search_batch_size")? {
        b = b.search_batch_size(n as usize);
    }
    if let Some(d) = millis(map, "token_refresh_margin_ms")? {
        b = b.token_refresh_margin(d);
    }
    if let Some(days) = number(map, "refund_window_days")? {
        b = b.refund_window(Duration::from_secs(days.saturating_mul(24 * 3600)));
    }
    if let Some(v) = text(map, "refunds_path")? {
        b = b.refunds_path(v);
    }
    if let Some(v) = text(map, "reports_path")? {
        b = b.reports_path(v);
    }
    if let Some(n) = number(map, "max_response_bytes")? {
        b = b.max_response_bytes(usize::try_from(n).unwrap_or(usize::MAX));
    }
    if let Some(v) = text(map, "proxy")? {
        b = b.proxy(v);
    }
    if let Some(v) = text(map, "no_proxy")? {
        b = b.no_proxy(v);
    }
    if let Some(v) = text(map, "ca_file")? {
        b = b.ca_file(v);
    }
    if let Some(v) = text(map, "token_store")? {
        b = b.token_store(v);
    }
    b.build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn options_in_either_casing_and_env_build_the_same_config() {
        let o = Config::from_options(&json!({"access_key": "ak", "secretKey": "sk", "id_service": 1234,
            "baseUrl": "http://127.0.0.1:9/v1/", "max_attempts": 5, "initialBackoffMs": 10}))
        .unwrap();
        assert_eq!(o.retry.max_attempts, 5);
        assert_eq!(o.retry.initial_backoff, Duration::from_millis(10));
        let e = Config::from_options(&json!({"env": {"PAGOEFECTIVO_ACCESS_KEY": "ak",
            "PAGOEFECTIVO_SECRET_KEY": "sk", "PAGOEFECTIVO_SERVICE_ID": "1234",
            "PAGOEFECTIVO_BASE_URL": "http://127.0.0.1:9/v1/"}}))
        .unwrap();
        assert_eq!(e.settings()["baseUrl"], o.settings()["baseUrl"]);
    }

    #[test]
    fn unknown_options_and_wrong_types_are_configuration_errors() {
        for bad in
            [json!({"acces_key": "x"}), json!({"id_service": "abc"}), json!([1]), json!({"env": {"A": 1}})]
        {
            let e = Config::from_options(&bad).err().unwrap();
            assert_eq!(e.code().as_str(), "configuration_error", "{bad}");
        }
    }

    #[test]
    fn the_secret_never_reaches_an_error_message() {
        let e = Config::from_options(
            &json!({"access_key": "ak", "secret_key": " s3cr3t-value ", "id_service": 1}),
        )
        .err()
        .unwrap();
        assert!(!e.to_string().contains("s3cr3t-value"));
    }
}
