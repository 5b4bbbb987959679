//! The in-process sandbox for tests (`pe.pagoefectivo.testing.Sandbox`): the shared `TestSandbox` driver.
//!
//! This library links the whole binding (`pagoefectivo_jvm`, whose JNI symbols
//! it exports too) plus the sandbox; the test artifact `pagoefectivo-testing`
//! carries it and the loader prefers it when present, so one library serves a
//! test process. The production library has none of it.

use std::panic::catch_unwind;

use jni::EnvUnowned;
use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::{JByteArray, JClass, JString};
use jni::sys::jlong;
use pagoefectivo::Error;
use pagoefectivo_testing::TestSandbox;
use serde_json::json;

use pagoefectivo_jvm::reply;

// The binding's JNI symbols come with the rlib; naming the crate keeps it linked.
pub use pagoefectivo_jvm::ABI_VERSION;

/// `SandboxNative.start(options)`: `{handle, info, clientOptions}`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_testing_SandboxNative_start<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    options: JByteArray<'l>,
) -> JByteArray<'l> {
    env.with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
        let options = env.convert_byte_array(&options)?;
        let out = reply::guarded(|| {
            let options = match reply::request(&options)? {
                serde_json::Value::Null => json!({}),
                o => o,
            };
            let sandbox = TestSandbox::start(&options)?;
            let (info, client_options) = (sandbox.info(), sandbox.client_options());
            let handle = Box::into_raw(Box::new(sandbox)) as jlong;
            Ok(json!({"handle": handle, "info": info, "clientOptions": client_options}))
        });
        env.byte_array_from_slice(&out)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// `SandboxNative.call(handle, op, args)`: a control operation (`pagoefectivo_testing::CONTROL_OPS`).
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_testing_SandboxNative_call<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    op: JString<'l>,
    args: JByteArray<'l>,
) -> JByteArray<'l> {
    env.with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
        let op = op.try_to_string(env)?;
        let args = env.convert_byte_array(&args)?;
        let out = reply::guarded(|| {
            // SAFETY: a live handle from start; the Kotlin side frees it once, after its last call.
            let sandbox = unsafe { (handle as *const TestSandbox).as_ref() }
                .ok_or_else(|| Error::internal("a stopped sandbox was used"))?;
            sandbox.call(&op, &reply::request(&args)?)
        });
        env.byte_array_from_slice(&out)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// `SandboxNative.free(handle)`: stops the server.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_testing_SandboxNative_free<'l>(
    _env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    if handle != 0 {
        // SAFETY: freed once by the Kotlin side.
        let _ = catch_unwind(|| drop(unsafe { Box::from_raw(handle as *mut TestSandbox) }));
    }
}

/// `SandboxNative.panic()`: panics inside a native call, as a bug would, so tests can see it arrive as
/// the core's `internal_error` (an `InternalException`) instead of crossing into the JVM.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_testing_SandboxNative_panic<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
) -> JByteArray<'l> {
    env.with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
        let out = reply::guarded::<serde_json::Value>(|| panic!("a deliberate panic from the test library"));
        env.byte_array_from_slice(&out)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}
