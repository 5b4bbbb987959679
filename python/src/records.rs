//! Typed results (CIPs, refunds, webhook events) over the core's own JSON of them, converted on access.
//!
//! Each class holds the object the core serialized (the shape of
//! `schema/pagoefectivo.schema.json`, keys in camelCase) and converts a field
//! when it is read: money to `Decimal`, times to aware `datetime`s, statuses to
//! their enums. The fields are declared once below, by name and kind.

use pagoefectivo::{CipStatus, Event, RefundStatus};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;
use serde_json::{Map, Value};

use crate::convert::{self, q};

static CIP_STATUS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static REFUND_STATUS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static CLASS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// How a JSON field becomes a Python value (`null` is always `None`).
#[derive(Clone, Copy)]
pub enum Kind {
    /// Text, integers, booleans, nested data (numbers exact).
    Plain,
    /// A decimal string -> `Decimal`.
    Money,
    /// RFC 3339 text -> aware `datetime`.
    Time,
    /// `YYYY-MM-DD` -> `date`.
    Date,
    /// A status name -> `CipStatus`.
    CipStatus,
    /// A status name -> `RefundStatus` (`UNKNOWN` for one this version does not know).
    RefundStatus,
    /// A reconciliation class name -> `reconcile.Class`.
    Class,
}

/// One result: the core's JSON object, and the core event behind a webhook result (whose
/// JSON is made on first read: verifying a notification costs no serialization).
pub struct Record {
    data: PyOnceLock<Map<String, Value>>,
    event: Option<Event>,
}

impl PartialEq for Record {
    fn eq(&self, other: &Record) -> bool {
        Python::attach(|py| self.data(py) == other.data(py))
    }
}

/// A field: Python name, JSON key, kind, shown in the repr.
pub type Field = (&'static str, &'static str, Kind, bool);

/// The member `value` of the enum `module.name`.
fn member<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    module: &str,
    name: &str,
    value: &str,
) -> PyResult<Bound<'py, PyAny>> {
    convert::cached(py, cell, module, &[name])?.call1((value,))
}

/// `CipStatus` of `pagoefectivo.models` for a status name.
pub fn cip_status<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    member(py, &CIP_STATUS, "pagoefectivo.models", "CipStatus", name)
}

/// `reconcile.Class` for a class name.
pub fn class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    member(py, &CLASS, "pagoefectivo.reconcile", "Class", name)
}

impl Record {
    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    pub fn new(value: Value) -> Record {
        let data = PyOnceLock::new();
        // A fresh cell: always empty, so this `set` cannot fail.
        let _ = Python::attach(|py| data.set(py, Record::object(value)));
        Record { data, event: None }
    }

    /// A core value's JSON; `extra` adds what the core computes but does not serialize.
    pub fn of<T: serde::Serialize>(value: &T, extra: &[(&str, Value)]) -> Record {
        let mut map = Record::object(serde_json::to_value(value).unwrap_or(Value::Null));
        for (k, v) in extra {
            map.insert((*k).to_owned(), v.clone());
        }
        Record::new(Value::Object(map))
    }

    pub fn of_event(event: Event) -> Record {
        Record { data: PyOnceLock::new(), event: Some(event) }
    }

    pub fn event(&self) -> Option<&Event> {
        self.event.as_ref()
    }

    /// The JSON object (for an event, the core's serialization: `type`, `eventType`, `dedupKey` and its fields).
    fn data(&self, py: Python<'_>) -> &Map<String, Value> {
        self.data.get_or_init(py, || {
            Record::object(
                self.event.as_ref().and_then(|e| serde_json::to_value(e).ok()).unwrap_or(Value::Null),
            )
        })
    }

    pub fn value(&self, py: Python<'_>, key: &str) -> &Value {
        self.data(py).get(key).unwrap_or(&Value::Null)
    }

    pub fn text(&self, py: Python<'_>, key: &str) -> &str {
        self.value(py, key).as_str().unwrap_or_default()
    }

    pub fn get<'py>(&self, py: Python<'py>, key: &str, kind: Kind) -> PyResult<Bound<'py, PyAny>> {
        let value = self.value(py, key);
        let Value::String(s) = value else { return convert::to_py(py, value) };
        match kind {
            Kind::Plain => convert::to_py(py, value),
            Kind::Money => convert::decimal(py, s),
            Kind::Time => convert::datetime(py, s),
            Kind::Date => convert::date(py, s),
            Kind::CipStatus => cip_status(py, s),
            Kind::RefundStatus => member(py, &REFUND_STATUS, "pagoefectivo.models", "RefundStatus", s),
            Kind::Class => class(py, s),
        }
    }

    pub fn to_dict<'py>(&self, py: Python<'py>, fields: &[Field]) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for (name, key, kind, _) in fields {
            d.set_item(name, self.get(py, key, *kind)?)?;
        }
        Ok(d)
    }

    pub fn repr(&self, py: Python<'_>, class: &str, fields: &[Field]) -> String {
        let shown: Vec<String> = fields
            .iter()
            .filter(|f| f.3)
            .map(|(name, key, kind, _)| {
                let v = match (self.value(py, key), kind) {
                    (Value::Null, _) => "None".to_owned(),
                    (Value::String(s), Kind::Money) => format!("Decimal({})", q(s)),
                    (Value::String(s), _) => q(s),
                    (Value::Bool(b), _) => if *b { "True" } else { "False" }.to_owned(),
                    (other, _) => other.to_string(),
                };
                format!("{name}={v}")
            })
            .collect();
        format!("{class}({})", shown.join(", "))
    }
}

/// A frozen result class: getters for `$field`s, `to_dict`, a readable `repr`, equality.
#[macro_export]
macro_rules! record {
    ($(#[$doc:meta])* $name:ident in $module:literal {
        $($field:ident: $kind:ident = $key:literal, $shown:literal;)*
    } $({ $($extra:tt)* })?) => {
        $(#[$doc])*
        #[pyclass(frozen, eq, module = $module)]
        #[derive(PartialEq)]
        pub struct $name(pub $crate::records::Record);

        impl $name {
            const FIELDS: &'static [$crate::records::Field] =
                &[$((stringify!($field), $key, $crate::records::Kind::$kind, $shown)),*];
        }

        #[pymethods]
        impl $name {
            $(
                #[getter]
                fn $field<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                    self.0.get(py, $key, $crate::records::Kind::$kind)
                }
            )*
            /// Plain data (snake_case keys, `Decimal` and `datetime` values), e.g. to store in a JSON field.
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
                self.0.to_dict(py, Self::FIELDS)
            }
            fn __repr__(&self, py: Python<'_>) -> String {
                self.0.repr(py, stringify!($name), Self::FIELDS)
            }
            $($($extra)*)?
        }
    };
}

record! {
    /// A newly created CIP: the code to show the shopper and its voucher page.
    Cip in "pagoefectivo" {
        cip: Plain = "cip", true;
        currency: Plain = "currency", true;
        amount: Money = "amount", true;
        transaction_code: Plain = "transactionCode", true;
        date_expiry: Time = "dateExpiry", true;
        cip_url: Plain = "cipUrl", true;
    }
}

record! {
    /// A CIP as a search reports it: status, amounts and dates.
    CipInfo in "pagoefectivo" {
        cip: Plain = "cip", true;
        status: CipStatus = "status", true;
        amount: Money = "amount", true;
        currency: Plain = "currency", true;
        transaction_code: Plain = "transactionCode", true;
        date_expiry: Time = "dateExpiry", true;
        date_payment: Time = "datePayment", true;
        status_code: Plain = "statusCode", false;
        status_name: Plain = "statusName", false;
        date_creation: Time = "dateCreation", false;
        date_removal: Time = "dateRemoval", false;
        token: Plain = "token", false;
    } {
        /// Paid, expired and deleted do not change again (barring an extension of an expired CIP).
        #[getter]
        fn is_final(&self, py: Python<'_>) -> bool {
            let code = self.0.value(py, "statusCode").as_u64().and_then(|c| u32::try_from(c).ok());
            code.is_some_and(|c| CipStatus::from_code(c).is_final())
        }
    }
}

record! {
    /// A refund: requested, then processing, then refunded or rejected.
    Refund in "pagoefectivo" {
        refund_id: Plain = "refundId", true;
        cip: Plain = "cip", true;
        merchant_refund_id: Plain = "merchantRefundId", true;
        status: RefundStatus = "status", true;
        currency: Plain = "currency", true;
        amount: Money = "amount", true;
        reason_code: Plain = "reasonCode", true;
        reason: Plain = "reason", false;
        status_name: Plain = "status", false;
        date_creation: Time = "dateCreation", false;
        date_update: Time = "dateUpdate", false;
    } {
        #[getter]
        fn is_final(&self, py: Python<'_>) -> bool {
            RefundStatus::parse(self.0.text(py, "status")).is_final()
        }
    }
}

record! {
    /// What can still be refunded on a CIP, and until when.
    RefundEligibility in "pagoefectivo" {
        cip: Plain = "cip", true;
        currency: Plain = "currency", true;
        paid_amount: Money = "paidAmount", true;
        refunded_amount: Money = "refundedAmount", true;
        refundable_amount: Money = "refundableAmount", true;
        deadline: Time = "deadline", true;
        blocked_by: Plain = "blockedBy", true;
        payment_date: Time = "paymentDate", false;
        seconds_left: Plain = "secondsLeft", false;
    }
}

record! {
    /// A verified `cip.paid` notification: the money is confirmed.
    CipPaidEvent in "pagoefectivo.webhooks" {
        cip: Plain = "cip", true;
        operation_number: Plain = "operationNumber", true;
        currency: Plain = "currency", true;
        amount: Money = "amount", true;
        payment_date: Time = "paymentDate", true;
        transaction_code: Plain = "transactionCode", true;
        event_type: Plain = "eventType", false;
        dedup_key: Plain = "dedupKey", false;
    }
}

record! {
    /// A verified refund notification (`refund.processing`, `refund.refunded`, `refund.rejected`, `cip.refunded`).
    RefundEvent in "pagoefectivo.webhooks" {
        event_type: Plain = "eventType", true;
        cip: Plain = "cip", true;
        refund_id: Plain = "refundId", true;
        status: RefundStatus = "status", true;
        currency: Plain = "currency", true;
        amount: Money = "amount", true;
        operation_number: Plain = "operationNumber", false;
        merchant_refund_id: Plain = "merchantRefundId", false;
        reason_code: Plain = "reasonCode", false;
        status_name: Plain = "status", false;
        dedup_key: Plain = "dedupKey", false;
    }
}

record! {
    /// Any other verified notification (`cip.expired`, future types), with its parsed body.
    OtherEvent in "pagoefectivo.webhooks" {
        event_type: Plain = "eventType", true;
        operation_number: Plain = "operationNumber", true;
        cip: Plain = "cip", true;
        body: Plain = "body", false;
        dedup_key: Plain = "dedupKey", false;
    }
}

/// The Python object for a verified event.
pub fn event(py: Python<'_>, e: Event) -> PyResult<Py<PyAny>> {
    let kind = e.kind();
    let record = Record::of_event(e);
    Ok(match kind {
        "cip_paid" => Py::new(py, CipPaidEvent(record))?.into_any(),
        "refund" => Py::new(py, RefundEvent(record))?.into_any(),
        _ => Py::new(py, OtherEvent(record))?.into_any(),
    })
}

/// The core event behind a Python event object.
pub fn core_event(value: &Bound<'_, PyAny>) -> Option<Event> {
    let record = if let Ok(p) = value.cast::<CipPaidEvent>() {
        &p.get().0
    } else if let Ok(r) = value.cast::<RefundEvent>() {
        &r.get().0
    } else {
        &value.cast::<OtherEvent>().ok()?.get().0
    };
    record.event().cloned()
}

/// The result class of a client operation (`Plain`: plain data).
#[derive(Clone, Copy)]
pub enum Shape {
    Plain,
    Cip,
    CipInfo,
    Refund,
    RefundEligibility,
}

impl Shape {
    pub fn of(op: &str) -> Shape {
        match op {
            "cips.create" => Shape::Cip,
            "cips.get" | "cips.search" | "cips.wait_for_final_status" => Shape::CipInfo,
            "refunds.create" | "refunds.get" | "refunds.list" | "refunds.wait_for_final_status" => {
                Shape::Refund
            }
            "refunds.eligibility" => Shape::RefundEligibility,
            _ => Shape::Plain,
        }
    }

    fn one(self, py: Python<'_>, value: Value) -> PyResult<Py<PyAny>> {
        if let Shape::Plain = self {
            return Ok(convert::to_py(py, &value)?.unbind());
        }
        let r = Record::new(value);
        Ok(match self {
            Shape::Plain => py.None(),
            Shape::Cip => Py::new(py, Cip(r))?.into_any(),
            Shape::CipInfo => Py::new(py, CipInfo(r))?.into_any(),
            Shape::Refund => Py::new(py, Refund(r))?.into_any(),
            Shape::RefundEligibility => Py::new(py, RefundEligibility(r))?.into_any(),
        })
    }

    /// The Python value of an operation's JSON result (a list of records for lists).
    pub fn to_py(self, py: Python<'_>, value: Value) -> PyResult<Py<PyAny>> {
        match (self, value) {
            (Shape::Plain, v) => Ok(convert::to_py(py, &v)?.unbind()),
            (_, Value::Null) => Ok(py.None()),
            (shape, Value::Array(items)) => {
                let list = pyo3::types::PyList::empty(py);
                for item in items {
                    list.append(shape.one(py, item)?)?;
                }
                Ok(list.into_any().unbind())
            }
            (shape, v) => shape.one(py, v),
        }
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Cip>()?;
    m.add_class::<CipInfo>()?;
    m.add_class::<Refund>()?;
    m.add_class::<RefundEligibility>()?;
    m.add_class::<CipPaidEvent>()?;
    m.add_class::<RefundEvent>()?;
    m.add_class::<OtherEvent>()
}
