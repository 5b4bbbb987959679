//! The binding's client options: the core's `Config::from_options`, plus where refund audit records go.

use pagoefectivo::{Config, Error, ErrorCode};
use serde_json::Value;

/// What the client is built from: the core config, and where refund audit records go.
pub struct ClientOptions {
    pub config: Config,
    pub refund_audit_file: Option<String>,
}

/// Options (`access_key`, `secret_key`, `id_service`, `base_url`, `*_ms`...) or
/// `{"env": {"PAGOEFECTIVO_...": ..}}`, plus this binding's `refund_audit_file`.
pub fn client_options(input: &Value) -> Result<ClientOptions, Error> {
    let mut options = input.clone();
    let refund_audit_file = match options.as_object_mut().and_then(|m| m.remove("refund_audit_file")) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => return Err(Error::new(ErrorCode::ConfigurationError, "refund_audit_file must be a path")),
    };
    Ok(ClientOptions { config: Config::from_options(&options)?, refund_audit_file })
}
