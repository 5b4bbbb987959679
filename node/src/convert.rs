//! JS values to core types: client options, CIP numbers, creation requests, durations.

use std::time::Duration;

use pagoefectivo::{
    Config, ConfigBuilder, CreateCipRequest, CreateRefundRequest, Environment, FieldError, Language,
    RetryPolicy,
};
use serde_json::{Map, Value};

use crate::errors::{self, Result};

/// The options object of `new PagoEfectivo({...})`, camelCase as in the README.
const CLIENT_OPTIONS: [&str; 18] = [
    "environment",
    "baseUrl",
    "accessKey",
    "secretKey",
    "serviceId",
    "idService",
    "connectTimeoutMs",
    "requestTimeoutMs",
    "totalTimeoutMs",
    "maxAttempts",
    "retry",
    "language",
    "userAgent",
    "searchBatchSize",
    "tokenRefreshMarginMs",
    "refundsPath",
    "refundWindowDays",
    "reportsPath",
];

fn object<'a>(v: &'a Value, what: &str) -> Result<&'a Map<String, Value>> {
    match v {
        Value::Object(m) => Ok(m),
        _ => Err(errors::config(format!("{what} must be an object"))),
    }
}

fn opt_string(m: &Map<String, Value>, key: &str) -> Result<Option<String>> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(errors::config(format!("{key} must be a string"))),
    }
}

fn opt_u64(m: &Map<String, Value>, key: &str) -> Result<Option<u64>> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .map(Some)
            .ok_or_else(|| errors::config(format!("{key} must be a non-negative integer, got {n}"))),
        Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().map(Some).map_err(|_| errors::config(format!("{key} is too large")))
        }
        Some(other) => Err(errors::config(format!("{key} must be a non-negative integer, got {other}"))),
    }
}

fn opt_u32(m: &Map<String, Value>, key: &str) -> Result<Option<u32>> {
    opt_u64(m, key)?
        .map(|n| u32::try_from(n).map_err(|_| errors::config(format!("{key} is too large: {n}"))))
        .transpose()
}

fn millis(m: &Map<String, Value>, key: &str) -> Result<Option<Duration>> {
    Ok(opt_u64(m, key)?.map(Duration::from_millis))
}

/// Builds a core `Config` from the options object; unknown keys are refused
/// so that a typo (`secretkey`) is not silently ignored.
pub fn config(options: &Value) -> Result<Config> {
    let m = object(options, "the client options")?;
    if let Some(k) = m.keys().find(|k| !CLIENT_OPTIONS.contains(&k.as_str())) {
        return Err(errors::config(format!("unknown client option {k:?}")));
    }
    let mut b: ConfigBuilder = Config::builder();
    if let Some(env) = opt_string(m, "environment")? {
        b = b.environment(Environment::parse(&env).map_err(|e| errors::from_core(&e))?);
    }
    if let Some(url) = opt_string(m, "baseUrl")? {
        b = b.base_url(url);
    }
    if let Some(k) = opt_string(m, "accessKey")? {
        b = b.access_key(k);
    }
    if let Some(k) = opt_string(m, "secretKey")? {
        b = b.secret_key(k);
    }
    if let Some(id) = opt_u32(m, "serviceId")?.or(opt_u32(m, "idService")?) {
        b = b.id_service(id);
    }
    if let Some(d) = millis(m, "connectTimeoutMs")? {
        b = b.connect_timeout(d);
    }
    if let Some(d) = millis(m, "requestTimeoutMs")? {
        b = b.request_timeout(d);
    }
    if let Some(d) = millis(m, "totalTimeoutMs")? {
        b = b.total_timeout(d);
    }
    if let Some(r) = m.get("retry").filter(|v| !v.is_null()) {
        let r = object(r, "retry")?;
        let mut policy = RetryPolicy::default();
        if let Some(n) = opt_u32(r, "maxAttempts")? {
            policy.max_attempts = n;
        }
        if let Some(d) = millis(r, "initialBackoffMs")? {
            policy.initial_backoff = d;
        }
        if let Some(d) = millis(r, "maxBackoffMs")? {
            policy.max_backoff = d;
        }
        b = b.retry(policy);
    }
    if let Some(n) = opt_u32(m, "maxAttempts")? {
        b = b.max_attempts(n);
    }
    if let Some(l) = opt_string(m, "language")? {
        b = b.language(Language::parse(&l).map_err(|e| errors::from_core(&e))?);
    }
    if let Some(ua) = opt_string(m, "userAgent")? {
        b = b.user_agent(ua);
    }
    if let Some(n) = opt_u64(m, "searchBatchSize")? {
        b = b.search_batch_size(n as usize);
    }
    if let Some(d) = millis(m, "tokenRefreshMarginMs")? {
        b = b.token_refresh_margin(d);
    }
    if let Some(p) = opt_string(m, "refundsPath")? {
        b = b.refunds_path(p);
    }
    if let Some(days) = opt_u64(m, "refundWindowDays")? {
        let secs = days
            .checked_mul(24 * 3600)
            .ok_or_else(|| errors::config(format!("refundWindowDays is too large: {days}")))?;
        b = b.refund_window(Duration::from_secs(secs));
    }
    if let Some(p) = opt_string(m, "reportsPath")? {
        b = b.reports_path(p);
    }
    b.build().map_err(|e| errors::from_core(&e))
}

/// What `client.config` shows: everything but the secret key.
pub fn config_summary(c: &Config) -> Value {
    let env = match &c.environment {
        Environment::Sandbox => "sandbox",
        Environment::Production => "production",
        Environment::Custom(_) => "custom",
    };
    serde_json::json!({
        "environment": env,
        "baseUrl": c.base_url(),
        "accessKey": c.access_key,
        "idService": c.id_service,
        "connectTimeoutMs": c.connect_timeout.as_millis() as u64,
        "requestTimeoutMs": c.request_timeout.as_millis() as u64,
        "totalTimeoutMs": c.total_timeout.as_millis() as u64,
        "maxAttempts": c.retry.max_attempts,
        "language": c.language.as_str(),
        "searchBatchSize": c.search_batch_size,
        "refundsPath": c.refunds_path,
        "refundWindowDays": c.refund_window.as_secs() / (24 * 3600),
        "reportsPath": c.reports_path,
    })
}

/// A CIP number from a JS number (integer), bigint or digit string.
pub fn cip(v: &Value) -> Result<u64> {
    let bad =
        || errors::invalid_field("cip", "must be a positive integer CIP number (number, bigint or digits)");
    let n = match v {
        Value::Number(n) => n.as_u64().ok_or_else(bad)?,
        Value::String(s) => s.trim().parse::<u64>().map_err(|_| bad())?,
        _ => return Err(bad()),
    };
    if n == 0 {
        return Err(bad());
    }
    Ok(n)
}

const AMOUNT_IS_NUMBER: &str =
    "must be a decimal string like \"25.50\", not a JS number (a number cannot hold every decimal exactly)";

/// Reads a request with the core's `read`, refusing a JS number amount: that
/// error is reported together with what the core's `check` (every field at
/// once) finds in the rest.
fn refusing_number_amount<T>(
    v: &Value,
    read: impl Fn(&Value) -> std::result::Result<T, pagoefectivo::Error>,
    check: impl Fn(&Value) -> std::result::Result<(), pagoefectivo::Error>,
) -> Result<T> {
    let amount_key = match v {
        Value::Object(m) => m
            .iter()
            .find(|(k, val)| k.replace('_', "").eq_ignore_ascii_case("amount") && val.is_number())
            .map(|(k, _)| k.clone()),
        _ => None,
    };
    let Some(key) = amount_key else {
        return read(v).map_err(|e| errors::from_core(&e));
    };
    // Let the core check everything else, with a placeholder amount it accepts.
    let mut copy = v.clone();
    copy[key.as_str()] = Value::String("1.00".into());
    let mut fields = vec![FieldError::invalid("amount", AMOUNT_IS_NUMBER)];
    if let Err(e) = check(&copy) {
        let rest: Vec<&FieldError> = e.field_errors().iter().filter(|f| f.field != "amount").collect();
        if rest.is_empty() && e.field_errors().is_empty() {
            return Err(errors::from_core(&e));
        }
        fields.extend(rest.into_iter().cloned());
    }
    Err(errors::invalid(fields))
}

/// Refuses JS numbers as money in reconciliation records (`orders[3].amount`),
/// before the core reads them (it accepts exact JSON numbers from files).
pub fn refuse_number_money(records: &[Value], what: &str) -> Result<()> {
    let fields: Vec<FieldError> = records
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            let keys = ["amount", "refundedAmount", "refunded_amount"];
            keys.into_iter()
                .filter(move |k| r.get(k).is_some_and(Value::is_number))
                .map(move |k| FieldError::invalid(&format!("{what}[{i}].{k}"), AMOUNT_IS_NUMBER))
        })
        .collect();
    if fields.is_empty() { Ok(()) } else { Err(errors::invalid(fields)) }
}

/// A CIP creation request from a plain object (`create` validates it).
pub fn create_request(v: &Value) -> Result<CreateCipRequest> {
    refusing_number_amount(v, CreateCipRequest::from_json, |v| {
        CreateCipRequest::from_json(v)?.validate(pagoefectivo::time::now_lima())
    })
}

/// A refund request from a plain object (camelCase keys), every field checked at once.
pub fn refund_request(v: &Value) -> Result<CreateRefundRequest> {
    refusing_number_amount(v, CreateRefundRequest::from_json, |v| {
        CreateRefundRequest::from_json(v).map(|_| ())
    })
}

/// A time argument: an ISO string (the TypeScript layer turns `Date`s into one).
pub fn time(field: &str, text: &str) -> Result<chrono::DateTime<chrono::FixedOffset>> {
    pagoefectivo::time::parse(text)
        .map_err(|_| errors::invalid_field(field, "must be a time like 2026-11-25T18:00:00-05:00"))
}
