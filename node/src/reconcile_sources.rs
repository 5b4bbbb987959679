//! Reconciliation sources from the network (the `cips/search` sweep, the settlement report) and the business-day calendar.

use std::sync::Arc;

use napi::bindgen_prelude::{Env, Function, PromiseRaw};
use napi::threadsafe_function::ThreadsafeFunctionCallMode;
use napi_derive::napi;
use pagoefectivo::reconcile::{self, Calendar, ReportQuery};
use serde_json::Value;

use crate::client::NativeClient;
use crate::errors::{self, IntoNapi, Result};
use crate::reconcile::{NativeOrders, NativePayments, date, progress as progress_sink};

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
        let progress = progress_sink(progress)?;
        env.spawn_future(async move {
            let payments = reconcile::search_payments(&client, &orders, |done, total| {
                if let Some(p) = &progress {
                    p.call(vec![done as f64, total as f64], ThreadsafeFunctionCallMode::NonBlocking);
                }
            })
            .await
            .napi()?;
            Ok(NativePayments::new(payments))
        })
    }

    /// Follows the settlement report's cursor to the end. `query`: `{dateFrom?, dateTo?, cursor?, limit?}`;
    /// `path` overrides the configured report path; `progress([rows])` after each page.
    #[napi(ts_return_type = "Promise<NativePayments>")]
    pub fn fetch_settlements<'env>(
        &self,
        env: &'env Env,
        query: Value,
        path: Option<String>,
        progress: Option<Function<'_, Vec<f64>, ()>>,
    ) -> Result<PromiseRaw<'env, NativePayments>> {
        let text = |k: &str| query.get(k).and_then(Value::as_str).map(str::to_owned);
        let query = ReportQuery {
            date_from: text("dateFrom").map(|d| date("dateFrom", &d)).transpose()?,
            date_to: text("dateTo").map(|d| date("dateTo", &d)).transpose()?,
            cursor: text("cursor"),
            limit: match query.get("limit") {
                None | Some(Value::Null) => 0,
                Some(v) => v
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| errors::invalid_field("limit", "must be a whole number of rows"))?,
            },
        };
        let mut reports = self.inner.reports();
        if let Some(p) = path {
            reports = reports.with_path(p);
        }
        let progress = progress_sink(progress)?;
        env.spawn_future(async move {
            let (payments, next_cursor) = reports
                .fetch_all(&query, |rows| {
                    if let Some(p) = &progress {
                        p.call(vec![rows as f64], ThreadsafeFunctionCallMode::NonBlocking);
                    }
                })
                .await
                .napi()?;
            Ok(NativePayments { inner: Arc::new(payments), next_cursor })
        })
    }
}

/// Peru's business-day calendar (national holidays, Holy Thursday and Good Friday), plus extra closures.
#[napi]
pub struct NativeCalendar {
    inner: Calendar,
}

#[napi]
impl NativeCalendar {
    /// `extra_holidays`: decreed closures as `yyyy-mm-dd`.
    #[napi(constructor)]
    pub fn new(extra_holidays: Vec<String>) -> Result<NativeCalendar> {
        let dates = extra_holidays.iter().map(|d| date("extraHolidays", d)).collect::<Result<Vec<_>>>()?;
        Ok(NativeCalendar { inner: Calendar::peru().with_extra_holidays(dates) })
    }

    #[napi]
    pub fn is_business_day(&self, day: String) -> Result<bool> {
        Ok(self.inner.is_business_day(date("date", &day)?))
    }

    #[napi]
    pub fn is_holiday(&self, day: String) -> Result<bool> {
        Ok(self.inner.is_holiday(date("date", &day)?))
    }

    /// The `days`-th business day after `day` (T+n), as `yyyy-mm-dd`.
    #[napi]
    pub fn add_business_days(&self, day: String, days: u32) -> Result<String> {
        Ok(self.inner.add_business_days(date("date", &day)?, days).to_string())
    }

    /// The year's national holidays, `{date, name}` in date order.
    #[napi(ts_return_type = "{ date: string; name: string }[]")]
    pub fn holidays(&self, year: i32) -> Value {
        Value::Array(
            self.inner
                .holidays(year)
                .into_iter()
                .map(|(d, name)| serde_json::json!({ "date": d.to_string(), "name": name }))
                .collect(),
        )
    }
}
