//! Deduplicators as every binding makes and drives them: an options object in, the core's answers out.
//!
//! A binding keeps the [`Deduplicator`] behind a handle and passes each
//! operation's name with the event (or the notification's raw, already
//! verified body): the key, the payload hash and the store are the core's.

use std::time::Duration;

use serde_json::{Value, json};

use super::input::{self, get};
use crate::dedup::Deduplicator;
use crate::error::Error;
use crate::webhook::{self, Event};

/// The options of a deduplicator: `url` (`memory:`, `postgres://...`, `redis://...`;
/// in memory when absent), `ttlMs` (how long completed keys are remembered) and
/// `leaseMs` (how long a worker holds an event before another may take it).
pub const DEDUP_OPTIONS: [&str; 3] = ["url", "ttlMs", "leaseMs"];

/// What each operation does; `begin` answers `started`, `duplicate`,
/// `in_progress` or `conflict`, `first_delivery` a boolean, the others `null`.
pub const DEDUP_OPS: [&str; 5] = ["begin", "complete", "fail", "first_delivery", "forget"];

fn millis(options: &Value, key: &str) -> Result<Option<Duration>, Error> {
    get(options, key).filter(|v| !v.is_null()).map(|v| input::millis(v, key, u64::MAX)).transpose()
}

/// A deduplicator from its options (`null` or an object of [`DEDUP_OPTIONS`]).
pub fn deduplicator(options: &Value) -> Result<Deduplicator, Error> {
    if !(options.is_null() || options.is_object()) {
        return Err(Error::invalid_field("options", "must be an object"));
    }
    input::known_keys(options, &DEDUP_OPTIONS)?;
    let mut d = match get(options, "url") {
        None | Some(Value::Null) => Deduplicator::in_memory(),
        Some(Value::String(url)) => Deduplicator::from_url(url)?,
        Some(_) => return Err(Error::invalid_field("url", "must be a store URL")),
    };
    if let Some(ttl) = millis(options, "ttlMs")? {
        d = d.with_ttl(ttl);
    }
    if let Some(lease) = millis(options, "leaseMs")? {
        d = d.with_lease(lease);
    }
    Ok(d)
}

/// Runs one of [`DEDUP_OPS`] for `event`.
pub async fn run(d: &Deduplicator, op: &str, event: &Event) -> Result<Value, Error> {
    match op {
        "begin" => Ok(json!(d.begin(event).await?.as_str())),
        "complete" => d.complete(event).await.map(|_| Value::Null),
        "fail" => d.fail(event).await.map(|_| Value::Null),
        "first_delivery" => d.first_delivery_async(event).await.map(Value::Bool),
        "forget" => d.forget_async(event).await.map(|_| Value::Null),
        other => Err(super::ops::unknown_op(other)),
    }
}

/// [`run`] for a notification's raw body (verified before: this reads it, it does not check it),
/// blocking the calling thread.
pub fn run_on_body(d: &Deduplicator, op: &str, body: &[u8]) -> Result<Value, Error> {
    let event = webhook::parse_event(body)?;
    crate::runtime::block_on_anywhere(run(d, op, &event))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] =
        br#"{"eventType":"cip.paid","operationNumber":"7","data":{"cip":"5","currency":"PEN","amount":1.00}}"#;

    #[test]
    fn a_redelivery_is_a_duplicate_and_forget_lets_it_in() {
        let d = deduplicator(&json!({})).unwrap();
        assert_eq!(run_on_body(&d, "first_delivery", BODY).unwrap(), json!(true));
        assert_eq!(run_on_body(&d, "first_delivery", BODY).unwrap(), json!(false));
        run_on_body(&d, "forget", BODY).unwrap();
        assert_eq!(run_on_body(&d, "begin", BODY).unwrap(), json!("started"));
        assert_eq!(run_on_body(&d, "begin", BODY).unwrap(), json!("in_progress"));
        run_on_body(&d, "complete", BODY).unwrap();
        assert_eq!(run_on_body(&d, "begin", BODY).unwrap(), json!("duplicate"));
    }

    #[test]
    fn bad_options_and_ops_are_typed_errors_naming_them() {
        let field = |e: Error| e.field_errors()[0].field.clone();
        assert_eq!(field(deduplicator(&json!({"ttl": 1})).unwrap_err()), "ttl");
        assert_eq!(field(deduplicator(&json!({"ttlMs": -1})).unwrap_err()), "ttlMs");
        assert_eq!(field(deduplicator(&json!({"url": 5})).unwrap_err()), "url");
        assert_eq!(field(deduplicator(&json!([1])).unwrap_err()), "options");
        assert!(deduplicator(&json!({"url": "mysql://x"})).is_err());
        let d = deduplicator(&Value::Null).unwrap();
        assert_eq!(field(run_on_body(&d, "claim", BODY).unwrap_err()), "op");
        assert!(run_on_body(&d, "begin", b"not json").is_err());
    }
}
