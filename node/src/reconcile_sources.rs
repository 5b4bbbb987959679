//! Reconciliation sources from the network as native `Payments`: the `cips/search` sweep and the settlement report.

use std::sync::Arc;

use napi::bindgen_prelude::{Env, Function, PromiseRaw};
use napi::threadsafe_function::ThreadsafeFunctionCallMode;
use napi_derive::napi;
use pagoefectivo::Error;
use pagoefectivo::boundary::input::{self, get};
use pagoefectivo::reconcile::{self, ReportQuery};
use serde_json::Value;

use crate::audit::weak_callback;
use crate::client::NativeClient;
use crate::errors::{IntoNapi, Result, guarded, parse};
use crate::reconcile::{NativeOrders, NativePayments};

/// `{dateFrom?, dateTo?, cursor?, limit?}` (what the core's `reports.page` operation reads).
fn report_query(args: &Value) -> std::result::Result<ReportQuery, Error> {
    let day = |key: &str| -> std::result::Result<Option<chrono::NaiveDate>, Error> {
        get(args, key)
            .map(|v| {
                v.as_str()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| Error::invalid_field(key, "must be a date (YYYY-MM-DD)"))
            })
            .transpose()
    };
    let cursor = match get(args, "cursor") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(Error::invalid_field("cursor", "must be a string or null")),
    };
    let limit = get(args, "limit").map(|v| input::count(v, "limit", u32::MAX.into())).transpose()?;
    Ok(ReportQuery {
        date_from: day("dateFrom")?,
        date_to: day("dateTo")?,
        cursor,
        limit: limit.unwrap_or(0) as u32,
    })
}

#[napi]
impl NativeClient {
    /// Sweeps `cips/search` for every CIP of `orders`; `progress([done, total])` after each chunk.
    #[napi(ts_return_type = "Promise<NativePayments>")]
    pub fn search_payments<'env>(
        &self,
        env: &'env Env,
        orders: &NativeOrders,
        progress: Option<Function<'_, Vec<f64>, ()>>,
    ) -> Result<PromiseRaw<'env, NativePayments>> {
        let client = self.inner.clone();
        let orders = orders.inner.clone();
        let progress = progress.map(weak_callback).transpose()?;
        env.spawn_future(guarded(async move {
            let payments = reconcile::search_payments(&client, &orders, |done, total| {
                if let Some(p) = &progress {
                    p.call(vec![done as f64, total as f64], ThreadsafeFunctionCallMode::NonBlocking);
                }
            })
            .await?;
            Ok(NativePayments::new(payments))
        }))
    }

    /// Follows the settlement report's cursor to the end. `query` (JSON): `{dateFrom?, dateTo?, cursor?,
    /// limit?}`; `path` overrides the configured report path; `progress([rows])` after each page.
    #[napi(ts_return_type = "Promise<NativePayments>")]
    pub fn fetch_settlements<'env>(
        &self,
        env: &'env Env,
        query: String,
        path: Option<String>,
        progress: Option<Function<'_, Vec<f64>, ()>>,
    ) -> Result<PromiseRaw<'env, NativePayments>> {
        let query = report_query(&parse(&query).napi()?).napi()?;
        let mut reports = self.inner.reports();
        if let Some(p) = path {
            reports = reports.with_path(p);
        }
        let progress = progress.map(weak_callback).transpose()?;
        env.spawn_future(guarded(async move {
            let (payments, next_cursor) = reports
                .fetch_all(&query, |rows| {
                    if let Some(p) = &progress {
                        p.call(vec![rows as f64], ThreadsafeFunctionCallMode::NonBlocking);
                    }
                })
                .await?;
            Ok(NativePayments { inner: Arc::new(payments), next_cursor })
        }))
    }
}
