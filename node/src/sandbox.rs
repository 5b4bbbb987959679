//! `NativeSandbox`: the shared sandbox driver (`pagoefectivo-testing`) for `pagoefectivo/testing`.
//!
//! The driver runs the sandbox on the core's shared runtime and waits on it
//! with `block_on`; whatever can wait (start-up, waiting for deliveries,
//! shutdown) runs on a thread of its own, so the event loop, which may be
//! the one receiving the sandbox's notifications, stays free.

use std::sync::{Arc, RwLock};

use napi_derive::napi;
use pagoefectivo::Error;
use pagoefectivo_testing::TestSandbox;
use serde_json::Value;

use crate::errors::{IntoNapi, Result, guard, parse};

type Shared = Arc<RwLock<Option<TestSandbox>>>;

#[napi]
pub struct NativeSandbox {
    sandbox: Shared,
}

/// Runs `work` on a thread of its own and resolves with its result.
async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> std::result::Result<T, Error> + Send + 'static,
) -> Result<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)));
    });
    match rx.await {
        Ok(Ok(r)) => r.napi(),
        Ok(Err(panic)) => Err(Error::from_panic(&*panic)).napi(),
        Err(_) => Err(Error::internal("the sandbox thread ended without an answer")).napi(),
    }
}

fn run(sandbox: &Shared, op: &str, args: &Value) -> std::result::Result<String, Error> {
    let guard = sandbox.read().unwrap_or_else(|p| p.into_inner());
    let s = guard
        .as_ref()
        .ok_or_else(|| Error::new(pagoefectivo::ErrorCode::InvalidState, "the sandbox was stopped"))?;
    Ok(s.call(op, args)?.to_string())
}

#[napi]
impl NativeSandbox {
    /// Starts a sandbox on 127.0.0.1 (`TestSandbox::start`: an unknown option is refused).
    #[napi(ts_return_type = "Promise<NativeSandbox>")]
    pub async fn start(options: String) -> Result<NativeSandbox> {
        let started = off_thread(move || TestSandbox::start(&parse(&options)?)).await?;
        Ok(NativeSandbox { sandbox: Arc::new(RwLock::new(Some(started))) })
    }

    /// A control operation by name (`pagoefectivo_testing::CONTROL_OPS`): JSON text in, JSON text out.
    /// Waiting for deliveries goes through [`NativeSandbox::call_waiting`].
    #[napi]
    pub fn call(&self, op: String, args: String) -> Result<String> {
        guard(|| run(&self.sandbox, &op, &parse(&args)?))
    }

    /// [`NativeSandbox::call`] on a thread of its own, for operations that wait (`deliveries` with a `count`).
    #[napi]
    pub async fn call_waiting(&self, op: String, args: String) -> Result<String> {
        let sandbox = self.sandbox.clone();
        off_thread(move || run(&sandbox, &op, &parse(&args)?)).await
    }

    /// Stops the server (in-flight requests get a grace period). Idempotent.
    #[napi]
    pub async fn stop(&self) -> Result<()> {
        let sandbox = self.sandbox.clone();
        off_thread(move || {
            let taken = sandbox.write().unwrap_or_else(|p| p.into_inner()).take();
            drop(taken); // shuts the server down
            Ok(())
        })
        .await
    }
}

impl Drop for NativeSandbox {
    /// A sandbox collected without `stop()` shuts down off the JS thread.
    fn drop(&mut self) {
        let running = self.sandbox.read().map(|s| s.is_some()).unwrap_or(true);
        if running {
            let sandbox = self.sandbox.clone();
            std::thread::spawn(move || drop(sandbox.write().unwrap_or_else(|p| p.into_inner()).take()));
        }
    }
}
