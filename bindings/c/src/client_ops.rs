//! The client's operations by name: JSON arguments to core calls, results back to JSON.

use std::time::Duration;

use pagoefectivo::blocking::Client;
use pagoefectivo::{CreateCipRequest, CreateRefundRequest, Error, WaitOptions, time};
use serde_json::Value;

use crate::envelope::{data, optional_unsigned, string, u32_of, unsigned};
use crate::ops;

/// `timeoutMs`, `initialIntervalMs`, `maxIntervalMs`; the core's defaults where absent.
fn wait_options(args: &Value) -> Result<WaitOptions, Error> {
    let d = WaitOptions::default();
    let ms = |key: &str, default: Duration| -> Result<Duration, Error> {
        Ok(optional_unsigned(args, key)?.map(Duration::from_millis).unwrap_or(default))
    };
    Ok(WaitOptions {
        timeout: ms("timeoutMs", d.timeout)?,
        initial_interval: ms("initialIntervalMs", d.initial_interval)?,
        max_interval: ms("maxIntervalMs", d.max_interval)?,
    })
}

pub fn call(client: &Client, op: &str, args: &Value) -> Result<Value, Error> {
    let cips = || client.cips();
    let refunds = || client.refunds();
    match op {
        "cips.create" => data(cips().create(&CreateCipRequest::from_json(args)?)?),
        "cips.get" => data(cips().get(unsigned(args, "cip")?)?),
        "cips.search" => {
            let list = args
                .get("cips")
                .and_then(Value::as_array)
                .ok_or_else(|| Error::invalid_field("cips", "must be a list of CIP numbers"))?;
            let numbers = list
                .iter()
                .map(|c| {
                    c.as_u64().ok_or_else(|| Error::invalid_field("cips", "must be a list of CIP numbers"))
                })
                .collect::<Result<Vec<u64>, Error>>()?;
            data(cips().search(&numbers)?)
        }
        "cips.extend" => {
            let at = time::parse(string(args, "dateExpiry")?)
                .map_err(|_| Error::invalid_field("dateExpiry", "must be a time with its offset"))?;
            cips().extend(unsigned(args, "cip")?, at).map(|_| Value::Null)
        }
        "cips.delete" => cips().delete(unsigned(args, "cip")?).map(|_| Value::Null),
        "cips.wait_for_final_status" => {
            data(cips().wait_for_final_status(unsigned(args, "cip")?, wait_options(args)?)?)
        }
        "refunds.create" => data(refunds().create(&CreateRefundRequest::from_json(args)?)?),
        "refunds.get" => data(refunds().get(string(args, "refundId")?)?),
        "refunds.list" => data(refunds().list(unsigned(args, "cip")?)?),
        "refunds.eligibility" => {
            let days = optional_unsigned(args, "refundWindowDays")?
                .map(|d| u32_of(d, "refundWindowDays"))
                .transpose()?;
            data(refunds().eligibility(unsigned(args, "cip")?, days)?)
        }
        "refunds.wait_for_final_status" => {
            data(refunds().wait_for_final_status(string(args, "refundId")?, wait_options(args)?)?)
        }
        "config" => Ok(client.config().settings()),
        other => Err(ops::unknown_op(other)),
    }
}
