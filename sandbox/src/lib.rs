//! A local, stateful emulator of the PagoEfectivo REST API on loopback, with fault injection.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use pagoefectivo_sandbox::{Sandbox, SandboxConfig};
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! println!("API at {}", sandbox.base_url()); // http://127.0.0.1:PORT/v1/
//! let control = sandbox.control();
//! # let cip = 0;
//! let payment = control.pay(cip); // after a client created `cip`
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

mod api;
mod auth;
mod cip_control;
mod cips;
mod clock;
mod config;
mod config_input;
mod control;
mod control_http;
mod delivery;
mod fault;
mod notify;
mod refund_control;
mod refunds;
mod report;
mod state;
mod ui;
mod validate;
mod voucher;
mod wire;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::runtime::Handle;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{SandboxConfig, Service};
pub use config_input::{OptionError, SANDBOX_OPTIONS};
pub use control::{Control, ControlError, Payment};
pub use fault::{Endpoint, Fault, FaultKind};
pub use notify::{Delivery, DeliveryAttempt};
pub use refunds::{RefundRecord, RefundStatus};
pub use rust_decimal::Decimal;
pub use state::{CipRecord, CipStatus};

use state::Shared;

/// How long `shutdown` lets in-flight requests (say, under a latency fault) finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// Per-attempt limit for notifications, so a stuck receiver cannot hold a delivery forever.
pub(crate) const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

/// A running sandbox. Dropping it starts a graceful shutdown.
pub struct Sandbox {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Binds `config.host:config.port` and serves until shut down. Must be
    /// called inside a tokio runtime; the server and notifications run on it.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let listener = TcpListener::bind((config.host, config.port)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(config, addr, Handle::current()));

        let app = Router::new()
            .merge(control_http::routes())
            .merge(report::routes())
            .fallback(api::handle)
            .with_state(Arc::clone(&shared));
        let (stop, stopped) = oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
                // Either an explicit stop or the Sandbox being dropped ends the server.
                let _ = stopped.await;
            });
            if let Err(e) = serve.await {
                tracing::warn!("sandbox server ended with an error: {e}");
            }
        });
        tracing::debug!(%addr, "sandbox listening");
        Ok(Sandbox { addr, shared, stop: Some(stop), server: Some(server) })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://HOST:PORT/v1/`, with the trailing slash clients join paths onto.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1/", self.addr)
    }

    /// `http://HOST:PORT/_sandbox/ui`: CIPs, deliveries, refunds, clock and faults in a browser.
    pub fn dashboard_url(&self) -> String {
        format!("http://{}/_sandbox/ui", self.addr)
    }

    pub fn control(&self) -> Control {
        Control { shared: Arc::clone(&self.shared) }
    }

    /// Stops accepting, lets in-flight requests finish (up to a grace period), then returns.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let abort = server.abort_handle();
            if tokio::time::timeout(SHUTDOWN_GRACE, server).await.is_err() {
                abort.abort();
            }
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
