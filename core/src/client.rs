//! The async client: one per merchant configuration (store), cheap to clone and share.

use std::sync::Arc;

use crate::audit::AuditHook;
use crate::cips::Cips;
use crate::config::Config;
use crate::error::Error;
use crate::refund_audit::RefundAuditSink;
use crate::refunds::Refunds;
use crate::transport::Transport;

/// The PagoEfectivo client. Clones share the connection pool and the token.
#[derive(Clone)]
pub struct Client {
    transport: Arc<Transport>,
    refund_audit: Option<Arc<dyn RefundAuditSink>>,
}

impl Client {
    pub fn new(config: Config) -> Result<Client, Error> {
        Ok(Client { transport: Arc::new(Transport::new(config, None)?), refund_audit: None })
    }

    /// A client that hands every (redacted) request/response to `hook`.
    pub fn with_audit_hook(config: Config, hook: Arc<dyn AuditHook>) -> Result<Client, Error> {
        Ok(Client { transport: Arc::new(Transport::new(config, Some(hook))?), refund_audit: None })
    }

    /// From `PAGOEFECTIVO_*` environment variables.
    pub fn from_env() -> Result<Client, Error> {
        Client::new(Config::from_env()?)
    }

    pub fn cips(&self) -> Cips {
        Cips { transport: self.transport.clone() }
    }

    /// Refund operations (the SDK's extension; see the README).
    pub fn refunds(&self) -> Refunds {
        Refunds { transport: self.transport.clone(), audit: self.refund_audit.clone() }
    }

    /// The same client, recording every refund operation to `sink`.
    pub fn with_refund_audit_sink(mut self, sink: Arc<dyn RefundAuditSink>) -> Client {
        self.refund_audit = Some(sink);
        self
    }

    pub fn config(&self) -> &Config {
        self.transport.config()
    }

    /// Fetches a fresh token: a quick check that the credentials work.
    pub async fn authenticate(&self) -> Result<(), Error> {
        self.transport.authenticate().await
    }
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("config", self.config()).finish()
    }
}
