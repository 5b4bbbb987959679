//! Classification rules: what a pair, a lone order or a lone PagoEfectivo row means, as an `Exception`.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::cip::CipStatus;
use crate::time;

use super::exception::{Class, Exception, Side};
use super::ledger::Payments;
use super::policy::Options;
use super::record::OrderStatus;
use super::table::{self, Entry, NO_TIME, Table};

/// Classification rules, with the settlement-date cache they need.
pub(crate) struct Classifier<'a> {
    options: &'a Options,
    payments: &'a Payments,
    as_of: i64,
    as_of_day: i64,
    /// Expected settlement day by payment day: payments cluster on few days.
    expected: HashMap<i64, i64>,
}

fn day_to_date(day: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(day + 719_163).ok()?)
}

impl<'a> Classifier<'a> {
    pub(crate) fn new(options: &'a Options, payments: &'a Payments) -> Classifier<'a> {
        let as_of = options.as_of.unwrap_or_else(time::now_lima).timestamp();
        Classifier { options, payments, as_of, as_of_day: table::lima_day(as_of), expected: HashMap::new() }
    }

    pub(crate) fn as_of_date(&self) -> NaiveDate {
        day_to_date(self.as_of_day).unwrap_or_default()
    }

    fn expected_day(&mut self, paid_at: i64) -> Option<i64> {
        if paid_at == NO_TIME {
            return None;
        }
        let day = table::lima_day(paid_at);
        if let Some(&d) = self.expected.get(&day) {
            return Some(d);
        }
        let date = day_to_date(day)?;
        let due = self.options.calendar.add_business_days(date, self.options.settlement_days);
        let due_day = table::days_from_civil(i64::from(due.year()), due.month(), due.day());
        self.expected.insert(day, due_day);
        Some(due_day)
    }

    fn differs(&self, a: Decimal, b: Decimal) -> bool {
        (a - b).abs() > self.options.amount_tolerance
    }

    pub(crate) fn pair(
        &mut self,
        o: &Table,
        oe: &Entry,
        p: &Table,
        pe: &Entry,
    ) -> (Class, Option<Exception>) {
        let ostatus = table::order_status(oe);
        let pstatus = table::cip_status(pe);
        let cov = self.payments.coverage;
        let mut expected = None;
        let (class, detail) = if oe.currency != pe.currency {
            (Class::CurrencyMismatch, format!("order in {}, PagoEfectivo in {}", oe.currency, pe.currency))
        } else if self.differs(oe.amount, pe.amount) {
            (
                Class::AmountMismatch,
                format!("order {} {}, PagoEfectivo {} {}", oe.currency, oe.amount, pe.currency, pe.amount),
            )
        } else if pstatus == CipStatus::Paid {
            if ostatus != OrderStatus::Paid {
                (
                    Class::MissedNotification,
                    format!("paid at PagoEfectivo, {} here: mark it paid", ostatus.as_str()),
                )
            } else if cov.refunds && self.differs(oe.refunded, pe.refunded) {
                (
                    Class::RefundNotReflected,
                    format!("refunded {} here, {} at PagoEfectivo", oe.refunded, pe.refunded),
                )
            } else {
                let due = if cov.settlement && pe.settled_at == NO_TIME {
                    self.expected_day(pe.paid_at)
                } else {
                    None
                };
                expected = due.and_then(day_to_date);
                match due {
                    Some(d) if self.as_of_day > d => (
                        Class::SettlementOverdue,
                        format!("not settled; expected by {}", expected.unwrap_or_default()),
                    ),
                    _ => (Class::Matched, String::new()),
                }
            }
        } else if ostatus == OrderStatus::Paid {
            (Class::NotPaidAtPagoefectivo, format!("paid here, {} at PagoEfectivo", pstatus.as_str()))
        } else if ostatus == OrderStatus::Pending
            && (matches!(pstatus, CipStatus::Expired | CipStatus::Deleted)
                || (oe.expires_at != NO_TIME && oe.expires_at <= self.as_of))
        {
            (
                Class::ExpiredOpen,
                format!("{} at PagoEfectivo and still open here: close the order", pstatus.as_str()),
            )
        } else {
            (Class::Unpaid, String::new())
        };
        if !class.is_exception() {
            return (class, None);
        }
        let mut ex = self.exception(class, None, detail);
        fill_order(&mut ex, o, oe);
        fill_payment(&mut ex, p, pe, cov.refunds);
        ex.difference = Some(pe.amount - oe.amount);
        ex.expected_settlement = expected;
        (class, Some(ex))
    }

    pub(crate) fn order_alone(&mut self, o: &Table, oe: &Entry) -> (Class, Option<Exception>) {
        let ostatus = table::order_status(oe);
        let (class, side, detail) = if ostatus == OrderStatus::Paid {
            (Class::NotPaidAtPagoefectivo, None, "paid here, but PagoEfectivo has no such payment".to_owned())
        } else if self.payments.coverage.every_order_cip && oe.cip != 0 {
            (
                Class::UnknownReference,
                Some(Side::Merchant),
                format!("PagoEfectivo does not know CIP {}", oe.cip),
            )
        } else if ostatus == OrderStatus::Pending && oe.expires_at != NO_TIME && oe.expires_at <= self.as_of {
            (
                Class::ExpiredOpen,
                None,
                "past its expiry unpaid and still open here: close the order".to_owned(),
            )
        } else {
            return (Class::Unpaid, None);
        };
        let mut ex = self.exception(class, side, detail);
        fill_order(&mut ex, o, oe);
        (class, Some(ex))
    }

    pub(crate) fn one_sided(
        &self,
        class: Class,
        side: Side,
        t: &Table,
        e: &Entry,
        merchant: bool,
        detail: String,
    ) -> Exception {
        let mut ex = self.exception(class, Some(side), detail);
        if merchant {
            fill_order(&mut ex, t, e);
        } else {
            fill_payment(&mut ex, t, e, self.payments.coverage.refunds);
        }
        ex
    }

    fn exception(&self, class: Class, side: Option<Side>, detail: String) -> Exception {
        Exception {
            class,
            side,
            order_id: None,
            cip: None,
            currency: crate::money::Currency::PEN,
            order_amount: None,
            pagoefectivo_amount: None,
            difference: None,
            order_status: None,
            pagoefectivo_status: None,
            order_refunded: None,
            pagoefectivo_refunded: None,
            expires_at: None,
            paid_at: None,
            expected_settlement: None,
            order_line: None,
            pagoefectivo_line: None,
            detail,
        }
    }
}

fn fill_order(ex: &mut Exception, t: &Table, e: &Entry) {
    ex.order_id = Some(t.text(e).to_owned());
    ex.cip = (e.cip != 0).then_some(e.cip);
    ex.currency = e.currency;
    ex.order_amount = Some(e.amount);
    ex.order_status = Some(table::order_status(e));
    ex.order_refunded = Some(e.refunded);
    ex.expires_at = table::to_time(e.expires_at);
    ex.paid_at = table::to_time(e.paid_at);
    ex.order_line = Some(e.line);
}

fn fill_payment(ex: &mut Exception, t: &Table, e: &Entry, refunds: bool) {
    let text = t.text(e);
    if ex.order_id.is_none() && !text.is_empty() {
        ex.order_id = Some(text.to_owned());
    }
    if e.cip != 0 {
        ex.cip = Some(e.cip);
    }
    ex.currency = e.currency;
    ex.pagoefectivo_amount = Some(e.amount);
    ex.pagoefectivo_status = Some(table::cip_status(e));
    ex.pagoefectivo_refunded = refunds.then_some(e.refunded);
    if e.paid_at != NO_TIME {
        ex.paid_at = table::to_time(e.paid_at);
    }
    ex.pagoefectivo_line = Some(e.line);
}
