//! Shared by the integration tests: a sandbox on loopback and a client configured for it.
#![allow(dead_code)]

pub mod hostile;
pub mod proxy;
pub mod tls;

use std::time::Duration;

use pagoefectivo::{Config, ConfigBuilder, RetryPolicy};
use pagoefectivo_sandbox::{Sandbox, SandboxConfig, Service};

pub async fn sandbox_with(adjust: impl FnOnce(&mut SandboxConfig)) -> Sandbox {
    let mut config = SandboxConfig { webhook_retry_delay: Duration::from_millis(50), ..Default::default() };
    adjust(&mut config);
    Sandbox::start(config).await.expect("sandbox starts on loopback")
}

pub async fn sandbox() -> Sandbox {
    sandbox_with(|_| {}).await
}

/// A client config for `sb` with short back-offs so fault tests stay fast.
pub fn config_for(sb: &Sandbox) -> ConfigBuilder {
    let demo = Service::demo();
    Config::builder()
        .base_url(sb.base_url())
        .access_key(demo.access_key)
        .secret_key(demo.secret_key)
        .id_service(demo.id_service)
        .request_timeout(Duration::from_secs(5))
        .total_timeout(Duration::from_secs(15))
        .retry(RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(50),
        })
}

pub fn demo_secret() -> String {
    Service::demo().secret_key
}
