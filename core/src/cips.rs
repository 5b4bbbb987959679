//! The CIP resource: create, search, extend, delete, and wait for a final state.

use std::sync::Arc;

use chrono::{DateTime, TimeZone};
use reqwest::Method;
use serde_json::{Value, json};

use crate::cip::{Cip, CipInfo};
use crate::cip_request::CreateCipRequest;
use crate::error::{Error, ErrorCode, FieldError};
use crate::poll::{self, WaitOptions};
use crate::time;
use crate::transport::{Call, Idempotency, Transport};

/// CIP operations of one client (`client.cips()`).
#[derive(Clone)]
pub struct Cips {
    pub(crate) transport: Arc<Transport>,
}

fn check_cip(cip: u64) -> Result<(), Error> {
    if cip == 0 {
        return Err(Error::validation(vec![FieldError::invalid("cip", "must be a positive CIP number")]));
    }
    Ok(())
}

impl Cips {
    /// Creates a CIP. Validated first; never retried once it may have reached
    /// PagoEfectivo (see [`ErrorCode::OutcomeUnknown`]).
    pub async fn create(&self, request: &CreateCipRequest) -> Result<Cip, Error> {
        request.validate(time::now_lima())?;
        let body = request.to_wire(self.transport.config().id_service);
        let data = self
            .transport
            .call(Call {
                operation: "cips.create",
                method: Method::POST,
                path: "cips".into(),
                body: Some(body),
                idempotency: Idempotency::CreateOnce,
                transaction_code: Some(&request.transaction_code),
                headers: Vec::new(),
            })
            .await?;
        Cip::from_wire(&data).map_err(|e| e.with_transaction_code(&request.transaction_code))
    }

    /// Looks CIPs up, in batches of `search_batch_size`. Unknown CIPs are
    /// simply absent from the result.
    pub async fn search(&self, cips: &[u64]) -> Result<Vec<CipInfo>, Error> {
        for &c in cips {
            check_cip(c)?;
        }
        let mut out = Vec::with_capacity(cips.len());
        for batch in cips.chunks(self.transport.config().search_batch_size) {
            let items: Vec<Value> = batch.iter().map(|c| json!({ "cip": c })).collect();
            let data = self
                .transport
                .call(Call {
                    operation: "cips.search",
                    method: Method::POST,
                    path: "cips/search".into(),
                    body: Some(json!({ "data": items })),
                    idempotency: Idempotency::Safe,
                    transaction_code: None,
                    headers: Vec::new(),
                })
                .await?;
            match data {
                Value::Array(list) => {
                    for item in &list {
                        out.push(CipInfo::from_wire(item)?);
                    }
                }
                Value::Null => {}
                _ => {
                    return Err(Error::new(ErrorCode::MalformedResponse, "search answer data is not a list"));
                }
            }
        }
        Ok(out)
    }

    /// One CIP; `not_found` when PagoEfectivo does not know it.
    pub async fn get(&self, cip: u64) -> Result<CipInfo, Error> {
        self.search(&[cip])
            .await?
            .into_iter()
            .find(|i| i.cip == cip)
            .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("CIP {cip} not found for this service")))
    }

    /// Moves the expiry. Extending an expired CIP makes it payable again.
    pub async fn extend<Tz: TimeZone>(&self, cip: u64, new_expiry: DateTime<Tz>) -> Result<(), Error> {
        check_cip(cip)?;
        let at = time::to_lima(&new_expiry);
        if at <= time::now_lima() {
            return Err(Error::validation(vec![FieldError::invalid("dateExpiry", "must be in the future")]));
        }
        self.transport
            .call(Call {
                operation: "cips.extend",
                method: Method::PATCH,
                path: format!("cips/{cip}"),
                body: Some(json!({ "dateExpiry": time::format(&at) })),
                idempotency: Idempotency::Safe,
                transaction_code: None,
                headers: Vec::new(),
            })
            .await
            .map(|_| ())
    }

    /// Deletes (cancels) an unpaid CIP; its voucher page disappears.
    pub async fn delete(&self, cip: u64) -> Result<(), Error> {
        check_cip(cip)?;
        self.transport
            .call(Call {
                operation: "cips.delete",
                method: Method::DELETE,
                path: format!("cips/{cip}"),
                body: None,
                idempotency: Idempotency::Safe,
                transaction_code: None,
                headers: Vec::new(),
            })
            .await
            .map(|_| ())
    }

    /// Polls until the CIP is paid, expired or deleted, backing off between
    /// searches. Transient errors are polled through; a `wait_timeout` error
    /// comes when `options.timeout` passes with the CIP still open.
    pub async fn wait_for_final_status(&self, cip: u64, options: WaitOptions) -> Result<CipInfo, Error> {
        check_cip(cip)?;
        let what = format!("CIP {cip}");
        poll::until_final(
            &what,
            &options,
            || self.get(cip),
            |i| (i.status.is_final(), i.status.as_str().to_owned()),
        )
        .await
    }
}
