//! The in-process sandbox for the caller's tests (`pagoefectivo-testing`), behind the `sandbox` feature.
//!
//! The lean production library (`--no-default-features`) keeps these three symbols, so one header
//! serves both builds, but holds no sandbox: starting one is a `configuration_error`.

use pagoefectivo::Error;
use serde_json::Value;

/// A running sandbox on 127.0.0.1 (opaque to C).
pub struct PeSandbox {
    #[cfg(feature = "sandbox")]
    inner: pagoefectivo_testing::TestSandbox,
}

impl PeSandbox {
    /// Starts one from `options` (unknown options are refused, named).
    #[cfg(feature = "sandbox")]
    pub fn start(options: &Value) -> Result<PeSandbox, Error> {
        Ok(PeSandbox { inner: pagoefectivo_testing::TestSandbox::start(options)? })
    }

    #[cfg(not(feature = "sandbox"))]
    pub fn start(_options: &Value) -> Result<PeSandbox, Error> {
        Err(Error::new(
            pagoefectivo::ErrorCode::ConfigurationError,
            "this pagoefectivo library was built without the sandbox (cargo feature `sandbox`): \
             load the testing build for tests",
        ))
    }

    /// `{baseUrl, idService, accessKey, secretKey}`: the demo credentials, not secrets.
    pub fn info(&self) -> Value {
        #[cfg(feature = "sandbox")]
        return self.inner.info();
        #[cfg(not(feature = "sandbox"))]
        Value::Null
    }

    /// A control operation (`pagoefectivo_testing::CONTROL_OPS`).
    pub fn call(&self, op: &str, args: &Value) -> Result<Value, Error> {
        #[cfg(feature = "sandbox")]
        return self.inner.call(op, args);
        #[cfg(not(feature = "sandbox"))]
        {
            let _ = args;
            Err(pagoefectivo::boundary::ops::unknown_op(op))
        }
    }
}
