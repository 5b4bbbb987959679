//! The core's notification deduplicator behind a handle: in memory, or a store shared by URL.
//!
//! Operations take the notification's raw (already verified) body and let the
//! core parse it again, so the key and payload hash are the core's, never
//! recomputed here.

use std::panic::catch_unwind;

use jni::EnvUnowned;
use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::{JByteArray, JClass, JString};
use jni::sys::jlong;
use pagoefectivo::boundary::dedup;
use pagoefectivo::{Deduplicator, Error};
use serde_json::json;

use crate::reply;

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
            let d = dedup::deduplicator(&reply::request(&options)?)?;
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
            dedup::run_on_body(d, &op, &body)
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

    const BODY: &[u8] =
        br#"{"eventType":"cip.paid","operationNumber":"7","data":{"cip":"5","currency":"PEN","amount":1.00}}"#;

    #[test]
    fn a_network_store_that_is_not_there_is_store_unavailable_not_a_panic() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        for url in
            [format!("postgres://shop:pw@127.0.0.1:{port}/shop"), format!("redis://127.0.0.1:{port}/0")]
        {
            let d = dedup::deduplicator(&json!({ "url": url })).unwrap();
            for op in dedup::DEDUP_OPS {
                let e = dedup::run_on_body(&d, op, BODY).unwrap_err();
                assert_eq!(
                    (e.code().as_str(), e.reason()),
                    ("connection_error", Some("store_unavailable")),
                    "{url} {op}: {e}"
                );
            }
        }
    }

    #[test]
    fn the_memory_store_answers_through_the_runtime() {
        let d = dedup::deduplicator(&serde_json::Value::Null).unwrap();
        assert_eq!(dedup::run_on_body(&d, "begin", BODY).unwrap(), json!("started"));
        assert_eq!(dedup::run_on_body(&d, "begin", BODY).unwrap(), json!("in_progress"));
        assert_eq!(dedup::run_on_body(&d, "complete", BODY).unwrap(), serde_json::Value::Null);
        assert_eq!(dedup::run_on_body(&d, "first_delivery", BODY).unwrap(), json!(false));
        assert!(dedup::run_on_body(&d, "begin", b"not json").is_err());
    }
}
