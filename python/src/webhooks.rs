//! Webhook verification over the raw body bytes; anything but bytes gets an error that says how to get them.

use std::borrow::Cow;

use pagoefectivo::webhook;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyMemoryView, PyString};

use crate::{errors, models};

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

fn signature_text(py: Python<'_>, signature: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if signature.is_none() {
        return Ok(None);
    }
    if let Ok(s) = signature.cast::<PyString>() {
        return Ok(Some(s.to_cow()?.into_owned()));
    }
    if let Ok(b) = signature.cast::<PyBytes>() {
        // Non-ASCII bytes cannot be hex: the core reports a malformed signature.
        return Ok(Some(String::from_utf8_lossy(b.as_bytes()).into_owned()));
    }
    Err(errors::validation(py, "signature", "must be the PE-Signature header as a str (or None)"))
}

/// Verifies `PE-Signature` over the raw body, then parses the typed event.
#[pyfunction]
fn construct_event(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    signature: &Bound<'_, PyAny>,
    secret: &str,
) -> PyResult<Py<PyAny>> {
    let bytes = raw_bytes(py, body)?;
    let signature = signature_text(py, signature)?;
    let event = webhook::verify(&bytes, signature.as_deref(), secret).map_err(|e| errors::to_py(py, &e))?;
    models::event(py, event)
}

/// `lowercase_hex(HMAC-SHA256(secret, body))`: what PagoEfectivo sends, to test your own endpoint.
#[pyfunction]
fn sign(py: Python<'_>, body: &Bound<'_, PyAny>, secret: &str) -> PyResult<String> {
    Ok(webhook::sign(&raw_bytes(py, body)?, secret))
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(construct_event, m)?)?;
    m.add_function(wrap_pyfunction!(sign, m)?)
}
