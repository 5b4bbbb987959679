//! The core's results as uniffi records: amounts as decimal strings (BigDecimal in Kotlin), times in `-05:00` wire form.

use chrono::{DateTime, FixedOffset};
use pagoefectivo::time;

fn wire(t: &DateTime<FixedOffset>) -> String {
    time::format(t)
}

fn wire_opt(t: &Option<DateTime<FixedOffset>>) -> Option<String> {
    t.as_ref().map(wire)
}

/// CIP numbers are 64-bit; Java has no unsigned long, and real numbers stay far below i64::MAX.
fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A CIP just created: the code the buyer pays with, and where its voucher is.
#[derive(Clone, Debug, uniffi::Record)]
pub struct CreatedCip {
    pub cip: i64,
    pub currency: String,
    pub amount: String,
    pub transaction_code: String,
    pub date_expiry: String,
    pub cip_url: String,
}

impl From<pagoefectivo::Cip> for CreatedCip {
    fn from(c: pagoefectivo::Cip) -> Self {
        CreatedCip {
            cip: signed(c.cip),
            currency: c.currency.as_str().to_owned(),
            amount: c.amount.to_string(),
            transaction_code: c.transaction_code,
            date_expiry: wire(&c.date_expiry),
            cip_url: c.cip_url,
        }
    }
}

/// A CIP's current state (`status`: `generated`, `paid`, `expired`, `deleted` or `unknown`).
#[derive(Clone, Debug, uniffi::Record)]
pub struct CipInfo {
    pub cip: i64,
    pub transaction_code: String,
    pub amount: String,
    pub currency: String,
    pub status: String,
    pub status_code: i64,
    pub status_name: String,
    pub date_creation: Option<String>,
    pub date_expiry: Option<String>,
    /// Null while unpaid.
    pub date_payment: Option<String>,
    pub date_removal: Option<String>,
    pub token: Option<String>,
}

impl From<pagoefectivo::CipInfo> for CipInfo {
    fn from(c: pagoefectivo::CipInfo) -> Self {
        CipInfo {
            cip: signed(c.cip),
            transaction_code: c.transaction_code,
            amount: c.amount.to_string(),
            currency: c.currency.as_str().to_owned(),
            status: c.status.as_str().to_owned(),
            status_code: c.status_code.into(),
            status_name: c.status_name,
            date_creation: wire_opt(&c.date_creation),
            date_expiry: wire_opt(&c.date_expiry),
            date_payment: wire_opt(&c.date_payment),
            date_removal: wire_opt(&c.date_removal),
            token: c.token,
        }
    }
}

/// A refund (`status`: `requested`, `processing`, `refunded`, `rejected`, or a code the SDK does not know).
#[derive(Clone, Debug, uniffi::Record)]
pub struct Refund {
    pub refund_id: String,
    pub cip: i64,
    pub merchant_refund_id: String,
    pub amount: String,
    pub currency: String,
    pub reason: String,
    pub status: String,
    pub reason_code: Option<String>,
    pub date_creation: Option<String>,
    pub date_update: Option<String>,
}

impl From<pagoefectivo::Refund> for Refund {
    fn from(r: pagoefectivo::Refund) -> Self {
        Refund {
            refund_id: r.refund_id,
            cip: signed(r.cip),
            merchant_refund_id: r.merchant_refund_id,
            amount: r.amount.to_string(),
            currency: r.currency.as_str().to_owned(),
            reason: r.reason,
            status: r.status.as_str().to_owned(),
            reason_code: r.reason_code,
            date_creation: wire_opt(&r.date_creation),
            date_update: wire_opt(&r.date_update),
        }
    }
}

/// What can still be refunded on a CIP, and until when (`blocked_by` null when a refund is possible).
#[derive(Clone, Debug, uniffi::Record)]
pub struct RefundEligibility {
    pub cip: i64,
    pub currency: String,
    pub paid_amount: String,
    pub refunded_amount: String,
    pub refundable_amount: String,
    pub payment_date: Option<String>,
    pub deadline: Option<String>,
    pub seconds_left: i64,
    pub blocked_by: Option<String>,
}

impl From<pagoefectivo::RefundEligibility> for RefundEligibility {
    fn from(e: pagoefectivo::RefundEligibility) -> Self {
        RefundEligibility {
            cip: signed(e.cip),
            currency: e.currency.as_str().to_owned(),
            paid_amount: e.paid_amount.to_string(),
            refunded_amount: e.refunded_amount.to_string(),
            refundable_amount: e.refundable_amount.to_string(),
            payment_date: wire_opt(&e.payment_date),
            deadline: wire_opt(&e.deadline),
            seconds_left: e.seconds_left,
            blocked_by: e.blocked_by,
        }
    }
}

/// A verified webhook notification.
#[derive(Clone, Debug, uniffi::Enum)]
pub enum WebhookEvent {
    /// `cip.paid`: the money is confirmed.
    CipPaid {
        event_type: String,
        dedup_key: String,
        operation_number: String,
        cip: i64,
        currency: String,
        amount: String,
        payment_date: Option<String>,
        transaction_code: Option<String>,
    },
    /// A refund changed state (`refund.processing`, `refund.refunded`, `refund.rejected`, `cip.refunded`).
    RefundChanged {
        event_type: String,
        dedup_key: String,
        operation_number: String,
        refund_id: Option<String>,
        cip: i64,
        merchant_refund_id: Option<String>,
        currency: String,
        amount: String,
        status: String,
        reason_code: Option<String>,
    },
    /// Any other event type (`cip.expired`, future ones), with the whole body as JSON.
    Other {
        event_type: String,
        dedup_key: String,
        operation_number: Option<String>,
        cip: Option<i64>,
        body_json: String,
    },
}

impl From<pagoefectivo::Event> for WebhookEvent {
    fn from(e: pagoefectivo::Event) -> Self {
        let (event_type, dedup_key) = (e.event_type().to_owned(), e.dedup_key());
        match e {
            pagoefectivo::Event::CipPaid(p) => WebhookEvent::CipPaid {
                event_type,
                dedup_key,
                operation_number: p.operation_number,
                cip: signed(p.cip),
                currency: p.currency.as_str().to_owned(),
                amount: p.amount.to_string(),
                payment_date: wire_opt(&p.payment_date),
                transaction_code: p.transaction_code,
            },
            pagoefectivo::Event::Refund(r) => WebhookEvent::RefundChanged {
                event_type,
                dedup_key,
                operation_number: r.operation_number,
                refund_id: r.refund_id,
                cip: signed(r.cip),
                merchant_refund_id: r.merchant_refund_id,
                currency: r.currency.as_str().to_owned(),
                amount: r.amount.to_string(),
                status: r.status.as_str().to_owned(),
                reason_code: r.reason_code,
            },
            pagoefectivo::Event::Other(o) => WebhookEvent::Other {
                event_type,
                dedup_key,
                operation_number: o.operation_number,
                cip: o.cip.map(signed),
                body_json: o.body.to_string(),
            },
        }
    }
}
