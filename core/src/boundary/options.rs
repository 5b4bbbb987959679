//! Clients and waits from another language's options object, read once for every binding.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::input::{self, get};
use crate::client::Client;
use crate::config::Config;
use crate::error::Error;
use crate::poll::WaitOptions;
use crate::refund_audit::JsonLinesAuditSink;

/// What a binding's client is made of: the core config, and where refund
/// audit records go (a JSON-lines file; a callback is the binding's own sink).
pub struct ClientOptions {
    pub config: Config,
    pub refund_audit_file: Option<String>,
}

impl ClientOptions {
    /// The options of [`Config::from_options`] plus `refund_audit_file`
    /// (`refundAuditFile`), or `{"env": {"PAGOEFECTIVO_...": "..."}}`.
    pub fn from_value(options: &Value) -> Result<ClientOptions, Error> {
        let mut rest = options.clone();
        let refund_audit_file = match rest.as_object_mut().and_then(|m| {
            let key = m.keys().find(|k| crate::cip_request::same_key(k, "refund_audit_file"))?.clone();
            m.remove(&key)
        }) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => return Err(Error::config("refund_audit_file must be a file path")),
        };
        Ok(ClientOptions { config: Config::from_options(&rest)?, refund_audit_file })
    }

    /// The client these options describe.
    pub fn client(self) -> Result<Client, Error> {
        let client = Client::new(self.config)?;
        Ok(match self.refund_audit_file {
            Some(path) => client.with_refund_audit_sink(Arc::new(JsonLinesAuditSink::open(path)?)),
            None => client,
        })
    }
}

impl Client {
    /// A client from a binding's options object (see [`ClientOptions::from_value`]).
    pub fn from_options(options: &Value) -> Result<Client, Error> {
        ClientOptions::from_value(options)?.client()
    }
}

/// The longest wait a caller can ask for: a week.
const MAX_WAIT_MS: u64 = 7 * 24 * 3600 * 1000;

/// `{timeoutMs?, initialIntervalMs?, maxIntervalMs?}` (any casing; other keys of
/// `args`, like `cip`, are the operation's): the core's defaults where absent.
pub fn wait_options(args: &Value) -> Result<WaitOptions, Error> {
    let d = WaitOptions::default();
    let ms = |key: &str, default: Duration| -> Result<Duration, Error> {
        get(args, key).map(|v| input::millis(v, key, MAX_WAIT_MS)).transpose().map(|o| o.unwrap_or(default))
    };
    Ok(WaitOptions {
        timeout: ms("timeoutMs", d.timeout)?,
        initial_interval: ms("initialIntervalMs", d.initial_interval)?,
        max_interval: ms("maxIntervalMs", d.max_interval)?,
    })
}
