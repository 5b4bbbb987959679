//! Sandbox configuration: the merchant services it knows and its tunables.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use rust_decimal::Decimal;

/// One merchant service (a PagoEfectivo "idService" with its key pair).
#[derive(Clone)]
pub struct Service {
    pub id_service: u32,
    pub access_key: String,
    pub secret_key: String,
    pub code_service: String,
}

impl Service {
    /// The fake credentials used throughout the docs and test vectors.
    pub fn demo() -> Service {
        Service {
            id_service: 1234,
            access_key: "ACCESSKEY00000000000".to_owned(),
            secret_key: "SECRETKEY0000000000000000000000000000000".to_owned(),
            code_service: "DEM".to_owned(),
        }
    }
}

// Hand-written so the secret key never lands in a log line by accident.
impl fmt::Debug for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Service")
            .field("id_service", &self.id_service)
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .field("code_service", &self.code_service)
            .finish()
    }
}

/// How a [`crate::Sandbox`] behaves; `Default` gives a loopback server on an ephemeral port.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    pub host: IpAddr,
    pub port: u16,
    pub services: Vec<Service>,
    pub token_lifetime: Duration,
    pub max_amount: Decimal,
    pub default_expiry: Duration,
    pub notification_url: Option<String>,
    pub webhook_retry_delay: Duration,
    pub allow_non_loopback_webhooks: bool,
    pub first_cip: u64,
    /// Refunds are refused this long after payment (extension; 90 days by default).
    pub refund_window: Duration,
    /// PEM certificates trusted for HTTPS receivers besides the system's (e.g. mkcert's CA).
    pub webhook_ca_file: Option<std::path::PathBuf>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            services: vec![Service::demo()],
            token_lifetime: Duration::from_secs(2 * 3600),
            max_amount: Decimal::new(10_000_000, 2),
            default_expiry: Duration::from_secs(4 * 3600),
            notification_url: None,
            webhook_retry_delay: Duration::from_secs(1),
            allow_non_loopback_webhooks: false,
            first_cip: 2_523_136,
            refund_window: Duration::from_secs(90 * 24 * 3600),
            webhook_ca_file: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret() {
        let text = format!("{:?}", Service::demo());
        assert!(!text.contains("SECRETKEY"));
        assert!(text.contains("ACCESSKEY00000000000"));
    }

    #[test]
    fn defaults_match_the_spec() {
        let c = SandboxConfig::default();
        assert_eq!(c.max_amount.to_string(), "100000.00");
        assert_eq!(c.first_cip, 2_523_136);
        assert_eq!(c.services[0].id_service, 1234);
    }
}
