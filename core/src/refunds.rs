//! The refund resource (extension): rules checked before any request, idempotent creation, tracking.

use std::sync::Arc;

use http::Method;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::call::Call;
use crate::cip::CipStatus;
use crate::cips::Cips;
use crate::error::{Error, ErrorCode};
use crate::money;
use crate::poll::{self, WaitOptions};
use crate::refund::{CreateRefundRequest, Refund, RefundEligibility, RefundStatus, idempotency_key};
use crate::refund_audit::{RefundAuditRecord, RefundAuditSink};
use crate::time;
use crate::transport::Transport;

/// Refund operations of one client (`client.refunds()`).
#[derive(Clone)]
pub struct Refunds {
    pub(crate) transport: Arc<Transport>,
    pub(crate) audit: Option<Arc<dyn RefundAuditSink>>,
}

fn not_allowed(reason: &str, message: String) -> Error {
    Error::new(ErrorCode::RefundNotAllowed, message).with_reason(reason)
}

impl Refunds {
    fn cips(&self) -> Cips {
        Cips { transport: self.transport.clone() }
    }

    fn path(&self) -> &str {
        self.transport.config().refunds_path.trim_matches('/')
    }

    fn audit(&self, mut record: RefundAuditRecord, result: &Result<Value, Error>) {
        let Some(sink) = &self.audit else { return };
        match result {
            Ok(v) => {
                if record.refund_id.is_none() {
                    record.refund_id = v.get("refundId").and_then(Value::as_str).map(str::to_owned);
                }
                record.response = Some(v.clone());
                record.outcome = "ok".into();
            }
            Err(e) => {
                record.response =
                    Some(json!({"code": e.code().as_str(), "peCode": e.pe_code(), "message": e.message()}));
                record.outcome = e.code().as_str().into();
            }
        }
        if let Err(e) = sink.record(&record) {
            tracing::error!(target: "pagoefectivo", error = %e, "refund audit record lost");
        }
    }

    fn record(&self, operation: &str) -> RefundAuditRecord {
        RefundAuditRecord {
            at: time::now_lima(),
            operation: operation.into(),
            actor: None,
            idempotency_key: None,
            merchant_refund_id: None,
            cip: None,
            refund_id: None,
            request: None,
            response: None,
            outcome: String::new(),
        }
    }

    /// How much of a CIP can still be refunded and until when (`window_days`
    /// overrides the configured window).
    pub async fn eligibility(&self, cip: u64, window_days: Option<u32>) -> Result<RefundEligibility, Error> {
        let info = self.cips().get(cip).await?;
        let earlier = self.list(cip).await?;
        let refunded: Decimal =
            earlier.iter().filter(|r| r.status != RefundStatus::Rejected).map(|r| r.amount).sum();
        let window = match window_days {
            Some(d) => chrono::Duration::days(i64::from(d)),
            None => chrono::Duration::from_std(self.transport.config().refund_window)
                .unwrap_or(chrono::Duration::MAX),
        };
        let deadline = info.date_payment.and_then(|p| p.checked_add_signed(window));
        let now = time::now_lima();
        let seconds_left = deadline.map(|d| (d - now).num_seconds().max(0)).unwrap_or(0);
        let refundable = (info.amount - refunded).max(Decimal::ZERO);
        let blocked_by = if info.status != CipStatus::Paid {
            Some("cip_not_paid")
        } else if deadline.is_some_and(|d| d <= now) {
            Some("window_expired")
        } else if refundable.is_zero() {
            Some("nothing_left")
        } else {
            None
        };
        Ok(RefundEligibility {
            cip,
            currency: info.currency,
            paid_amount: money::two_decimals(info.amount),
            refunded_amount: money::two_decimals(refunded),
            refundable_amount: money::two_decimals(refundable),
            payment_date: info.date_payment,
            deadline,
            seconds_left,
            blocked_by: blocked_by.map(str::to_owned),
        })
    }

    /// Requests a refund. Checked first: format, the CIP is paid, the currency
    /// matches, the window is open, and the amount fits what is left. The
    /// `Idempotency-Key` comes from `merchant_refund_id`, so a retry (ours or
    /// the application's) of the same request returns the same refund.
    pub async fn create(&self, request: &CreateRefundRequest) -> Result<Refund, Error> {
        request.validate()?;
        let key = idempotency_key(self.transport.config().id_service, &request.merchant_refund_id);
        let body = request.to_wire();
        let mut record = self.record("refund.create");
        record.actor = request.requested_by.clone();
        record.idempotency_key = Some(key.clone());
        record.merchant_refund_id = Some(request.merchant_refund_id.clone());
        record.cip = Some(request.cip);
        record.request = Some(body.clone());

        let checked = self.check_rules(request).await;
        let result = match checked {
            Err(e) => Err(e),
            Ok(()) => {
                let mut call = Call::safe("refunds.create", Method::POST, self.path(), Some(body));
                call.headers.push(("Idempotency-Key", key));
                self.transport.call(call).await
            }
        };
        self.audit(record, &result);
        Refund::from_wire(&result?)
    }

    async fn check_rules(&self, request: &CreateRefundRequest) -> Result<(), Error> {
        let e = self.eligibility(request.cip, request.refund_window_days).await?;
        if request.currency != e.currency {
            return Err(not_allowed(
                "currency_mismatch",
                format!(
                    "CIP {} was paid in {}, the refund is in {}",
                    request.cip, e.currency, request.currency
                ),
            ));
        }
        match e.blocked_by.as_deref() {
            Some("cip_not_paid") => {
                return Err(not_allowed(
                    "cip_not_paid",
                    format!("CIP {} is not paid: only a paid CIP can be refunded", request.cip),
                ));
            }
            Some("window_expired") => {
                let deadline = e.deadline.map(|d| time::format(&d)).unwrap_or_default();
                return Err(not_allowed(
                    "window_expired",
                    format!("the refund window of CIP {} closed at {deadline}", request.cip),
                ));
            }
            _ => {}
        }
        // A retry of an existing reference is answered by the API (replay or conflict).
        let earlier = self.list(request.cip).await?;
        let same: Decimal = earlier
            .iter()
            .filter(|r| {
                r.merchant_refund_id == request.merchant_refund_id && r.status != RefundStatus::Rejected
            })
            .map(|r| r.amount)
            .sum();
        let left = e.refundable_amount + same;
        if request.amount > left && same.is_zero() {
            return Err(not_allowed(
                "amount_exceeds_refundable",
                format!(
                    "{} {} asked but only {} {} is left to refund on CIP {} (paid {}, refunded {})",
                    e.currency,
                    request.amount,
                    e.currency,
                    left,
                    request.cip,
                    e.paid_amount,
                    e.refunded_amount
                ),
            ));
        }
        Ok(())
    }

    pub async fn get(&self, refund_id: &str) -> Result<Refund, Error> {
        if refund_id.is_empty()
            || !refund_id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Error::validation(vec![crate::FieldError::invalid(
                "refundId",
                "must be a refund id",
            )]));
        }
        let mut record = self.record("refund.get");
        record.refund_id = Some(refund_id.to_owned());
        let path = format!("{}/{refund_id}", self.path());
        let result = self.transport.call(Call::safe("refunds.get", Method::GET, path, None)).await;
        self.audit(record, &result);
        Refund::from_wire(&result?)
    }

    /// The refunds of one CIP, oldest first.
    pub async fn list(&self, cip: u64) -> Result<Vec<Refund>, Error> {
        let path = format!("{}?cip={cip}", self.path());
        let data = self.transport.call(Call::safe("refunds.list", Method::GET, path, None)).await?;
        match data {
            Value::Array(items) => items.iter().map(Refund::from_wire).collect(),
            Value::Null => Ok(Vec::new()),
            _ => Err(Error::new(ErrorCode::MalformedResponse, "refund list is not a list")),
        }
    }

    /// Polls until the refund is refunded or rejected.
    pub async fn wait_for_final_status(
        &self,
        refund_id: &str,
        options: WaitOptions,
    ) -> Result<Refund, Error> {
        let what = format!("refund {refund_id}");
        poll::until_final(
            &what,
            &options,
            || self.get(refund_id),
            |r| (r.status.is_final(), r.status.as_str().to_owned()),
        )
        .await
    }
}
