//! The native client: every CIP call blocking (GIL released) or as an asyncio awaitable.

use std::time::Duration;

use pagoefectivo::{WaitOptions, runtime};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::config::Config;
use crate::models::{Cip, CipInfo};
use crate::{aio, convert, errors, logging, reconcile_client, refunds};

/// One client per merchant configuration; safe to share between threads.
#[pyclass(frozen, module = "pagoefectivo._native")]
pub struct Client {
    pub(crate) inner: pagoefectivo::Client,
}

/// Runs a core call for a synchronous caller with the GIL released, on the shared runtime.
pub(crate) fn blocking<T: Send>(
    py: Python<'_>,
    fut: impl std::future::Future<Output = Result<T, pagoefectivo::Error>> + Send,
) -> PyResult<T> {
    logging::refresh_level(py);
    py.detach(|| runtime::block_on(fut)).map_err(|e| errors::to_py(py, &e))
}

pub(crate) fn wait_options(
    py: Python<'_>,
    timeout: &Bound<'_, PyAny>,
    initial_interval: &Bound<'_, PyAny>,
    max_interval: &Bound<'_, PyAny>,
) -> PyResult<WaitOptions> {
    let get = |v: &Bound<'_, PyAny>, name: &str| -> PyResult<Duration> {
        convert::duration(py, v)?.map_err(|why| errors::validation(py, name, why))
    };
    Ok(WaitOptions {
        timeout: get(timeout, "timeout")?,
        initial_interval: get(initial_interval, "initial_interval")?,
        max_interval: get(max_interval, "max_interval")?,
    })
}

#[pymethods]
impl Client {
    /// `refund_audit`: a path (JSON lines appended) or a callable taking each record as a dict.
    #[new]
    #[pyo3(signature = (config, refund_audit=None))]
    fn new(py: Python<'_>, config: &Config, refund_audit: Option<&Bound<'_, PyAny>>) -> PyResult<Client> {
        let mut inner = pagoefectivo::Client::new(config.inner.clone()).map_err(|e| errors::to_py(py, &e))?;
        if let Some(sink) = refund_audit.filter(|s| !s.is_none()) {
            inner = inner.with_refund_audit_sink(refunds::audit_sink(py, sink)?);
        }
        Ok(Client { inner })
    }

    fn refunds(&self) -> refunds::Refunds {
        refunds::Refunds { inner: self.inner.refunds() }
    }

    fn reconciliation(&self) -> reconcile_client::ClientReconciliation {
        reconcile_client::ClientReconciliation { client: self.inner.clone() }
    }

    #[getter]
    fn config(&self) -> Config {
        Config { inner: self.inner.config().clone() }
    }

    fn authenticate(&self, py: Python<'_>) -> PyResult<()> {
        let c = self.inner.clone();
        blocking(py, async move { c.authenticate().await })
    }

    fn create_cip(&self, py: Python<'_>, params: &Bound<'_, PyDict>) -> PyResult<Cip> {
        let request = convert::cip_request(py, params)?;
        let cips = self.inner.cips();
        blocking(py, async move { cips.create(&request).await.map(Cip) })
    }

    fn search_cips(&self, py: Python<'_>, cips: &Bound<'_, PyAny>) -> PyResult<Vec<CipInfo>> {
        let list = convert::cip_numbers(py, cips)?;
        let c = self.inner.cips();
        blocking(py, async move { c.search(&list).await.map(|v| v.into_iter().map(CipInfo).collect()) })
    }

    fn get_cip(&self, py: Python<'_>, cip: &Bound<'_, PyAny>) -> PyResult<CipInfo> {
        let cip = convert::cip_number(py, cip)?;
        let c = self.inner.cips();
        blocking(py, async move { c.get(cip).await.map(CipInfo) })
    }

    fn extend_cip(
        &self,
        py: Python<'_>,
        cip: &Bound<'_, PyAny>,
        date_expiry: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let cip = convert::cip_number(py, cip)?;
        let at = convert::lima_time(py, date_expiry, "dateExpiry")?;
        let c = self.inner.cips();
        blocking(py, async move { c.extend(cip, at).await })
    }

    fn delete_cip(&self, py: Python<'_>, cip: &Bound<'_, PyAny>) -> PyResult<()> {
        let cip = convert::cip_number(py, cip)?;
        let c = self.inner.cips();
        blocking(py, async move { c.delete(cip).await })
    }

    fn wait_for_final_status(
        &self,
        py: Python<'_>,
        cip: &Bound<'_, PyAny>,
        timeout: &Bound<'_, PyAny>,
        initial_interval: &Bound<'_, PyAny>,
        max_interval: &Bound<'_, PyAny>,
    ) -> PyResult<CipInfo> {
        let cip = convert::cip_number(py, cip)?;
        let options = wait_options(py, timeout, initial_interval, max_interval)?;
        let c = self.inner.cips();
        blocking(py, async move { c.wait_for_final_status(cip, options).await.map(CipInfo) })
    }

    fn authenticate_async<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        logging::refresh_level(py);
        let c = self.inner.clone();
        aio::future(py, async move { c.authenticate().await })
    }

    fn create_cip_async<'py>(
        &self,
        py: Python<'py>,
        params: &Bound<'py, PyDict>,
    ) -> PyResult<Bound<'py, PyAny>> {
        logging::refresh_level(py);
        let request = convert::cip_request(py, params)?;
        let cips = self.inner.cips();
        aio::future(py, async move { cips.create(&request).await.map(Cip) })
    }

    fn search_cips_async<'py>(
        &self,
        py: Python<'py>,
        cips: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        logging::refresh_level(py);
        let list = convert::cip_numbers(py, cips)?;
        let c = self.inner.cips();
        aio::future(py, async move {
            c.search(&list).await.map(|v| v.into_iter().map(CipInfo).collect::<Vec<_>>())
        })
    }

    fn get_cip_async<'py>(&self, py: Python<'py>, cip: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        logging::refresh_level(py);
        let cip = convert::cip_number(py, cip)?;
        let c = self.inner.cips();
        aio::future(py, async move { c.get(cip).await.map(CipInfo) })
    }

    fn extend_cip_async<'py>(
        &self,
        py: Python<'py>,
        cip: &Bound<'py, PyAny>,
        date_expiry: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        logging::refresh_level(py);
        let cip = convert::cip_number(py, cip)?;
        let at = convert::lima_time(py, date_expiry, "dateExpiry")?;
        let c = self.inner.cips();
        aio::future(py, async move { c.extend(cip, at).await })
    }

    fn delete_cip_async<'py>(&self, py: Python<'py>, cip: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        logging::refresh_level(py);
        let cip = convert::cip_number(py, cip)?;
        let c = self.inner.cips();
        aio::future(py, async move { c.delete(cip).await })
    }

    fn wait_for_final_status_async<'py>(
        &self,
        py: Python<'py>,
        cip: &Bound<'py, PyAny>,
        timeout: &Bound<'py, PyAny>,
        initial_interval: &Bound<'py, PyAny>,
        max_interval: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        logging::refresh_level(py);
        let cip = convert::cip_number(py, cip)?;
        let options = wait_options(py, timeout, initial_interval, max_interval)?;
        let c = self.inner.cips();
        aio::future(py, async move { c.wait_for_final_status(cip, options).await.map(CipInfo) })
    }

    fn __repr__(&self) -> String {
        format!(
            "Client(base_url={}, id_service={})",
            convert::q(&self.inner.config().base_url()),
            self.inner.config().id_service
        )
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Client>()
}
