//! PagoEfectivo's side from the network for a reconciliation: the `cips/search` sweep and the settlement report.

use std::sync::Arc;

use chrono::NaiveDate;
use pagoefectivo::boundary::input;
use pagoefectivo::reconcile::{self as core, ReportQuery};
use pagoefectivo::{Error, runtime};
use pyo3::prelude::*;
use serde_json::Value;

use crate::convert::Input;
use crate::errors::{self, guard};
use crate::reconcile::{Orders, Payments};
use crate::{aio, logging};

/// The reconciliation sources of one client.
#[pyclass(frozen, module = "pagoefectivo._native")]
pub struct ClientReconciliation {
    pub client: pagoefectivo::Client,
}

fn day(value: &Value, field: &str) -> Result<Option<NaiveDate>, Error> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => {
            s.parse().map(Some).map_err(|_| Error::invalid_field(field, "must be a date (YYYY-MM-DD)"))
        }
        _ => Err(Error::invalid_field(field, "must be a date (YYYY-MM-DD)")),
    }
}

/// `{dateFrom, dateTo, cursor, limit}` as the report query.
fn query(py: Python<'_>, args: &Bound<'_, PyAny>) -> PyResult<ReportQuery> {
    let input = Input::of(py, args)?;
    input.check(py, None)?;
    let a = &input.json;
    let read = || -> Result<ReportQuery, Error> {
        Ok(ReportQuery {
            date_from: day(input::get(a, "dateFrom").unwrap_or(&Value::Null), "dateFrom")?,
            date_to: day(input::get(a, "dateTo").unwrap_or(&Value::Null), "dateTo")?,
            cursor: match input::get(a, "cursor") {
                None => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => return Err(Error::invalid_field("cursor", "must be a string or None")),
            },
            limit: input::get(a, "limit")
                .map(|v| input::count(v, "limit", u32::MAX.into()))
                .transpose()?
                .unwrap_or(0) as u32,
        })
    };
    read().map_err(|e| errors::to_py(py, &e))
}

fn reports(client: &pagoefectivo::Client, path: Option<String>) -> core::Reports {
    match path {
        Some(p) => client.reports().with_path(p),
        None => client.reports(),
    }
}

#[pymethods]
impl ClientReconciliation {
    /// Asks `cips/search` for every CIP of the orders (batched, four requests in flight).
    fn search_payments(&self, py: Python<'_>, orders: &Bound<'_, Orders>) -> PyResult<Payments> {
        guard(py, || {
            logging::refresh_level(py);
            let (c, o) = (self.client.clone(), orders.get().0.clone());
            let found = py.detach(|| runtime::block_on(core::search_payments(&c, &o, |_, _| {})));
            Ok(Payments(Arc::new(found.map_err(|e| errors::to_py(py, &e))?)))
        })
    }

    fn search_payments_async<'py>(
        &self,
        py: Python<'py>,
        orders: &Bound<'py, Orders>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            logging::refresh_level(py);
            let (c, o) = (self.client.clone(), orders.get().0.clone());
            aio::future(py, async move {
                core::search_payments(&c, &o, |_, _| {}).await.map(|p| Payments(Arc::new(p)))
            })
        })
    }

    /// Every page of the settlement report (`{dateFrom, dateTo, cursor, limit}`); the rows and the next cursor.
    #[pyo3(signature = (query, path=None))]
    fn settlements(
        &self,
        py: Python<'_>,
        query: &Bound<'_, PyAny>,
        path: Option<String>,
    ) -> PyResult<(Payments, Option<String>)> {
        guard(py, || {
            logging::refresh_level(py);
            let (q, r) = (self::query(py, query)?, reports(&self.client, path));
            let got = py.detach(|| runtime::block_on(r.fetch_all(&q, |_| {})));
            let (p, cursor) = got.map_err(|e| errors::to_py(py, &e))?;
            Ok((Payments(Arc::new(p)), cursor))
        })
    }

    #[pyo3(signature = (query, path=None))]
    fn settlements_async<'py>(
        &self,
        py: Python<'py>,
        query: &Bound<'py, PyAny>,
        path: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            logging::refresh_level(py);
            let (q, r) = (self::query(py, query)?, reports(&self.client, path));
            aio::future(py, async move {
                r.fetch_all(&q, |_| {}).await.map(|(p, cursor)| (Payments(Arc::new(p)), cursor))
            })
        })
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ClientReconciliation>()
}
