//! Reconciliation: match the merchant's orders against what PagoEfectivo recorded, and report the discrepancies.
//!
//! The merchant side comes from a CSV file (columns mapped by name), JSON
//! lines or records passed from code ([`Orders`]). PagoEfectivo's side
//! ([`Payments`]) comes from the public `cips/search` endpoint swept for the
//! orders' CIPs ([`search_payments`]), from a report file the merchant
//! downloads ([`Payments::from_report_csv`]), or from the settlement-report
//! extension ([`Reports`], the SDK's own contract, implemented by the sandbox).
//! Rows are matched by CIP when known, else by transaction code, and every
//! row lands in one [`Class`]. The result ([`Reconciliation`]) writes a
//! summary, the exceptions as CSV and JSON lines, and a self-contained HTML
//! report. Sides are held compactly and parsed on two threads, so millions
//! of rows per side fit comfortably.
//!
//! ```
//! use pagoefectivo::reconcile::{self, Options, Order, OrderStatus, Orders, Payments, PaymentRecord, Coverage, Class};
//! use pagoefectivo::Currency;
//!
//! let mut order = Order::new("ORD-1", Currency::PEN, "25.50".parse().unwrap(), OrderStatus::Pending);
//! order.cip = Some(2523136);
//! let paid = PaymentRecord::paid(2523136, "ORD-1", Currency::PEN, "25.50".parse().unwrap());
//! let orders = Orders::from_records([&order])?;
//! let payments = Payments::from_records([&paid], Coverage::default())?;
//! let result = reconcile::reconcile(&orders, &payments, &Options::default());
//! assert_eq!(result.summary.count(Class::MissedNotification), 1);
//! # Ok::<(), pagoefectivo::Error>(())
//! ```

mod calendar;
mod classify;
mod columns;
mod engine;
mod exception;
pub mod fixture;
mod html;
mod json_input;
mod ledger;
mod lines;
mod output;
mod policy;
mod record;
mod sources;
mod table;

pub use calendar::{Calendar, MAX_BUSINESS_DAYS};
pub use columns::{OrderColumns, ReportColumns};
pub use engine::{Reconciliation, reconcile};
pub use exception::{Class, ClassTotal, Exception, Side, Summary};
pub use json_input::reconcile_json;
pub use ledger::{Coverage, Orders, Payments, load_csv_files, load_csv_pair};
pub use output::{EXCEPTION_COLUMNS, OUTPUT_FILES};
pub use policy::Options;
pub use record::{Order, OrderStatus, PaymentRecord, parse_cip_status};
pub use sources::{DEFAULT_SETTLEMENT_REPORT_PATH, ReportPage, ReportQuery, Reports, search_payments};
