//! The shared tokio runtime behind the blocking facade and the bindings, rebuilt after a fork.

use std::sync::{Arc, Mutex};

use tokio::runtime::Runtime;

use crate::error::Error;

static RUNTIME: Mutex<Option<(u32, Arc<Runtime>)>> = Mutex::new(None);

/// The process's runtime for synchronous callers. After `fork()` (gunicorn,
/// Celery, PHP-FPM pre-fork) the parent's worker threads do not exist in the
/// child, so a child gets a runtime of its own; the parent's copy is leaked
/// on purpose, as dropping it would wait for threads that are not there.
pub fn shared() -> Result<Arc<Runtime>, Error> {
    let pid = std::process::id();
    let mut guard = RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((owner, rt)) = guard.as_ref()
        && *owner == pid
    {
        return Ok(rt.clone());
    }
    if let Some((_, stale)) = guard.take() {
        std::mem::forget(stale);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("pagoefectivo")
        .enable_all()
        .build()
        .map(Arc::new)
        .map_err(|e| Error::config(format!("cannot start the async runtime: {e}")))?;
    *guard = Some((pid, rt.clone()));
    Ok(rt)
}

/// Runs `future` to completion for a synchronous caller. Refuses (instead of
/// panicking) when called from inside an async runtime.
pub fn block_on<T>(future: impl std::future::Future<Output = Result<T, Error>>) -> Result<T, Error> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::config(
            "the blocking client was called from async code; use pagoefectivo::Client there",
        ));
    }
    shared()?.block_on(future)
}
