//! Core errors as JS exceptions (the TypeScript layer builds the typed class), and panics as `internal_error`.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::task::Poll;

use pagoefectivo::Error;
use serde_json::Value;

/// Every exception this addon raises on purpose has a message starting with
/// this marker, followed by the core's error as JSON; `ts/errors.ts`
/// recognises it and builds the typed class. (napi's factories and
/// constructors only throw its own status codes, so the marker travels in the message.)
pub const ERROR_MARKER: &str = "PagoEfectivoError:";

pub type Result<T> = std::result::Result<T, napi::Error>;

/// A core error with every field the core serializes (none holds a secret).
pub fn raise(e: &Error) -> napi::Error {
    let mut v = serde_json::to_value(e).unwrap_or_else(|_| serde_json::json!({"code": e.code().as_str()}));
    if let Value::Object(map) = &mut v {
        map.insert("display".into(), e.to_string().into());
    }
    napi::Error::new(napi::Status::GenericFailure, format!("{ERROR_MARKER}{v}"))
}

pub trait IntoNapi<T> {
    fn napi(self) -> Result<T>;
}

impl<T> IntoNapi<T> for std::result::Result<T, Error> {
    fn napi(self) -> Result<T> {
        self.map_err(|e| raise(&e))
    }
}

/// The arguments the TypeScript layer wrote as JSON text (one string through N-API).
pub fn parse(text: &str) -> std::result::Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| Error::invalid_field("arguments", format!("are not JSON: {e}")))
}

/// Runs `f`, turning a panic into the core's `internal_error`.
pub fn guard<T>(f: impl FnOnce() -> std::result::Result<T, Error>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r.napi(),
        Err(panic) => Err(raise(&Error::from_panic(&*panic))),
    }
}

/// Awaits `fut`, turning a panic while it is polled into the core's `internal_error`.
pub async fn guarded<T>(fut: impl Future<Output = std::result::Result<T, Error>>) -> Result<T> {
    let mut fut = std::pin::pin!(fut);
    std::future::poll_fn(move |cx| match catch_unwind(AssertUnwindSafe(|| fut.as_mut().poll(cx))) {
        Ok(Poll::Ready(r)) => Poll::Ready(r.napi()),
        Ok(Poll::Pending) => Poll::Pending,
        Err(panic) => Poll::Ready(Err(raise(&Error::from_panic(&*panic)))),
    })
    .await
}

/// Runs `work` on a blocking thread of the runtime (file reading, CSV parsing, the reconciliation engine).
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> std::result::Result<T, Error> + Send + 'static,
) -> Result<T> {
    match tokio::task::spawn_blocking(move || catch_unwind(AssertUnwindSafe(work))).await {
        Ok(Ok(r)) => r.napi(),
        Ok(Err(panic)) => Err(raise(&Error::from_panic(&*panic))),
        Err(e) => Err(raise(&Error::internal(&format!("a worker task failed: {e}")))),
    }
}
