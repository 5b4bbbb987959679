//! The sandbox emulator in-process for the caller's tests: typed controls over the sandbox crate's `Control`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pagoefectivo::{Error, ErrorCode, runtime};
use pagoefectivo_sandbox::{Control, ControlError, Endpoint, Fault, RefundStatus, SandboxConfig, Service};
use serde_json::Value;

use crate::error::Result;
use crate::json;

/// A running sandbox on 127.0.0.1; `shutdown` stops it (so does dropping it).
#[derive(uniffi::Object)]
pub struct Sandbox {
    server: Mutex<Option<pagoefectivo_sandbox::Sandbox>>,
    base_url: String,
    control: Control,
    service: Service,
}

/// A payment the sandbox recorded.
#[derive(uniffi::Record)]
pub struct PaidCip {
    pub cip: i64,
    pub operation_number: String,
    pub date_payment: String,
}

/// One webhook notification the sandbox sent, with the HTTP status of each attempt (null: no answer).
#[derive(uniffi::Record)]
pub struct Delivery {
    pub event_type: String,
    pub url: String,
    pub body: String,
    pub signature: String,
    pub statuses: Vec<Option<i32>>,
}

fn control_error(e: ControlError) -> Error {
    let (code, reason) = match e {
        ControlError::UnknownCip(_) => (ErrorCode::NotFound, "unknown_cip"),
        ControlError::InvalidState { .. } => (ErrorCode::InvalidState, "invalid_state"),
        ControlError::UnknownRefund(_) => (ErrorCode::NotFound, "unknown_refund"),
        ControlError::InvalidRefundTransition { .. } => (ErrorCode::InvalidState, "invalid_transition"),
    };
    Error::new(code, format!("sandbox: {e}")).with_reason(reason)
}

/// The sandbox crate reads the options; its complaint becomes the core's field error.
fn sandbox_config(options: &Value) -> std::result::Result<SandboxConfig, Error> {
    SandboxConfig::from_options(options).map_err(|e| Error::invalid_field(&e.field, e.message))
}

#[uniffi::export]
impl Sandbox {
    /// Starts a sandbox on a free loopback port. Options (all strings): `token_lifetime_seconds`,
    /// `max_amount`, `default_expiry_seconds`, `webhook_retry_delay_ms`, `notification_url`,
    /// `first_cip`, `id_service`, `port`.
    #[uniffi::constructor]
    pub fn start(options: HashMap<String, String>) -> Result<Arc<Self>> {
        let known = [
            "token_lifetime_seconds",
            "max_amount",
            "default_expiry_seconds",
            "webhook_retry_delay_ms",
            "notification_url",
            "first_cip",
            "id_service",
            "port",
        ];
        if let Some(k) = options.keys().find(|k| !known.contains(&k.as_str())) {
            let shown: String = k.chars().take(60).collect();
            return Err(Error::invalid_field("options", format!("unknown option {shown:?}")).into());
        }
        let options = json::object(&options);
        let config = sandbox_config(&options)?;
        let service = config.services[0].clone();
        let server =
            runtime::shared()?.block_on(pagoefectivo_sandbox::Sandbox::start(config)).map_err(|e| {
                Error::new(ErrorCode::ConnectionError, format!("the sandbox could not start: {e}"))
            })?;
        Ok(Arc::new(Sandbox {
            base_url: server.base_url(),
            control: server.control(),
            server: Mutex::new(Some(server)),
            service,
        }))
    }

    /// The API base URL to configure a client with.
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    pub fn id_service(&self) -> i64 {
        self.service.id_service.into()
    }

    /// The demo service's access key (sandbox credentials are not secrets).
    pub fn access_key(&self) -> String {
        self.service.access_key.clone()
    }

    /// The demo service's secret key, which also signs the sandbox's webhooks.
    pub fn secret_key(&self) -> String {
        self.service.secret_key.clone()
    }

    /// The client options for this sandbox (`base_url`, `access_key`, `secret_key`, `id_service`).
    pub fn client_config(&self) -> HashMap<String, String> {
        HashMap::from([
            ("base_url".to_owned(), self.base_url.clone()),
            ("access_key".to_owned(), self.service.access_key.clone()),
            ("secret_key".to_owned(), self.service.secret_key.clone()),
            ("id_service".to_owned(), self.service.id_service.to_string()),
        ])
    }

    /// Pays a pending CIP as a bank would (sends the `cip.paid` webhook when a URL is set).
    pub fn pay(&self, cip: i64) -> Result<PaidCip> {
        let p = self.control.pay(json::non_negative(cip, "cip")?).map_err(control_error)?;
        Ok(PaidCip {
            cip: i64::try_from(p.cip).unwrap_or(i64::MAX),
            operation_number: p.operation_number.to_string(),
            date_payment: pagoefectivo::time::format(&p.date_payment),
        })
    }

    pub fn expire(&self, cip: i64) -> Result<()> {
        Ok(self.control.expire(json::non_negative(cip, "cip")?).map_err(control_error)?)
    }

    /// Moves the sandbox clock forward; returns the new time in wire form.
    pub fn advance_clock(&self, seconds: i64) -> Result<String> {
        let seconds = Duration::from_secs(json::non_negative(seconds, "seconds")?);
        Ok(pagoefectivo::time::format(&self.control.advance_clock(seconds)))
    }

    pub fn now(&self) -> String {
        pagoefectivo::time::format(&self.control.now())
    }

    /// Adds a fault (JSON, `{endpoint, kind, ...}`: see sandbox/README.md).
    pub fn fault(&self, fault_json: String) -> Result<()> {
        let fault: Fault = serde_json::from_value(json::parse(&fault_json, "fault")?)
            .map_err(|e| Error::invalid_field("fault", format!("is not a sandbox fault: {e}")))?;
        self.control.add_fault(fault);
        Ok(())
    }

    pub fn clear_faults(&self) {
        self.control.clear_faults();
    }

    /// How many requests an endpoint (`token`, `cips_create`, `cips_search`, ...) received.
    pub fn request_count(&self, endpoint: String) -> Result<i64> {
        let endpoint: Endpoint = serde_json::from_value(Value::String(endpoint))
            .map_err(|_| Error::invalid_field("endpoint", "is not a sandbox endpoint"))?;
        Ok(i64::try_from(self.control.request_count(endpoint)).unwrap_or(i64::MAX))
    }

    /// Waits up to `timeout_ms` for at least `count` webhook deliveries; returns all so far.
    pub fn deliveries(&self, count: i32, timeout_ms: i64) -> Result<Vec<Delivery>> {
        let count = json::non_negative(count.into(), "count")?;
        let timeout = Duration::from_millis(json::non_negative(timeout_ms, "timeoutMs")?);
        let wait = self.control.wait_for_deliveries(count, timeout);
        let list = runtime::shared()?.block_on(wait);
        Ok(list
            .iter()
            .map(|d| Delivery {
                event_type: d.event_type.clone(),
                url: d.url.clone(),
                body: d.body.clone(),
                signature: d.signature.clone(),
                statuses: d.attempts.iter().map(|a| a.status.map(i32::from)).collect(),
            })
            .collect())
    }

    pub fn set_notification_url(&self, url: Option<String>) {
        self.control.set_notification_url(url);
    }

    /// Moves a refund to `to` (`processing`, `refunded`, `rejected`); returns it as JSON.
    pub fn refund(&self, refund_id: String, to: String, reason_code: Option<String>) -> Result<String> {
        let to: RefundStatus = serde_json::from_value(Value::String(to))
            .map_err(|_| Error::invalid_field("to", "must be processing, refunded or rejected"))?;
        let refund =
            self.control.advance_refund(&refund_id, to, reason_code.as_deref()).map_err(control_error)?;
        Ok(json::text(refund))
    }

    /// Every refund the sandbox holds, as a JSON list.
    pub fn refunds(&self) -> String {
        json::text(self.control.refunds())
    }

    /// Stops the server (idempotent).
    pub fn shutdown(&self) -> Result<()> {
        // A poisoned lock still holds the server, which must stop all the same.
        let server = self.server.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(server) = server {
            runtime::shared()?.block_on(server.shutdown());
        }
        Ok(())
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}
