//! What a reconciliation finds: the classes, one exception per discrepancy, and totals per class and currency.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::cip::CipStatus;
use crate::money::Currency;

use super::record::OrderStatus;

/// The class of an order, a PagoEfectivo row, or a pair of both. Every row
/// of either side lands in exactly one class, so the counts add up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Both sides agree (within the amount tolerance).
    Matched,
    /// Not paid on either side and nothing to do yet (open, or closed and unpaid).
    Unpaid,
    /// Paid at PagoEfectivo, not paid locally: the notification was missed.
    MissedNotification,
    /// Paid locally but PagoEfectivo does not show it paid: forged or mistaken.
    NotPaidAtPagoefectivo,
    /// Amounts differ by more than the tolerance.
    AmountMismatch,
    /// The two sides name different currencies.
    CurrencyMismatch,
    /// A second row with the same reference on one side (see `side`).
    Duplicate,
    /// A reference only one side knows (see `side`).
    UnknownReference,
    /// The refunded amounts of the two sides differ.
    RefundNotReflected,
    /// Open locally but expired (or deleted) at PagoEfectivo or past its
    /// expiry: the application should close it.
    ExpiredOpen,
    /// Paid, but not settled by the expected business day.
    SettlementOverdue,
}

impl Class {
    pub const ALL: [Class; 11] = [
        Class::Matched,
        Class::Unpaid,
        Class::MissedNotification,
        Class::NotPaidAtPagoefectivo,
        Class::AmountMismatch,
        Class::CurrencyMismatch,
        Class::Duplicate,
        Class::UnknownReference,
        Class::RefundNotReflected,
        Class::ExpiredOpen,
        Class::SettlementOverdue,
    ];

    /// The class whose [`Class::as_str`] is `name`.
    pub fn parse(name: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// Stable code, as in the exceptions files.
    pub fn as_str(&self) -> &'static str {
        match self {
            Class::Matched => "matched",
            Class::Unpaid => "unpaid",
            Class::MissedNotification => "missed_notification",
            Class::NotPaidAtPagoefectivo => "not_paid_at_pagoefectivo",
            Class::AmountMismatch => "amount_mismatch",
            Class::CurrencyMismatch => "currency_mismatch",
            Class::Duplicate => "duplicate",
            Class::UnknownReference => "unknown_reference",
            Class::RefundNotReflected => "refund_not_reflected",
            Class::ExpiredOpen => "expired_open",
            Class::SettlementOverdue => "settlement_overdue",
        }
    }

    /// Matched and unpaid need no follow-up; every other class is an exception.
    pub fn is_exception(&self) -> bool {
        !matches!(self, Class::Matched | Class::Unpaid)
    }

    /// Plain words for people (the HTML report).
    pub fn label(&self) -> &'static str {
        match self {
            Class::Matched => "Matched",
            Class::Unpaid => "Unpaid, nothing to do",
            Class::MissedNotification => "Paid at PagoEfectivo, pending here (missed notification)",
            Class::NotPaidAtPagoefectivo => "Paid here, not paid at PagoEfectivo",
            Class::AmountMismatch => "Amount differs",
            Class::CurrencyMismatch => "Currency differs",
            Class::Duplicate => "Duplicate",
            Class::UnknownReference => "Unknown reference",
            Class::RefundNotReflected => "Refund not reflected",
            Class::ExpiredOpen => "Expired but still open here: close it",
            Class::SettlementOverdue => "Settlement overdue",
        }
    }
}

/// Which side a one-sided finding (duplicate, unknown reference) is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Merchant,
    Pagoefectivo,
}

impl Side {
    pub fn as_str(&self) -> &'static str {
        match self {
            Side::Merchant => "merchant",
            Side::Pagoefectivo => "pagoefectivo",
        }
    }
}

/// One discrepancy to follow up, with what each side says.
#[derive(Clone, Debug, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Exception {
    pub class: Class,
    pub side: Option<Side>,
    /// The merchant's order id / PagoEfectivo's transactionCode.
    pub order_id: Option<String>,
    pub cip: Option<u64>,
    /// The currency the amount is counted in (PagoEfectivo's when it has the row).
    pub currency: Currency,
    pub order_amount: Option<Decimal>,
    pub pagoefectivo_amount: Option<Decimal>,
    /// PagoEfectivo's amount minus the order's, when both exist.
    pub difference: Option<Decimal>,
    pub order_status: Option<OrderStatus>,
    pub pagoefectivo_status: Option<CipStatus>,
    pub order_refunded: Option<Decimal>,
    pub pagoefectivo_refunded: Option<Decimal>,
    pub expires_at: Option<DateTime<FixedOffset>>,
    pub paid_at: Option<DateTime<FixedOffset>>,
    pub expected_settlement: Option<NaiveDate>,
    /// Line (or position) in the orders source, and in the PagoEfectivo source.
    pub order_line: Option<u32>,
    pub pagoefectivo_line: Option<u32>,
    /// One sentence for the person following it up.
    pub detail: String,
}

impl Exception {
    /// The amount this exception is counted with: PagoEfectivo's when it has one.
    pub fn amount(&self) -> Decimal {
        self.pagoefectivo_amount.or(self.order_amount).unwrap_or_default()
    }
}

/// Count and sum of one class in one currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClassTotal {
    pub class: Class,
    pub currency: Currency,
    pub count: u64,
    pub amount: Decimal,
}

/// Counts and sums per class and currency.
#[derive(Clone, Debug, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Rows read on each side.
    pub orders: u64,
    pub payments: u64,
    /// Exceptions (every class but matched and unpaid).
    pub exceptions: u64,
    /// Count per class, all currencies together (classes with none are absent).
    pub counts: BTreeMap<Class, u64>,
    /// Per class and currency, in class then currency order.
    pub totals: Vec<ClassTotal>,
    /// Lima date the run judged expiry and settlement against.
    pub as_of: Option<NaiveDate>,
}

/// Accumulates the summary while the engine classifies: a fixed table, no per-row map lookups.
#[derive(Default)]
pub(crate) struct Tally {
    cells: [[(u64, Decimal); 2]; Class::ALL.len()],
}

fn currency_slot(c: Currency) -> usize {
    match c {
        Currency::PEN => 0,
        Currency::USD => 1,
    }
}

impl Tally {
    pub fn add(&mut self, class: Class, currency: Currency, amount: Decimal) {
        let cell = &mut self.cells[class as usize][currency_slot(currency)];
        cell.0 += 1;
        cell.1 += amount;
    }

    pub fn finish(self, orders: u64, payments: u64, as_of: NaiveDate) -> Summary {
        let mut s = Summary { orders, payments, as_of: Some(as_of), ..Summary::default() };
        for class in Class::ALL {
            for (slot, currency) in [Currency::PEN, Currency::USD].into_iter().enumerate() {
                let (count, amount) = self.cells[class as usize][slot];
                if count == 0 {
                    continue;
                }
                *s.counts.entry(class).or_default() += count;
                if class.is_exception() {
                    s.exceptions += count;
                }
                s.totals.push(ClassTotal { class, currency, count, amount });
            }
        }
        s
    }
}

impl Summary {
    pub fn count(&self, class: Class) -> u64 {
        self.counts.get(&class).copied().unwrap_or(0)
    }
}
