//! The synchronous facade: the async client driven on the shared runtime.

use std::sync::Arc;

use chrono::{DateTime, TimeZone};

use crate::audit::AuditHook;
use crate::cip::{Cip, CipInfo};
use crate::cip_request::CreateCipRequest;
use crate::config::Config;
use crate::error::Error;
use crate::poll::WaitOptions;
use crate::reconcile::{self, Orders, Payments, ReportPage, ReportQuery};
use crate::refund::{CreateRefundRequest, Refund, RefundEligibility};
use crate::refund_audit::RefundAuditSink;
use crate::runtime::block_on;

/// Blocking twin of [`crate::Client`], for callers without an async runtime.
#[derive(Clone, Debug)]
pub struct Client {
    inner: crate::Client,
}

impl Client {
    pub fn new(config: Config) -> Result<Client, Error> {
        Ok(Client { inner: crate::Client::new(config)? })
    }
    pub fn with_audit_hook(config: Config, hook: Arc<dyn AuditHook>) -> Result<Client, Error> {
        Ok(Client { inner: crate::Client::with_audit_hook(config, hook)? })
    }
    pub fn from_env() -> Result<Client, Error> {
        Ok(Client { inner: crate::Client::from_env()? })
    }
    pub fn cips(&self) -> Cips {
        Cips { inner: self.inner.cips() }
    }
    pub fn refunds(&self) -> Refunds {
        Refunds { inner: self.inner.refunds() }
    }
    /// The same client, recording every refund operation to `sink`.
    pub fn with_refund_audit_sink(self, sink: Arc<dyn RefundAuditSink>) -> Client {
        Client { inner: self.inner.with_refund_audit_sink(sink) }
    }
    pub fn authenticate(&self) -> Result<(), Error> {
        block_on(self.inner.authenticate())
    }
    /// The settlement-report extension (see [`crate::reconcile::Reports`]).
    pub fn reports(&self) -> Reports {
        Reports { inner: self.inner.reports() }
    }
    /// PagoEfectivo's side of a reconciliation by a `cips/search` sweep of the
    /// orders' CIPs (see [`crate::reconcile::search_payments`]).
    pub fn search_payments(
        &self,
        orders: &Orders,
        progress: impl FnMut(usize, usize),
    ) -> Result<Payments, Error> {
        block_on(reconcile::search_payments(&self.inner, orders, progress))
    }
    /// A client from a binding's options object (see [`crate::boundary::ClientOptions`]).
    pub fn from_options(options: &serde_json::Value) -> Result<Client, Error> {
        Ok(Client { inner: crate::Client::from_options(options)? })
    }
    /// The async client behind this one (same pool and token).
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }
    pub fn config(&self) -> &Config {
        self.inner.config()
    }
}

/// Blocking twin of [`crate::Cips`].
#[derive(Clone)]
pub struct Cips {
    inner: crate::Cips,
}

impl Cips {
    pub fn create(&self, request: &CreateCipRequest) -> Result<Cip, Error> {
        block_on(self.inner.create(request))
    }
    pub fn search(&self, cips: &[u64]) -> Result<Vec<CipInfo>, Error> {
        block_on(self.inner.search(cips))
    }
    pub fn get(&self, cip: u64) -> Result<CipInfo, Error> {
        block_on(self.inner.get(cip))
    }
    pub fn extend<Tz: TimeZone>(&self, cip: u64, new_expiry: DateTime<Tz>) -> Result<(), Error>
    where
        Tz::Offset: Send,
    {
        block_on(self.inner.extend(cip, new_expiry))
    }
    pub fn delete(&self, cip: u64) -> Result<(), Error> {
        block_on(self.inner.delete(cip))
    }
    pub fn wait_for_final_status(&self, cip: u64, options: WaitOptions) -> Result<CipInfo, Error> {
        block_on(self.inner.wait_for_final_status(cip, options))
    }
}

/// Blocking twin of [`crate::reconcile::Reports`].
#[derive(Clone)]
pub struct Reports {
    inner: reconcile::Reports,
}

impl Reports {
    /// Uses another path under the base URL.
    pub fn with_path(self, path: impl Into<String>) -> Reports {
        Reports { inner: self.inner.with_path(path) }
    }
    /// Stops `fetch_all` after this many pages.
    pub fn with_max_pages(self, pages: usize) -> Reports {
        Reports { inner: self.inner.with_max_pages(pages) }
    }
    pub fn page(&self, query: &ReportQuery) -> Result<ReportPage, Error> {
        block_on(self.inner.page(query))
    }
    /// Follows the cursor to the end; the payments and the cursor for the next run.
    pub fn fetch_all(
        &self,
        query: &ReportQuery,
        progress: impl FnMut(usize),
    ) -> Result<(Payments, Option<String>), Error> {
        block_on(self.inner.fetch_all(query, progress))
    }
}

/// Blocking twin of [`crate::Refunds`].
#[derive(Clone)]
pub struct Refunds {
    inner: crate::Refunds,
}

impl Refunds {
    pub fn create(&self, request: &CreateRefundRequest) -> Result<Refund, Error> {
        block_on(self.inner.create(request))
    }
    pub fn get(&self, refund_id: &str) -> Result<Refund, Error> {
        block_on(self.inner.get(refund_id))
    }
    pub fn list(&self, cip: u64) -> Result<Vec<Refund>, Error> {
        block_on(self.inner.list(cip))
    }
    pub fn eligibility(&self, cip: u64, window_days: Option<u32>) -> Result<RefundEligibility, Error> {
        block_on(self.inner.eligibility(cip, window_days))
    }
    pub fn wait_for_final_status(&self, refund_id: &str, options: WaitOptions) -> Result<Refund, Error> {
        block_on(self.inner.wait_for_final_status(refund_id, options))
    }
}
