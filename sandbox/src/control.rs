//! The in-process control handle: drive payments, expiry, the clock and faults from tests.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::fault::{self, Endpoint, Fault};
use crate::notify::{self, Delivery, PaidEvent};
use crate::refunds::RefundStatus;
use crate::state::{CipRecord, CipStatus, Shared};

/// A payment made through [`Control::pay`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    pub cip: u64,
    pub operation_number: String,
    pub date_payment: DateTime<FixedOffset>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ControlError {
    #[error("unknown CIP {0}")]
    UnknownCip(u64),
    #[error("CIP {cip} is {status}, which does not allow this operation")]
    InvalidState { cip: u64, status: CipStatus },
    #[error("unknown refund {0}")]
    UnknownRefund(String),
    #[error("refund {id} is {status}, which cannot become {to}")]
    InvalidRefundTransition { id: String, status: RefundStatus, to: RefundStatus },
    #[error("unknown delivery {0}")]
    UnknownDelivery(usize),
}

/// A cheap, cloneable handle on a running sandbox's state.
#[derive(Clone)]
pub struct Control {
    pub(crate) shared: Arc<Shared>,
}

impl Control {
    /// Marks a generated (and unexpired) CIP paid as of the sandbox clock and
    /// sends the signed `cip.paid` notification in the background.
    pub fn pay(&self, cip: u64) -> Result<Payment, ControlError> {
        let shared = &self.shared;
        let now = shared.clock.now();
        let mut state = shared.lock();
        let operation_number = state.next_operation.to_string();
        let record = state.cips.get_mut(&cip).ok_or(ControlError::UnknownCip(cip))?;
        let status = record.status_at(now);
        if status != CipStatus::Generated {
            return Err(ControlError::InvalidState { cip, status });
        }
        record.status = CipStatus::Paid;
        record.date_payment = Some(now);
        record.operation_number = Some(operation_number.clone());
        let body = notify::paid_body(&PaidEvent {
            operation_number: &operation_number,
            cip,
            currency: &record.currency,
            amount: record.amount,
            payment_date: now,
            transaction_code: &record.transaction_code,
        });
        let id_service = record.id_service;
        state.next_operation = state.next_operation.wrapping_add(1);
        drop(state);

        let secret = shared.service(id_service).map(|s| s.secret_key.as_str()).unwrap_or_default();
        let signature = notify::sign(secret, &body);
        notify::dispatch(shared, "cip.paid", body, signature);
        Ok(Payment { cip, operation_number, date_payment: now })
    }

    /// Expires a generated CIP now; its expiry date is pulled back to now if it
    /// was later, so searches stay consistent. Expiring an expired CIP is a no-op.
    pub fn expire(&self, cip: u64) -> Result<(), ControlError> {
        let now = self.shared.clock.now();
        let mut state = self.shared.lock();
        let record = state.cips.get_mut(&cip).ok_or(ControlError::UnknownCip(cip))?;
        match record.status_at(now) {
            CipStatus::Generated | CipStatus::Expired => {
                record.status = CipStatus::Expired;
                record.date_expiry = record.date_expiry.min(now);
                Ok(())
            }
            status => Err(ControlError::InvalidState { cip, status }),
        }
    }

    /// Moves the sandbox clock forward (tokens and CIPs expire by it); returns the new now.
    pub fn advance_clock(&self, by: Duration) -> DateTime<FixedOffset> {
        self.shared.clock.advance(by)
    }

    pub fn now(&self) -> DateTime<FixedOffset> {
        self.shared.clock.now()
    }

    /// The record as of now (a lapsed generated CIP reads as expired).
    pub fn cip(&self, cip: u64) -> Option<CipRecord> {
        let now = self.shared.clock.now();
        self.shared.lock().cips.get(&cip).map(|r| r.seen_at(now))
    }

    /// All records, by CIP number.
    pub fn cips(&self) -> Vec<CipRecord> {
        let now = self.shared.clock.now();
        let mut all: Vec<CipRecord> = self.shared.lock().cips.values().map(|r| r.seen_at(now)).collect();
        all.sort_by_key(|r| r.cip);
        all
    }

    /// Every notification so far, including those still being attempted.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.lock().deliveries.iter().map(|slot| slot.delivery.clone()).collect()
    }

    /// Waits until at least `n` deliveries have made all their attempts, or
    /// until `timeout`; returns the finished deliveries (possibly fewer than `n`).
    pub async fn wait_for_deliveries(&self, n: usize, timeout: Duration) -> Vec<Delivery> {
        // `None` (a timeout beyond the clock's range) means wait without limit.
        let deadline = tokio::time::Instant::now().checked_add(timeout);
        loop {
            let changed = self.shared.deliveries_changed.notified();
            tokio::pin!(changed);
            // Registered before checking, so a delivery finishing in between still wakes us.
            changed.as_mut().enable();
            let finished = self.finished_deliveries();
            if finished.len() >= n {
                return finished;
            }
            match deadline {
                Some(deadline) => {
                    if tokio::time::timeout_at(deadline, changed).await.is_err() {
                        return self.finished_deliveries();
                    }
                }
                None => changed.await,
            }
        }
    }

    fn finished_deliveries(&self) -> Vec<Delivery> {
        self.shared
            .lock()
            .deliveries
            .iter()
            .filter(|slot| slot.done)
            .map(|slot| slot.delivery.clone())
            .collect()
    }

    pub fn set_notification_url(&self, url: Option<String>) {
        self.shared.lock().notification_url = url;
    }

    pub fn notification_url(&self) -> Option<String> {
        self.shared.lock().notification_url.clone()
    }

    pub fn add_fault(&self, fault: Fault) {
        fault::add(&self.shared, fault);
    }

    pub fn clear_faults(&self) {
        fault::clear(&self.shared);
    }

    /// Faults still armed, in the order they are checked.
    pub fn faults(&self) -> Vec<Fault> {
        self.shared.lock().faults.clone()
    }

    /// Requests received for `endpoint` (`Any`: every API request; `Webhook`: notification POSTs sent).
    pub fn request_count(&self, endpoint: Endpoint) -> u64 {
        self.shared.counters.get(endpoint)
    }
}
