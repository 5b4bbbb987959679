//! `NativeSandbox`: the Rust sandbox run in-process (for `pagoefectivo/testing`), with its control handle.

use std::sync::Mutex;
use std::time::Duration;

use napi_derive::napi;
use pagoefectivo::ErrorCode;
use pagoefectivo_sandbox::{
    Control, ControlError, Endpoint, Fault, RefundStatus, Sandbox, SandboxConfig, Service,
};
use serde::Serialize;
use serde_json::{Value, json};

use crate::errors::{self, Result};

#[napi]
pub struct NativeSandbox {
    sandbox: Mutex<Option<Sandbox>>,
    control: Control,
    base_url: String,
}

fn control_error(e: ControlError) -> errors::NapiError {
    let code = match e {
        ControlError::UnknownCip(_) | ControlError::UnknownRefund(_) => ErrorCode::NotFound,
        _ => ErrorCode::InvalidState,
    };
    errors::other(code, e.to_string())
}

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn u64_opt(options: &Value, key: &str) -> Result<Option<u64>> {
    match options.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| errors::config(format!("sandbox option {key} must be a non-negative integer"))),
    }
}

/// `{port?, tokenLifetimeSeconds?, maxAmount? (decimal string), defaultExpirySeconds?,
/// notificationUrl?, webhookRetryDelayMs?, firstCip?}`.
fn sandbox_config(options: &Value) -> Result<SandboxConfig> {
    // Notifications retry fast in tests; the Rust default (1 s) suits a demo.
    let mut c = SandboxConfig { webhook_retry_delay: Duration::from_millis(50), ..Default::default() };
    if let Some(p) = u64_opt(options, "port")? {
        c.port = u16::try_from(p).map_err(|_| errors::config("sandbox option port must be at most 65535"))?;
    }
    if let Some(s) = u64_opt(options, "tokenLifetimeSeconds")? {
        c.token_lifetime = Duration::from_secs(s);
    }
    if let Some(s) = u64_opt(options, "defaultExpirySeconds")? {
        c.default_expiry = Duration::from_secs(s);
    }
    if let Some(ms) = u64_opt(options, "webhookRetryDelayMs")? {
        c.webhook_retry_delay = Duration::from_millis(ms);
    }
    if let Some(n) = u64_opt(options, "firstCip")? {
        c.first_cip = n;
    }
    match options.get("maxAmount") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => {
            c.max_amount = s.parse().map_err(|_| {
                errors::config("sandbox option maxAmount must be a decimal string like \"500.00\"")
            })?;
        }
        Some(_) => {
            return Err(errors::config("sandbox option maxAmount must be a decimal string like \"500.00\""));
        }
    }
    match options.get("notificationUrl") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => c.notification_url = Some(s.clone()),
        Some(_) => return Err(errors::config("sandbox option notificationUrl must be a string")),
    }
    Ok(c)
}

#[napi]
impl NativeSandbox {
    /// Starts a sandbox on 127.0.0.1 (an ephemeral port unless `port` is given).
    #[napi(ts_return_type = "Promise<NativeSandbox>")]
    pub async fn start(options: Value) -> Result<NativeSandbox> {
        let config = sandbox_config(&options)?;
        let sandbox = Sandbox::start(config).await.map_err(|e| {
            errors::other(ErrorCode::ConnectionError, format!("the sandbox could not start: {e}"))
        })?;
        Ok(NativeSandbox {
            control: sandbox.control(),
            base_url: sandbox.base_url(),
            sandbox: Mutex::new(Some(sandbox)),
        })
    }

    /// `http://127.0.0.1:PORT/v1/`.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The demo service's credentials (fake ones, safe to print).
    #[napi(getter)]
    pub fn credentials(&self) -> Value {
        let s = Service::demo();
        json!({ "accessKey": s.access_key, "secretKey": s.secret_key, "serviceId": s.id_service })
    }

    #[napi(ts_return_type = "{ cip: number; operationNumber: string; datePayment: string }")]
    pub fn pay(&self, cip: Value) -> Result<Value> {
        let cip = crate::convert::cip(&cip)?;
        self.control.pay(cip).map(|p| to_value(&p)).map_err(control_error)
    }

    #[napi]
    pub fn expire(&self, cip: Value) -> Result<()> {
        let cip = crate::convert::cip(&cip)?;
        self.control.expire(cip).map_err(control_error)
    }

    /// Moves the sandbox clock forward; returns the new now.
    #[napi]
    pub fn advance_clock(&self, seconds: f64) -> Result<String> {
        let by = Duration::try_from_secs_f64(seconds)
            .map_err(|_| errors::invalid_field("seconds", "must be a non-negative number"))?;
        Ok(self.control.advance_clock(by).to_rfc3339())
    }

    #[napi]
    pub fn now(&self) -> String {
        self.control.now().to_rfc3339()
    }

    #[napi(ts_return_type = "unknown")]
    pub fn cip(&self, cip: Value) -> Result<Value> {
        let cip = crate::convert::cip(&cip)?;
        Ok(self.control.cip(cip).map(|r| to_value(&r)).unwrap_or(Value::Null))
    }

    #[napi(ts_return_type = "unknown[]")]
    pub fn cips(&self) -> Value {
        to_value(&self.control.cips())
    }

    #[napi(ts_return_type = "unknown[]")]
    pub fn deliveries(&self) -> Value {
        to_value(&self.control.deliveries())
    }

    /// Resolves once `count` deliveries finished every attempt, or at the timeout, with the finished ones.
    #[napi(ts_return_type = "Promise<unknown[]>")]
    pub async fn wait_for_deliveries(&self, count: u32, timeout_ms: u32) -> Value {
        let list =
            self.control.wait_for_deliveries(count as usize, Duration::from_millis(timeout_ms.into())).await;
        to_value(&list)
    }

    #[napi(getter)]
    pub fn notification_url(&self) -> Option<String> {
        self.control.notification_url()
    }

    #[napi(setter)]
    pub fn set_notification_url(&self, url: Option<String>) {
        self.control.set_notification_url(url);
    }

    /// A fault as in sandbox/README.md: `{endpoint, kind, ...}`.
    #[napi]
    pub fn add_fault(&self, fault: Value) -> Result<()> {
        let fault: Fault = serde_json::from_value(fault)
            .map_err(|e| errors::invalid_field("fault", format!("is not a sandbox fault: {e}")))?;
        self.control.add_fault(fault);
        Ok(())
    }

    #[napi]
    pub fn clear_faults(&self) {
        self.control.clear_faults();
    }

    #[napi(ts_return_type = "unknown[]")]
    pub fn faults(&self) -> Value {
        to_value(&self.control.faults())
    }

    /// Requests received for an endpoint (`any`, `authorizations`, `cips_create`, ..., `webhook`).
    #[napi]
    pub fn request_count(&self, endpoint: String) -> Result<f64> {
        let endpoint: Endpoint = serde_json::from_value(Value::String(endpoint.clone())).map_err(|_| {
            errors::invalid_field("endpoint", format!("is not a sandbox endpoint: {endpoint:?}"))
        })?;
        Ok(self.control.request_count(endpoint) as f64)
    }

    /// Every refund the sandbox holds, oldest first.
    #[napi(ts_return_type = "unknown[]")]
    pub fn refunds(&self) -> Value {
        to_value(&self.control.refunds())
    }

    /// The sandbox's record of a refund, or null.
    #[napi(ts_return_type = "unknown")]
    pub fn refund(&self, refund_id: String) -> Value {
        self.control.refund(&refund_id).map(|r| to_value(&r)).unwrap_or(Value::Null)
    }

    /// Moves a refund on (`processing`, `refunded`, `rejected` with `reasonCode`) and sends its signed notification.
    #[napi(ts_return_type = "unknown")]
    pub fn advance_refund(
        &self,
        refund_id: String,
        to: String,
        reason_code: Option<String>,
    ) -> Result<Value> {
        let status: RefundStatus = serde_json::from_value(Value::String(to.clone())).map_err(|_| {
            errors::invalid_field("to", format!("must be processing, refunded or rejected, got {to:?}"))
        })?;
        self.control
            .advance_refund(&refund_id, status, reason_code.as_deref())
            .map(|r| to_value(&r))
            .map_err(control_error)
    }

    /// Stops the server (in-flight requests get a grace period). Idempotent.
    #[napi]
    pub async fn stop(&self) {
        let sandbox = self.sandbox.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(sandbox) = sandbox {
            sandbox.shutdown().await;
        }
    }
}
