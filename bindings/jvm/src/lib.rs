//! The JNI binding of the pagoefectivo core: the few native methods behind the JVM package's Kotlin API.
//!
//! Everything crosses as the core's JSON in byte arrays: requests built by the
//! Kotlin records go to the core's boundary (`boundary::ops`), which validates
//! them; results and errors come back as the core's serialized types behind
//! one tag byte (`reply`), except a verified webhook event, whose fields come
//! back flat (`event`) so the hot path reads no JSON. No rule is decided here: this crate converts, calls
//! and never lets a panic reach the JVM (each entry point catches it and
//! answers the core's `internal_error`).
//!
//! The native methods are those of `pe.pagoefectivo.internal.Native` (the test
//! library `testing/` adds `pe.pagoefectivo.testing.SandboxNative`'s):
//!
//! | method | does |
//! |---|---|
//! | `init()` | caches the callback class, installs the log forwarder; returns the ABI version |
//! | `call(op, args)` | a client-less operation (`boundary::ops::call`) |
//! | `clientNew(options)` / `clientFree(handle)` | a `Client` from the core's options |
//! | `clientCall(handle, op, args, logLevel)` | a client operation, blocking the calling thread on the core's runtime |
//! | `clientCallAsync(handle, op, args, logLevel, id)` | the same on the runtime; the reply is queued under `id` |
//! | `awaitReplies()` / `awaitLogs()` | the queued replies / log records, for the JVM's two daemon threads |
//! | `webhookVerify(body, signature, secret, maxBodyBytes)` | verify + parse over the raw bytes, the hot path (the event flat: `event`) |
//! | `clientWebhookVerify(handle, body, signature, maxBodyBytes)` | the same with the client's secret key |
//! | `dedupNew` / `dedupCall` / `dedupFree` | the core's deduplicator (in memory, or a shared store by URL) |
//! | `setLogLevel(level)` | the SLF4J level of logger `pagoefectivo`, so disabled events cost nothing |

mod callbacks;
mod client;
mod dedup;
mod event;
mod logging;
#[doc(hidden)]
pub mod reply;
mod webhook;

use jni::EnvUnowned;
use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::{JByteArray, JClass, JString};
use jni::sys::jint;

/// Bumped whenever a native signature or the reply format changes: the Kotlin side checks it at load.
pub const ABI_VERSION: jint = 2;

/// `Native.init()`: resolves `Native.log` (for log records of Java threads) and installs the log forwarder.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_internal_Native_init<'l>(
    mut env: EnvUnowned<'l>,
    class: JClass<'l>,
) -> jint {
    env.with_env(|env| -> jni::errors::Result<jint> {
        callbacks::init(env, &class)?;
        logging::install();
        Ok(ABI_VERSION)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Native.call(op, args)`: a client-less operation of the core, JSON in and out.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_internal_Native_call<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    op: JString<'l>,
    args: JByteArray<'l>,
) -> JByteArray<'l> {
    env.with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
        let op = op.try_to_string(env)?;
        let args = env.convert_byte_array(&args)?;
        let out = reply::guarded(|| pagoefectivo::boundary::ops::call(&op, &reply::request(&args)?));
        env.byte_array_from_slice(&out)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Native.setLogLevel(level)`: 0 trace, 1 debug, 2 info, 3 warn, 4 error, 5 off.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_internal_Native_setLogLevel<'l>(
    _env: EnvUnowned<'l>,
    _class: JClass<'l>,
    level: jint,
) {
    logging::set_level(level);
}

/// `Native.awaitReplies()`: blocks until async replies are queued, then returns them all (see `callbacks`).
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_internal_Native_awaitReplies<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> JByteArray<'l> {
    env.with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
        env.byte_array_from_slice(&callbacks::take_replies())
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Native.awaitLogs()`: blocks until log records are queued, then returns them all.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_internal_Native_awaitLogs<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> JByteArray<'l> {
    env.with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
        env.byte_array_from_slice(&callbacks::take_logs())
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}
