//! PagoEfectivo's side from the network for a reconciliation: the `cips/search` sweep and the settlement report.

use std::sync::Arc;

use pagoefectivo::reconcile::{self as core, ReportQuery};
use pyo3::prelude::*;

use crate::client::blocking;
use crate::reconcile::{Orders, Payments};
use crate::{aio, convert, logging};

/// The reconciliation sources of one client.
#[pyclass(frozen, module = "pagoefectivo._native")]
pub struct ClientReconciliation {
    pub client: pagoefectivo::Client,
}

fn query(
    py: Python<'_>,
    date_from: Option<&Bound<'_, PyAny>>,
    date_to: Option<&Bound<'_, PyAny>>,
    cursor: Option<String>,
    limit: u32,
) -> PyResult<ReportQuery> {
    let date = |v: Option<&Bound<'_, PyAny>>, field: &str| {
        v.filter(|v| !v.is_none()).map(|v| convert::naive_date(py, v, field)).transpose()
    };
    Ok(ReportQuery {
        date_from: date(date_from, "date_from")?,
        date_to: date(date_to, "date_to")?,
        cursor,
        limit,
    })
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
        let (c, o) = (self.client.clone(), orders.get().0.clone());
        blocking(
            py,
            async move { core::search_payments(&c, &o, |_, _| {}).await.map(|p| Payments(Arc::new(p))) },
        )
    }

    fn search_payments_async<'py>(
        &self,
        py: Python<'py>,
        orders: &Bound<'py, Orders>,
    ) -> PyResult<Bound<'py, PyAny>> {
        logging::refresh_level(py);
        let (c, o) = (self.client.clone(), orders.get().0.clone());
        aio::future(py, async move {
            core::search_payments(&c, &o, |_, _| {}).await.map(|p| Payments(Arc::new(p)))
        })
    }

    /// Every page of the settlement report; returns the rows and the cursor for the next run.
    #[pyo3(signature = (date_from=None, date_to=None, cursor=None, limit=0, path=None))]
    fn settlements(
        &self,
        py: Python<'_>,
        date_from: Option<&Bound<'_, PyAny>>,
        date_to: Option<&Bound<'_, PyAny>>,
        cursor: Option<String>,
        limit: u32,
        path: Option<String>,
    ) -> PyResult<(Payments, Option<String>)> {
        let q = query(py, date_from, date_to, cursor, limit)?;
        let r = reports(&self.client, path);
        blocking(py, async move {
            r.fetch_all(&q, |_| {}).await.map(|(p, cursor)| (Payments(Arc::new(p)), cursor))
        })
    }

    #[pyo3(signature = (date_from=None, date_to=None, cursor=None, limit=0, path=None))]
    fn settlements_async<'py>(
        &self,
        py: Python<'py>,
        date_from: Option<&Bound<'py, PyAny>>,
        date_to: Option<&Bound<'py, PyAny>>,
        cursor: Option<String>,
        limit: u32,
        path: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        logging::refresh_level(py);
        let q = query(py, date_from, date_to, cursor, limit)?;
        let r = reports(&self.client, path);
        aio::future(py, async move {
            r.fetch_all(&q, |_| {}).await.map(|(p, cursor)| (Payments(Arc::new(p)), cursor))
        })
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ClientReconciliation>()
}
