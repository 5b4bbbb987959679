//! The client object: a config map in, the core's blocking client's operations out (JSON bodies, typed errors).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use pagoefectivo::blocking::Client;
use pagoefectivo::{CreateCipRequest, CreateRefundRequest, Error, JsonLinesAuditSink, WaitOptions, time};
use serde_json::json;

use crate::error::Result;
use crate::records::{CipInfo, CreatedCip, Refund, RefundEligibility};
use crate::{config, json};

/// One merchant configuration: token cache and connection pool shared by its calls (thread-safe).
#[derive(uniffi::Object)]
pub struct PagoEfectivoClient {
    client: Client,
}

/// The core's polling options; the core's defaults where absent.
fn wait_options(
    timeout_ms: Option<i64>,
    initial_interval_ms: Option<i64>,
    max_interval_ms: Option<i64>,
) -> std::result::Result<WaitOptions, Error> {
    let d = WaitOptions::default();
    let ms = |v: Option<i64>, name: &str, default: Duration| {
        Ok::<_, Error>(json::millis(v, name)?.map(Duration::from_millis).unwrap_or(default))
    };
    Ok(WaitOptions {
        timeout: ms(timeout_ms, "timeoutMs", d.timeout)?,
        initial_interval: ms(initial_interval_ms, "initialIntervalMs", d.initial_interval)?,
        max_interval: ms(max_interval_ms, "maxIntervalMs", d.max_interval)?,
    })
}

fn cip_number(cip: i64) -> std::result::Result<u64, Error> {
    json::non_negative(cip, "cip")
}

#[uniffi::export]
impl PagoEfectivoClient {
    /// Builds a client from options (`access_key`, `secret_key`, `id_service`, `environment`, `base_url`,
    /// `request_timeout_ms`, `max_attempts`, ..., `refund_audit_file`) or, when every key starts with
    /// `PAGOEFECTIVO_`, from those variables (the core's `Config::from_lookup`).
    #[uniffi::constructor]
    pub fn new(config: HashMap<String, String>) -> Result<Arc<Self>> {
        let map = json::object(&config);
        let from_env = !config.is_empty() && config.keys().all(|k| k.starts_with("PAGOEFECTIVO_"));
        let options = config::client_options(&if from_env { json!({"env": map}) } else { map })?;
        let mut client = Client::new(options.config)?;
        if let Some(path) = options.refund_audit_file {
            client = client.with_refund_audit_sink(Arc::new(JsonLinesAuditSink::open(path)?));
        }
        Ok(Arc::new(PagoEfectivoClient { client }))
    }

    /// The client's non-secret settings, as JSON.
    pub fn settings(&self) -> String {
        self.client.config().settings().to_string()
    }

    /// Creates a CIP from a request (JSON, camelCase or snake_case keys, amount a decimal string).
    pub fn cips_create(&self, request_json: String) -> Result<CreatedCip> {
        let request = CreateCipRequest::from_json(&json::parse(&request_json, "request")?)?;
        Ok(self.client.cips().create(&request)?.into())
    }

    /// One CIP's current state.
    pub fn cips_get(&self, cip: i64) -> Result<CipInfo> {
        Ok(self.client.cips().get(cip_number(cip)?)?.into())
    }

    /// Several CIPs' states (batched as the API allows).
    pub fn cips_search(&self, cips: Vec<i64>) -> Result<Vec<CipInfo>> {
        let numbers = cips.into_iter().map(cip_number).collect::<std::result::Result<Vec<u64>, Error>>()?;
        Ok(self.client.cips().search(&numbers)?.into_iter().map(CipInfo::from).collect())
    }

    /// Moves a pending CIP's expiry to `date_expiry` (a time with its offset).
    pub fn cips_extend(&self, cip: i64, date_expiry: String) -> Result<()> {
        let at = time::parse(&date_expiry)
            .map_err(|_| Error::invalid_field("dateExpiry", "must be a time with its offset"))?;
        Ok(self.client.cips().extend(cip_number(cip)?, at)?)
    }

    /// Cancels a pending CIP.
    pub fn cips_delete(&self, cip: i64) -> Result<()> {
        Ok(self.client.cips().delete(cip_number(cip)?)?)
    }

    /// Polls until the CIP is paid, expired or deleted (the core's back-off); returns its state.
    pub fn cips_wait_for_final_status(
        &self,
        cip: i64,
        timeout_ms: Option<i64>,
        initial_interval_ms: Option<i64>,
        max_interval_ms: Option<i64>,
    ) -> Result<CipInfo> {
        let options = wait_options(timeout_ms, initial_interval_ms, max_interval_ms)?;
        Ok(self.client.cips().wait_for_final_status(cip_number(cip)?, options)?.into())
    }

    /// Requests a refund (JSON request, amount a decimal string).
    pub fn refunds_create(&self, request_json: String) -> Result<Refund> {
        let request = CreateRefundRequest::from_json(&json::parse(&request_json, "request")?)?;
        Ok(self.client.refunds().create(&request)?.into())
    }

    /// One refund.
    pub fn refunds_get(&self, refund_id: String) -> Result<Refund> {
        Ok(self.client.refunds().get(&refund_id)?.into())
    }

    /// A CIP's refunds.
    pub fn refunds_list(&self, cip: i64) -> Result<Vec<Refund>> {
        Ok(self.client.refunds().list(cip_number(cip)?)?.into_iter().map(Refund::from).collect())
    }

    /// Whether (and how much of) a CIP can still be refunded.
    pub fn refunds_eligibility(
        &self,
        cip: i64,
        refund_window_days: Option<i32>,
    ) -> Result<RefundEligibility> {
        let days =
            refund_window_days.map(|d| json::non_negative(d.into(), "refundWindowDays")).transpose()?;
        Ok(self.client.refunds().eligibility(cip_number(cip)?, days)?.into())
    }

    /// Polls until the refund is refunded or rejected.
    pub fn refunds_wait_for_final_status(
        &self,
        refund_id: String,
        timeout_ms: Option<i64>,
    ) -> Result<Refund> {
        let options = wait_options(timeout_ms, None, None)?;
        Ok(self.client.refunds().wait_for_final_status(&refund_id, options)?.into())
    }
}
