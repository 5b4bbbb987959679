//! The sandbox as every binding's test helper drives it: started from an options object, driven by
//! named control operations with JSON arguments, failing with the core's typed errors.
//!
//! One place decides what `pay`, `fault` or `request_count` take and how their
//! failures read, so `pagoefectivo.testing.Sandbox` (Python), `Sandbox` from
//! `pagoefectivo/testing` (Node), `PagoEfectivo\Testing\Sandbox` (PHP) and the
//! JVM's `Sandbox` cannot drift. Production builds of the bindings leave it out.

use std::time::Duration;

use pagoefectivo::boundary::input::{self, get};
use pagoefectivo::boundary::ops::{data, unknown_op};
use pagoefectivo::{Error, ErrorCode, runtime, time};
use pagoefectivo_sandbox::{
    Control, ControlError, Endpoint, Fault, RefundStatus, Sandbox, SandboxConfig, Service,
};
use serde_json::{Value, json};

/// A running sandbox on 127.0.0.1, on the core's shared runtime.
pub struct TestSandbox {
    server: Option<Sandbox>,
    base_url: String,
    control: Control,
    service: Service,
}

/// The sandbox's own failures as the core's errors: one shape in every language.
pub fn control_error(e: ControlError) -> Error {
    let (code, reason) = match e {
        ControlError::UnknownCip(_) => (ErrorCode::NotFound, "unknown_cip"),
        ControlError::InvalidState { .. } => (ErrorCode::InvalidState, "invalid_state"),
        ControlError::UnknownRefund(_) => (ErrorCode::NotFound, "unknown_refund"),
        ControlError::InvalidRefundTransition { .. } => (ErrorCode::InvalidState, "invalid_transition"),
        ControlError::UnknownDelivery(_) => (ErrorCode::NotFound, "unknown_delivery"),
    };
    Error::new(code, format!("sandbox: {e}")).with_reason(reason)
}

/// The control operations, with their arguments.
pub const CONTROL_OPS: &[&str] = &[
    "info",
    "pay",
    "expire",
    "advance_clock",
    "now",
    "cip",
    "cips",
    "fault",
    "faults",
    "clear_faults",
    "request_count",
    "deliveries",
    "notification_url",
    "set_notification_url",
    "refund",
    "refunds",
    "refund_count",
];

fn number(args: &Value, key: &str, max: u64) -> Result<u64, Error> {
    input::count(get(args, key).unwrap_or(&Value::Null), key, max)
}

fn cip(args: &Value) -> Result<u64, Error> {
    input::cip(get(args, "cip").unwrap_or(&Value::Null), "cip")
}

impl TestSandbox {
    /// Starts a sandbox (see `SandboxConfig::from_options` for the options; an unknown one is refused).
    pub fn start(options: &Value) -> Result<TestSandbox, Error> {
        let config =
            SandboxConfig::from_options(options).map_err(|e| Error::invalid_field(&e.field, e.message))?;
        let service = config.services[0].clone();
        let server = runtime::shared()?.block_on(Sandbox::start(config)).map_err(|e| {
            Error::new(ErrorCode::ConnectionError, format!("the sandbox could not start: {e}"))
        })?;
        Ok(TestSandbox {
            base_url: server.base_url(),
            control: server.control(),
            server: Some(server),
            service,
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn control(&self) -> &Control {
        &self.control
    }

    /// What a client needs to talk to this sandbox; the demo credentials are not secrets.
    pub fn info(&self) -> Value {
        json!({"baseUrl": self.base_url, "idService": self.service.id_service,
               "accessKey": self.service.access_key, "secretKey": self.service.secret_key})
    }

    /// The options of a client for this sandbox (what `Client::from_options` takes).
    pub fn client_options(&self) -> Value {
        json!({"base_url": self.base_url, "id_service": self.service.id_service,
               "access_key": self.service.access_key, "secret_key": self.service.secret_key})
    }

    /// Runs a control operation (see [`CONTROL_OPS`]).
    pub fn call(&self, op: &str, args: &Value) -> Result<Value, Error> {
        let ctl = &self.control;
        match op {
            "info" => Ok(self.info()),
            "pay" => {
                let p = ctl.pay(cip(args)?).map_err(control_error)?;
                Ok(json!({"cip": p.cip, "operationNumber": p.operation_number,
                          "datePayment": time::format(&p.date_payment)}))
            }
            "expire" => ctl.expire(cip(args)?).map(|_| Value::Null).map_err(control_error),
            "advance_clock" => {
                let now =
                    ctl.advance_clock(Duration::from_secs(number(args, "seconds", 100 * 365 * 86_400)?));
                Ok(json!(time::format(&now)))
            }
            "now" => Ok(json!(time::format(&ctl.now()))),
            "cip" => data(ctl.cip(cip(args)?)),
            "cips" => data(ctl.cips()),
            "fault" => {
                let fault: Fault = serde_json::from_value(args.clone())
                    .map_err(|e| Error::invalid_field("fault", format!("is not a sandbox fault: {e}")))?;
                ctl.add_fault(fault);
                Ok(Value::Null)
            }
            "faults" => data(ctl.faults()),
            "clear_faults" => {
                ctl.clear_faults();
                Ok(Value::Null)
            }
            "request_count" => {
                let endpoint = get(args, "endpoint").cloned().unwrap_or(json!("any"));
                let endpoint: Endpoint = serde_json::from_value(endpoint)
                    .map_err(|_| Error::invalid_field("endpoint", "is not a sandbox endpoint"))?;
                Ok(json!(ctl.request_count(endpoint)))
            }
            "deliveries" => {
                let count =
                    get(args, "count").map(|_| number(args, "count", 1_000_000)).transpose()?.unwrap_or(0);
                let timeout = get(args, "timeoutMs")
                    .map(|_| number(args, "timeoutMs", 600_000))
                    .transpose()?
                    .unwrap_or(5000);
                let wait = ctl.wait_for_deliveries(count as usize, Duration::from_millis(timeout));
                let list = if count == 0 { ctl.deliveries() } else { runtime::shared()?.block_on(wait) };
                Ok(Value::Array(
                    list.iter()
                        .map(|d| {
                            json!({"eventType": d.event_type, "url": d.url, "body": d.body, "signature": d.signature,
                                   "statuses": d.attempts.iter().map(|a| a.status).collect::<Vec<_>>(),
                                   "errors": d.attempts.iter().map(|a| a.error.clone()).collect::<Vec<_>>()})
                        })
                        .collect(),
                ))
            }
            "notification_url" => Ok(json!(ctl.notification_url())),
            "set_notification_url" => {
                let url = match get(args, "url") {
                    None => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(_) => return Err(Error::invalid_field("url", "must be a URL or null")),
                };
                ctl.set_notification_url(url);
                Ok(Value::Null)
            }
            "refund" => {
                let to: RefundStatus = serde_json::from_value(get(args, "to").cloned().unwrap_or_default())
                    .map_err(|_| {
                    Error::invalid_field("to", "must be processing, refunded or rejected")
                })?;
                let id = get(args, "refundId")
                    .and_then(Value::as_str)
                    .ok_or_else(|| Error::invalid_field("refundId", "must be a string"))?;
                let reason = get(args, "reasonCode").and_then(Value::as_str);
                data(ctl.advance_refund(id, to, reason).map_err(control_error)?)
            }
            "refunds" => data(ctl.refunds()),
            "refund_count" => Ok(json!(ctl.refunds().len())),
            other => Err(unknown_op(other)),
        }
    }

    /// Stops the server, waiting for it on the shared runtime.
    pub fn shutdown(&mut self) {
        if let (Some(server), Ok(rt)) = (self.server.take(), runtime::shared()) {
            rt.block_on(server.shutdown());
        }
    }
}

impl Drop for TestSandbox {
    fn drop(&mut self) {
        self.shutdown();
    }
}
