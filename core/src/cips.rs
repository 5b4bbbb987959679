//! The CIP resource: create, search, extend, delete, and wait for a final state.

use std::sync::Arc;

use chrono::{DateTime, TimeZone};
use http::Method;
use serde_json::value::RawValue;
use serde_json::{Value, json};

use crate::attempt::outcome_unknown;
use crate::call::{Body, Call, Expect, Idempotency};
use crate::cip::{CIP_RULE, Cip, CipInfo, CipStatus, MAX_CIP};
use crate::cip_request::CreateCipRequest;
use crate::error::{Error, ErrorCode, FieldError};
use crate::poll::{self, WaitOptions};
use crate::time;
use crate::transport::Transport;

/// CIP operations of one client (`client.cips()`).
#[derive(Clone)]
pub struct Cips {
    pub(crate) transport: Arc<Transport>,
}

fn check_cip(cip: u64) -> Result<(), Error> {
    if !(1..=MAX_CIP).contains(&cip) {
        return Err(Error::validation(vec![FieldError::invalid("cip", CIP_RULE)]));
    }
    Ok(())
}

impl Cips {
    /// Creates a CIP. Validated first; never retried once it may have reached
    /// PagoEfectivo (see [`ErrorCode::OutcomeUnknown`]).
    pub async fn create(&self, request: &CreateCipRequest) -> Result<Cip, Error> {
        request.validate(time::now_lima())?;
        self.create_valid(request).await
    }

    /// Creates a CIP from JSON-like input (what bindings pass: any key case, every problem at
    /// once as field errors), built and validated once.
    pub async fn create_from_json(&self, input: &Value) -> Result<Cip, Error> {
        self.create_valid(&CreateCipRequest::from_json(input)?).await
    }

    async fn create_valid(&self, request: &CreateCipRequest) -> Result<Cip, Error> {
        let body = Body::Json(request.wire_json(self.transport.config().id_service));
        let tc = request.transaction_code.as_str();
        let reply = self
            .transport
            .exchange(Call {
                operation: "cips.create",
                method: Method::POST,
                path: "cips".into(),
                body: Some(body),
                idempotency: Idempotency::CreateOnce,
                expect: Expect::Envelope,
                transaction_code: Some(tc),
                headers: Vec::new(),
            })
            .await?;
        // A success whose CIP cannot be read still means a CIP may exist: never
        // an error that invites a resend (a second payable CIP for one order).
        Cip::from_wire(reply.data.json()).map_err(|e| {
            outcome_unknown(
                Some(tc),
                Some(reply.status),
                &format!("its answer could not be read ({})", e.message()),
            )
            .with_attempts(reply.attempts)
            .with_request_id(&reply.request_id)
        })
    }

    /// Looks CIPs up, in batches of `search_batch_size`. Unknown CIPs are
    /// simply absent from the result; an answer that cannot be read is an
    /// error, never "no CIPs".
    pub async fn search(&self, cips: &[u64]) -> Result<Vec<CipInfo>, Error> {
        for &c in cips {
            check_cip(c)?;
        }
        let mut out = Vec::with_capacity(cips.len());
        for batch in cips.chunks(self.transport.config().search_batch_size) {
            let items: Vec<Value> = batch.iter().map(|c| json!({ "cip": c })).collect();
            let body = json!({ "data": items });
            let reply = self
                .transport
                .exchange(Call::safe("cips.search", Method::POST, "cips/search", Some(body)))
                .await?;
            let unreadable = |what: &str| {
                Error::new(ErrorCode::MalformedResponse, format!("search answer: {what}"))
                    .with_http_status(reply.status)
                    .with_attempts(reply.attempts)
                    .with_request_id(&reply.request_id)
                    .retryable(true)
            };
            let Ok(list) = serde_json::from_str::<Vec<&RawValue>>(reply.data.json()) else {
                return Err(unreadable("data is not a list of CIPs"));
            };
            for item in list {
                out.push(CipInfo::from_wire(item.get()).map_err(|e| unreadable(e.message()))?);
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
        let mut call = Call::safe("cips.extend", Method::PATCH, format!("cips/{cip}"), None);
        call.body = Some(Body::Value(json!({ "dateExpiry": time::format(&at) })));
        call.expect = Expect::Acknowledgement;
        let reached = |i: &CipInfo| {
            i.status == CipStatus::Generated && i.date_expiry.is_some_and(|d| d.timestamp() == at.timestamp())
        };
        self.change(cip, call, reached).await
    }

    /// Deletes (cancels) an unpaid CIP; its voucher page disappears.
    pub async fn delete(&self, cip: u64) -> Result<(), Error> {
        check_cip(cip)?;
        let mut call = Call::safe("cips.delete", Method::DELETE, format!("cips/{cip}"), None);
        call.expect = Expect::Acknowledgement;
        self.change(cip, call, |i| i.status == CipStatus::Deleted).await
    }

    /// Runs a state change. When our own retry meets "not allowed in this
    /// state", the first attempt may have done the job before its answer was
    /// lost: if the CIP is now in the state asked for, that is the success it was.
    async fn change(
        &self,
        cip: u64,
        call: Call<'_>,
        reached: impl Fn(&CipInfo) -> bool,
    ) -> Result<(), Error> {
        match self.transport.exchange(call).await {
            Ok(_) => Ok(()),
            Err(e) if e.code() == ErrorCode::InvalidState && e.attempts() > 1 => match self.get(cip).await {
                Ok(info) if reached(&info) => Ok(()),
                _ => Err(e),
            },
            Err(e) => Err(e),
        }
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
