//! The sandbox emulator in-process for the caller's tests, driven by named control operations.

use std::time::Duration;

use pagoefectivo::{Error, ErrorCode, runtime};
use pagoefectivo_sandbox::{Control, ControlError, Endpoint, Fault, RefundStatus, SandboxConfig, Service};
use serde_json::{Value, json};

use crate::envelope::{data, optional_unsigned, string, unsigned};
use crate::ops;

/// A running sandbox on 127.0.0.1 (the opaque `PeSandbox` of the C ABI).
pub struct PeSandbox {
    server: Option<pagoefectivo_sandbox::Sandbox>,
    control: Control,
    service: Service,
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

impl PeSandbox {
    pub fn start(options: &Value) -> Result<PeSandbox, Error> {
        let config = sandbox_config(options)?;
        let service = config.services[0].clone();
        let rt = runtime::shared()?;
        let server = rt.block_on(pagoefectivo_sandbox::Sandbox::start(config)).map_err(|e| {
            Error::new(ErrorCode::ConnectionError, format!("the sandbox could not start: {e}"))
        })?;
        Ok(PeSandbox { control: server.control(), server: Some(server), service })
    }

    /// What a client needs to talk to this sandbox; the demo credentials are not secrets.
    pub fn info(&self) -> Value {
        let base_url = self.server.as_ref().map(|s| s.base_url());
        json!({"baseUrl": base_url, "idService": self.service.id_service,
               "accessKey": self.service.access_key, "secretKey": self.service.secret_key})
    }

    pub fn call(&self, op: &str, args: &Value) -> Result<Value, Error> {
        let ctl = &self.control;
        match op {
            "info" | "base_url" => Ok(self.info()),
            "pay" => {
                let p = ctl.pay(unsigned(args, "cip")?).map_err(control_error)?;
                Ok(json!({"cip": p.cip, "operationNumber": p.operation_number,
                          "datePayment": pagoefectivo::time::format(&p.date_payment)}))
            }
            "expire" => ctl.expire(unsigned(args, "cip")?).map(|_| Value::Null).map_err(control_error),
            "advance_clock" => {
                let now = ctl.advance_clock(Duration::from_secs(unsigned(args, "seconds")?));
                Ok(json!(pagoefectivo::time::format(&now)))
            }
            "now" => Ok(json!(pagoefectivo::time::format(&ctl.now()))),
            "cip" => data(ctl.cip(unsigned(args, "cip")?)),
            "fault" => {
                let fault: Fault = serde_json::from_value(args.clone())
                    .map_err(|e| Error::invalid_field("fault", format!("is not a sandbox fault: {e}")))?;
                ctl.add_fault(fault);
                Ok(Value::Null)
            }
            "clear_faults" => {
                ctl.clear_faults();
                Ok(Value::Null)
            }
            "request_count" => {
                let endpoint: Endpoint =
                    serde_json::from_value(args.get("endpoint").cloned().unwrap_or_default())
                        .map_err(|_| Error::invalid_field("endpoint", "is not a sandbox endpoint"))?;
                Ok(json!(ctl.request_count(endpoint)))
            }
            "deliveries" => {
                let count = optional_unsigned(args, "count")?.unwrap_or(0) as usize;
                let timeout = Duration::from_millis(optional_unsigned(args, "timeoutMs")?.unwrap_or(5000));
                let list = runtime::shared()?.block_on(ctl.wait_for_deliveries(count, timeout));
                Ok(Value::Array(
                    list.iter()
                        .map(|d| {
                            json!({"eventType": d.event_type, "url": d.url, "body": d.body, "signature": d.signature,
                                   "statuses": d.attempts.iter().map(|a| a.status).collect::<Vec<_>>()})
                        })
                        .collect(),
                ))
            }
            "set_notification_url" => {
                ctl.set_notification_url(args.get("url").and_then(Value::as_str).map(str::to_owned));
                Ok(Value::Null)
            }
            "refund" => {
                let to: RefundStatus = serde_json::from_value(args.get("to").cloned().unwrap_or_default())
                    .map_err(|_| Error::invalid_field("to", "must be processing, refunded or rejected"))?;
                let reason = args.get("reasonCode").and_then(Value::as_str);
                data(ctl.advance_refund(string(args, "refundId")?, to, reason).map_err(control_error)?)
            }
            "refunds" => data(ctl.refunds()),
            "refund_count" => Ok(json!(ctl.refunds().len())),
            other => Err(ops::unknown_op(other)),
        }
    }

    /// Stops the server, waiting for it on the shared runtime.
    pub fn shutdown(&mut self) {
        if let (Some(server), Ok(rt)) = (self.server.take(), runtime::shared()) {
            rt.block_on(server.shutdown());
        }
    }
}
