//! PagoEfectivo's side from the network: a `cips/search` sweep, and the settlement-report extension with its cursor.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use http::Method;
use serde_json::Value;

use crate::call::Call;
use crate::client::Client;
use crate::error::{Error, ErrorCode};
use crate::transport::Transport;

use super::ledger::{Coverage, Orders, Payments};
use super::record::PaymentRecord;

/// Default path of the settlement-report extension, under the base URL's
/// `v1/`. PagoEfectivo's own report API is not public: this is the SDK's
/// contract (implemented by its sandbox), to be confirmed per merchant.
pub const DEFAULT_SETTLEMENT_REPORT_PATH: &str = "reports/settlements";

/// CIPs handed to one `cips().search` call of a sweep (it batches them further).
const SWEEP_CHUNK: usize = 1000;
/// Sweep chunks in flight at once: enough to hide latency, gentle on the API.
const SWEEP_PARALLEL: usize = 4;

/// Sweeps `cips/search` (the public API) for every CIP of `orders`, in
/// batches of the client's `search_batch_size`; `progress(done, total)`
/// after each chunk. Orders without a CIP are not searched.
pub async fn search_payments(
    client: &Client,
    orders: &Orders,
    mut progress: impl FnMut(usize, usize),
) -> Result<Payments, Error> {
    let cips = orders.cips();
    let total = cips.len();
    let coverage = Coverage { every_order_cip: true, settlement: false, refunds: false };
    let mut out = Payments { coverage, ..Payments::default() };
    let mut tasks = tokio::task::JoinSet::new();
    let mut done: BTreeMap<usize, Vec<crate::cip::CipInfo>> = BTreeMap::new();
    let (mut next_spawn, mut next_flush, mut searched) = (0, 0, 0);
    let chunks: Vec<Vec<u64>> = cips.chunks(SWEEP_CHUNK).map(<[u64]>::to_vec).collect();
    loop {
        while next_spawn < chunks.len() && tasks.len() < SWEEP_PARALLEL {
            let api = client.cips();
            let chunk = chunks[next_spawn].clone();
            let index = next_spawn;
            tasks.spawn(async move { (index, chunk.len(), api.search(&chunk).await) });
            next_spawn += 1;
        }
        let Some(joined) = tasks.join_next().await else { break };
        let (index, asked, found) =
            joined.map_err(|e| Error::new(ErrorCode::ApiError, format!("search task failed: {e}")))?;
        done.insert(index, found?);
        searched += asked;
        // Keep the source order (line numbers) whatever order answers come in.
        while let Some(infos) = done.remove(&next_flush) {
            for info in infos {
                out.push(&PaymentRecord {
                    cip: Some(info.cip),
                    transaction_code: info.transaction_code,
                    currency: info.currency,
                    amount: info.amount,
                    status: info.status,
                    paid_at: info.date_payment,
                    settled_at: None,
                    refunded_amount: None,
                })?;
            }
            next_flush += 1;
        }
        progress(searched, total);
    }
    Ok(out)
}

/// One request to the settlement report: payments whose Lima payment date is
/// within `date_from..=date_to` (either end open), after `cursor`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportQuery {
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    /// `next_cursor` of an earlier page or run: only later payments come back.
    pub cursor: Option<String>,
    /// Rows per page (the sandbox caps it at 5000); 0 means the server's default.
    pub limit: u32,
}

/// One page of the settlement report.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportPage {
    pub rows: Vec<PaymentRecord>,
    /// Where the next page (or tomorrow's incremental run) starts; kept even on the last page.
    pub next_cursor: Option<String>,
    pub has_more: bool,
}

/// Pages one `fetch_all` reads at most by default: 10,000 pages of up to
/// 5,000 rows is far beyond any day's takings; a server that keeps saying
/// `hasMore` past it is broken, and must not hold the caller forever.
pub const DEFAULT_MAX_PAGES: usize = 10_000;

impl ReportPage {
    /// A page from the envelope's `data`: `{rows, nextCursor, hasMore}`.
    pub(crate) fn from_wire(data: &Value) -> Result<ReportPage, Error> {
        let rows = match data.get("rows") {
            Some(Value::Array(rows)) => rows
                .iter()
                .map(|r| PaymentRecord::from_json(r).map_err(|e| malformed(e.message())))
                .collect::<Result<Vec<_>, _>>()?,
            _ => return Err(malformed("data.rows is not a list")),
        };
        let next_cursor =
            data.get("nextCursor").and_then(Value::as_str).filter(|c| !c.is_empty()).map(str::to_owned);
        let has_more = data.get("hasMore").and_then(Value::as_bool).unwrap_or(false);
        if has_more && next_cursor.is_none() {
            return Err(malformed("hasMore without nextCursor"));
        }
        Ok(ReportPage { rows, next_cursor, has_more })
    }
}

/// The settlement-report extension of one client (`client.reports()`).
#[derive(Clone)]
pub struct Reports {
    transport: Arc<Transport>,
    path: String,
    max_pages: usize,
}

impl Client {
    /// The settlement-report extension, at `Config::reports_path`
    /// (default [`DEFAULT_SETTLEMENT_REPORT_PATH`]).
    pub fn reports(&self) -> Reports {
        let path = self.config().reports_path.trim_matches('/').to_owned();
        Reports { transport: self.cips().transport, path, max_pages: DEFAULT_MAX_PAGES }
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn malformed(what: &str) -> Error {
    Error::new(ErrorCode::MalformedResponse, format!("settlement report answer: {what}"))
}

impl Reports {
    /// Uses another path under the base URL (what PagoEfectivo provisions for the merchant).
    pub fn with_path(mut self, path: impl Into<String>) -> Reports {
        self.path = path.into().trim_start_matches('/').to_owned();
        self
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// Stops `fetch_all` with an error after this many pages (default [`DEFAULT_MAX_PAGES`]).
    pub fn with_max_pages(mut self, pages: usize) -> Reports {
        self.max_pages = pages.max(1);
        self
    }

    /// Fetches one page.
    pub async fn page(&self, query: &ReportQuery) -> Result<ReportPage, Error> {
        let mut params = Vec::new();
        if let Some(d) = query.date_from {
            params.push(format!("dateFrom={d}"));
        }
        if let Some(d) = query.date_to {
            params.push(format!("dateTo={d}"));
        }
        if let Some(c) = &query.cursor {
            params.push(format!("cursor={}", encode(c)));
        }
        if query.limit > 0 {
            params.push(format!("limit={}", query.limit));
        }
        let path =
            if params.is_empty() { self.path.clone() } else { format!("{}?{}", self.path, params.join("&")) };
        let data = self.transport.call(Call::safe("reports.settlements", Method::GET, path, None)).await?;
        ReportPage::from_wire(&data)
    }

    /// Follows the cursor to the end. Returns the payments and the cursor to
    /// start the next incremental run from (`query.cursor` if nothing new came).
    pub async fn fetch_all(
        &self,
        query: &ReportQuery,
        mut progress: impl FnMut(usize),
    ) -> Result<(Payments, Option<String>), Error> {
        let coverage = Coverage { every_order_cip: false, settlement: true, refunds: true };
        let mut out = Payments { coverage, ..Payments::default() };
        let mut q = query.clone();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..self.max_pages {
            let page = self.page(&q).await?;
            for r in &page.rows {
                out.push(r)?;
            }
            progress(out.len());
            if !page.has_more {
                return Ok((out, page.next_cursor.or(q.cursor)));
            }
            // hasMore with a cursor already followed would read the same pages forever.
            let next = page.next_cursor.unwrap_or_default();
            if q.cursor.as_deref() == Some(next.as_str()) || !seen.insert(next.clone()) {
                return Err(malformed(&format!("hasMore with the cursor {next:?} already followed")));
            }
            q.cursor = Some(next);
        }
        Err(malformed(&format!("still hasMore after {} pages (the limit)", self.max_pages)))
    }
}
