//! The core's notification deduplicator behind a handle: in memory, or a store shared by URL.
//!
//! Operations take the notification's raw (already verified) body and let the
//! core parse it again, so the key and payload hash are the core's, never
//! recomputed here.

use std::panic::catch_unwind;
use std::time::Duration;

use jni::EnvUnowned;
use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::{JByteArray, JClass, JString};
use jni::sys::jlong;
use pagoefectivo::boundary::input::{self, get};
use pagoefectivo::{Deduplicator, Error, runtime, webhook};
use serde_json::{Value, json};

use crate::reply;

fn millis(options: &Value, key: &str) -> Result<Option<Duration>, Error> {
    get(options, key).map(|v| input::millis(v, key, u64::MAX)).transpose()
}

/// `{url?, ttlMs?, leaseMs?}`: `url` as `Deduplicator::from_url` reads it, else in memory.
fn new(options: &Value) -> Result<Deduplicator, Error> {
    input::known_keys(options, &["url", "ttlMs", "leaseMs"])?;
    let mut d = match get(options, "url") {
        None => Deduplicator::in_memory(),
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

fn call(d: &Deduplicator, op: &str, body: &[u8]) -> Result<Value, Error> {
    let event = webhook::parse_event(body)?;
    match op {
        "begin" => Ok(json!(runtime::block_on(d.begin(&event))?.as_str())),
        "complete" => runtime::block_on(d.complete(&event)).map(|_| Value::Null),
        "fail" => runtime::block_on(d.fail(&event)).map(|_| Value::Null),
        "first_delivery" => d.first_delivery(&event).map(Value::Bool),
        "forget" => d.forget(&event).map(|_| Value::Null),
        other => Err(pagoefectivo::boundary::ops::unknown_op(other)),
    }
}

/// `Native.dedupNew(options)`: `{handle}`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_internal_Native_dedupNew<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    options: JByteArray<'l>,
) -> JByteArray<'l> {
    env.with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
        let options = env.convert_byte_array(&options)?;
        let out = reply::guarded(|| {
            let d = new(&reply::request(&options)?)?;
            Ok(json!({"handle": Box::into_raw(Box::new(d)) as jlong}))
        });
        env.byte_array_from_slice(&out)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Native.dedupCall(handle, op, body)`: `begin`, `complete`, `fail`, `first_delivery`, `forget`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_internal_Native_dedupCall<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    op: JString<'l>,
    body: JByteArray<'l>,
) -> JByteArray<'l> {
    env.with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
        let op = op.try_to_string(env)?;
        let body = env.convert_byte_array(&body)?;
        let out = reply::guarded(|| {
            // SAFETY: a live handle from dedupNew; the Kotlin side frees it once, after its last call.
            let d = unsafe { (handle as *const Deduplicator).as_ref() }
                .ok_or_else(|| Error::internal("a closed deduplicator was used"))?;
            call(d, &op, &body)
        });
        env.byte_array_from_slice(&out)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Native.dedupFree(handle)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_internal_Native_dedupFree<'l>(
    _env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    if handle != 0 {
        // SAFETY: freed once by the Kotlin side.
        let _ = catch_unwind(|| drop(unsafe { Box::from_raw(handle as *mut Deduplicator) }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redelivery_is_a_duplicate_and_forget_lets_it_in() {
        let body = br#"{"eventType":"cip.paid","operationNumber":"7","data":{"cip":"5","currency":"PEN","amount":1.00}}"#;
        let d = new(&json!({})).unwrap();
        assert_eq!(call(&d, "first_delivery", body).unwrap(), json!(true));
        assert_eq!(call(&d, "first_delivery", body).unwrap(), json!(false));
        call(&d, "forget", body).unwrap();
        assert_eq!(call(&d, "begin", body).unwrap(), json!("started"));
        call(&d, "complete", body).unwrap();
        assert_eq!(call(&d, "begin", body).unwrap(), json!("duplicate"));
        assert_eq!(new(&json!({"ttl": 1})).unwrap_err().field_errors()[0].field, "ttl");
    }
}
