//! Python values <-> the JSON the core reads and writes; the core decides what the values may be.
//!
//! Python to JSON is plain type conversion: `Decimal` as its text, `int` as
//! an exact integer (any size), `float` as a JSON float (so the core can refuse
//! it as money), aware or naive `datetime` and `date` as ISO text, mappings as
//! objects, other iterables as arrays, paths as text. A value with no JSON form
//! (a lone surrogate, a NaN float, an object of another type) is a conversion
//! problem: a `validation_error` naming the field, reported together with the
//! core's own findings for the request.

use std::str::FromStr;

use pagoefectivo::boundary::ops;
use pagoefectivo::{Error, FieldError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple,
};
use serde_json::{Map, Number, Value};

use crate::errors;

static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static FSPATH: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

pub fn cached<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    module: &str,
    path: &[&str],
) -> PyResult<Bound<'py, PyAny>> {
    let obj = cell.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        let mut obj = py.import(module)?.into_any();
        for attr in path {
            obj = obj.getattr(*attr)?;
        }
        Ok(obj.unbind())
    })?;
    Ok(obj.bind(py).clone())
}

/// `decimal.Decimal` of a decimal text (exact digits, never a float).
pub fn decimal<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    cached(py, &DECIMAL, "decimal", &["Decimal"])?.call1((text,))
}

/// An aware `datetime.datetime` from the core's RFC 3339 text, keeping its offset.
pub fn datetime<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    cached(py, &DATETIME, "datetime", &["datetime"])?.call_method1("fromisoformat", (text,))
}

/// A `datetime.date` from `YYYY-MM-DD`.
pub fn date<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    cached(py, &DATE, "datetime", &["date"])?.call_method1("fromisoformat", (text,))
}

/// `text` as a Python string literal, for reprs.
pub fn q(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

const SURROGATE: &str = "is not valid Unicode text (it holds a lone surrogate); pass UTF-8-encodable text";
const NOT_FINITE: &str = "is not a finite number";

/// A value that has no JSON form, found while converting (`path` as the caller spelled it).
struct Problem {
    path: String,
    message: String,
    /// Said instead of the core's message for the same field (the core saw a placeholder).
    replaces: bool,
}

/// Caller input as the core's JSON, with what could not be converted.
pub struct Input {
    pub json: Value,
    problems: Vec<Problem>,
}

/// `userEmail`, `user_email` and `USER_EMAIL` name one field (as the core compares keys).
fn norm(key: &str) -> String {
    key.chars().filter(|c| *c != '_').flat_map(char::to_lowercase).collect()
}

impl Input {
    pub fn of(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Input> {
        Input::named(py, value, "")
    }

    /// One argument, its problems reported on `field`.
    pub fn named(py: Python<'_>, value: &Bound<'_, PyAny>, field: &str) -> PyResult<Input> {
        let mut problems = Vec::new();
        let json = to_json(py, value, field, &mut problems)?;
        Ok(Input { json, problems })
    }

    /// Refuses the input if a value could not be converted. `validator` (an op of
    /// `ops::call`) reports the core's own findings for the same input at the same time.
    pub fn check(&self, py: Python<'_>, validator: Option<&str>) -> PyResult<()> {
        if self.problems.is_empty() {
            return Ok(());
        }
        let core = match validator.map(|op| ops::call(op, &self.json)) {
            Some(Err(e)) if !e.field_errors().is_empty() => e.field_errors().to_vec(),
            _ => Vec::new(),
        };
        Err(errors::to_py(py, &self.merged(core)))
    }

    /// The core's error for this input, with the conversion problems folded in.
    pub fn error(&self, py: Python<'_>, e: &Error) -> PyErr {
        if self.problems.is_empty() {
            return errors::to_py(py, e);
        }
        errors::to_py(py, &self.merged(e.field_errors().to_vec()))
    }

    fn merged(&self, core: Vec<FieldError>) -> Error {
        let mut fields: Vec<FieldError> = core
            .into_iter()
            .map(|mut f| {
                if let Some(p) = self.problems.iter().find(|p| p.replaces && norm(&p.path) == norm(&f.field))
                {
                    f.message = p.message.clone();
                }
                f
            })
            .collect();
        for p in &self.problems {
            if !fields.iter().any(|f| norm(&f.field) == norm(&p.path)) {
                let field = if p.path.is_empty() { "value" } else { &p.path };
                fields.push(FieldError::invalid(field, p.message.clone()));
            }
        }
        Error::invalid_fields(fields)
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

/// A placeholder every core reader refuses as the wrong type, so the core still
/// reports the rest of the request; the problem says what was wrong.
fn unconvertible(problems: &mut Vec<Problem>, path: &str, message: String, replaces: bool) -> Value {
    problems.push(Problem { path: path.to_owned(), message, replaces });
    Value::Array(Vec::new())
}

fn text(s: &Bound<'_, PyString>, path: &str, problems: &mut Vec<Problem>) -> Value {
    match s.to_cow() {
        Ok(t) => Value::String(t.into_owned()),
        Err(_) => unconvertible(problems, path, SURROGATE.to_owned(), true),
    }
}

/// An int as an exact JSON integer, of any size (`str(int)` is limited to 4300 digits; `Decimal` is not).
fn integer(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Value> {
    if let Ok(i) = value.extract::<i64>() {
        return Ok(Value::from(i));
    }
    if let Ok(u) = value.extract::<u64>() {
        return Ok(Value::from(u));
    }
    let digits: String = cached(py, &DECIMAL, "decimal", &["Decimal"])?.call1((value,))?.str()?.extract()?;
    Ok(Number::from_str(&digits).map(Value::Number).unwrap_or(Value::String(digits)))
}

fn to_json(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    path: &str,
    problems: &mut Vec<Problem>,
) -> PyResult<Value> {
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        return integer(py, value);
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(text(s, path, problems));
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        // A JSON float (`25.5`, `25.0`, `1e+300`): the core refuses it as money and counts.
        return Ok(match Number::from_f64(f.value()) {
            Some(n) => Value::Number(n),
            None => unconvertible(problems, path, NOT_FINITE.to_owned(), true),
        });
    }
    if value.is_instance(&cached(py, &DECIMAL, "decimal", &["Decimal"])?)? {
        return Ok(Value::String(value.str()?.extract()?));
    }
    // datetime before date (a datetime is a date): ISO text, with its offset when aware.
    if value.is_instance(&cached(py, &DATETIME, "datetime", &["datetime"])?)?
        || value.is_instance(&cached(py, &DATE, "datetime", &["date"])?)?
    {
        return Ok(Value::String(value.call_method0("isoformat")?.extract()?));
    }
    if let Ok(d) = value.cast::<PyDict>() {
        return object(py, d.iter(), path, problems);
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        return array(py, value, path, problems);
    }
    if value.is_instance_of::<PyBytes>() || value.is_instance_of::<PyByteArray>() {
        let got = value.get_type().name()?;
        return Ok(unconvertible(problems, path, format!("must not be {got} (pass text)"), false));
    }
    if value.hasattr("__fspath__")? {
        let p = cached(py, &FSPATH, "os", &["fspath"])?.call1((value,))?;
        return to_json(py, &p, path, problems);
    }
    if let Ok(m) = value.cast::<PyMapping>() {
        let items = m.items()?;
        let pairs: Vec<(Bound<'_, PyAny>, Bound<'_, PyAny>)> =
            items.iter().map(|i| i.extract()).collect::<PyResult<_>>()?;
        return object(py, pairs.into_iter(), path, problems);
    }
    if value.hasattr("__iter__")? {
        return array(py, value, path, problems);
    }
    let got = value.get_type().name()?;
    Ok(unconvertible(problems, path, format!("has a type the SDK cannot send ({got})"), false))
}

fn object<'py>(
    py: Python<'py>,
    items: impl Iterator<Item = (Bound<'py, PyAny>, Bound<'py, PyAny>)>,
    path: &str,
    problems: &mut Vec<Problem>,
) -> PyResult<Value> {
    let mut map = Map::new();
    for (k, v) in items {
        let Ok(key) = k.cast::<PyString>() else {
            unconvertible(problems, path, "keys must be strings".to_owned(), false);
            continue;
        };
        let Ok(key) = key.to_cow() else {
            unconvertible(problems, path, format!("has a key that {SURROGATE}"), false);
            continue;
        };
        let inner = to_json(py, &v, &child(path, &key), problems)?;
        map.insert(key.into_owned(), inner);
    }
    Ok(Value::Object(map))
}

fn array(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    path: &str,
    problems: &mut Vec<Problem>,
) -> PyResult<Value> {
    let items = value.try_iter()?.map(|v| to_json(py, &v?, path, problems));
    items.collect::<PyResult<Vec<_>>>().map(Value::Array)
}

/// A core JSON value as plain Python data: integers as `int`, other numbers as
/// `Decimal` (exact), objects as `dict`, arrays as `list`.
pub fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) if !pagoefectivo::boundary::input::is_float_text(n) => match n.as_i64() {
            Some(i) => i.into_pyobject(py)?.into_any(),
            None => py.get_type::<PyInt>().call1((n.as_str(),))?,
        },
        Value::Number(n) => decimal(py, n.as_str())?,
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}
