//! Python values <-> the core's types: Decimal and datetime via their text, durations, CIP numbers, request dicts.

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, NaiveDate};
use pagoefectivo::{CreateCipRequest, Decimal, Error, time};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::errors;

static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATETIME: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static FROMISOFORMAT: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static TIMEDELTA: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn cached<'py>(
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

/// `decimal.Decimal` with the exact digits of `d` (through its text, never a float).
pub fn decimal<'py>(py: Python<'py>, d: &Decimal) -> PyResult<Bound<'py, PyAny>> {
    cached(py, &DECIMAL, "decimal", &["Decimal"])?.call1((d.to_string(),))
}

/// An aware `datetime.datetime` for `t`, keeping its offset (-05:00 for Lima times).
pub fn datetime<'py>(py: Python<'py>, t: &DateTime<FixedOffset>) -> PyResult<Bound<'py, PyAny>> {
    cached(py, &FROMISOFORMAT, "datetime", &["datetime", "fromisoformat"])?.call1((t.to_rfc3339(),))
}

/// A `datetime.date`.
pub fn date<'py>(py: Python<'py>, d: &NaiveDate) -> PyResult<Bound<'py, PyAny>> {
    cached(py, &DATE, "datetime", &["date"])?.call_method1("fromisoformat", (d.to_string(),))
}

/// A `datetime.date` (or an ISO date string) as a `NaiveDate`.
pub fn naive_date(py: Python<'_>, value: &Bound<'_, PyAny>, field: &str) -> PyResult<NaiveDate> {
    let text = match scalar(py, value, false)? {
        Ok(Value::String(s)) if !is_datetime(py, value)? => s,
        _ => String::new(),
    };
    text.parse()
        .map_err(|_| errors::validation(py, field, "must be a datetime.date or a date like 2026-11-24"))
}

pub fn opt_datetime<'py>(py: Python<'py>, t: &Option<DateTime<FixedOffset>>) -> PyResult<Bound<'py, PyAny>> {
    match t {
        Some(t) => datetime(py, t),
        None => Ok(py.None().into_bound(py)),
    }
}

fn is_datetime(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    value.is_instance(&cached(py, &DATETIME, "datetime", &["datetime"])?)
}

fn is_decimal(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    value.is_instance(&cached(py, &DECIMAL, "decimal", &["Decimal"])?)
}

const NAIVE: &str = "must be a timezone-aware datetime (a naive datetime is ambiguous; \
    use datetime.now(timezone.utc) or attach a tzinfo)";
const NOT_A_TIME: &str = "must be an aware datetime or a time like 2026-11-25T18:00:00-05:00";

/// The ISO text of an aware datetime, or why the value is not one (`Ok(None)` = not a datetime).
fn aware_iso(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Option<Result<String, &'static str>>> {
    if !is_datetime(py, value)? {
        return Ok(None);
    }
    if value.call_method0("utcoffset")?.is_none() {
        return Ok(Some(Err(NAIVE)));
    }
    Ok(Some(Ok(value.call_method0("isoformat")?.extract()?)))
}

/// A datetime or time string as a Lima time; anything else is a validation error on `field`.
pub fn lima_time(py: Python<'_>, value: &Bound<'_, PyAny>, field: &str) -> PyResult<DateTime<FixedOffset>> {
    let text = if let Ok(s) = value.cast::<PyString>() {
        s.to_cow()?.into_owned()
    } else {
        match aware_iso(py, value)? {
            Some(Ok(text)) => text,
            Some(Err(why)) => return Err(errors::validation(py, field, why)),
            None => return Err(errors::validation(py, field, NOT_A_TIME)),
        }
    };
    time::parse(&text).map_err(|_| errors::validation(py, field, NOT_A_TIME))
}

/// A CIP number: a positive int that fits in 64 bits (bools refused).
pub fn cip_number(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<u64> {
    if value.is_instance_of::<PyInt>()
        && !value.is_instance_of::<PyBool>()
        && let Ok(n) = value.extract::<u64>()
        && n > 0
    {
        return Ok(n);
    }
    Err(errors::validation(py, "cip", "must be a positive CIP number (an int)"))
}

pub fn cip_numbers(py: Python<'_>, values: &Bound<'_, PyAny>) -> PyResult<Vec<u64>> {
    if values.is_instance_of::<PyString>() {
        return Err(errors::validation(py, "cips", "must be a list of CIP numbers, not a string"));
    }
    let iter =
        values.try_iter().map_err(|_| errors::validation(py, "cips", "must be a list of CIP numbers"))?;
    iter.map(|v| cip_number(py, &v?)).collect()
}

/// Seconds (int or float) or a `timedelta` as a `Duration`; `Err` says why not.
pub fn duration(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Result<Duration, &'static str>> {
    let secs: f64 = if value.is_instance(&cached(py, &TIMEDELTA, "datetime", &["timedelta"])?)? {
        value.call_method0("total_seconds")?.extract()?
    } else if (value.is_instance_of::<PyInt>() || value.is_instance_of::<PyFloat>())
        && !value.is_instance_of::<PyBool>()
    {
        value.extract()?
    } else {
        return Ok(Err("must be a number of seconds or a datetime.timedelta"));
    };
    if !secs.is_finite() || !(0.0..=1e9).contains(&secs) {
        return Ok(Err("must be a finite, non-negative number of seconds"));
    }
    Ok(Ok(Duration::from_secs_f64(secs)))
}

/// Same key normalisation as the core's `from_json` readers (`user_email` = `userEmail`).
fn norm(key: &str) -> String {
    key.split('.').map(|k| k.replace('_', "").to_ascii_lowercase()).collect::<Vec<_>>().join(".")
}

const FLOAT_AMOUNT: &str = "must be a decimal.Decimal, an int or a string like \"25.50\", not a float \
    (a float cannot hold money exactly)";

/// Keyword arguments as the JSON object a core `from_json` reader takes, plus
/// the binding's better message for values it knows more about than "wrong type".
pub struct RequestJson {
    pub json: Value,
    overrides: Vec<(String, &'static str)>,
}

impl RequestJson {
    pub fn from_kwargs(py: Python<'_>, params: &Bound<'_, PyDict>) -> PyResult<RequestJson> {
        let mut overrides = Vec::new();
        let json = dict_value(py, "", params, &mut overrides)?;
        Ok(RequestJson { json, overrides })
    }

    /// The first value refused by the binding itself (field path, why), if any.
    pub fn first_override(&self) -> Option<(&str, &'static str)> {
        self.overrides.first().map(|(k, why)| (k.as_str(), *why))
    }

    /// The core's error for this request, with the binding's messages where it has better ones.
    pub fn error(&self, py: Python<'_>, e: &Error) -> PyErr {
        if self.overrides.is_empty() || e.field_errors().is_empty() {
            return errors::to_py(py, e);
        }
        let fields = e
            .field_errors()
            .iter()
            .map(|f| {
                let mut f = f.clone();
                if let Some((_, why)) = self.overrides.iter().find(|(k, _)| norm(k) == norm(&f.field)) {
                    f.message = (*why).to_owned();
                }
                f
            })
            .collect();
        errors::validation_fields(py, fields)
    }
}

fn dict_value(
    py: Python<'_>,
    prefix: &str,
    dict: &Bound<'_, PyDict>,
    overrides: &mut Vec<(String, &'static str)>,
) -> PyResult<Value> {
    let mut map = Map::new();
    for (k, v) in dict.iter() {
        let key: String = k.extract().map_err(|_| errors::validation(py, prefix, "keys must be strings"))?;
        let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        map.insert(key, request_value(py, &path, &v, overrides)?);
    }
    Ok(Value::Object(map))
}

/// One request value as JSON. A value the core would refuse as the wrong type
/// becomes an empty list, so the core reports it with the other fields.
fn request_value(
    py: Python<'_>,
    path: &str,
    value: &Bound<'_, PyAny>,
    overrides: &mut Vec<(String, &'static str)>,
) -> PyResult<Value> {
    if let Ok(d) = value.cast::<PyDict>() {
        return dict_value(py, path, d, overrides);
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let items = value.try_iter()?.map(|v| request_value(py, path, &v?, overrides));
        return items.collect::<PyResult<Vec<_>>>().map(Value::Array);
    }
    match scalar(py, value, is_amount(path))? {
        Ok(v) => Ok(v),
        Err(why) => {
            if let Some(why) = why {
                overrides.push((path.to_owned(), why));
            }
            Ok(Value::Array(Vec::new()))
        }
    }
}

fn is_amount(path: &str) -> bool {
    let last = path.rsplit('.').next().unwrap_or(path);
    let n = norm(last);
    n == "amount" || n.ends_with("amount") || n == "amounttolerance"
}

/// A plain value (None, bool, int, str, Decimal, aware datetime, date) as
/// JSON; `Err(Some(why))` when the binding knows better than "wrong type".
pub fn scalar(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    money: bool,
) -> PyResult<Result<Value, Option<&'static str>>> {
    if value.is_none() {
        return Ok(Ok(Value::Null));
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Ok(Value::Bool(b.is_true())));
    }
    if value.is_instance_of::<PyInt>() {
        let text = value.str()?.to_cow()?.into_owned();
        return Ok(Number::from_str(&text).map(Value::Number).map_err(|_| None));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Ok(Value::String(s.to_cow()?.into_owned())));
    }
    if value.is_instance_of::<PyFloat>() {
        return Ok(Err(if money { Some(FLOAT_AMOUNT) } else { None }));
    }
    if is_decimal(py, value)? {
        if !value.call_method0("is_finite")?.extract::<bool>()? {
            return Ok(Err(Some("must be a finite decimal")));
        }
        let text = value.str()?.to_cow()?.into_owned();
        return Ok(Number::from_str(&text).map(Value::Number).map_err(|_| Some("must be a decimal number")));
    }
    if let Some(iso) = aware_iso(py, value)? {
        return Ok(iso.map(Value::String).map_err(Some));
    }
    if value.is_instance(&cached(py, &DATE, "datetime", &["date"])?)? {
        return Ok(Ok(Value::String(value.call_method0("isoformat")?.extract()?)));
    }
    Ok(Err(None))
}

/// A creation request from keyword arguments, through the core's `from_json` so
/// every field problem is reported at once, with the core's field names.
pub fn cip_request(py: Python<'_>, params: &Bound<'_, PyDict>) -> PyResult<CreateCipRequest> {
    let req = RequestJson::from_kwargs(py, params)?;
    CreateCipRequest::from_json(&req.json).map_err(|e| req.error(py, &e))
}

/// A JSON value as plain Python data; numbers stay exact (int or Decimal).
pub fn json_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            let text = n.to_string();
            match text.parse::<i64>() {
                Ok(i) => i.into_pyobject(py)?.into_any(),
                Err(_) => cached(py, &DECIMAL, "decimal", &["Decimal"])?.call1((text,))?,
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// Plain Python data (dict, list, str, int, bool, None, Decimal) as JSON, for sandbox faults.
pub fn py_to_json(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Value> {
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in dict.iter() {
            map.insert(k.extract()?, py_to_json(py, &v)?);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(list) = value.cast::<PyList>() {
        return list.iter().map(|v| py_to_json(py, &v)).collect::<PyResult<Vec<_>>>().map(Value::Array);
    }
    if value.is_instance_of::<PyFloat>() {
        let f: f64 = value.extract()?;
        return Ok(Number::from_str(&format!("{f}")).map(Value::Number).unwrap_or(Value::Null));
    }
    match scalar(py, value, false)? {
        Ok(v) => Ok(v),
        Err(_) => Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "cannot send a {} to the sandbox",
            value.get_type().name()?
        ))),
    }
}

/// `text` as a Python string literal, for reprs.
pub fn q(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}
