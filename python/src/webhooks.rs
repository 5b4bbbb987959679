//! Webhook verification over the raw body bytes; anything but bytes gets an error that says how to get them.

use std::borrow::Cow;

use pagoefectivo::boundary::input;
use pagoefectivo::webhook;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyMemoryView, PyString};
use serde_json::Value;

use crate::convert::Input;
use crate::errors::{self, guard};
use crate::records;

/// The body as bytes, or a `RawBodyError` explaining how to get them.
fn raw_bytes<'a>(py: Python<'_>, body: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(b) = body.cast::<PyBytes>() {
        return Ok(Cow::Borrowed(b.as_bytes()));
    }
    if let Ok(b) = body.cast::<PyByteArray>() {
        return Ok(Cow::Owned(b.to_vec()));
    }
    if body.is_instance_of::<PyMemoryView>() {
        return Ok(Cow::Owned(body.call_method0("tobytes")?.cast::<PyBytes>()?.as_bytes().to_vec()));
    }
    let got = if body.is_instance_of::<PyString>() {
        "a str (decoded text may differ from the signed bytes)".to_owned()
    } else if body.is_instance_of::<PyDict>() || body.is_instance_of::<PyList>() {
        "parsed JSON (re-serializing never reproduces the signed bytes)".to_owned()
    } else {
        format!("a {}", body.get_type().name()?)
    };
    Err(errors::raw_body(py, &format!("must be bytes, got {got}; {}", webhook::RAW_BODY_HINT)))
}

/// A text argument (a `str`; `bytes` too for a header value), or a `ValidationError` naming it.
fn text(py: Python<'_>, value: &Bound<'_, PyAny>, field: &str, what: &str) -> PyResult<Option<String>> {
    if value.is_none() {
        return Ok(None);
    }
    if let Ok(b) = value.cast::<PyBytes>() {
        // Non-ASCII bytes cannot be hex: the core reports a malformed signature.
        return Ok(Some(String::from_utf8_lossy(b.as_bytes()).into_owned()));
    }
    let input = Input::named(py, value, field)?;
    input.check(py, None)?;
    match input.json {
        Value::String(s) => Ok(Some(s)),
        _ => Err(errors::invalid(py, field, what)),
    }
}

/// Verifies `PE-Signature` over the raw body (at most `max_body_bytes`), then parses the typed event.
#[pyfunction]
#[pyo3(signature = (body, signature, secret, max_body_bytes=None))]
fn construct_event(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    signature: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
    max_body_bytes: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    guard(py, || {
        let bytes = raw_bytes(py, body)?;
        let signature =
            text(py, signature, "signature", "must be the PE-Signature header as a str (or None)")?;
        let secret = text(py, secret, "secret", "must be the secret key, a str")?
            .filter(|_| !secret.is_instance_of::<PyBytes>())
            .ok_or_else(|| errors::invalid(py, "secret", "must be the secret key, a str"))?;
        let max = match max_body_bytes.filter(|m| !m.is_none()) {
            None => webhook::DEFAULT_MAX_BODY_BYTES,
            Some(m) => input::count(&Input::of(py, m)?.json, "maxBodyBytes", u32::MAX.into())
                .map_err(|e| errors::to_py(py, &e))? as usize,
        };
        let event = webhook::verify_within(&bytes, signature.as_deref(), &secret, max)
            .map_err(|e| errors::to_py(py, &e))?;
        records::event(py, event)
    })
}

/// `lowercase_hex(HMAC-SHA256(secret, body))`: what PagoEfectivo sends, to test your own endpoint.
#[pyfunction]
fn sign(py: Python<'_>, body: &Bound<'_, PyAny>, secret: &Bound<'_, PyAny>) -> PyResult<String> {
    guard(py, || {
        let secret = text(py, secret, "secret", "must be the secret key, a str")?
            .ok_or_else(|| errors::invalid(py, "secret", "must be the secret key, a str"))?;
        Ok(webhook::sign(&raw_bytes(py, body)?, &secret))
    })
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("SIGNATURE_HEADER", webhook::SIGNATURE_HEADER)?;
    m.add("DEFAULT_MAX_BODY_BYTES", webhook::DEFAULT_MAX_BODY_BYTES)?;
    m.add_function(wrap_pyfunction!(construct_event, m)?)?;
    m.add_function(wrap_pyfunction!(sign, m)?)
}
