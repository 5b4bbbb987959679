//! Deterministic synthetic orders and report files with known injected discrepancies, for tests, benchmarks and demos.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{DateTime, FixedOffset};

use crate::error::{Error, ErrorCode};
use crate::time;

use super::exception::{Class, Side};

/// What to generate. Rates are per thousand orders and fixed, so a given
/// `orders` and `seed` always give the same files and the same expectations.
#[derive(Clone, Debug, PartialEq)]
pub struct FixtureSpec {
    pub orders: usize,
    pub seed: u64,
    /// The reconciliation's as-of time; keep it near midday so "an hour ago" is the same Lima day.
    pub as_of: DateTime<FixedOffset>,
}

/// One exception the reconciliation must report.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Expected {
    pub class: Class,
    pub side: Option<Side>,
    pub order_id: Option<String>,
    pub cip: Option<u64>,
}

/// What was written and what a correct reconciliation finds in it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fixture {
    pub order_rows: usize,
    pub report_rows: usize,
    /// Rows per class, matched and unpaid included (as `Summary::counts`).
    pub counts: BTreeMap<Class, u64>,
    pub expected: Vec<Expected>,
}

/// SplitMix64 (Steele, Lea, Flood 2014): tiny and stable forever, unlike a
/// library generator whose sequence may change between versions.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A report row before it is written (the report is shuffled, as a real one
/// is ordered by payment, not by order).
struct Row {
    cip: u64,
    order: u32,
    /// 0: the order's id; 1: an unknown `EXT-` id.
    foreign: bool,
    cents: i64,
    usd: bool,
    paid_at: i64,
    settled: bool,
    refunded_cents: i64,
}

const ORDER_HEADER: &str = "order_id,cip,currency,amount,status,expires_at,paid_at,refunded_amount\n";
const REPORT_HEADER: &str =
    "cip,transaction_code,currency,amount,status,paid_at,settled_at,refunded_amount\n";

fn io(e: std::io::Error) -> Error {
    Error::new(ErrorCode::IoError, format!("cannot write the fixture: {e}"))
}

fn stamp(secs: i64) -> String {
    DateTime::from_timestamp(secs, 0).map(|t| time::format(&time::to_lima(&t))).unwrap_or_default()
}

fn amount(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn order_id(i: usize) -> String {
    format!("ORD-{i:08}")
}

/// Writes `orders.csv`- and `report.csv`-shaped streams (default column
/// names of [`super::OrderColumns`] and [`super::ReportColumns`]).
pub fn write_fixture<O: Write, R: Write>(spec: &FixtureSpec, orders: O, report: R) -> Result<Fixture, Error> {
    let mut rng = SplitMix(spec.seed);
    let mut ow = std::io::BufWriter::with_capacity(1 << 16, orders);
    let mut fx = Fixture::default();
    let mut rows: Vec<Row> = Vec::with_capacity(spec.orders + spec.orders / 50);
    let now = spec.as_of.timestamp();
    let day = 86_400;
    ow.write_all(ORDER_HEADER.as_bytes()).map_err(io)?;
    let count = |fx: &mut Fixture, class: Class| *fx.counts.entry(class).or_default() += 1;
    for i in 0..spec.orders {
        let id = order_id(i);
        let cip = 100_000_000 + i as u64;
        let usd = rng.below(10) == 0;
        let cents = 100 + rng.below(200_000) as i64;
        let paid_at = now - day - rng.below(9 * day as u64) as i64;
        let kind = rng.below(1000);
        let expect = |class: Class, side: Option<Side>, order_id: &str, cip: u64| Expected {
            class,
            side,
            order_id: Some(order_id.to_owned()),
            cip: Some(cip),
        };
        let row = |cents: i64| Row {
            cip,
            order: i as u32,
            foreign: false,
            cents,
            usd,
            paid_at,
            settled: true,
            refunded_cents: 0,
        };
        // (status, expires_at, paid_at, local refund, cip written)
        let mut order = ("paid", paid_at + day, Some(paid_at), 0i64, true);
        let class = match kind {
            0..=4 => {
                order = ("pending", now + 2 * day, None, 0, true);
                rows.push(row(cents));
                Class::MissedNotification
            }
            5..=9 => Class::NotPaidAtPagoefectivo,
            10..=14 => {
                rows.push(row(cents + 6 + rng.below(1000) as i64));
                Class::AmountMismatch
            }
            15..=17 => {
                rows.push(Row { usd: !usd, ..row(cents) });
                Class::CurrencyMismatch
            }
            18..=20 => {
                rows.push(row(cents));
                fx.expected.push(expect(Class::Duplicate, Some(Side::Merchant), &id, cip));
                count(&mut fx, Class::Duplicate);
                write_order(&mut ow, &id, Some(cip), usd, cents, order.0, order.1, order.2, 0)?;
                fx.order_rows += 1;
                Class::Matched
            }
            21..=23 => {
                rows.push(row(cents));
                rows.push(row(cents));
                fx.expected.push(expect(Class::Duplicate, Some(Side::Pagoefectivo), &id, cip));
                count(&mut fx, Class::Duplicate);
                Class::Matched
            }
            24..=28 => {
                rows.push(row(cents));
                let ext = 900_000_000 + i as u64;
                rows.push(Row { cip: ext, foreign: true, ..row(cents) });
                fx.expected.push(Expected {
                    class: Class::UnknownReference,
                    side: Some(Side::Pagoefectivo),
                    order_id: Some(format!("EXT-{i:08}")),
                    cip: Some(ext),
                });
                count(&mut fx, Class::UnknownReference);
                Class::Matched
            }
            29..=32 => {
                let refund = cents.min(1000);
                if kind.is_multiple_of(2) {
                    rows.push(Row { refunded_cents: refund, ..row(cents) });
                } else {
                    order.3 = refund;
                    rows.push(row(cents));
                }
                Class::RefundNotReflected
            }
            33..=37 => {
                order = ("pending", now - 2 * day, None, 0, true);
                Class::ExpiredOpen
            }
            38..=41 => {
                let old = now - 20 * day;
                order.2 = Some(old);
                rows.push(Row { paid_at: old, settled: false, ..row(cents) });
                Class::SettlementOverdue
            }
            42..=44 => {
                let recent = now - 3600;
                order.2 = Some(recent);
                rows.push(Row { paid_at: recent, settled: false, ..row(cents) });
                Class::Matched
            }
            45..=54 => {
                rows.push(row(cents + 1 + rng.below(5) as i64));
                Class::Matched
            }
            55..=64 => {
                order.4 = false;
                rows.push(row(cents));
                Class::Matched
            }
            65..=66 => {
                rows.push(row(cents));
                let second = 800_000_000 + i as u64;
                rows.push(Row { cip: second, ..row(cents) });
                fx.expected.push(expect(Class::Duplicate, Some(Side::Pagoefectivo), &id, second));
                count(&mut fx, Class::Duplicate);
                Class::Matched
            }
            67..=76 => {
                order = ("pending", now + 2 * day, None, 0, true);
                Class::Unpaid
            }
            77..=79 => {
                order = ("closed", now - 2 * day, None, 0, true);
                Class::Unpaid
            }
            _ => {
                let refund = if kind.is_multiple_of(7) { cents.min(500) } else { 0 };
                order.3 = refund;
                rows.push(Row { refunded_cents: refund, ..row(cents) });
                Class::Matched
            }
        };
        if class.is_exception() {
            fx.expected.push(expect(class, None, &id, cip));
        }
        count(&mut fx, class);
        let written_cip = order.4.then_some(cip);
        write_order(&mut ow, &id, written_cip, usd, cents, order.0, order.1, order.2, order.3)?;
        fx.order_rows += 1;
    }
    ow.flush().map_err(io)?;
    // Fisher-Yates with the same generator: a stable shuffle.
    for k in (1..rows.len()).rev() {
        let j = rng.below(k as u64 + 1) as usize;
        rows.swap(k, j);
    }
    let mut rw = std::io::BufWriter::with_capacity(1 << 16, report);
    rw.write_all(REPORT_HEADER.as_bytes()).map_err(io)?;
    for r in &rows {
        let tc = if r.foreign { format!("EXT-{:08}", r.order) } else { order_id(r.order as usize) };
        let settled = if r.settled { stamp(r.paid_at + 86_400) } else { String::new() };
        writeln!(
            rw,
            "{},{},{},{},paid,{},{},{}",
            r.cip,
            tc,
            if r.usd { "USD" } else { "PEN" },
            amount(r.cents),
            stamp(r.paid_at),
            settled,
            amount(r.refunded_cents)
        )
        .map_err(io)?;
    }
    rw.flush().map_err(io)?;
    fx.report_rows = rows.len();
    fx.expected.sort();
    Ok(fx)
}

#[allow(clippy::too_many_arguments)]
fn write_order(
    w: &mut impl Write,
    id: &str,
    cip: Option<u64>,
    usd: bool,
    cents: i64,
    status: &str,
    expires_at: i64,
    paid_at: Option<i64>,
    refunded_cents: i64,
) -> Result<(), Error> {
    writeln!(
        w,
        "{id},{},{},{},{status},{},{},{}",
        cip.map(|c| c.to_string()).unwrap_or_default(),
        if usd { "USD" } else { "PEN" },
        amount(cents),
        stamp(expires_at),
        paid_at.map(stamp).unwrap_or_default(),
        amount(refunded_cents)
    )
    .map_err(io)
}
