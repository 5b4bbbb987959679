//! The client's native methods: a core `Client` behind a handle, its operations blocking or on the runtime.
//!
//! A handle is a leaked `Box<Arc<Client>>`; Kotlin frees it once (`clientFree`)
//! after its last call has entered (it guards the handle with a read-write
//! lock). An async call clones the `Arc` before it returns, so freeing the
//! handle never ends a call in flight; its reply goes to the completions queue.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use jni::EnvUnowned;
use jni::errors::ThrowRuntimeExAndDefault;
use jni::objects::{JByteArray, JClass, JString};
use jni::sys::{jint, jlong};
use pagoefectivo::boundary::ops;
use pagoefectivo::{Client, Error, runtime};
use serde_json::{Value, json};

use crate::{callbacks, logging, reply};

/// The client a handle points to.
///
/// # Safety
/// `handle` must come from `clientNew` and not have been freed (the Kotlin side guarantees it).
unsafe fn client<'a>(handle: jlong) -> Result<&'a Arc<Client>, Error> {
    // SAFETY: per the contract above, a non-zero handle is a live Box<Arc<Client>>.
    unsafe { (handle as *const Arc<Client>).as_ref() }
        .ok_or_else(|| Error::internal("a closed client was used"))
}

/// `Native.clientNew(options)`: `{handle, settings}` or the configuration's error.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_internal_Native_clientNew<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    options: JByteArray<'l>,
) -> JByteArray<'l> {
    env.with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
        let options = env.convert_byte_array(&options)?;
        let out = reply::guarded(|| {
            let client = Client::from_options(&reply::request(&options)?)?;
            let settings = client.config().settings();
            let handle = Box::into_raw(Box::new(Arc::new(client))) as jlong;
            Ok(json!({"handle": handle, "settings": settings}))
        });
        env.byte_array_from_slice(&out)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Native.clientFree(handle)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_internal_Native_clientFree<'l>(
    _env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    if handle != 0 {
        // SAFETY: freed once, by the Kotlin side's close (or its Cleaner), after the last call entered.
        let _ = catch_unwind(|| drop(unsafe { Box::from_raw(handle as *mut Arc<Client>) }));
    }
}

/// `Native.clientCall(handle, op, args, logLevel)`: blocks this Java thread on the core's runtime.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_internal_Native_clientCall<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    op: JString<'l>,
    args: JByteArray<'l>,
    log_level: jint,
) -> JByteArray<'l> {
    env.with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
        let op = op.try_to_string(env)?;
        let args = env.convert_byte_array(&args)?;
        logging::set_level(log_level);
        let out = reply::guarded(|| {
            // SAFETY: the Kotlin side holds the handle open for the duration of this call.
            let client = unsafe { client(handle) }?;
            let args = reply::request(&args)?;
            runtime::block_on(ops::client_call(client, &op, &args))
        });
        env.byte_array_from_slice(&out)
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// `Native.clientCallAsync(handle, op, args, logLevel, id)`: runs the operation on the core's
/// runtime and queues its reply under `id` for the completions thread (`callbacks`). Returns
/// `null` once started, or the error reply when it could not start.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pe_pagoefectivo_internal_Native_clientCallAsync<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    handle: jlong,
    op: JString<'l>,
    args: JByteArray<'l>,
    log_level: jint,
    id: jlong,
) -> JByteArray<'l> {
    env.with_env(|env| -> jni::errors::Result<JByteArray<'l>> {
        let op = op.try_to_string(env)?;
        let args = env.convert_byte_array(&args)?;
        logging::set_level(log_level);
        let started = catch_unwind(AssertUnwindSafe(|| -> Result<(), Error> {
            // SAFETY: as in clientCall; the Arc is cloned before this returns.
            let client = Arc::clone(unsafe { client(handle) }?);
            let args = reply::request(&args)?;
            let rt = runtime::shared()?;
            rt.spawn(async move {
                let result =
                    Guarded(Box::pin(async move { ops::client_call(&client, &op, &args).await })).await;
                callbacks::complete(id, reply::encode(result));
            });
            Ok(())
        }))
        .unwrap_or_else(|p| Err(Error::from_panic(&*p)));
        match started {
            Ok(()) => Ok(JByteArray::default()),
            Err(e) => env.byte_array_from_slice(&reply::failure(&e)),
        }
    })
    .resolve::<ThrowRuntimeExAndDefault>()
}

/// A future whose panic becomes the core's `internal_error` instead of killing a runtime task silently.
struct Guarded<'a>(Pin<Box<dyn Future<Output = Result<Value, Error>> + Send + 'a>>);

impl Future for Guarded<'_> {
    type Output = Result<Value, Error>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match catch_unwind(AssertUnwindSafe(|| self.0.as_mut().poll(cx))) {
            Ok(poll) => poll,
            Err(p) => Poll::Ready(Err(Error::from_panic(&*p))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_future_is_an_internal_error() {
        let rt = runtime::shared().unwrap();
        let r = rt.block_on(Guarded(Box::pin(async { panic!("overflow") })));
        assert_eq!(r.unwrap_err().code().as_str(), "internal_error");
        let r = rt.block_on(Guarded(Box::pin(async { Ok(json!(1)) })));
        assert_eq!(r.unwrap(), json!(1));
    }
}
