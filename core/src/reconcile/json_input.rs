//! Reconciliation inputs from JSON, so bindings and conformance runners pass plain data and share one reading.

use chrono::NaiveDate;
use serde_json::Value;

use crate::error::{Error, FieldError};
use crate::money;
use crate::time;

use super::engine::{Reconciliation, reconcile};
use super::ledger::{Coverage, Orders, Payments};
use super::policy::Options;
use super::record::{Order, PaymentRecord};

fn invalid(field: &str, message: impl Into<String>) -> Error {
    Error::validation(vec![FieldError::invalid(field, message)])
}

impl Options {
    /// From `{amountTolerance, settlementDays, asOf, extraHolidays}` (all
    /// optional; camelCase or snake_case).
    pub fn from_json(value: &Value) -> Result<Options, Error> {
        let mut o = Options::default();
        let get = |a: &str, b: &str| value.get(a).or_else(|| value.get(b)).filter(|v| !v.is_null());
        if let Some(v) = get("amountTolerance", "amount_tolerance") {
            let t = money::from_json(v).ok_or_else(|| invalid("amountTolerance", "must be a decimal"))?;
            if t.is_sign_negative() {
                return Err(invalid("amountTolerance", "must not be negative"));
            }
            o.amount_tolerance = t;
        }
        if let Some(v) = get("settlementDays", "settlement_days") {
            let n = v
                .as_u64()
                .filter(|n| *n <= 60)
                .ok_or_else(|| invalid("settlementDays", "must be 0 to 60"))?;
            o.settlement_days = n as u32;
        }
        if let Some(v) = get("asOf", "as_of") {
            let s = v.as_str().unwrap_or_default();
            o.as_of = Some(time::parse(s).map_err(|_| invalid("asOf", format!("not a time: {s:?}")))?);
        }
        if let Some(v) = get("extraHolidays", "extra_holidays") {
            let list = v.as_array().ok_or_else(|| invalid("extraHolidays", "must be a list of dates"))?;
            let dates = list
                .iter()
                .map(|d| {
                    let s = d.as_str().unwrap_or_default();
                    s.parse::<NaiveDate>().map_err(|_| invalid("extraHolidays", format!("not a date: {s:?}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            o.calendar = o.calendar.with_extra_holidays(dates);
        }
        Ok(o)
    }
}

impl Coverage {
    /// From `{everyOrderCip, settlement, refunds}` (absent = false).
    pub fn from_json(value: &Value) -> Coverage {
        let flag = |a: &str, b: &str| {
            value.get(a).or_else(|| value.get(b)).and_then(Value::as_bool).unwrap_or(false)
        };
        Coverage {
            every_order_cip: flag("everyOrderCip", "every_order_cip"),
            settlement: flag("settlement", "settlement"),
            refunds: flag("refunds", "refunds"),
        }
    }
}

/// Runs a whole reconciliation from one JSON document:
/// `{orders: [..], payments: [..], coverage: {..}, options: {..}}`. The
/// entry point for bindings and the conformance cases (`reconcile.run`).
pub fn reconcile_json(input: &Value) -> Result<Reconciliation, Error> {
    let list = |key: &str| -> Result<&Vec<Value>, Error> {
        input.get(key).and_then(Value::as_array).ok_or_else(|| invalid(key, "must be a list"))
    };
    let orders = list("orders")?.iter().map(Order::from_json).collect::<Result<Vec<_>, _>>()?;
    let payments = list("payments")?.iter().map(PaymentRecord::from_json).collect::<Result<Vec<_>, _>>()?;
    let coverage = Coverage::from_json(input.get("coverage").unwrap_or(&Value::Null));
    let options = Options::from_json(input.get("options").unwrap_or(&Value::Null))?;
    let orders = Orders::from_records(&orders)?;
    let payments = Payments::from_records(&payments, coverage)?;
    Ok(reconcile(&orders, &payments, &options))
}
