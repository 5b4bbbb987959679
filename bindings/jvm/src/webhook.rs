//! Webhook verification over the raw body bytes: the hot path, one crossing, no JSON either way.

use std::panic::{AssertUnwindSafe, catch_unwind};

use jni::EnvUnowned;
use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::{JByteArray, JClass};
use jni::sys::{jint, jlong};
use pagoefectivo::webhook::Event;
use pagoefectivo::{Client, Error, webhook};

use crate::event;

/// UTF-8 from the Kotlin side, which encodes only valid text.
fn text<'a>(bytes: &'a [u8], field: &str) -> Result<&'a str, Error> {
    std::str::from_utf8(bytes).map_err(|_| Error::internal(&format!("{field} was not UTF-8")))
}

/// Runs a verification, catching a panic as the core's `internal_error`; the event flat (`event`).
fn guarded(f: impl FnOnce() -> Result<Event, Error>) -> Vec<u8> {
    event::encode(catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| Err(Error::from_panic(&*p))))
}

/// `Native.webhookVerify(body, signature, secret, maxBodyBytes)`: the core's `verify_within`, the
/// event flat (`event`: its fields in a fixed layout) or, for other event types, as its JSON.
/// `signature` may be null (a missing header); `maxBodyBytes` below 0 means the core's default.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_internal_Native_webhookVerify<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    body: JByteArray<'l>,
    signature: JByteArray<'l>,
    secret: JByteArray<'l>,
    max_body_bytes: jint,
) -> JByteArray<'l> {
    env.with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
        let body = env.convert_byte_array(&body)?;
        let signature = if signature.is_null() { None } else { Some(env.convert_byte_array(&signature)?) };
        let secret = env.convert_byte_array(&secret)?;
        let out = guarded(|| {
            let max = usize::try_from(max_body_bytes).unwrap_or(webhook::DEFAULT_MAX_BODY_BYTES);
            let signature = signature.as_deref().map(|s| text(s, "signature")).transpose()?;
            webhook::verify_within(&body, signature, text(&secret, "secret")?, max)
        });
        env.byte_array_from_slice(&out)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Native.clientWebhookVerify(handle, body, signature, maxBodyBytes)`: the same with the client's own
/// secret key, which never leaves the core.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_internal_Native_clientWebhookVerify<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    body: JByteArray<'l>,
    signature: JByteArray<'l>,
    max_body_bytes: jint,
) -> JByteArray<'l> {
    env.with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
        let body = env.convert_byte_array(&body)?;
        let signature = if signature.is_null() { None } else { Some(env.convert_byte_array(&signature)?) };
        let out = guarded(|| {
            // SAFETY: the Kotlin side holds the client's handle open for the duration of this call.
            let client = unsafe { (handle as *const std::sync::Arc<Client>).as_ref() }
                .ok_or_else(|| Error::internal("a closed client was used"))?;
            let max = usize::try_from(max_body_bytes).unwrap_or(webhook::DEFAULT_MAX_BODY_BYTES);
            let signature = signature.as_deref().map(|s| text(s, "signature")).transpose()?;
            webhook::verify_within(&body, signature, client.config().secret_key.expose(), max)
        });
        env.byte_array_from_slice(&out)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}
