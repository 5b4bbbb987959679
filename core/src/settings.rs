//! What a configuration shows of itself: every setting but the secrets, the same fields in every language.

use std::time::Duration;

use crate::config::{Config, Environment};

/// A configuration as it may be shown: no secret key, no proxy password.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// `sandbox`, `production` or `custom` (a URL given).
    pub environment: String,
    pub base_url: String,
    pub id_service: u32,
    pub access_key: String,
    pub connect_timeout_ms: u64,
    pub request_timeout_ms: u64,
    pub total_timeout_ms: u64,
    pub max_attempts: u32,
    pub initial_backoff_ms: u64,
    pub max_backoff_ms: u64,
    pub language: String,
    pub user_agent: Option<String>,
    pub search_batch_size: usize,
    pub token_refresh_margin_ms: u64,
    pub refunds_path: String,
    pub refund_window_days: u64,
    pub reports_path: String,
    pub max_response_bytes: usize,
    /// The proxy URL with any user and password replaced by `[REDACTED]`.
    pub proxy: Option<String>,
    pub no_proxy: Option<String>,
    pub ca_file: Option<String>,
    /// The shared token store's URL, with any password replaced by `[REDACTED]`.
    pub token_store: Option<String>,
}

impl Settings {
    pub fn of(c: &Config) -> Settings {
        let environment = match &c.environment {
            Environment::Sandbox => "sandbox",
            Environment::Production => "production",
            Environment::Custom(_) => "custom",
        };
        let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        Settings {
            environment: environment.to_owned(),
            base_url: c.base_url(),
            id_service: c.id_service,
            access_key: c.access_key.clone(),
            connect_timeout_ms: ms(c.connect_timeout),
            request_timeout_ms: ms(c.request_timeout),
            total_timeout_ms: ms(c.total_timeout),
            max_attempts: c.retry.max_attempts,
            initial_backoff_ms: ms(c.retry.initial_backoff),
            max_backoff_ms: ms(c.retry.max_backoff),
            language: c.language.as_str().to_owned(),
            user_agent: c.user_agent.clone(),
            search_batch_size: c.search_batch_size,
            token_refresh_margin_ms: ms(c.token_refresh_margin),
            refunds_path: c.refunds_path.clone(),
            refund_window_days: c.refund_window.as_secs() / 86_400,
            reports_path: c.reports_path.clone(),
            max_response_bytes: c.max_response_bytes,
            proxy: c.proxy.as_ref().map(|p| redact_userinfo(p.expose())),
            no_proxy: c.no_proxy.clone(),
            ca_file: c.ca_file.as_ref().map(|p| p.display().to_string()),
            token_store: c.token_store.as_ref().map(|p| redact_userinfo(p.expose())),
        }
    }
}

/// `http://user:pass@host:3128` -> `http://[REDACTED]@host:3128`.
fn redact_userinfo(url: &str) -> String {
    match (url.split_once("://"), url.rfind('@')) {
        (Some((scheme, rest)), Some(at)) if at > scheme.len() + 3 => {
            format!("{scheme}://[REDACTED]@{}", &rest[rest.rfind('@').map_or(0, |i| i + 1)..])
        }
        _ => url.to_owned(),
    }
}
